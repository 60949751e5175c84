package io.kwire.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.errors.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.kafka.common.utils.internals.ByteUtils;
import org.junit.jupiter.api.Test;

/** Varints and UTF-8 against kafka-clients' ByteUtils and String.getBytes(UTF_8). */
class ByteReaderWriterTest {

    private static final int[] INT_EDGES = {0, 1, -1, 63, 64, 127, 128, 16383, 16384, 2097151, 2097152, 268435455,
        268435456, Integer.MAX_VALUE, Integer.MIN_VALUE};
    private static final long[] LONG_EDGES = {0, 1, -1, 63, 64, 127, 128, Integer.MAX_VALUE, Integer.MIN_VALUE,
        1L << 35, -(1L << 35), 1L << 62, Long.MAX_VALUE, Long.MIN_VALUE};

    private static int[] ints() {
        Random r = new Random(7);
        int[] out = new int[INT_EDGES.length + 2000];
        System.arraycopy(INT_EDGES, 0, out, 0, INT_EDGES.length);
        for (int i = INT_EDGES.length; i < out.length; i++) {
            out[i] = r.nextInt() >> r.nextInt(32);
        }
        return out;
    }

    private static long[] longs() {
        Random r = new Random(8);
        long[] out = new long[LONG_EDGES.length + 2000];
        System.arraycopy(LONG_EDGES, 0, out, 0, LONG_EDGES.length);
        for (int i = LONG_EDGES.length; i < out.length; i++) {
            out[i] = r.nextLong() >> r.nextInt(64);
        }
        return out;
    }

    @Test
    void unsignedVarintsMatchKafka() {
        for (int v : ints()) {
            ByteBuffer kafka = ByteBuffer.allocate(5);
            ByteUtils.writeUnsignedVarint(v, kafka);
            kafka.flip();
            ByteBuffer ours = ByteBuffer.allocate(5);
            new ByteWriter(ours).writeUnsignedVarint(v);
            ours.flip();
            assertThat(ours).as("value %d", v).isEqualTo(kafka);
            assertThat(ByteWriter.unsignedVarintSize(v)).isEqualTo(ByteUtils.sizeOfUnsignedVarint(v));
            ByteReader reader = new ByteReader(kafka.duplicate());
            assertThat(reader.readUnsignedVarint()).isEqualTo(v);
            assertThat(reader.remaining()).isZero();
            // With bytes after it the reader takes its unrolled path (5 or more bytes left): same value and length.
            ByteBuffer followed = ByteBuffer.allocate(kafka.remaining() + 5).put(kafka.duplicate())
                    .put(new byte[] {(byte) 0x81, 1, 2, 3, 4}).flip();
            ByteReader then = new ByteReader(followed);
            assertThat(then.readUnsignedVarint()).isEqualTo(v);
            assertThat(then.remaining()).isEqualTo(5);
        }
    }

    @Test
    void signedVarintsAndVarlongsMatchKafka() {
        for (int v : ints()) {
            ByteBuffer kafka = ByteBuffer.allocate(5);
            ByteUtils.writeVarint(v, kafka);
            kafka.flip();
            ByteBuffer ours = ByteBuffer.allocate(5);
            new ByteWriter(ours).writeVarint(v);
            ours.flip();
            assertThat(ours).as("value %d", v).isEqualTo(kafka);
            assertThat(ByteWriter.varintSize(v)).isEqualTo(ByteUtils.sizeOfVarint(v));
            assertThat(new ByteReader(kafka).readVarint()).isEqualTo(v);
        }
        for (long v : longs()) {
            ByteBuffer kafka = ByteBuffer.allocate(10);
            ByteUtils.writeVarlong(v, kafka);
            kafka.flip();
            ByteBuffer ours = ByteBuffer.allocate(10);
            new ByteWriter(ours).writeVarlong(v);
            ours.flip();
            assertThat(ours).as("value %d", v).isEqualTo(kafka);
            assertThat(ByteWriter.varlongSize(v)).isEqualTo(ByteUtils.sizeOfVarlong(v));
            assertThat(new ByteReader(kafka).readVarlong()).isEqualTo(v);
        }
    }

    @Test
    void malformedVarintsAreProtocolErrors() {
        ByteBuffer tooLong = ByteBuffer.wrap(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, 1});
        assertThatThrownBy(() -> new ByteReader(tooLong.duplicate()).readUnsignedVarint())
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> new ByteReader(ByteBuffer.wrap(new byte[] {(byte) 0x80})).readVarint())
                .isInstanceOf(ProtocolException.class);
        byte[] elevenBytes = new byte[11];
        java.util.Arrays.fill(elevenBytes, (byte) 0xff);
        assertThatThrownBy(() -> new ByteReader(ByteBuffer.wrap(elevenBytes)).readVarlong())
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void utf8MatchesTheJdk() {
        String[] samples = {"", "abc", "é", "€", "日本語", "\uD83D\uDE00", "a\uD83D\uDE00b", "\uD800", "x\uDC00y",
            "\uD800\uD800\uDC00", "\u0000", "\u07ff\u0800\uffff"};
        Random r = new Random(9);
        String[] all = new String[samples.length + 500];
        System.arraycopy(samples, 0, all, 0, samples.length);
        for (int i = samples.length; i < all.length; i++) {
            char[] cs = new char[r.nextInt(12)];
            for (int j = 0; j < cs.length; j++) {
                cs[j] = (char) (r.nextBoolean() ? r.nextInt(0x80) : r.nextInt(0x10000));
            }
            all[i] = new String(cs);
        }
        for (String s : all) {
            byte[] jdk = s.getBytes(StandardCharsets.UTF_8);
            assertThat(ByteWriter.utf8Length(s)).as(s).isEqualTo(jdk.length);
            ByteBuffer buf = ByteBuffer.allocate(jdk.length);
            new ByteWriter(buf).writeUtf8(s);
            assertThat(buf.array()).as(s).isEqualTo(jdk);
            assertThat(new ByteReader(ByteBuffer.wrap(jdk)).readString(jdk.length))
                    .isEqualTo(new String(jdk, StandardCharsets.UTF_8));
        }
    }

    @Test
    void readsAreBoundsChecked() {
        ByteReader r = new ByteReader(ByteBuffer.wrap(new byte[3]));
        assertThatThrownBy(r::readInt).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> r.readString(4)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> r.readSlice(-1)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> r.checkArrayLength(Integer.MAX_VALUE, 1, "x")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> r.checkArrayLength(2, 4, "x")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> r.skip(4)).isInstanceOf(ProtocolException.class);
        ByteBuffer slice = r.readSlice(2);
        assertThat(slice.remaining()).isEqualTo(2);
        assertThat(r.remaining()).isEqualTo(1);
    }

    @Test
    void directBuffersReadStrings() {
        ByteBuffer direct = ByteBuffer.allocateDirect(8);
        direct.put("héllo".getBytes(StandardCharsets.UTF_8)).flip();
        assertThat(new ByteReader(direct).readString(6)).isEqualTo("héllo");
    }
}
