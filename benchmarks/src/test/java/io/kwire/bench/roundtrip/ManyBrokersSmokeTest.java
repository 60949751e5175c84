package io.kwire.bench.roundtrip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Checks that both clients of the many-brokers harness reach every fake broker; measures nothing. */
class ManyBrokersSmokeTest {

    @Test
    @Timeout(90)
    void everyClientGetsOneAnswerFromEachBroker() throws Exception {
        try (ManyFakeBrokers fake = ManyFakeBrokers.start(4)) {
            List<Integer> ports = fake.ports();
            assertEquals(4, ports.size());
            try (ManyBrokers.Client kwire = new ManyBrokers.Kwire(ports);
                 ManyBrokers.Client apache = new ManyBrokers.Apache(ports)) {
                for (ManyBrokers.Client c : List.of(kwire, apache)) {
                    assertEquals(1, c.roundTrips(0), c.name()); // connected to the first broker only
                    c.connect(4);
                    // A zero-length run sends one request to every broker and drains: exactly one answer each.
                    assertEquals(4, c.roundTrips(0), c.name());
                    c.idlePoll();
                    assertEquals(4, c.roundTrips(0), c.name());
                }
            }
        }
    }
}
