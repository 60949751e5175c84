package io.kwire.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KerberosRefreshPolicyTest {

    private static final long HOUR = 3_600_000;

    @Test
    void renewsAtEightyPercentOfTheLifetimePlusJitter() {
        long start = 1_000_000;
        KerberosRefreshPolicy noJitter = KerberosRefreshPolicy.defaults().withRandom(() -> 0.0);
        KerberosRefreshPolicy fullJitter = KerberosRefreshPolicy.defaults().withRandom(() -> 0.999_999);
        assertThat(noJitter.nextRefreshMs(start, start + 10 * HOUR, start)).isEqualTo(start + 8 * HOUR);
        assertThat(fullJitter.nextRefreshMs(start, start + 10 * HOUR, start))
                .isGreaterThan(start + 8 * HOUR + 29 * 60_000).isLessThanOrEqualTo(start + 8 * HOUR + HOUR / 2);
    }

    @Test
    void neverRenewsSoonerThanTheMinimumIntervalAfterTheLastLogin() {
        KerberosRefreshPolicy p = KerberosRefreshPolicy.defaults().withRandom(() -> 0.0);
        long start = 5_000;
        // a 10 s ticket would be renewed after 8 s; the minimum of 1 minute wins
        assertThat(p.nextRefreshMs(start, start + 10_000, start)).isEqualTo(start + 60_000);
        assertThat(p.withMinInterval(Duration.ofSeconds(1)).nextRefreshMs(start, start + 10_000, start))
                .isEqualTo(start + 8_000);
    }

    @Test
    void aTicketObtainedEarlierIsRenewedFromItsOwnStartTime() {
        KerberosRefreshPolicy p = KerberosRefreshPolicy.defaults().withRandom(() -> 0.0);
        // read from a ticket cache: started 9 h ago, ends in 1 h; 80% is already past, so renew one minimum later
        long now = 100 * HOUR;
        assertThat(p.nextRefreshMs(now - 9 * HOUR, now + HOUR, now)).isEqualTo(now + 60_000);
    }

    @Test
    void failedRenewalsAreRetriedWithADoublingBackoffUpToTheMaximum() {
        KerberosRefreshPolicy p = KerberosRefreshPolicy.defaults()
                .withRetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertThat(p.retryDelayMs(1)).isEqualTo(1_000);
        assertThat(p.retryDelayMs(2)).isEqualTo(2_000);
        assertThat(p.retryDelayMs(4)).isEqualTo(8_000);
        assertThat(p.retryDelayMs(5)).isEqualTo(10_000);
        assertThat(p.retryDelayMs(1_000)).isEqualTo(10_000);
    }

    @Test
    void rejectsAWindowThatReachesTheEndOfTheTicket() {
        assertThatThrownBy(() -> KerberosRefreshPolicy.defaults().withWindow(0.97, 0.05))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("windowFactor");
        assertThatThrownBy(() -> KerberosRefreshPolicy.defaults().withRetryBackoff(Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
