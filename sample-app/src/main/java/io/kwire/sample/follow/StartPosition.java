package io.kwire.sample.follow;

import io.kwire.sample.api.PartitionLeader;
import io.kwire.sample.api.PartitionLeaders;

/**
 * Where a live view starts reading: at the end of the partition ({@code latest}: only records produced from now
 * on), at its beginning ({@code earliest}), or at an offset. Parsed from the {@code from} parameter, whose format
 * Bean Validation has checked ({@link #PATTERN}). Immutable.
 */
public record StartPosition(String text) {

    /** What {@code from} may be. */
    public static final String PATTERN = "latest|earliest|[0-9]{1,18}";

    public static StartPosition at(long offset) {
        return new StartPosition(Long.toString(offset));
    }

    /** The offset to fetch first, asking the leader with ListOffsets for {@code latest} and {@code earliest}. */
    long resolve(PartitionLeaders leaders, PartitionLeader leader) {
        return switch (text) {
            case "latest" -> leaders.offset(leader, -1L);
            case "earliest" -> leaders.offset(leader, -2L);
            default -> Long.parseLong(text);
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
