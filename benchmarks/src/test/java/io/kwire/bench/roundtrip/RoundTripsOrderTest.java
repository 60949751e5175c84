package io.kwire.bench.roundtrip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The order in which a round runs its clients: no client runs before another more often than after it. */
class RoundTripsOrderTest {

    private static List<Integer> order(int round, int clients) {
        return IntStream.range(0, clients).map(i -> RoundTrips.clientAt(i, round, clients)).boxed().toList();
    }

    @Test
    void threeClientsRunInEveryOrderOnceInSixRounds() {
        for (int first = 0; first < 12; first++) {
            Set<List<Integer>> orders = new HashSet<>();
            for (int round = first; round < first + 6; round++) {
                orders.add(order(round, 3));
            }
            assertEquals(6, orders.size(), "orders in rounds " + first + " to " + (first + 5));
        }
    }

    @Test
    void everyPairRunsInBothOrdersEquallyOftenInTwiceAsManyRoundsAsClients() {
        for (int clients = 1; clients <= 6; clients++) {
            int[][] before = new int[clients][clients];
            for (int round = 1; round <= 2 * clients; round++) {
                List<Integer> order = order(round, clients);
                assertEquals(clients, new HashSet<>(order).size(), "each client once in " + order);
                for (int i = 0; i < clients; i++) {
                    for (int j = i + 1; j < clients; j++) {
                        before[order.get(i)][order.get(j)]++;
                    }
                }
            }
            for (int a = 0; a < clients; a++) {
                for (int b = a + 1; b < clients; b++) {
                    assertEquals(before[b][a], before[a][b], clients + " clients: " + a + " before " + b);
                }
            }
        }
    }
}
