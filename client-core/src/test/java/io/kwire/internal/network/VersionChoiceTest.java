package io.kwire.internal.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.errors.UnsupportedVersionException;
import io.kwire.network.NodeApiVersions;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.Uuid;
import io.kwire.protocol.message.FetchRequest;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.ProduceRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The version keeps the request's meaning across KIP-516's switch from topic names to ids. */
class VersionChoiceTest {

    private static final Uuid ID = new Uuid(42, 7);

    private static NodeApiVersions broker(int produceMin, int produceMax, int fetchMin, int fetchMax) {
        return new NodeApiVersions(Map.of(ApiKey.PRODUCE.id(), new short[] {(short) produceMin, (short) produceMax},
                ApiKey.FETCH.id(), new short[] {(short) fetchMin, (short) fetchMax},
                ApiKey.METADATA.id(), new short[] {0, 12}));
    }

    private static ProduceRequest produce(String name, Uuid id) {
        return new ProduceRequest().setTopicData(List.of(new ProduceRequest.TopicProduceData().setName(name)
                .setTopicId(id)));
    }

    private static FetchRequest fetch(String name, Uuid id) {
        return new FetchRequest().setTopics(List.of(new FetchRequest.FetchTopic().setTopic(name).setTopicId(id)));
    }

    @Test
    void aTopicNamedOnlyByNameCapsTheVersionAtTheLastOneWithNames() {
        NodeApiVersions modern = broker(3, 13, 4, 17);
        assertThat(VersionChoice.choose(produce("orders", Uuid.ZERO), modern)).isEqualTo((short) 12);
        assertThat(VersionChoice.choose(fetch("orders", Uuid.ZERO), modern)).isEqualTo((short) 12);
    }

    @Test
    void aTopicWithItsIdGoesAtTheHighestVersion() {
        NodeApiVersions modern = broker(3, 13, 4, 17);
        assertThat(VersionChoice.choose(produce("", ID), modern)).isEqualTo((short) 13);
        assertThat(VersionChoice.choose(produce("orders", ID), modern)).isEqualTo((short) 13);
        assertThat(VersionChoice.choose(fetch("", ID), modern)).isEqualTo((short) Math.min(17,
                ApiKey.FETCH.highestSupportedVersion()));
    }

    @Test
    void aTopicNamedOnlyByIdCannotGoToABrokerWithoutIds() {
        assertThatThrownBy(() -> VersionChoice.choose(produce("", ID), broker(3, 12, 4, 12)))
                .isInstanceOf(UnsupportedVersionException.class).hasMessageContaining("set the topic name")
                .hasMessageContaining("v12");
    }

    @Test
    void aTopicNamedOnlyByNameCannotGoToABrokerThatOnlyTakesIds() {
        assertThatThrownBy(() -> VersionChoice.choose(fetch("orders", Uuid.ZERO), broker(3, 13, 13, 17)))
                .isInstanceOf(UnsupportedVersionException.class).hasMessageContaining("set the topic id")
                .hasMessageContaining("'orders'");
    }

    @Test
    void otherRequestsGoAtTheHighestCommonVersion() {
        assertThat(VersionChoice.choose(new MetadataRequest(), broker(3, 13, 4, 17))).isEqualTo((short) 12);
    }
}
