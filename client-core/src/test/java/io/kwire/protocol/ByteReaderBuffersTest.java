package io.kwire.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.errors.ProtocolException;
import io.kwire.protocol.message.MetadataResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ByteReader over every kind of buffer it may be given: a heap buffer (read from its array), a heap slice whose
 * array offset is not zero, and the two it reads through the buffer (direct, read-only). The same bytes must give
 * the same values, the same truncation errors and the same buffer position in each.
 */
class ByteReaderBuffersTest {

    enum Kind {
        HEAP {
            @Override
            ByteBuffer of(byte[] bytes) {
                return ByteBuffer.wrap(bytes.clone());
            }
        },
        /** Three junk bytes before and after: array offset 3, limit short of the array's end. */
        HEAP_SLICE {
            @Override
            ByteBuffer of(byte[] bytes) {
                byte[] padded = new byte[bytes.length + 6];
                java.util.Arrays.fill(padded, (byte) 0x7f);
                System.arraycopy(bytes, 0, padded, 3, bytes.length);
                ByteBuffer slice = ByteBuffer.wrap(padded, 3, bytes.length).slice();
                assertThat(slice.arrayOffset()).isEqualTo(3);
                return slice;
            }
        },
        DIRECT {
            @Override
            ByteBuffer of(byte[] bytes) {
                return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
            }
        },
        READ_ONLY {
            @Override
            ByteBuffer of(byte[] bytes) {
                return ByteBuffer.wrap(bytes.clone()).asReadOnlyBuffer();
            }
        };

        abstract ByteBuffer of(byte[] bytes);
    }

