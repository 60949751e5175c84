package io.kwire.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.protocol.ByteWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.internals.ByteUtils;
import org.junit.jupiter.api.Test;

/** The string helpers of the generated classes write what the JDK and Kafka's own code write. */
class CodecTest {

    @Test
    void stringsWithLengthPrefixMatchTheJdkWhetherAsciiOrNot() {
        String[] samples = {"", "bench-topic-7", "x".repeat(200), "tópico", "日本語", "a\uD800b", "ascii then é",
            "\uD83D\uDE00"};
        for (String s : samples) {
            byte[] jdk = s.getBytes(StandardCharsets.UTF_8);
            for (boolean compact : new boolean[] {false, true}) {
                ByteBuffer expected = ByteBuffer.allocate(jdk.length + 5);
                if (compact) {
                    ByteUtils.writeUnsignedVarint(jdk.length + 1, expected);
                } else {
                    expected.putShort((short) jdk.length);
                }
                expected.put(jdk).flip();
                // Exactly sized and in the middle of a larger array, as frames are written.
                ByteBuffer exact = ByteBuffer.allocate(Codec.stringSize(s, compact));
                Codec.writeString(new ByteWriter(exact), s, compact);
                assertThat(exact.flip()).as("%s compact=%s", s, compact).isEqualTo(expected);
                ByteBuffer inner = ByteBuffer.wrap(new byte[jdk.length + 20], 3, jdk.length + 10).slice();
                Codec.writeString(new ByteWriter(inner), s, compact);
                assertThat(inner.flip()).as("%s compact=%s", s, compact).isEqualTo(expected);
            }
        }
    }

    @Test
    void aStringThatDoesNotFitOverflowsTheBuffer() {
        ByteBuffer tooSmall = ByteBuffer.allocate(5);
        assertThatThrownBy(() -> Codec.writeString(new ByteWriter(tooSmall), "bench-topic", true))
                .isInstanceOf(java.nio.BufferOverflowException.class);
    }
}
