package io.kwire.sample.follow;

/**
 * A live view's state as the page shows it, sent as the SSE event {@code status}.
 *
 * @param state         {@code STARTING}, {@code LIVE}, {@code RECONNECTING} (a failure that waiting may mend: the
 *                      broker is down, the leader moved), or {@code FAILED} (the stream ends)
 * @param detail        what happened, in words, or null while all is well
 * @param topic         the topic followed
 * @param partition     the partition followed
 * @param nextOffset    the offset of the next record to arrive, or -1 before it is known
 * @param highWatermark the partition's high watermark from the last Fetch, or -1
 * @param leader        the leader the last Fetch went to, or -1
 */
public record FollowStatus(String state, String detail, String topic, int partition, long nextOffset,
                           long highWatermark, int leader) {
}
