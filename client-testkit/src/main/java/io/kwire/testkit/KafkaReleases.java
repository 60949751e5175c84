package io.kwire.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * What running a broker of one Kafka release as a process needs, by release: which Maven artifact holds it, which
 * modes it has (ZooKeeper until 3.9, KRaft from 3.3), and what the oldest lines need on Java 17.
 */
final class KafkaReleases {

    private KafkaReleases() {
    }

    /**
     * The artifact of the broker: {@code kafka_2.11} before 0.10.2 (the first release with a Scala 2.12 build),
     * {@code kafka_2.12} before 2.4, {@code kafka_2.13} from 2.4 on.
     */
    static String artifactId(String version) {
        if (before(version, 0, 10, 2)) {
            return "kafka_2.11";
        }
        return before(version, 2, 4, 0) ? "kafka_2.12" : "kafka_2.13";
    }

    /**
     * Extra {@code groupId:artifactId:version} for the class path. Before 3.0 the broker (and its ZooKeeper) reach
     * for {@code javax.xml.bind}, which Java 11 removed from the JDK: jaxb-api brings it back. log4j 1.2 and its slf4j
     * binding, the logging of every line before 3.0, are not always among the broker's runtime dependencies (1.1's
     * ZooKeeper fails without log4j); named here, they are there for every line. Kafka 2.0 to 2.3 bring ZooKeeper
     * 3.4.13/3.4.14, whose client cannot connect on Java 14 and later (ZOOKEEPER-3779: it parses the host out of
     * {@code InetSocketAddress.toString()}, whose format changed); ZooKeeper 3.4.10, the one 1.1 brings, can.
     */
    static List<String> extraDependencies(String version) {
        List<String> extra = new ArrayList<>();
        if (before(version, 3, 0, 0)) {
            extra.add("javax.xml.bind:jaxb-api:2.3.1");
            extra.add("log4j:log4j:1.2.17");
            extra.add("org.slf4j:slf4j-log4j12:1.7.30");
        }
        if (!before(version, 2, 0, 0) && before(version, 2, 4, 0)) {
            extra.add("org.apache.zookeeper:zookeeper:3.4.10");
        }
        return extra;
    }

    /** Whether the release runs in KRaft mode (combined broker and controller, as the test kit starts it). */
    static boolean hasKraft(String version) {
        return !before(version, 3, 3, 0);
    }

    /** Whether the release runs with ZooKeeper (every release before 4.0). */
    static boolean hasZooKeeper(String version) {
        return before(version, 4, 0, 0);
    }

    /**
     * JVM options the release needs on Java 17: before 3.0 (the first release supporting Java 17) the broker reaches
     * into JDK internals to unmap index files, which Java 17 forbids unless opened.
     */
    static List<String> jvmOptions(String version) {
        if (!before(version, 3, 0, 0)) {
            return List.of();
        }
        return List.of("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED");
    }

    /** Whether {@code version} (e.g. {@code 0.10.2.2}, {@code 3.9.1}) is older than major.minor.patch. */
    static boolean before(String version, int major, int minor, int patch) {
        int[] want = {major, minor, patch};
        String[] parts = version.split("[.\\-]");
        for (int i = 0; i < want.length; i++) {
            int have = i < parts.length && parts[i].matches("[0-9]+") ? Integer.parseInt(parts[i]) : 0;
            if (have != want[i]) {
                return have < want[i];
            }
        }
        return false;
    }
}
