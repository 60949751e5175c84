package io.kwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BrokerVersionTest {

    @Test
    void parsesTwoAndThreePartNames() {
        assertThat(BrokerVersion.parse("3.9")).isEqualTo(new BrokerVersion(3, 9, 0));
        assertThat(BrokerVersion.parse("0.10.2")).isEqualTo(new BrokerVersion(0, 10, 2));
        assertThat(BrokerVersion.parse("4.1.0")).isEqualTo(new BrokerVersion(4, 1, 0));
        assertThat(BrokerVersion.parse("3.9.1")).isEqualTo(new BrokerVersion(3, 9, 1));
        assertThat(BrokerVersion.parse(" 2.8 ")).isEqualTo(BrokerVersion.V2_8);
        assertThat(BrokerVersion.parse("0.11")).isEqualTo(BrokerVersion.V0_11_0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "3", "3.", ".9", "3..9", "3.9.1.0", "0.10.2.1", "v3.9", "3.9-SNAPSHOT", "-1.0",
        "3.x", "3.9.", "1234567890.1"})
    void refusesWhatIsNotAVersion(String text) {
        assertThatThrownBy(() -> BrokerVersion.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.strip().isEmpty() ? "" : text);
    }

    @Test
    void refusesNullAndNegativeParts() {
        assertThatThrownBy(() -> BrokerVersion.parse(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new BrokerVersion(3, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesReleasesAsKafkaDoes() {
        assertThat(BrokerVersion.V3_9).hasToString("3.9");
        assertThat(new BrokerVersion(3, 9, 1)).hasToString("3.9.1");
        assertThat(BrokerVersion.V1_0).hasToString("1.0");
        assertThat(BrokerVersion.V0_10_2).hasToString("0.10.2");
        assertThat(BrokerVersion.V0_10_0).hasToString("0.10.0");
        assertThat(BrokerVersion.V0_11_0).hasToString("0.11.0");
        assertThat(BrokerVersion.V4_1).hasToString("4.1");
    }

    @Test
    void toStringParsesBack() {
        for (BrokerVersion v : BrokerVersions.knownReleases()) {
            assertThat(BrokerVersion.parse(v.toString())).isEqualTo(v);
        }
        assertThat(BrokerVersion.parse(new BrokerVersion(3, 9, 1).toString())).isEqualTo(new BrokerVersion(3, 9, 1));
    }

    @Test
    void ordersByMajorMinorPatch() {
        List<BrokerVersion> shuffled = new ArrayList<>(List.of(BrokerVersion.V4_1, BrokerVersion.V0_10_2,
                new BrokerVersion(3, 9, 1), BrokerVersion.V3_9, BrokerVersion.V1_0, BrokerVersion.V0_11_0,
                BrokerVersion.V0_10_0, new BrokerVersion(3, 10, 0)));
        shuffled.sort(null);
        assertThat(shuffled).containsExactly(BrokerVersion.V0_10_0, BrokerVersion.V0_10_2, BrokerVersion.V0_11_0,
                BrokerVersion.V1_0, BrokerVersion.V3_9, new BrokerVersion(3, 9, 1), new BrokerVersion(3, 10, 0),
                BrokerVersion.V4_1);
        assertThat(BrokerVersion.V3_9.compareTo(new BrokerVersion(3, 9, 0))).isZero();
    }
}