    /** One of each primitive, as a ByteWriter writes them. */
    private static byte[] everyPrimitive() {
        ByteBuffer b = ByteBuffer.allocate(128);
        ByteWriter w = new ByteWriter(b);
        w.writeByte((byte) -2);
        w.writeShort((short) -3);
        w.writeInt(0x01020304);
        w.writeLong(0x0102030405060708L);
        w.writeDouble(2.5);
        w.writeUnsignedVarint(300);
        w.writeVarint(-70_000);
        w.writeVarlong(-5_000_000_000L);
        w.writeLong(11L);
        w.writeLong(12L);
        byte[] text = "héllo".getBytes(StandardCharsets.UTF_8);
        w.writeBytes(ByteBuffer.wrap(text));
        w.writeInt(7);
        w.writeInt(8);
        w.writeInt(9);
        w.writeBytes(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        w.writeByte((byte) 1);
        b.flip();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static void readEveryPrimitive(ByteReader r) {
        assertThat(r.readByte()).isEqualTo((byte) -2);
        assertThat(r.readShort()).isEqualTo((short) -3);
        assertThat(r.readInt()).isEqualTo(0x01020304);
        assertThat(r.readLong()).isEqualTo(0x0102030405060708L);
        assertThat(r.readDouble()).isEqualTo(2.5);
        assertThat(r.readUnsignedVarint()).isEqualTo(300);
        assertThat(r.readVarint()).isEqualTo(-70_000);
        assertThat(r.readVarlong()).isEqualTo(-5_000_000_000L);
        assertThat(r.readUuid()).isEqualTo(new Uuid(11L, 12L));
        assertThat(r.readString(6)).isEqualTo("héllo");
        assertThat(r.readInts(3)).containsExactly(7, 8, 9);
        ByteBuffer slice = r.readSlice(3);
        assertThat(slice.remaining()).isEqualTo(3);
        assertThat(slice.get(0)).isEqualTo((byte) 1);
        assertThat(slice.get(2)).isEqualTo((byte) 3);
        assertThat(r.readBoolean()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyPrimitiveReadsTheSameFromEveryKindOfBuffer(Kind kind) {
        byte[] bytes = everyPrimitive();
        ByteBuffer buf = kind.of(bytes);
        ByteReader r = new ByteReader(buf);
        readEveryPrimitive(r);
        assertThat(r.remaining()).isZero();
        assertThat(r.position()).isEqualTo(bytes.length);
        assertThat(r.buffer().position()).isEqualTo(bytes.length);
    }

    /** Every prefix of the bytes: the read that runs out fails with a ProtocolException, never anything else. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyTruncationIsAProtocolException(Kind kind) {
        byte[] bytes = everyPrimitive();
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] prefix = java.util.Arrays.copyOf(bytes, cut);
            ByteReader r = new ByteReader(kind.of(prefix));
            assertThatThrownBy(() -> readEveryPrimitive(r)).as("cut at %d", cut)
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageMatching("Truncated message: .*|Array .*");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void truncationMessagesNameThePrimitiveAndWhatRemains(Kind kind) {
        assertTruncated(kind, 1, ByteReader::readShort, "int16 needs 2 bytes but only 1 remain");
        assertTruncated(kind, 3, ByteReader::readInt, "int32 needs 4 bytes but only 3 remain");
        assertTruncated(kind, 7, ByteReader::readLong, "int64 needs 8 bytes but only 7 remain");
        assertTruncated(kind, 7, ByteReader::readDouble, "float64 needs 8 bytes but only 7 remain");
        assertTruncated(kind, 15, ByteReader::readUuid, "uuid needs 16 bytes but only 15 remain");
        assertTruncated(kind, 0, ByteReader::readByte, "int8 needs 1 bytes but only 0 remain");
        assertTruncated(kind, 4, r -> r.readString(5), "string needs 5 bytes but only 4 remain");
        assertTruncated(kind, 4, r -> r.readSlice(5), "bytes needs 5 bytes but only 4 remain");
        assertTruncated(kind, 4, r -> r.skip(5), "tagged field needs 5 bytes but only 4 remain");
        assertTruncated(kind, 7, r -> r.readInts(2), "2 int32 values need 8 bytes but only 7 remain");
    }

    private static void assertTruncated(Kind kind, int size, Consumer<ByteReader> read, String message) {
        ByteReader r = new ByteReader(kind.of(new byte[size]));
        assertThatThrownBy(() -> read.accept(r)).isInstanceOf(ProtocolException.class)
                .hasMessage("Truncated message: " + message);
        assertThat(r.remaining()).as("nothing consumed by a failed read").isEqualTo(size);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void varintsNearTheEndAreReadByteByByte(Kind kind) {
        // 300 is two bytes: with fewer than five left the reader cannot use its unrolled read.
        ByteReader r = new ByteReader(kind.of(new byte[] {(byte) 0xac, 0x02}));
        assertThat(r.readUnsignedVarint()).isEqualTo(300);
        assertThat(r.remaining()).isZero();
        ByteReader cut = new ByteReader(kind.of(new byte[] {(byte) 0xac}));
        assertThatThrownBy(cut::readUnsignedVarint).isInstanceOf(ProtocolException.class)
                .hasMessage("Truncated message: varint needs 1 bytes but only 0 remain");
        ByteReader cutLong = new ByteReader(kind.of(new byte[] {(byte) 0x80, (byte) 0x80}));
        assertThatThrownBy(cutLong::readVarlong).isInstanceOf(ProtocolException.class)
                .hasMessage("Truncated message: varlong needs 1 bytes but only 0 remain");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aVarintOfSixBytesIsMalformedWhereverItIs(Kind kind) {
        byte[] six = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
        assertThatThrownBy(() -> new ByteReader(kind.of(six)).readUnsignedVarint())
                .isInstanceOf(ProtocolException.class).hasMessage("Malformed varint: more than 5 bytes");
        byte[] fiveThenEnd = java.util.Arrays.copyOf(six, 5);
        assertThatThrownBy(() -> new ByteReader(kind.of(fiveThenEnd)).readUnsignedVarint())
                .isInstanceOf(ProtocolException.class).hasMessage("Malformed varint: more than 5 bytes");
    }

    /** Forged lengths are refused before anything of their size is allocated. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void forgedLengthsAreRefusedBeforeAllocating(Kind kind) {
        ByteReader r = new ByteReader(kind.of(new byte[8]));
        assertThatThrownBy(() -> r.readString(Integer.MAX_VALUE)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> r.readSlice(Integer.MAX_VALUE)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> r.readInts(Integer.MAX_VALUE)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> r.readInts(-1)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> r.skip(Integer.MAX_VALUE)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> r.checkArrayLength(3, 4, "x")).isInstanceOf(ProtocolException.class)
                .hasMessage("Array x claims 3 elements but only 8 bytes remain");
        r.checkArrayLength(2, 4, "x");
        assertThat(r.remaining()).isEqualTo(8);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void slicesAndStringsOfAnOffsetBufferTakeTheRightBytes(Kind kind) {
        ByteReader r = new ByteReader(kind.of(new byte[] {'a', 'b', 'c', 'd', 'e'}));
        r.skip(1);
        assertThat(r.readString(2)).isEqualTo("bc");
        ByteBuffer slice = r.readSlice(2);
        assertThat(slice.get(0)).isEqualTo((byte) 'd');
        assertThat(slice.get(1)).isEqualTo((byte) 'e');
        assertThat(slice.remaining()).isEqualTo(2);
    }

    /** The caller may take the buffer, read or move it, and go on reading through the reader from there. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void theBufferHandedOutIsUpToDateAndMovingItMovesTheReader(Kind kind) {
        ByteReader r = new ByteReader(kind.of(new byte[] {0, 1, 0, 2, 0, 3, 0, 4}));
        assertThat(r.readShort()).isEqualTo((short) 1);
        ByteBuffer b = r.buffer();
        assertThat(b.position()).isEqualTo(2);
        assertThat(b.getShort()).isEqualTo((short) 2);
        assertThat(r.position()).isEqualTo(4);
        assertThat(r.remaining()).isEqualTo(4);
        assertThat(r.readShort()).isEqualTo((short) 3);
        b = r.buffer();
        b.limit(b.limit() - 2); // a shorter buffer: the reader must see the new limit
        assertThat(r.remaining()).isZero();
        assertThatThrownBy(r::readShort).isInstanceOf(ProtocolException.class);
    }

    /** Generated decoders leave the buffer where the message ended, as reading through the buffer did. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aDecodedMessageLeavesTheBufferAtItsEnd(Kind kind) {
        MetadataResponse m = new MetadataResponse().setClusterId("c").setTopics(List.of(
                new MetadataResponse.MetadataResponseTopic().setName("t").setPartitions(List.of(
                        new MetadataResponse.MetadataResponsePartition().setReplicaNodes(IntList.of(1, 2))
                                .setIsrNodes(IntList.of(1, 2))))));
        short version = 12;
        ByteBuffer out = ByteBuffer.allocate(m.size(version) + 2);
        m.write(new ByteWriter(out), version);
        out.putShort((short) 0x55aa);
        byte[] bytes = out.array();
        ByteBuffer buf = kind.of(bytes);
        MetadataResponse decoded = MetadataResponse.decode(new ByteReader(buf), version);
        assertThat(decoded).isEqualTo(m);
        assertThat(buf.position()).isEqualTo(bytes.length - 2);
        assertThat(buf.getShort()).isEqualTo((short) 0x55aa);

        ByteBuffer cut = kind.of(java.util.Arrays.copyOf(bytes, 20));
        assertThatThrownBy(() -> MetadataResponse.decode(new ByteReader(cut), version))
                .isInstanceOf(ProtocolException.class);
        assertThat(cut.position()).as("position written back after a failure too").isPositive();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aResetReaderReadsItsNewBufferFromItsPositionWhateverItReadBefore(Kind kind) {
        ByteReader reader = new ByteReader(Kind.DIRECT.of(new byte[] {0, 0, 0, 7, 1}));
        assertThat(reader.readInt()).isEqualTo(7);
        ByteBuffer next = kind.of(new byte[] {9, 9, 0, 0, 0, 42, 0, 5});
        next.position(2);
        assertThat(reader.reset(next)).isSameAs(reader);
        assertThat(reader.remaining()).isEqualTo(6);
        assertThat(reader.readInt()).isEqualTo(42);
        assertThat(reader.readShort()).isEqualTo((short) 5);
        assertThat(reader.buffer()).isSameAs(next);
        assertThat(next.position()).isEqualTo(8);

        reader.reset(ByteBuffer.allocate(0));
        assertThat(reader.remaining()).isZero();
        assertThatThrownBy(reader::readByte).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("needs 1 bytes but only 0 remain");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void takeHandsOutARunOfFixedSizeFieldsOrNothing(Kind kind) {
        ByteBuffer b = ByteBuffer.allocate(15).put((byte) -3).putShort((short) 300).putInt(70_000)
                .putLong(-5L).flip();
        ByteReader reader = new ByteReader(kind.of(b.array()));
        int at = reader.take(15);
        if (kind == Kind.DIRECT || kind == Kind.READ_ONLY) {
            assertThat(at).as("no array: the caller reads field by field").isEqualTo(-1);
            assertThat(reader.remaining()).isEqualTo(15);
            return;
        }
        assertThat(at).isNotNegative();
        assertThat(reader.byteAt(at)).isEqualTo((byte) -3);
        assertThat(reader.shortAt(at + 1)).isEqualTo((short) 300);
        assertThat(reader.intAt(at + 3)).isEqualTo(70_000);
        assertThat(reader.longAt(at + 7)).isEqualTo(-5L);
        assertThat(reader.remaining()).isZero();
        assertThat(reader.take(1)).as("nothing left: nothing taken").isEqualTo(-1);

        ByteReader shortOne = new ByteReader(kind.of(new byte[] {1, 2, 3}));
        assertThat(shortOne.take(4)).isEqualTo(-1);
        assertThat(shortOne.remaining()).as("a refused take moves nothing").isEqualTo(3);
        assertThat(shortOne.take(0)).isNotNegative();

        ByteReader handedOut = new ByteReader(kind.of(new byte[] {1, 0, 0, 0, 9}));
        assertThat(handedOut.readByte()).isEqualTo((byte) 1);
        assertThat(handedOut.buffer().position()).isEqualTo(1); // the window is closed now
        int p = handedOut.take(4);
        assertThat(p).as("take reopens the window").isNotNegative();
        assertThat(handedOut.intAt(p)).isEqualTo(9);
        assertThat(handedOut.buffer().position()).isEqualTo(5);
    }
}
