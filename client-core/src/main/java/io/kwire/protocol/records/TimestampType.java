package io.kwire.protocol.records;

/** Where a batch's timestamps come from: bit 3 of the batch attributes. */
public enum TimestampType {
    /** Timestamps set by the producer (attribute bit 3 clear). */
    CREATE_TIME,
    /** The broker's append time, stored as the batch's max timestamp (attribute bit 3 set). */
    LOG_APPEND_TIME
}
