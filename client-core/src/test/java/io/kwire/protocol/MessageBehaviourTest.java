package io.kwire.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.errors.KwireException;
import io.kwire.errors.UnsupportedVersionException;
import io.kwire.protocol.message.AlterConfigsRequest;
import io.kwire.protocol.message.ApiVersionsRequest;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.FetchResponse;
import io.kwire.protocol.message.IncrementalAlterConfigsRequest;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.protocol.message.ProduceRequest;
import io.kwire.protocol.message.RequestHeader;
import io.kwire.protocol.message.SaslAuthenticateRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Behaviour of the generated classes beyond the wire format: version checks, nulls, defaults, toString. */
class MessageBehaviourTest {

    @Test
    void nonDefaultValueInAFieldAbsentAtTheVersionIsRejected() {
        // MetadataRequest.AllowAutoTopicCreation exists from v4; writing false (non-default) at v3 must fail.
        MetadataRequest request = new MetadataRequest().setTopics(null).setAllowAutoTopicCreation(false);
        ByteBuffer buf = ByteBuffer.allocate(request.size((short) 3));
        assertThatThrownBy(() -> request.write(new ByteWriter(buf), (short) 3))
                .isInstanceOf(UnsupportedVersionException.class)
                .hasMessageContaining("MetadataRequest").hasMessageContaining("AllowAutoTopicCreation")
                .hasMessageContaining("3");
        // The default value is fine at any version.
        request.setAllowAutoTopicCreation(true);
        request.write(new ByteWriter(ByteBuffer.allocate(request.size((short) 3))), (short) 3);
    }

    @Test
    void ignorableFieldsAreDroppedSilently() {
        // ApiVersionsResponse.ThrottleTimeMs is ignorable and absent at v0.
        ApiVersionsResponse response = new ApiVersionsResponse().setThrottleTimeMs(100);
        ByteBuffer buf = ByteBuffer.allocate(response.size((short) 0));
        response.write(new ByteWriter(buf), (short) 0);
        buf.flip();
        ApiVersionsResponse back = new ApiVersionsResponse();
        back.read(new ByteReader(buf), (short) 0);
        assertThat(back.throttleTimeMs()).isZero();
        assertThat(((ApiResponse) back).throttleTimeMs()).isZero();
    }

    @Test
    void nullInANonNullableFieldFailsClearly() {
        MetadataRequest request = new MetadataRequest().setTopics(List.of(new MetadataRequest.MetadataRequestTopic()
                .setName(null)));
        // Name is nullable from v10 only.
        ByteBuffer buf = ByteBuffer.allocate(request.size((short) 9));
        assertThatThrownBy(() -> request.write(new ByteWriter(buf), (short) 9))
                .isInstanceOf(KwireException.class).hasMessageContaining("Name").hasMessageContaining("null");
        request.write(new ByteWriter(ByteBuffer.allocate(request.size((short) 10))), (short) 10);
    }

    @Test
    void versionsOutsideTheSchemaAreRejected() {
        assertThatThrownBy(() -> new MetadataRequest().size((short) 99))
                .isInstanceOf(UnsupportedVersionException.class);
        assertThatThrownBy(() -> new ProduceRequest().write(new ByteWriter(ByteBuffer.allocate(64)), (short) 0))
                .isInstanceOf(UnsupportedVersionException.class);
    }

    @Test
    void defaultsComeFromTheSchema() {
        MetadataRequest m = new MetadataRequest();
        assertThat(m.allowAutoTopicCreation()).isTrue();
        assertThat(m.topics()).isEmpty();
        assertThat(new FetchResponse.PartitionData().highWatermark()).isZero();
        assertThat(new FetchResponse.PartitionData().lastStableOffset()).isEqualTo(-1L);
        assertThat(new FetchResponse.PartitionData().preferredReadReplica()).isEqualTo(-1);
        assertThat(new FetchResponse.PartitionData().records()).isNull();
        assertThat(new FetchResponse.EpochEndOffset().isDefaultValue()).isTrue();
        assertThat(new RequestHeader().clientId()).isEqualTo("");
    }

    @Test
    void toStringNeverPrintsBytes() {
        SaslAuthenticateRequest auth = new SaslAuthenticateRequest()
                .setAuthBytes(ByteBuffer.wrap("secret-password".getBytes(StandardCharsets.UTF_8)));
        assertThat(auth.toString()).contains("bytes[15]").doesNotContain("secret");
    }

