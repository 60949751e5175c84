package io.kwire.internal.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.errors.KwireException;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ByteWriter;
import io.kwire.protocol.Uuid;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataRequest.MetadataRequestTopic;
import io.kwire.protocol.message.RequestHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One-pass frames are the bytes of the two-pass encode; a frame that does not fit, or fails, leaves nothing. */
class FrameCodecTest {

    private static final short VERSION = 12;
    private static final short HEADER_VERSION = 2;

    private final ByteWriter writer = new ByteWriter();
    private final RequestHeader header = new RequestHeader().setRequestApiKey(ApiKey.METADATA.id())
            .setRequestApiVersion(VERSION).setCorrelationId(7).setClientId("client-é");

    @Test
    void framesAreWrittenAfterThoseAlreadyInTheBufferAsTheTwoPassEncodingWouldWriteThem() {
        ByteBuffer out = ByteBuffer.allocate(64 * 1024);
        List<ByteBuffer> expected = new ArrayList<>();
        for (int topics : new int[] {0, 1, 40, 3, 400}) {
            MetadataRequest request = request(topics);
            int start = out.position();
            assertThat(FrameCodec.tryEncode(writer, out, header, HEADER_VERSION, request, VERSION)).isTrue();
            ByteBuffer twoPass = twoPass(request);
            assertThat(out.position() - start).isEqualTo(twoPass.remaining())
                    .isEqualTo(FrameCodec.frameLength(header, HEADER_VERSION, request, VERSION));
            expected.add(twoPass);
        }
        ByteBuffer all = ByteBuffer.allocate(out.position());
        expected.forEach(all::put);
        assertThat(out.flip()).isEqualTo(all.flip());
    }

    @Test
    void oneWriterServesEveryFrameAndKeepsNoBufferBetweenThem() {
        for (int topics : new int[] {0, 1, 40, 3, 400}) {
            MetadataRequest request = request(topics);
            ByteBuffer small = ByteBuffer.allocate(64);
            boolean fits = FrameCodec.tryEncode(writer, small, header, HEADER_VERSION, request, VERSION);
            assertThat(writer.buffer()).as("let go after a frame that does not fit too").isNull();
            ByteBuffer out = small;
            if (!fits) {
                int length = FrameCodec.frameLength(header, HEADER_VERSION, request, VERSION);
                out = ByteBuffer.allocate(length);
                FrameCodec.encode(writer, out, length, header, HEADER_VERSION, request, VERSION);
                assertThat(writer.buffer()).isNull();
            }
            assertThat(out.flip()).as("%d topics", topics).isEqualTo(twoPass(request));
        }
    }

    @Test
    void aFrameThatDoesNotFitLeavesThePositionAndIsThenWrittenSized() {
        MetadataRequest request = request(40);
        int length = FrameCodec.frameLength(header, HEADER_VERSION, request, VERSION);
        for (int room : new int[] {0, 3, 4, 20, length - 1}) {
            ByteBuffer out = ByteBuffer.allocate(10 + room).position(10);
            assertThat(FrameCodec.tryEncode(writer, out, header, HEADER_VERSION, request, VERSION)).as("room %d", room)
                    .isFalse();
            assertThat(out.position()).isEqualTo(10);
        }
        ByteBuffer out = ByteBuffer.allocate(10 + length).position(10);
        FrameCodec.encode(writer, out, length, header, HEADER_VERSION, request, VERSION);
        assertThat(out.hasRemaining()).isFalse();
        assertThat(out.position(10)).isEqualTo(twoPass(request));
    }

    @Test
    void aLengthThatDisagreesWithTheBytesWrittenIsRefused() {
        MetadataRequest request = request(3);
        int length = FrameCodec.frameLength(header, HEADER_VERSION, request, VERSION);
        ByteBuffer out = ByteBuffer.allocate(length + 10).position(2);
        assertThatThrownBy(() -> FrameCodec.encode(writer, out, length + 1, header, HEADER_VERSION, request, VERSION))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sized " + (length + 1));
        assertThat(out.position()).isEqualTo(2);
    }

    @Test
    void encodingErrorsReachTheCallerAndLeaveThePosition() {
        MetadataRequest request = request(2);
        request.topics().get(1).setName(null); // not nullable before version 10
        ByteBuffer out = ByteBuffer.allocate(1024).position(5);
        assertThatThrownBy(() -> FrameCodec.tryEncode(writer, out, header, HEADER_VERSION, request, (short) 9))
                .isInstanceOf(KwireException.class)
                .hasMessageContaining("MetadataRequest.MetadataRequestTopic.Name");
        assertThat(out.position()).isEqualTo(5);
        assertThatThrownBy(() -> FrameCodec.encode(writer, out, 500, header, HEADER_VERSION, request, (short) 9))
                .isInstanceOf(KwireException.class);
        assertThat(out.position()).isEqualTo(5);
    }

    private static MetadataRequest request(int topics) {
        List<MetadataRequestTopic> list = new ArrayList<>();
        for (int i = 0; i < topics; i++) {
            list.add(new MetadataRequestTopic().setTopicId(new Uuid(i, -i))
                    .setName((i % 3 == 0 ? "tópico-" : "topic-") + i));
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
