package io.kwire.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.BrokerVersion;
import io.kwire.testkit.ExternalKafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The long compatibility matrix, run by {@code scripts/compat.sh} (not by the normal build: the class name does not
 * end in Test): for each release and mode in {@code kwire.compat.releases} ({@code 2.8.2:zk,3.9.1:kraft,...}), a
 * broker process and a {@link ReleaseCheck}; the results, failures included, become the table of
 * {@code kwire.compat.output} (docs/compatibility.md). Fails at the end if any release failed, after writing it.
 */
class CompatibilityMatrix {

    /** One row: release, mode, what checkVersion said, produce/fetch, notes. */
    private record Row(String release, String mode, String checkVersion, String produceFetch, String notes) {
    }

    @Test
    void everyReleaseOfTheMatrix() throws IOException {
        String releases = System.getProperty("kwire.compat.releases", "");
        assertThat(releases).as("kwire.compat.releases, the releases to check (scripts/compat.sh sets it)")
                .isNotBlank();
        Path output = Path.of(System.getProperty("kwire.compat.output", "target/compatibility.md"));
        List<Row> rows = new ArrayList<>();
        int failed = 0;
        for (String entry : releases.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.strip().split(":");
            String release = parts[0];
            boolean zk = parts.length > 1 && parts[1].equals("zk");
            Row row = check(release, zk);
            failed += row.checkVersion().startsWith("FAILED") || row.produceFetch().startsWith("FAILED") ? 1 : 0;
            rows.add(row);
            System.out.println("compat: " + row);
        }
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, table(rows), StandardCharsets.UTF_8);
        assertThat(rows).as("releases checked").isNotEmpty();
        assertThat(failed).as("releases that failed (see " + output + ")").isZero();
    }

    private static Row check(String release, boolean zk) {
        String mode = zk ? "ZooKeeper" : "KRaft";
        String expected = featureRelease(release);
        String note = "";
        if (!zk && expected.equals("3.4")) {
            // 3.4 changed only ZooKeeper-mode inter-broker APIs: in KRaft mode it answers exactly as 3.3 does.
            expected = "3.3";
            note = "3.4 in KRaft mode answers ApiVersions exactly as 3.3 (it changed only ZooKeeper-mode APIs); ";
        }
        ExternalKafkaBroker broker;
        try {
            broker = ExternalKafkaBroker.builder().version(release).zooKeeper(zk)
                    .startTimeout(Duration.ofSeconds(120)).start();
        } catch (RuntimeException e) {
            return new Row(release, mode, "untested", "untested", "broker did not start on Java "
                    + Runtime.version().feature() + ": " + firstLine(e.getMessage()));
        }
        try (broker) {
            ReleaseCheck.Outcome outcome = new ReleaseCheck(broker.bootstrapServers())
                    .run(BrokerVersion.parse(expected), "compat-" + release.replace('.', '-'));
            return new Row(release, mode, outcome.inferred() + " (strict)", outcome.produceFetch(),
                    note + "topic ids: " + outcome.topicIds());
        } catch (Throwable e) {
            return new Row(release, mode, "FAILED", "FAILED", firstLine(String.valueOf(e.getMessage())));
        }
    }

    /** {@code 0.10.2.2} &rarr; {@code 0.10.2}; {@code 3.9.1} &rarr; {@code 3.9}. */
    static String featureRelease(String release) {
        String[] p = release.split("\\.");
        return p[0].equals("0") ? p[0] + "." + p[1] + "." + p[2] : p[0] + "." + p[1];
    }

    private static String firstLine(String text) {
        String line = text == null ? "" : text.strip().lines().findFirst().orElse("");
        return (line.length() > 200 ? line.substring(0, 200) + "..." : line).replace("|", "\\|");
    }

    private static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Compatibility with Kafka broker releases\n\n");
        sb.append("Written by `scripts/compat.sh` on ").append(LocalDate.now(ZoneOffset.UTC))
                .append(" (Java ").append(Runtime.version().feature()).append("): each release's broker from its Maven")
                .append(" Central artifacts as a separate process, with a ZooKeeper process of its own in ZooKeeper")
                .append(" mode, checked by `ReleaseCheck` (client-it): `checkVersion(null, 30 s, true)` must name the")
                .append(" release exactly; metadata; a record produced by topic name is fetched back; topic-id")
                .append(" requests both ways (by id where the broker has Produce/Fetch v13, refused at once naming the")
                .append(" field to set where it has not). Brokers of the 0.10 line predate message format v2 (Kafka")
                .append(" 0.11), the only record format kwire writes and reads: kwire identifies them, reads their")
                .append(" metadata and sends them any request, but cannot produce to or fetch records from them.\n\n");
        sb.append("Not in the table: releases before 0.10.0, which have no ApiVersions API (kwire cannot identify")
                .append(" them, and its codec, generated from Kafka 4.4.0's schemas, lacks the versions they speak).")
                .append(" On Java 17 the lines before 3.0 need jaxb-api, log4j 1.2 and opened JDK internals, and 2.0")
                .append(" to 2.3 a ZooKeeper 3.4.10 client (their own 3.4.13/3.4.14 cannot connect on Java 14 and")
                .append(" later, ZOOKEEPER-3779); the test kit adds them (client-testkit's README). A release whose")
                .append(" broker does not start is listed as untested, with the reason.\n\n");
        sb.append("| release | mode | checkVersion | produce/fetch | notes |\n| --- | --- | --- | --- | --- |\n");
        for (Row r : rows) {
            sb.append("| ").append(r.release()).append(" | ").append(r.mode()).append(" | ").append(r.checkVersion())
                    .append(" | ").append(r.produceFetch()).append(" | ").append(r.notes()).append(" |\n");
        }
        return sb.toString();
    }
}
