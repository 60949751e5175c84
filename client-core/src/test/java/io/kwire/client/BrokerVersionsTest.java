package io.kwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.errors.UnrecognizedBrokerVersionException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BrokerVersionsTest {

    // ---- the 4.4 table against Apache Kafka 4.4.0 itself ------------------------------------------------------

    /** What a default 4.4.0 broker answers: the call its DefaultApiVersionManager makes (no telemetry reporter). */
    @Test
    void table44IsWhatAKafka440BrokerAdvertises() {
        Map<Short, String> kafka = new TreeMap<>();
        ApiVersionsResponse.brokerApiVersions(ApiMessageType.ListenerType.BROKER, false, false)
                .forEach(v -> kafka.put(v.apiKey(), v.minVersion() + "-" + v.maxVersion()));
        assertThat(render(BrokerVersions.apiVersionsFor(BrokerVersion.V4_4))).isEqualTo(kafka);
    }

    /**
     * The same table from {@code ApiKeys}: every key for the BROKER listener with a stable version, from
     * {@code oldestVersion()} to {@code latestVersion(false)}; the only differences are Kafka's own: Produce is
     * advertised from v0 (KAFKA-18659), the telemetry keys only with a telemetry reporter.
     */
    @Test
    void table44FollowsApiKeys() {
        Map<Short, String> fromApiKeys = new TreeMap<>();
        for (ApiKeys key : ApiKeys.values()) {
            if (key.messageType.listeners().contains(ApiMessageType.ListenerType.BROKER)
                    && key.latestVersion(false) >= 0) {
                fromApiKeys.put(key.id, key.oldestVersion() + "-" + key.latestVersion(false));
            }
        }
        Map<Short, String> ours = render(BrokerVersions.apiVersionsFor(BrokerVersion.V4_4));

        Map<Short, String> expected = new TreeMap<>(fromApiKeys);
        expected.remove(ApiKeys.GET_TELEMETRY_SUBSCRIPTIONS.id);
        expected.remove(ApiKeys.PUSH_TELEMETRY.id);
        expected.put(ApiKeys.PRODUCE.id,
                ApiKeys.PRODUCE_API_VERSIONS_RESPONSE_MIN_VERSION + "-" + ApiKeys.PRODUCE.latestVersion(false));
        assertThat(ours).isEqualTo(expected);
        assertThat(fromApiKeys.get(ApiKeys.PRODUCE.id)).isEqualTo("3-13");
        assertThat(ours.get(ApiKeys.PRODUCE.id)).isEqualTo("0-13");
        // Unstable-only in 4.1 (KIP-1071), stable from 4.2.
        assertThat(render(BrokerVersions.apiVersionsFor(BrokerVersion.V4_1)))
                .doesNotContainKeys(ApiKeys.STREAMS_GROUP_HEARTBEAT.id, ApiKeys.STREAMS_GROUP_DESCRIBE.id);
        assertThat(ours.get(ApiKeys.STREAMS_GROUP_HEARTBEAT.id)).isEqualTo("0-1");
        // KIP-1242: ApiVersions v5 carries the cluster id and node id the client means.
        assertThat(ours.get(ApiKeys.API_VERSIONS.id)).isEqualTo("0-5");
    }

    @Test
    void apiNamesAreKafkas() {
        for (ApiKeys key : ApiKeys.values()) {
            assertThat(BrokerVersions.name(key.id)).isEqualTo(key.name + "(" + key.id + ")");
        }
        assertThat(BrokerVersions.name((short) 500)).isEqualTo("api key 500");
    }

    // ---- the tables -------------------------------------------------------------------------------------------

    @Test
    void knowsEveryFeatureReleaseFrom0100To44() {
        assertThat(BrokerVersions.knownReleases()).extracting(BrokerVersion::toString).containsExactly(
                "0.10.0", "0.10.1", "0.10.2", "0.11.0", "1.0", "1.1", "2.0", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6",
                "2.7", "2.8", "3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9", "4.0", "4.1", "4.2",
                "4.3", "4.4");
        assertThat(BrokerVersions.newestKnown()).isEqualTo(BrokerVersion.V4_4);
    }

    @Test
    void maxVersionsNeverGoDownFromReleaseToRelease() {
        Map<Short, short[]> previous = null;
        for (BrokerVersion release : BrokerVersions.knownReleases()) {
            Map<Short, short[]> table = BrokerVersions.apiVersionsFor(release);
            table.forEach((key, range) ->
                    assertThat(range[0]).as("%s key %s", release, key).isBetween((short) 0, range[1]));
            if (previous != null) {
                for (Map.Entry<Short, short[]> e : table.entrySet()) {
                    short[] before = previous.get(e.getKey());
                    if (before != null) {
                        assertThat(e.getValue()[1]).as("%s key %s", release, e.getKey())
                                .isGreaterThanOrEqualTo(before[1]);
                    }
                }
            }
            previous = table;
        }
    }

    /**
     * Independent spot facts: kafka-python's check_version markers (released and commented-out ones) and Kafka's
     * release notes. Each is the max version the release introduced: present in that release, absent before.
     */
    static Stream<Arguments> releaseFacts() {
        return Stream.of(
                Arguments.of("0.10.1", 3, 2), Arguments.of("0.10.2", 9, 2), Arguments.of("0.11.0", 3, 4),
                Arguments.of("0.11.0", 0, 3), Arguments.of("1.0", 3, 5), Arguments.of("1.1", 1, 7),
                Arguments.of("2.0", 1, 8), Arguments.of("2.1", 1, 10), Arguments.of("2.2", 2, 5),
                Arguments.of("2.3", 1, 11), Arguments.of("2.4", 0, 8), Arguments.of("2.5", 29, 2),
                Arguments.of("2.5", 11, 7), Arguments.of("2.6", 48, 0), Arguments.of("2.6", 16, 4),
                Arguments.of("2.7", 1, 12), Arguments.of("2.8", 0, 9), Arguments.of("3.0", 2, 7),
                Arguments.of("3.1", 1, 13), Arguments.of("3.2", 11, 9), Arguments.of("3.3", 29, 3),
                Arguments.of("3.5", 1, 15), Arguments.of("3.6", 24, 4), Arguments.of("3.7", 1, 16),
                Arguments.of("3.8", 0, 11), Arguments.of("3.9", 1, 17), Arguments.of("4.0", 0, 12),
                Arguments.of("4.1", 0, 13), Arguments.of("4.1", 1, 18), Arguments.of("4.2", 2, 11),
                Arguments.of("4.2", 8, 10), Arguments.of("4.2", 88, 0), Arguments.of("4.3", 35, 5),
                Arguments.of("4.4", 18, 5), Arguments.of("4.4", 28, 6), Arguments.of("4.4", 93, 0));
    }

    @ParameterizedTest(name = "{0} introduced key {1} v{2}")
    @MethodSource("releaseFacts")
    void releasesIntroduceWhatKafkaSays(String release, int key, int max) {
        BrokerVersion version = BrokerVersion.parse(release);
        assertThat(BrokerVersions.apiVersionsFor(version).get((short) key)[1]).isEqualTo((short) max);
        List<BrokerVersion> releases = BrokerVersions.knownReleases();
        BrokerVersion before = releases.get(releases.indexOf(version) - 1);
        short[] earlier = BrokerVersions.apiVersionsFor(before).get((short) key);
        assertThat(earlier == null || earlier[1] < max).as("%s already had it", before).isTrue();
    }

    /**
     * Independent of kafka-python (where the 0.10.0-3.9 tables come from): what Apache kafka-clients 2.8.2, 3.3.2,
     * 3.4.0, 3.6.2, 3.7.2, 3.8.1 and 3.9.1 list for a ZooKeeper-mode broker
     * ({@code ApiKeys.apisForListener(ZK_BROKER)}, oldest to latest stable version) and 4.0.0 for a broker
     * ({@code brokerApiVersions(BROKER, false, false)}), dumped from those jars (they are not dependencies of this
     * build).
     */
    static Stream<Arguments> kafkaClientsListings() {
        return Stream.of(
                Arguments.of("3.3", "3.3.2 ZK_BROKER", "0:0-9 1:0-13 2:0-7 3:0-12 4:0-6 5:0-3 6:0-7 7:0-3 8:0-8 9:0-8"
                        + " 10:0-4 11:0-9 12:0-4 13:0-5 14:0-5 15:0-5 16:0-4 17:0-1 18:0-3 19:0-7 20:0-6 21:0-2"
                        + " 22:0-4 23:0-4 24:0-3 25:0-3 26:0-3 27:0-1 28:0-3 29:0-3 30:0-3 31:0-3 32:0-4 33:0-2"
                        + " 34:0-2 35:0-4 36:0-2 37:0-3 38:0-3 39:0-2 40:0-2 41:0-3 42:0-2 43:0-2 44:0-1 45:0-0"
                        + " 46:0-0 47:0-0 48:0-1 49:0-1 50:0-0 51:0-0 56:0-2 57:0-1 60:0-0 61:0-0 65:0-0 66:0-0"
                        + " 67:0-0"),
                Arguments.of("2.8", "2.8.2 ZK_BROKER", "0:0-9 1:0-12 2:0-6 3:0-11 4:0-5 5:0-3 6:0-7 7:0-3 8:0-8 9:0-7"
                        + " 10:0-3 11:0-7 12:0-4 13:0-4 14:0-5 15:0-5 16:0-4 17:0-1 18:0-3 19:0-7 20:0-6 21:0-2"
                        + " 22:0-4 23:0-4 24:0-3 25:0-3 26:0-3 27:0-1 28:0-3 29:0-2 30:0-2 31:0-2 32:0-4 33:0-2"
                        + " 34:0-2 35:0-2 36:0-2 37:0-3 38:0-2 39:0-2 40:0-2 41:0-2 42:0-2 43:0-2 44:0-1 45:0-0"
                        + " 46:0-0 47:0-0 48:0-1 49:0-1 50:0-0 51:0-0 56:0-0 57:0-0 60:0-0 61:0-0"),
                Arguments.of("3.6", "3.6.2 ZK_BROKER", "0:0-9 1:0-15 2:0-8 3:0-12 4:0-7 5:0-4 6:0-8 7:0-3 8:0-8 9:0-8"
                        + " 10:0-4 11:0-9 12:0-4 13:0-5 14:0-5 15:0-5 16:0-4 17:0-1 18:0-3 19:0-7 20:0-6 21:0-2"
                        + " 22:0-4 23:0-4 24:0-4 25:0-3 26:0-3 27:0-1 28:0-3 29:0-3 30:0-3 31:0-3 32:0-4 33:0-2"
                        + " 34:0-2 35:0-4 36:0-2 37:0-3 38:0-3 39:0-2 40:0-2 41:0-3 42:0-2 43:0-2 44:0-1 45:0-0"
                        + " 46:0-0 47:0-0 48:0-1 49:0-1 50:0-0 51:0-0 56:0-3 57:0-1 58:0-0 60:0-0 61:0-0 65:0-0"
                        + " 66:0-0 67:0-0"),
                Arguments.of("3.8", "3.8.1 ZK_BROKER", "0:0-11 1:0-16 2:0-8 3:0-12 4:0-7 5:0-4 6:0-8 7:0-3 8:0-9"
                        + " 9:0-9 10:0-5 11:0-9 12:0-4 13:0-5 14:0-5 15:0-5 16:0-5 17:0-1 18:0-3 19:0-7 20:0-6 21:0-2"
                        + " 22:0-5 23:0-4 24:0-5 25:0-4 26:0-4 27:0-1 28:0-4 29:0-3 30:0-3 31:0-3 32:0-4 33:0-2"
                        + " 34:0-2 35:0-4 36:0-2 37:0-3 38:0-3 39:0-2 40:0-2 41:0-3 42:0-2 43:0-2 44:0-1 45:0-0"
                        + " 46:0-0 47:0-0 48:0-1 49:0-1 50:0-0 51:0-0 56:0-3 57:0-1 58:0-0 60:0-1 61:0-0 65:0-0"
                        + " 66:0-1 67:0-0 68:0-0 69:0-0"),
                Arguments.of("3.4", "3.4.0 ZK_BROKER", "0:0-9 1:0-13 2:0-7 3:0-12 4:0-7 5:0-4 6:0-8 7:0-3 8:0-8 9:0-8"
                        + " 10:0-4 11:0-9 12:0-4 13:0-5 14:0-5 15:0-5 16:0-4 17:0-1 18:0-3 19:0-7 20:0-6 21:0-2"
                        + " 22:0-4 23:0-4 24:0-3 25:0-3 26:0-3 27:0-1 28:0-3 29:0-3 30:0-3 31:0-3 32:0-4 33:0-2"
                        + " 34:0-2 35:0-4 36:0-2 37:0-3 38:0-3 39:0-2 40:0-2 41:0-3 42:0-2 43:0-2 44:0-1 45:0-0"
                        + " 46:0-0 47:0-0 48:0-1 49:0-1 50:0-0 51:0-0 56:0-2 57:0-1 58:0-0 60:0-0 61:0-0 65:0-0"
                        + " 66:0-0 67:0-0"),
                Arguments.of("3.7", "3.7.2 ZK_BROKER", "0:0-10 1:0-16 2:0-8 3:0-12 4:0-7 5:0-4 6:0-8 7:0-3 8:0-9"
                        + " 9:0-9 10:0-4 11:0-9 12:0-4 13:0-5 14:0-5 15:0-5 16:0-4 17:0-1 18:0-3 19:0-7 20:0-6 21:0-2"
                        + " 22:0-4 23:0-4 24:0-4 25:0-3 26:0-3 27:0-1 28:0-3 29:0-3 30:0-3 31:0-3 32:0-4 33:0-2"
                        + " 34:0-2 35:0-4 36:0-2 37:0-3 38:0-3 39:0-2 40:0-2 41:0-3 42:0-2 43:0-2 44:0-1 45:0-0"
                        + " 46:0-0 47:0-0 48:0-1 49:0-1 50:0-0 51:0-0 56:0-3 57:0-1 58:0-0 60:0-1 61:0-0 65:0-0"
                        + " 66:0-0 67:0-0 68:0-0"),
                Arguments.of("3.9", "3.9.1 ZK_BROKER", "0:0-11 1:0-17 2:0-9 3:0-12 4:0-7 5:0-4 6:0-8 7:0-3 8:0-9"
                        + " 9:0-9 10:0-6 11:0-9 12:0-4 13:0-5 14:0-5 15:0-5 16:0-5 17:0-1 18:0-4 19:0-7 20:0-6 21:0-2"
                        + " 22:0-5 23:0-4 24:0-5 25:0-4 26:0-4 27:0-1 28:0-4 29:0-3 30:0-3 31:0-3 32:0-4 33:0-2"
                        + " 34:0-2 35:0-4 36:0-2 37:0-3 38:0-3 39:0-2 40:0-2 41:0-3 42:0-2 43:0-2 44:0-1 45:0-0"
                        + " 46:0-0 47:0-0 48:0-1 49:0-1 50:0-0 51:0-0 56:0-3 57:0-1 58:0-0 60:0-1 61:0-0 65:0-0"
                        + " 66:0-1 67:0-0 68:0-0 69:0-0"),
                Arguments.of("4.0", "4.0.0 BROKER", "0:0-12 1:4-17 2:1-10 3:0-13 8:2-9 9:1-9 10:0-6 11:2-9 12:0-4"
                        + " 13:0-5 14:0-5 15:0-6 16:0-5 17:0-1 18:0-4 19:2-7 20:1-6 21:0-2 22:0-5 23:2-4 24:0-5"
                        + " 25:0-4 26:0-5 27:1-1 28:0-5 29:1-3 30:1-3 31:1-3 32:1-4 33:0-2 34:1-2 35:1-4 36:0-2"
                        + " 37:0-3 38:1-3 39:1-2 40:1-2 41:1-3 42:0-2 43:0-2 44:0-1 45:0-0 46:0-0 47:0-0 48:0-1"
                        + " 49:0-1 50:0-0 51:0-0 55:0-2 57:0-2 60:0-2 61:0-0 64:0-0 65:0-0 66:0-1 68:0-1 69:0-1"
                        + " 74:0-0 75:0-0 80:0-0 81:0-0"),
                Arguments.of("4.1", "4.1.2 BROKER", "0:0-13 1:4-18 2:1-10 3:0-13 8:2-9 9:1-9 10:0-6 11:0-9 12:0-4"
                        + " 13:0-5 14:0-5"
                        + " 15:0-6 16:0-5 17:0-1 18:0-4 19:2-7 20:1-6 21:0-2 22:0-5 23:2-4 24:0-5 25:0-4"
                        + " 26:0-5 27:1-1 28:0-5 29:1-3 30:1-3 31:1-3 32:1-4 33:0-2 34:1-2 35:1-4 36:0-2"
                        + " 37:0-3 38:1-3 39:1-2 40:1-2 41:1-3 42:0-2 43:0-2 44:0-1 45:0-1 46:0-0 47:0-0"
                        + " 48:0-1 49:0-1 50:0-0 51:0-0 55:0-2 57:0-2 60:0-2 61:0-0 64:0-0 65:0-0 66:0-2"
                        + " 68:0-1 69:0-1 74:0-1 75:0-0 76:1-1 77:1-1 78:1-1 79:1-1 80:0-0 81:0-0 83:0-0"
                        + " 84:0-0 85:0-0 86:0-0 87:0-0 90:0-0 91:0-0 92:0-0"),
                Arguments.of("4.2", "4.2.2 BROKER", "0:0-13 1:4-18 2:1-11 3:0-13 8:2-10 9:1-10 10:0-6 11:0-9"
                        + " 12:0-4 13:0-5 14:0-5"
                        + " 15:0-6 16:0-5 17:0-1 18:0-4 19:2-7 20:1-6 21:0-2 22:0-5 23:2-4 24:0-5 25:0-4"
                        + " 26:0-5 27:1-2 28:0-5 29:1-3 30:1-3 31:1-3 32:1-4 33:0-2 34:1-2 35:1-4 36:0-2"
                        + " 37:0-3 38:1-3 39:1-2 40:1-2 41:1-3 42:0-2 43:0-2 44:0-1 45:0-1 46:0-0 47:0-0"
                        + " 48:0-1 49:0-1 50:0-0 51:0-0 55:0-2 57:0-2 60:0-2 61:0-0 64:0-0 65:0-0 66:0-2"
                        + " 68:0-1 69:0-1 74:0-1 75:0-0 76:1-1 77:1-1 78:1-2 79:1-2 80:0-1 81:0-0 83:0-0"
                        + " 84:0-0 85:0-1 86:0-0 87:0-1 88:0-0 89:0-0 90:0-1 91:0-0 92:0-0"),
                Arguments.of("4.3", "4.3.2 BROKER", "0:0-13 1:4-18 2:1-11 3:0-13 8:2-10 9:1-10 10:0-6 11:0-9"
                        + " 12:0-4 13:0-5 14:0-5"
                        + " 15:0-6 16:0-5 17:0-1 18:0-4 19:2-7 20:1-6 21:0-2 22:0-5 23:2-4 24:0-5 25:0-4"
                        + " 26:0-5 27:1-2 28:0-5 29:1-3 30:1-3 31:1-3 32:1-4 33:0-2 34:1-2 35:1-5 36:0-2"
                        + " 37:0-3 38:1-3 39:1-2 40:1-2 41:1-3 42:0-2 43:0-2 44:0-1 45:0-1 46:0-0 47:0-0"
                        + " 48:0-1 49:0-1 50:0-0 51:0-0 55:0-2 57:0-2 60:0-2 61:0-0 64:0-0 65:0-0 66:0-2"
                        + " 68:0-1 69:0-1 74:0-1 75:0-0 76:1-1 77:1-1 78:1-2 79:1-2 80:0-1 81:0-0 83:0-0"
                        + " 84:0-0 85:0-1 86:0-0 87:0-1 88:0-0 89:0-0 90:0-1 91:0-0 92:0-0"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("kafkaClientsListings")
    void tablesMatchOlderKafkaClients(String release, String source, String listing) {
        assertThat(render(BrokerVersions.apiVersionsFor(BrokerVersion.parse(release))))
                .isEqualTo(render(parse(listing)));
    }

    @Test
    void kafka40DroppedOldVersionsAndZooKeeperApis() {
        Map<Short, short[]> t40 = BrokerVersions.apiVersionsFor(BrokerVersion.V4_0);
        assertThat(t40.get((short) 1)).containsExactly(4, 17);   // Fetch v0-3 removed (KIP-896)
        assertThat(t40.get((short) 0)).containsExactly(0, 12);   // Produce still advertised from v0
        assertThat(t40).doesNotContainKeys((short) 4, (short) 5, (short) 6, (short) 7, (short) 58);
        assertThat(BrokerVersions.apiVersionsFor(BrokerVersion.V3_9)).containsKeys((short) 4, (short) 5);
    }

    // ---- fixed apiVersion ------------------------------------------------------------------------------------

    @Test
    void releasesBetweenEntriesUseTheOlderEntry() {
        assertThat(render(BrokerVersions.apiVersionsFor(new BrokerVersion(3, 9, 1))))
                .isEqualTo(render(BrokerVersions.apiVersionsFor(BrokerVersion.V3_9)));
        assertThat(render(BrokerVersions.apiVersionsFor(new BrokerVersion(4, 2, 2))))
                .isEqualTo(render(BrokerVersions.apiVersionsFor(BrokerVersion.V4_2)));
        assertThat(render(BrokerVersions.apiVersionsFor(new BrokerVersion(4, 5, 0))))
                .isEqualTo(render(BrokerVersions.apiVersionsFor(BrokerVersion.V4_4)));
        assertThat(BrokerVersions.tableReleaseFor(new BrokerVersion(3, 7, 2))).contains(BrokerVersion.V3_7);
        assertThat(BrokerVersions.tableReleaseFor(new BrokerVersion(0, 10, 2))).contains(BrokerVersion.V0_10_2);
        assertThat(BrokerVersions.tableReleaseFor(new BrokerVersion(0, 11, 1))).contains(BrokerVersion.V0_11_0);
        assertThat(BrokerVersions.tableReleaseFor(new BrokerVersion(0, 9, 0))).isEmpty();
    }

    @Test
    void pre010ReleasesHaveNoTable() {
        assertThatThrownBy(() -> BrokerVersions.apiVersionsFor(BrokerVersion.parse("0.9.0")))
                .isInstanceOf(UnrecognizedBrokerVersionException.class)
                .hasMessageContaining("0.9.0").hasMessageContaining("no ApiVersions");
    }

    @Test
    void returnedTablesCannotChangeTheOriginal() {
        Map<Short, short[]> table = BrokerVersions.apiVersionsFor(BrokerVersion.V3_9);
        assertThatThrownBy(() -> table.put((short) 99, new short[] {0, 0}))
                .isInstanceOf(UnsupportedOperationException.class);
        table.get((short) 1)[1] = 99;
        assertThat(BrokerVersions.apiVersionsFor(BrokerVersion.V3_9).get((short) 1)).containsExactly(0, 17);
    }

    // ---- inference -------------------------------------------------------------------------------------------

    static List<BrokerVersion> releases() {
        return BrokerVersions.knownReleases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void recognizesEachReleaseFromItsOwnTable(BrokerVersion release) {
        Map<Short, short[]> answer = BrokerVersions.apiVersionsFor(release);
        assertThat(BrokerVersions.infer(answer)).contains(release);
        assertThat(BrokerVersions.infer(answer, false)).isEqualTo(release);
        assertThat(BrokerVersions.infer(answer, true)).isEqualTo(release);
        assertThat(BrokerVersions.newerThanKnown(answer)).isFalse();
    }

    /**
     * KRaft-mode brokers' answers: {@code ApiKeys.apisForListener(BROKER)}, oldest to latest stable version, of
     * kafka-clients 2.8.2, 3.3.2, 3.4.0, 3.6.2, 3.7.2, 3.8.1 and 3.9.1 (telemetry keys included where the release
     * has them: the test also drops them).
     */
    static Stream<Arguments> kraftAnswers() {
        return Stream.of(
                Arguments.of("3.3", "3.3.2 BROKER", "0:0-9 1:0-13 2:0-7 3:0-12 8:0-8 9:0-8 10:0-4 11:0-9 12:0-4"
                        + " 13:0-5 14:0-5 15:0-5 16:0-4 17:0-1 18:0-3 19:0-7 20:0-6 21:0-2 22:0-4 23:0-4 24:0-3"
                        + " 25:0-3 26:0-3 27:0-1 28:0-3 29:0-3 30:0-3 31:0-3 32:0-4 33:0-2 34:0-2 35:0-4 36:0-2"
                        + " 37:0-3 42:0-2 43:0-2 44:0-1 45:0-0 46:0-0 47:0-0 48:0-1 49:0-1 55:0-1 57:0-1 60:0-0"
                        + " 61:0-0 64:0-0 65:0-0 66:0-0"),
                Arguments.of("3.7", "3.7.2 BROKER", "0:0-10 1:0-16 2:0-8 3:0-12 8:0-9 9:0-9 10:0-4 11:0-9 12:0-4"
                        + " 13:0-5 14:0-5 15:0-5 16:0-4 17:0-1 18:0-3 19:0-7 20:0-6 21:0-2 22:0-4 23:0-4 24:0-4"
                        + " 25:0-3 26:0-3 27:0-1 28:0-3 29:0-3 30:0-3 31:0-3 32:0-4 33:0-2 34:0-2 35:0-4 36:0-2"
                        + " 37:0-3 38:0-3 39:0-2 40:0-2 41:0-3 42:0-2 43:0-2 44:0-1 45:0-0 46:0-0 47:0-0 48:0-1"
                        + " 49:0-1 50:0-0 51:0-0 55:0-1 57:0-1 60:0-1 61:0-0 64:0-0 65:0-0 66:0-0 68:0-0 71:0-0"
                        + " 72:0-0 74:0-0"),
                Arguments.of("3.9", "3.9.1 BROKER", "0:0-11 1:0-17 2:0-9 3:0-12 8:0-9 9:0-9 10:0-6 11:0-9 12:0-4"
                        + " 13:0-5 14:0-5 15:0-5 16:0-5 17:0-1 18:0-4 19:0-7 20:0-6 21:0-2 22:0-5 23:0-4 24:0-5"
                        + " 25:0-4 26:0-4 27:0-1 28:0-4 29:0-3 30:0-3 31:0-3 32:0-4 33:0-2 34:0-2 35:0-4 36:0-2"
                        + " 37:0-3 38:0-3 39:0-2 40:0-2 41:0-3 42:0-2 43:0-2 44:0-1 45:0-0 46:0-0 47:0-0 48:0-1"
                        + " 49:0-1 50:0-0 51:0-0 55:0-2 57:0-1 60:0-1 61:0-0 64:0-0 65:0-0 66:0-1 68:0-0 69:0-0"
                        + " 71:0-0 72:0-0 74:0-0 75:0-0 80:0-0 81:0-0"),
                Arguments.of("3.3", "3.4.0 BROKER (KRaft 3.4 answers as 3.3)", "0:0-9 1:0-13 2:0-7 3:0-12 8:0-8 9:0-8"
                        + " 10:0-4 11:0-9 12:0-4 13:0-5 14:0-5 15:0-5 16:0-4 17:0-1 18:0-3 19:0-7 20:0-6 21:0-2"
                        + " 22:0-4 23:0-4 24:0-3 25:0-3 26:0-3 27:0-1 28:0-3 29:0-3 30:0-3 31:0-3 32:0-4 33:0-2"
                        + " 34:0-2 35:0-4 36:0-2 37:0-3 42:0-2 43:0-2 44:0-1 45:0-0 46:0-0 47:0-0 48:0-1 49:0-1"
                        + " 55:0-1 57:0-1 60:0-0 61:0-0 64:0-0 65:0-0 66:0-0"),
                Arguments.of("2.8", "2.8.2 BROKER", "0:0-9 1:0-12 2:0-6 3:0-11 8:0-8 9:0-7 10:0-3 11:0-7 12:0-4"
                        + " 13:0-4 14:0-5 15:0-5 16:0-4 17:0-1 18:0-3 19:0-7 20:0-6 21:0-2 23:0-4 27:0-1 32:0-4"
                        + " 34:0-2 35:0-2 36:0-2 42:0-2 44:0-1 47:0-0 49:0-1 55:0-0 60:0-0 61:0-0 64:0-0"),
                Arguments.of("3.6", "3.6.2 BROKER", "0:0-9 1:0-15 2:0-8 3:0-12 8:0-8 9:0-8 10:0-4 11:0-9 12:0-4"
                        + " 13:0-5 14:0-5 15:0-5 16:0-4 17:0-1 18:0-3 19:0-7 20:0-6 21:0-2 22:0-4 23:0-4 24:0-4"
                        + " 25:0-3 26:0-3 27:0-1 28:0-3 29:0-3 30:0-3 31:0-3 32:0-4 33:0-2 34:0-2 35:0-4 36:0-2"
                        + " 37:0-3 38:0-3 39:0-2 40:0-2 41:0-3 42:0-2 43:0-2 44:0-1 45:0-0 46:0-0 47:0-0 48:0-1"
                        + " 49:0-1 50:0-0 51:0-0 55:0-1 57:0-1 60:0-0 61:0-0 64:0-0 65:0-0 66:0-0"),
                Arguments.of("3.8", "3.8.1 BROKER", "0:0-11 1:0-16 2:0-8 3:0-12 8:0-9 9:0-9 10:0-5 11:0-9 12:0-4"
                        + " 13:0-5 14:0-5 15:0-5 16:0-5 17:0-1 18:0-3 19:0-7 20:0-6 21:0-2 22:0-5 23:0-4 24:0-5"
                        + " 25:0-4 26:0-4 27:0-1 28:0-4 29:0-3 30:0-3 31:0-3 32:0-4 33:0-2 34:0-2 35:0-4 36:0-2"
                        + " 37:0-3 38:0-3 39:0-2 40:0-2 41:0-3 42:0-2 43:0-2 44:0-1 45:0-0 46:0-0 47:0-0 48:0-1"
                        + " 49:0-1 50:0-0 51:0-0 55:0-1 57:0-1 60:0-1 61:0-0 64:0-0 65:0-0 66:0-1 68:0-0 69:0-0"
                        + " 71:0-0 72:0-0 74:0-0 75:0-0"));
    }

    @ParameterizedTest(name = "{1} -> {0}")
    @MethodSource("kraftAnswers")
    void recognizesKraftBrokers(String release, String source, String answer) {
        Map<Short, short[]> ranges = parse(answer);
        BrokerVersion expected = BrokerVersion.parse(release);
        assertThat(BrokerVersions.infer(ranges, true)).isEqualTo(expected);
        // without the telemetry keys, as a broker without a telemetry reporter answers
        ranges.remove((short) 71);
        ranges.remove((short) 72);
        assertThat(BrokerVersions.infer(ranges, true)).isEqualTo(expected);
        assertThat(BrokerVersions.infer(ranges)).contains(expected);
    }

    @Test
    void aKraft34BrokerLooksLike33() {
        // 3.4 changed only ZooKeeper-mode inter-broker APIs; without them the answer is 3.3's.
        Map<Short, short[]> answer = new HashMap<>(BrokerVersions.apiVersionsFor(BrokerVersion.V3_4));
        for (short zkOnly : new short[] {4, 5, 6, 7, 56, 58, 67}) {
            answer.remove(zkOnly);
        }
        assertThat(BrokerVersions.infer(answer, true)).isEqualTo(BrokerVersion.V3_3);
    }

    @Test
    void oneApiBeyond44IsNewerThanKnown() {
        Map<Short, short[]> answer = new HashMap<>(BrokerVersions.apiVersionsFor(BrokerVersion.V4_4));
        answer.put((short) 0, new short[] {0, 14});   // Produce v14: not in any release kwire knows
        assertThat(BrokerVersions.infer(answer)).contains(BrokerVersion.V4_4);
        assertThat(BrokerVersions.infer(answer, false)).isEqualTo(BrokerVersion.V4_4);
        assertThat(BrokerVersions.newerThanKnown(answer)).isTrue();
        assertThatThrownBy(() -> BrokerVersions.infer(answer, true))
                .isInstanceOf(UnrecognizedBrokerVersionException.class)
                .hasMessageContaining("Produce(0) max v14").hasMessageContaining("4.4");
    }

    @Test
    void aNewApiKeyIsNewerThanKnown() {
        Map<Short, short[]> answer = new HashMap<>(BrokerVersions.apiVersionsFor(BrokerVersion.V4_4));
        answer.put((short) 95, new short[] {0, 0});
        assertThat(BrokerVersions.infer(answer, false)).isEqualTo(BrokerVersion.V4_4);
        assertThatThrownBy(() -> BrokerVersions.infer(answer, true))
                .isInstanceOf(UnrecognizedBrokerVersionException.class).hasMessageContaining("api key 95");
    }

    /** The releases after 4.1, told apart by what each changed (4.3 changed only DescribeLogDirs). */
    @Test
    void releases42To44AreToldApart() {
        Map<Short, short[]> answer = new HashMap<>(BrokerVersions.apiVersionsFor(BrokerVersion.V4_3));
        assertThat(BrokerVersions.infer(answer, true)).isEqualTo(BrokerVersion.V4_3);
        answer.put((short) 35, new short[] {1, 4});
        assertThat(BrokerVersions.infer(answer, true)).isEqualTo(BrokerVersion.V4_2);
        answer.put((short) 2, new short[] {1, 10});
        answer.put((short) 8, new short[] {2, 9});
        assertThat(BrokerVersions.infer(answer, false)).isEqualTo(BrokerVersion.V4_1);
    }

    @Test
    void unstableVersionsOfA41BrokerAreRefusedStrictly() {
        Map<Short, short[]> answer = new HashMap<>(BrokerVersions.apiVersionsFor(BrokerVersion.V4_1));
        answer.put((short) 8, new short[] {2, 10});    // OffsetCommit v10, unstable in 4.1
        answer.put((short) 88, new short[] {0, 0});    // StreamsGroupHeartbeat, unstable in 4.1
        assertThat(BrokerVersions.infer(answer, false)).isEqualTo(BrokerVersion.V4_1);
        assertThatThrownBy(() -> BrokerVersions.infer(answer, true))
                .isInstanceOf(UnrecognizedBrokerVersionException.class);
    }

    @Test
    void aHybridAnswerIsOnlyAGuess() {
        // 3.9's markers, but a Fetch max no 3.9 broker advertises
        Map<Short, short[]> answer = new HashMap<>(BrokerVersions.apiVersionsFor(BrokerVersion.V3_9));
        answer.put((short) 1, new short[] {0, 18});
        assertThat(BrokerVersions.infer(answer)).contains(BrokerVersion.V3_9);
        assertThatThrownBy(() -> BrokerVersions.infer(answer, true))
                .isInstanceOf(UnrecognizedBrokerVersionException.class)
                .hasMessageContaining("3.9").hasMessageContaining("Fetch(1) max v18");
    }

    @Test
    void markersMustBeMetNotJustPresent() {
        // a 3.8 table where Produce claims v12 (4.0's marker) but Fetch stays at 3.8's v16
        Map<Short, short[]> answer = new HashMap<>(BrokerVersions.apiVersionsFor(BrokerVersion.V3_8));
        answer.put((short) 0, new short[] {0, 12});
        assertThat(BrokerVersions.infer(answer)).contains(BrokerVersion.V4_0);
        assertThatThrownBy(() -> BrokerVersions.infer(answer, true))
                .isInstanceOf(UnrecognizedBrokerVersionException.class).hasMessageContaining("4.0");
    }

    @Test
    void anAnswerBelowEveryMarkerIs0100() {
        Map<Short, short[]> answer = parse("0:0-1 1:0-1 3:0-0 18:0-0");
        assertThat(BrokerVersions.infer(answer)).contains(BrokerVersion.V0_10_0);
        assertThatThrownBy(() -> BrokerVersions.infer(answer, true))
                .isInstanceOf(UnrecognizedBrokerVersionException.class).hasMessageContaining("ListOffsets(2)");
    }

    @Test
    void anEmptyAnswerIsUnrecognized() {
        assertThat(BrokerVersions.infer(Map.of())).isEmpty();
        assertThatThrownBy(() -> BrokerVersions.infer(Map.of(), false))
                .isInstanceOf(UnrecognizedBrokerVersionException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> BrokerVersions.infer(Map.of(), true))
                .isInstanceOf(UnrecognizedBrokerVersionException.class).hasMessageContaining("empty");
    }

    @Test
    void aControllerAnswerIsUnrecognized() {
        // a KRaft controller: ApiVersions, Fetch, Vote... but no Produce or Metadata
        Map<Short, short[]> answer = parse("1:4-18 17:0-1 18:0-4 52:0-2 53:0-1 54:0-1 55:0-2 59:0-1 62:0-4 63:0-1");
        assertThat(BrokerVersions.infer(answer)).isEmpty();
        assertThatThrownBy(() -> BrokerVersions.infer(answer, false))
                .isInstanceOf(UnrecognizedBrokerVersionException.class)
                .hasMessageContaining("Produce(0)").hasMessageContaining("Metadata(3)");
    }

    @Test
    void garbageIsRefusedClearly() {
        Map<Short, short[]> nullRange = new HashMap<>(BrokerVersions.apiVersionsFor(BrokerVersion.V4_1));
        nullRange.put((short) 1, null);
        Map<Short, short[]> nullKey = new HashMap<>(BrokerVersions.apiVersionsFor(BrokerVersion.V4_1));
        nullKey.put(null, new short[] {0, 1});
        List<Map<Short, short[]>> garbage = new ArrayList<>(List.of(nullRange, nullKey,
                Map.of((short) 1, new short[] {0, 1, 2}), Map.of((short) 1, new short[] {5, 2}),
                Map.of((short) 1, new short[] {-1, 2}), Map.of((short) -3, new short[] {0, 0}),
                Map.of((short) 1, new short[0])));
        for (Map<Short, short[]> answer : garbage) {
            assertThatThrownBy(() -> BrokerVersions.infer(answer)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not an ApiVersions answer");
            assertThatThrownBy(() -> BrokerVersions.infer(answer, true)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> BrokerVersions.newerThanKnown(answer))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> BrokerVersions.infer(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void realAnswerWithoutOptionalKeysStillMatches() {
        // a 3.7 ZooKeeper broker with the new group protocol off: no ConsumerGroupHeartbeat
        Map<Short, short[]> answer = new HashMap<>(BrokerVersions.apiVersionsFor(BrokerVersion.V3_7));
        answer.remove((short) 68);
        assertThat(BrokerVersions.infer(answer, true)).isEqualTo(BrokerVersion.V3_7);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static Map<Short, String> render(Map<Short, short[]> table) {
        Map<Short, String> out = new TreeMap<>();
        table.forEach((key, range) -> out.put(key, range[0] + "-" + range[1]));
        return out;
    }

    private static Map<Short, short[]> parse(String answer) {
        Map<Short, short[]> out = new HashMap<>();
        for (String item : answer.trim().split("\\s+")) {
            String[] kv = item.split("[:-]");
            out.put(Short.parseShort(kv[0]), new short[] {Short.parseShort(kv[1]), Short.parseShort(kv[2])});
        }
        return out;
    }
}
