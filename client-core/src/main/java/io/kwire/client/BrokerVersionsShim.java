package io.kwire.client;

import java.util.Map;

/** MERGE SHIM: replaced by BrokerVersions from the versions branch. */
final class BrokerVersionsShim {
    static Map<Short, short[]> apiVersionsFor(BrokerVersion v) {
        throw new UnsupportedOperationException("pending merge");
    }

    static BrokerVersion infer(Map<Short, short[]> ranges, boolean strict) {
        throw new UnsupportedOperationException("pending merge");
    }
}
