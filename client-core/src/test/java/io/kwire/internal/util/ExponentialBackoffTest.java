package io.kwire.internal.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {

    @Test
    void reconnectBackoffGrowsExponentiallyWithJitter() {
        ExponentialBackoff low = new ExponentialBackoff(50, 1000, 0.2, () -> 0.0);
        ExponentialBackoff mid = new ExponentialBackoff(50, 1000, 0.2, () -> 0.5);
        ExponentialBackoff high = new ExponentialBackoff(50, 1000, 0.2, () -> 0.999999);
        assertThat(mid.backoffMs(0)).isZero();
        assertThat(mid.backoffMs(1)).isEqualTo(50);
        assertThat(mid.backoffMs(2)).isEqualTo(100);
        assertThat(mid.backoffMs(3)).isEqualTo(200);
        assertThat(low.backoffMs(3)).isEqualTo(160); // 20% below
        assertThat(high.backoffMs(3)).isBetween(239L, 240L); // 20% above
    }

    @Test
    void backoffIsCappedAfterJitterIsApplied() {
        ExponentialBackoff high = new ExponentialBackoff(50, 1000, 0.2, () -> 0.999999);
        ExponentialBackoff low = new ExponentialBackoff(50, 1000, 0.2, () -> 0.0);
        assertThat(high.backoffMs(10)).isEqualTo(1000);
        assertThat(high.backoffMs(1000)).isEqualTo(1000);
        assertThat(low.backoffMs(6)).isEqualTo(1000); // 1600 * 0.8 = 1280, capped
    }
}
