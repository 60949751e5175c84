package io.kwire.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;
import io.kwire.protocol.ByteReader;
import io.kwire.protocol.ByteWriter;
import io.kwire.protocol.message.ApiVersionsRequest;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.protocol.message.RequestHeader;
import io.kwire.protocol.message.ResponseHeader;
import io.kwire.testkit.KafkaCluster;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The codec alone, without the client: ApiVersions and Metadata to a real broker over a plain blocking socket,
 * at the highest version both sides support, decoded with the generated classes.
 */
class CodecSmokeTest {

    private int correlationId;

    @Test
    void apiVersionsAndMetadataRoundTripThroughTheCodecAtTheHighestCommonVersion() throws Exception {
        KafkaCluster cluster = KafkaCluster.shared();
        String[] hostPort = cluster.bootstrapServers().split(",")[0].split(":");
        try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());

            // ApiVersions v0 first, which every broker takes, for the broker's own ApiVersions range (kwire's codec
            // may be newer than the broker: 4.4's v5 against the test kit's 4.1 broker).
            ApiVersionsResponse v0 = roundTrip(out, in, new ApiVersionsRequest(), (short) 0);
            short apiVersionsVersion = (short) Math.min(ApiKey.API_VERSIONS.highestSupportedVersion(), v0.apiKeys()
                    .stream().filter(k -> k.apiKey() == ApiKey.API_VERSIONS.id()).findFirst().orElseThrow()
                    .maxVersion());
            ApiVersionsResponse versions = roundTrip(out, in, new ApiVersionsRequest().setClientSoftwareName("kwire")
                    .setClientSoftwareVersion("smoke"), apiVersionsVersion);
            assertThat(versions.errorCode()).isZero();
            ApiVersionsResponse.ApiVersion metadataRange = versions.apiKeys().stream()
                    .filter(k -> k.apiKey() == ApiKey.METADATA.id()).findFirst().orElseThrow();

            short metadataVersion = (short) Math.min(metadataRange.maxVersion(), ApiKey.METADATA.highestSupportedVersion());
            MetadataResponse metadata = roundTrip(out, in, new MetadataRequest().setTopics(null), metadataVersion);
            assertThat(metadata.brokers()).hasSize(1);
            assertThat(metadata.brokers().get(0).port()).isEqualTo(Integer.parseInt(hostPort[1]));
            assertThat(metadata.clusterId()).isNotBlank();
        }
    }

    private <R extends ApiResponse> R roundTrip(DataOutputStream out, DataInputStream in, ApiRequest<R> request,
                                                short version) throws Exception {
        ApiKey key = request.apiKey();
        RequestHeader header = new RequestHeader().setRequestApiKey(key.id()).setRequestApiVersion(version)
                .setCorrelationId(++correlationId).setClientId("codec-smoke");
        short hv = key.requestHeaderVersion(version);
        ByteBuffer frame = ByteBuffer.allocate(header.size(hv) + request.size(version));
        ByteWriter w = new ByteWriter(frame);
        header.write(w, hv);
        request.write(w, version);
        out.writeInt(frame.capacity());
        out.write(frame.array());
        out.flush();

        byte[] response = new byte[in.readInt()];
        in.readFully(response);
        ByteReader r = new ByteReader(ByteBuffer.wrap(response));
        ResponseHeader responseHeader = new ResponseHeader();
        responseHeader.read(r, key.responseHeaderVersion(version));
        assertThat(responseHeader.correlationId()).isEqualTo(correlationId);
        R decoded = request.decodeResponse(r, version);
        assertThat(r.remaining()).isZero();
        return decoded;
    }
}
