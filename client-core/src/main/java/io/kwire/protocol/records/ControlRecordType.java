package io.kwire.protocol.records;

import java.nio.ByteBuffer;

/**
 * The type of a control record (a record in a batch with {@link RecordBatch#isControlBatch()}), read from its key:
 * int16 version then int16 type. A read_committed consumer uses ABORT and COMMIT markers to drop aborted
 * transactional batches; applications never see control records.
 */
public enum ControlRecordType {
    ABORT(0),
    COMMIT(1),
    LEADER_CHANGE(2),
    SNAPSHOT_HEADER(3),
    SNAPSHOT_FOOTER(4),
    KRAFT_VERSION(5),
    KRAFT_VOTERS(6),
    /** A type this version does not know, or a key too short to hold one. */
    UNKNOWN(-1);

    private final short type;

    ControlRecordType(int type) {
        this.type = (short) type;
    }

    public short type() {
        return type;
    }

    /** The type in a control record's key (version int16, type int16); UNKNOWN if the key is null or short. */
    public static ControlRecordType parse(ByteBuffer key) {
        if (key == null || key.remaining() < 4) {
            return UNKNOWN;
        }
        short t = key.getShort(key.position() + 2);
        for (ControlRecordType c : values()) {
            if (c.type == t && c != UNKNOWN) {
                return c;
            }
        }
        return UNKNOWN;
    }

    /** The type of a control record. */
    public static ControlRecordType of(Record record) {
        return parse(record.key());
    }
}
