package io.kwire.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.KwireException;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataRequest.MetadataRequestTopic;
import io.kwire.protocol.message.RequestHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One-pass frames are the bytes of the two-pass encode, whether they fit the scratch buffer or not. */
class FrameEncoderTest {

    private static final short VERSION = 12;
    private static final short HEADER_VERSION = 2;

    private final RequestHeader header = new RequestHeader().setRequestApiKey(ApiKey.METADATA.id())
            .setRequestApiVersion(VERSION).setCorrelationId(7).setClientId("client-é");

    @Test
    void framesMatchTheTwoPassEncodingBeforeAndAfterTheScratchBufferGrows() {
        FrameEncoder encoder = new FrameEncoder(64);
        for (int topics : new int[] {0, 1, 40, 3, 400, 40}) {
            MetadataRequest request = request(topics);
            ByteBuffer frame = encoder.encode(header, HEADER_VERSION, request, VERSION);
            ByteBuffer expected = twoPass(request);
            assertThat(frame).as("%d topics", topics).isEqualTo(expected);
            assertThat(frame.position()).isZero();
            assertThat(frame.capacity()).as("exactly sized").isEqualTo(expected.remaining());
        }
    }

    @Test
    void aFrameLargerThanTheScratchLimitIsStillEncoded() {
        FrameEncoder encoder = new FrameEncoder(64);
        MetadataRequest request = request(0);
        List<MetadataRequestTopic> topics = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            topics.add(new MetadataRequestTopic().setTopicId(Uuid.ZERO).setName("t".repeat(30_000) + i));
        }
        request.setTopics(topics);
        for (int i = 0; i < 2; i++) { // twice: the scratch buffer does not grow past its limit, each is two-pass
            ByteBuffer frame = encoder.encode(header, HEADER_VERSION, request, VERSION);
            assertThat(frame.remaining()).isGreaterThan(FrameEncoder.MAX_SCRATCH);
            assertThat(frame).isEqualTo(twoPass(request));
        }
    }

    @Test
    void encodingErrorsReachTheCaller() {
        MetadataRequest request = request(2);
        request.topics().get(1).setName(null); // not nullable before version 10
        assertThatThrownBy(() -> new FrameEncoder(1024).encode(header, HEADER_VERSION, request, (short) 9))
                .isInstanceOf(KwireException.class)
                .hasMessageContaining("MetadataRequest.MetadataRequestTopic.Name");
    }

    private static MetadataRequest request(int topics) {
        List<MetadataRequestTopic> list = new ArrayList<>();
        for (int i = 0; i < topics; i++) {
            list.add(new MetadataRequestTopic().setTopicId(new Uuid(i, -i)).setName((i % 3 == 0 ? "tópico-" : "topic-") + i));
        }
        return new MetadataRequest().setTopics(list).setIncludeTopicAuthorizedOperations(topics % 2 == 0);
    }

    private ByteBuffer twoPass(MetadataRequest request) {
        int size = header.size(HEADER_VERSION) + request.size(VERSION);
        ByteBuffer frame = ByteBuffer.allocate(4 + size).putInt(size);
        ByteWriter writer = new ByteWriter(frame);
        header.write(writer, HEADER_VERSION);
        request.write(writer, VERSION);
        assertThat(frame.hasRemaining()).isFalse();
        return frame.flip();
    }
}
