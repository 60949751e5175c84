package io.kwire.internal.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.BrokerVersions;
import io.kwire.client.Node;
import io.kwire.errors.ProtocolException;
import io.kwire.errors.UnrecognizedBrokerVersionException;
import io.kwire.protocol.message.ApiVersionsResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hostile but well-formed ApiVersions answers: whatever the connection's check lets through, the client can act on
 * (infer a release, pick versions) without any exception but the typed ones; whatever it refuses, it refuses with a
 * {@link ProtocolException} naming the broker. Seeded, so a failure repeats.
 */
class HandshakeFuzzTest {

    private static final Node BROKER = new Node(7, "broker-7", 9092, null);

    @Test
    void apiVersionsAnswersAreEitherUsableOrAProtocolError() {
        SplittableRandom random = new SplittableRandom(20261206);
        int accepted = 0;
        int refused = 0;
        for (int round = 0; round < 20_000; round++) {
            ApiVersionsResponse response = new ApiVersionsResponse().setApiKeys(hostileRanges(random));
            Map<Short, short[]> ranges;
            try {
                ranges = BrokerConnection.ranges(response, BROKER);
            } catch (ProtocolException e) {
                assertThat(e).hasMessageContaining("ApiVersions answer from node 7 (broker-7:9092)");
                refused++;
                continue;
            }
            accepted++;
            try {
                BrokerVersions.infer(ranges, random.nextBoolean());
            } catch (UnrecognizedBrokerVersionException expected) {
                // a release kwire cannot name: typed, and the connection stays usable
            }
        }
        assertThat(accepted).as("well-formed answers get through").isGreaterThan(1_000);
        assertThat(refused).as("hostile ones are refused").isGreaterThan(1_000);
    }

    /** Up to 80 entries: keys from -3 to 90 with duplicates, versions from -2 to 40, some ranges inverted. */
    private static List<ApiVersionsResponse.ApiVersion> hostileRanges(SplittableRandom random) {
        int n = random.nextInt(80);
        boolean clean = random.nextInt(3) == 0;
        List<ApiVersionsResponse.ApiVersion> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            short key = (short) (clean ? i : random.nextInt(-3, 91));
            short min = (short) (clean ? random.nextInt(0, 5) : random.nextInt(-2, 41));
            short max = (short) (clean ? min + random.nextInt(0, 20) : random.nextInt(-2, 41));
            out.add(new ApiVersionsResponse.ApiVersion().setApiKey(key).setMinVersion(min).setMaxVersion(max));
        }
        return out;
    }
}
