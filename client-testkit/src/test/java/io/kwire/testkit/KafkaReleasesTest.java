package io.kwire.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KafkaReleasesTest {

    @Test
    void eachReleaseComesFromTheScalaBuildMavenCentralHasForIt() {
        assertThat(KafkaReleases.artifactId("0.10.0.1")).isEqualTo("kafka_2.11");
        assertThat(KafkaReleases.artifactId("0.10.1.1")).isEqualTo("kafka_2.11");
        assertThat(KafkaReleases.artifactId("0.10.2.2")).isEqualTo("kafka_2.12");
        assertThat(KafkaReleases.artifactId("2.3.1")).isEqualTo("kafka_2.12");
        assertThat(KafkaReleases.artifactId("2.4.1")).isEqualTo("kafka_2.13");
        assertThat(KafkaReleases.artifactId("4.4.0")).isEqualTo("kafka_2.13");
    }

    @Test
    void modesAndJava17NeedsFollowTheRelease() {
        assertThat(KafkaReleases.hasZooKeeper("3.9.1")).isTrue();
        assertThat(KafkaReleases.hasZooKeeper("4.0.1")).isFalse();
        assertThat(KafkaReleases.hasKraft("3.2.3")).isFalse();
        assertThat(KafkaReleases.hasKraft("3.3.2")).isTrue();
        assertThat(KafkaReleases.extraDependencies("1.1.1")).contains("javax.xml.bind:jaxb-api:2.3.1",
                "log4j:log4j:1.2.17");
        assertThat(KafkaReleases.extraDependencies("3.0.2")).isEmpty();
        assertThat(KafkaReleases.jvmOptions("2.8.2")).contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
        assertThat(KafkaReleases.jvmOptions("3.9.1")).isEmpty();
    }

    @Test
    void aModeTheReleaseLacksIsRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> ExternalKafkaBroker.builder().version("4.4.0").zooKeeper(true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no ZooKeeper mode");
        assertThatThrownBy(() -> ExternalKafkaBroker.builder().version("2.8.2").zooKeeper(false).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no KRaft mode");
        assertThat(ExternalKafkaBroker.builder().version("2.8.2").build().isZooKeeperMode()).isTrue();
        assertThat(ExternalKafkaBroker.builder().version("3.9.1").build().isZooKeeperMode()).isFalse();
    }
}