    @Test
    void toStringHidesAlteredConfigValuesButNamesTheirKeys() {
        AlterConfigsRequest alter = new AlterConfigsRequest().setResources(new ArrayList<>(List.of(
                new AlterConfigsRequest.AlterConfigsResource().setResourceType((byte) 4).setResourceName("1")
                        .setConfigs(new ArrayList<>(List.of(
                                new AlterConfigsRequest.AlterableConfig()
                                        .setName("listener.name.sasl_ssl.ssl.keystore.password")
                                        .setValue("S3cr3t-KeystorePw"),
                                new AlterConfigsRequest.AlterableConfig().setName("log.cleaner.threads")
                                        .setValue(null)))))));
        assertThat(alter.toString()).doesNotContain("S3cr3t")
                .contains("name='listener.name.sasl_ssl.ssl.keystore.password', value=(hidden)")
                .contains("name='log.cleaner.threads', value=null");

        IncrementalAlterConfigsRequest incremental = new IncrementalAlterConfigsRequest().setResources(
                new ArrayList<>(List.of(new IncrementalAlterConfigsRequest.AlterConfigsResource()
                        .setResourceType((byte) 4).setResourceName("1")
                        .setConfigs(new ArrayList<>(List.of(new IncrementalAlterConfigsRequest.AlterableConfig()
                                .setName("sasl.jaas.config")
                                .setValue("PlainLoginModule required username=\"admin\" password=\"hunter2\";")))))));
        assertThat(incremental.toString()).doesNotContain("hunter2").doesNotContain("admin")
                .contains("name='sasl.jaas.config'").contains("value=(hidden)");
    }

    @Test
    void hiddenValuesStillCountForEquality() {
        AlterConfigsRequest.AlterableConfig a = new AlterConfigsRequest.AlterableConfig().setName("k").setValue("x");
        AlterConfigsRequest.AlterableConfig b = new AlterConfigsRequest.AlterableConfig().setName("k").setValue("y");
        assertThat(a).isNotEqualTo(b).hasToString(b.toString());
        assertThat(a).isEqualTo(new AlterConfigsRequest.AlterableConfig().setName("k").setValue("x"))
                .hasSameHashCodeAs(new AlterConfigsRequest.AlterableConfig().setName("k").setValue("x"));
    }

    @Test
    void requestsKnowTheirResponses() {
        ApiVersionsRequest request = new ApiVersionsRequest().setClientSoftwareName("kwire");
        assertThat(request.apiKey()).isSameAs(ApiKey.API_VERSIONS);
        ApiVersionsResponse response = new ApiVersionsResponse().setErrorCode((short) 35)
                .setApiKeys(new ArrayList<>(List.of(new ApiVersionsResponse.ApiVersion().setApiKey((short) 3)
                        .setMinVersion((short) 0).setMaxVersion((short) 13))));
        ByteBuffer buf = ByteBuffer.allocate(response.size((short) 3));
        response.write(new ByteWriter(buf), (short) 3);
        buf.flip();
        ApiVersionsResponse decoded = request.decodeResponse(new ByteReader(buf), (short) 3);
        assertThat(decoded).isEqualTo(response);
        assertThat(new MetadataResponse().setThrottleTimeMs(7).throttleTimeMs()).isEqualTo(7);
    }

    @Test
    void sizeDoesNotAllocate() {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        RandomValues r = new RandomValues(5);
        List<Message> messages = new ArrayList<>();
        for (ApiKey key : List.of(ApiKey.FETCH, ApiKey.METADATA, ApiKey.PRODUCE, ApiKey.CONSUMER_GROUP_HEARTBEAT)) {
            short v = key.latestSchemaVersion(); // what Message.highestSupportedVersion() reports
            messages.add(io.kwire.protocol.message.RandomMessages.randomRequest(key, r, v));
            messages.add(io.kwire.protocol.message.RandomMessages.randomResponse(key, r, v));
        }
        long sink = 0;
        for (int warm = 0; warm < 2_000; warm++) {
            for (Message m : messages) {
                sink += m.size(m.highestSupportedVersion());
            }
        }
        Message[] array = messages.toArray(new Message[0]); // no iterator allocation in the measured loop
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 10_000; i++) {
            for (int j = 0; j < array.length; j++) {
                sink += array[j].size(array[j].highestSupportedVersion());
            }
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertThat(sink).isPositive();
        assertThat(allocated).as("bytes allocated by 80,000 size() calls").isLessThan(10_000);
    }

    @Test
    void requestHeaderClientIdIsNeverCompact() {
        RequestHeader h = new RequestHeader().setRequestApiKey((short) 18).setRequestApiVersion((short) 3)
                .setCorrelationId(1).setClientId("abc");
        ByteBuffer buf = ByteBuffer.allocate(h.size((short) 2));
        h.write(new ByteWriter(buf), (short) 2);
        // 2 + 2 + 4, then int16 length 3, "abc", then an empty tagged-field section.
        assertThat(buf.array()).containsExactly(0, 18, 0, 3, 0, 0, 0, 1, 0, 3, 'a', 'b', 'c', 0);
    }
}
