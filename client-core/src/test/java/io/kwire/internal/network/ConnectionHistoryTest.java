package io.kwire.internal.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.errors.DisconnectedException;
import io.kwire.internal.util.ExponentialBackoff;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionHistoryTest {

    private final ConnectionHistory states = new ConnectionHistory(
            new ExponentialBackoff(50, 1000, 0, () -> 0.5),
            new ExponentialBackoff(10_000, 30_000, 0, () -> 0.5));

    @Test
    void unknownNodeCanConnectAtOnce() {
        assertThat(states.canConnect(1, 0)).isTrue();
        assertThat(states.backoffRemaining(1, 0)).isZero();
        assertThat(states.isTracked(1)).isFalse();
    }

    @Test
    void backoffRemainingCountsDownFromAFailure() {
        states.markConnecting(1, 1000);
        assertThat(states.backoffRemaining(1, 1000)).isZero();
        states.markReady(1);
        states.markFailed(1, 2000, "refused", new DisconnectedException("refused"), true);
        assertThat(states.backoffRemaining(1, 2000)).isEqualTo(50);
        assertThat(states.backoffRemaining(1, 2030)).isEqualTo(20);
        assertThat(states.backoffRemaining(1, 2100)).isZero();
    }

    @Test
    void repeatedFailuresBackOffExponentiallyAndSuccessResets() {
        long now = 0;
        long[] expected = {50, 100, 200, 400, 800, 1000, 1000};
        for (long e : expected) {
            states.markConnecting(1, now);
            states.markFailed(1, now, "refused", new DisconnectedException("refused"), true);
            assertThat(states.isBlackedOut(1, now)).isTrue();
            assertThat(states.backoffRemaining(1, now)).isEqualTo(e);
            assertThat(states.canConnect(1, now + e - 1)).isFalse();
            assertThat(states.canConnect(1, now + e)).isTrue();
            now += e;
        }
        states.markConnecting(1, now);
        states.markReady(1);
        assertThat(states.failures(1)).isZero();
        states.markFailed(1, now, "reset", new DisconnectedException("reset"), true);
        assertThat(states.backoffRemaining(1, now)).isEqualTo(50);
    }

    @Test
    void connectionSetupTimeoutGrowsOnRepeatedFailure() {
        assertThat(states.markConnecting(1, 0)).isEqualTo(10_000);
        states.markFailed(1, 10_000, "timeout", new DisconnectedException("timeout"), true);
        assertThat(states.markConnecting(1, 20_000)).isEqualTo(20_000);
        states.markFailed(1, 40_000, "timeout", new DisconnectedException("timeout"), true);
        assertThat(states.markConnecting(1, 50_000)).isEqualTo(30_000); // capped
    }

    @Test
    void deliberateCloseNeitherCountsAFailureNorBacksOff() {
        states.markConnecting(1, 0);
        states.markReady(1);
        states.markClosed(1);
        assertThat(states.canConnect(1, 0)).isTrue();
        assertThat(states.failures(1)).isZero();
    }

    @Test
    void throttleHoldsSendsUntilItPasses() {
        states.throttle(1, 100, 500);
        assertThat(states.throttleDelay(1, 100)).isEqualTo(500);
        assertThat(states.throttleDelay(1, 599)).isEqualTo(1);
        assertThat(states.throttleDelay(1, 600)).isZero();
    }

    @Test
    void everyDnsAddressIsTriedThenTheHostIsResolvedAgain() throws Exception {
        List<InetAddress> addresses = List.of(InetAddress.getByAddress("broker", new byte[] {127, 0, 0, 1}),
                InetAddress.getByAddress("broker", new byte[] {127, 0, 0, 2}));
        assertThat(states.nextAddress(1)).as("nothing looked up yet").isNull();
        assertThat(states.startRound(1, addresses).getAddress()[3]).isEqualTo((byte) 1);
        assertThat(states.nextAddress(1).getAddress()[3]).isEqualTo((byte) 2);
        assertThat(states.nextAddress(1)).as("every address tried: look the host up again").isNull();
        assertThat(states.startRound(1, addresses).getAddress()[3]).isEqualTo((byte) 1);
        states.markReady(1);
        assertThat(states.nextAddress(1)).as("a connection that became ready ends the round").isNull();
    }

    @Test
    void theLossOfAReadyConnectionIsNoFailedAttemptAndASuccessClearsOne() {
        states.markConnecting(1, 0);
        states.markFailed(1, 10, "refused", new DisconnectedException("refused"), true);
        assertThat(states.failedAttempt(1)).isNotNull();
        states.markConnecting(1, 100);
        states.markReady(1);
        assertThat(states.failedAttempt(1)).isNull();
        states.markFailed(1, 200, "reset", new DisconnectedException("reset"), false);
        assertThat(states.failedAttempt(1)).as("the next attempt may well succeed").isNull();
        assertThat(states.lastFailure(1)).hasMessage("reset");
    }

    @Test
    void lastErrorIsKeptPerNode() {
        states.markConnecting(2, 0);
        states.markFailed(2, 5, "connection refused by localhost:9092",
                new DisconnectedException("Connection to node 2 failed: connection refused by localhost:9092"), true);
        assertThat(states.lastError(2)).isEqualTo("connection refused by localhost:9092");
        assertThat(states.lastFailure(2)).isInstanceOf(DisconnectedException.class);
        assertThat(states.failedAttempt(2)).as("a failed attempt, nothing since").isSameAs(states.lastFailure(2));
        assertThat(states.lastError(3)).isNull();
    }
}
