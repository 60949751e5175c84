package io.kwire.client;

import io.kwire.errors.UnrecognizedBrokerVersionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What each Kafka broker release advertises in its ApiVersions answer, and the reverse: which release an answer
 * comes from (kwire's counterpart of kafka-python's {@code check_version}).
 *
 * <h2>The tables</h2>
 * For every feature release from 0.10.0 to 4.4 ({@link #knownReleases()}), the ranges (api key id &rarr;
 * {@code {min, max}}) a default-configured broker of that release advertises. They are stored below as the
 * changes from the previous release ({@code "1:0-17"} = Fetch now 0..17, {@code "4:-"} = LeaderAndIsr no longer
 * advertised).
 *
 * <p>Where the facts come from:
 * <ul>
 *   <li>0.10.0 &ndash; 3.9: the ApiVersions answers of real brokers of each release as recorded by kafka-python
 *       ({@code kafka/protocol/broker_api_versions.py}, {@code BROKER_API_VERSIONS}; 0.10.0 there is derived from
 *       the 0.10.0 protocol definitions). Those brokers ran in ZooKeeper mode. Cross-checked against Apache
 *       kafka-clients 2.8.2, 3.3.2, 3.4.0, 3.6.2, 3.7.2, 3.8.1 and 3.9.1 ({@code ApiKeys.apisForListener(ZK_BROKER)},
 *       oldest to latest stable version): identical for all seven (pinned by {@code BrokerVersionsTest}).</li>
 *   <li>4.0: Apache kafka-clients 4.0.0, {@code ApiVersionsResponse.brokerApiVersions(BROKER, false, false)};
 *       identical to kafka-python's recorded 4.0 answer.</li>
 *   <li>4.1, 4.2, 4.3: Apache kafka-clients 4.1.2, 4.2.2 and 4.3.2, the same call (pinned as listings by
 *       {@code BrokerVersionsTest}).</li>
 *   <li>4.4: Apache kafka-clients 4.4.0, the same call; verified by {@code BrokerVersionsTest} against the
 *       kafka-clients 4.4.0 test dependency.</li>
 *   <li>4.2.2, 4.3.2 and 4.4.0 brokers in KRaft mode answer exactly their table ({@code OlderBrokerReleasesTest},
 *       strict {@code checkVersion}).</li>
 * </ul>
 *
 * <p>What a real broker answers can differ from its release's table, in which keys are present, never (for a key
 * both list) in the max version:
 * <ul>
 *   <li>2.8 &ndash; 3.9 in KRaft mode: no inter-broker keys of ZooKeeper mode (LeaderAndIsr 4, StopReplica 5,
 *       UpdateMetadata 6, ControlledShutdown 7, AlterPartition 56, Envelope 58, AllocateProducerIds 67), but
 *       DescribeQuorum 55 and UnregisterBroker 64; ListClientMetricsResources 74 from 3.7, DescribeTopicPartitions
 *       75 from 3.8, AddRaftVoter 80 and RemoveRaftVoter 81 from 3.9. Early KRaft brokers lack admin keys: 3.3 and
 *       3.4 the delegation-token (38&ndash;41) and SCRAM (50, 51) keys, 2.8 also transactions, ACLs and more.
 *       Checked for 2.8.2, 3.3.2, 3.4.0, 3.6.2, 3.7.2, 3.8.1 and 3.9.1: keys both modes list have the same
 *       ranges.</li>
 *   <li>GetTelemetrySubscriptions 71 and PushTelemetry 72 (3.7+) only when a client-telemetry metrics reporter is
 *       configured; ConsumerGroupHeartbeat/Describe 68/69 may be missing where the new group protocol is off.</li>
 *   <li>Brokers with {@code unstable.api.versions.enable=true}, or (ZooKeeper mode) an old
 *       {@code log.message.format.version}, advertise other max versions.</li>
 *   <li>Patch releases may move a min version (4.1.2 advertises JoinGroup from v0 again, 4.0.0 from v2). Produce
 *       is advertised from v0 by 4.x although v0&ndash;v2 are gone (KAFKA-18659, for old librdkafka clients).</li>
 * </ul>
 *
 * <h2>Inference</h2>
 * Like kafka-python: for each release, newest first, a few (api key, max version) markers that first appeared in
 * that release; the first release whose markers the answer meets is the guess. The markers are client-facing APIs
 * present in both ZooKeeper and KRaft mode, except for 3.4: 3.4 changed only ZooKeeper-mode inter-broker APIs, so a
 * 3.4 broker in KRaft mode answers exactly like 3.3 and is recognized as 3.3.
 *
 * <p>Brokers before 0.10.0 have no ApiVersions API at all; they cannot be probed this way (the request fails or
 * the connection is closed), and this class has no table for them.
 */
public final class BrokerVersions {

    /** Display names by api key id (from Apache Kafka 4.4.0's {@code ApiKeys}), for messages only. */
    private static final String[] API_NAMES = {
        "Produce", "Fetch", "ListOffsets", "Metadata", "LeaderAndIsr", "StopReplica", "UpdateMetadata",
        "ControlledShutdown", "OffsetCommit", "OffsetFetch", "FindCoordinator", "JoinGroup", "Heartbeat",
        "LeaveGroup", "SyncGroup", "DescribeGroups", "ListGroups", "SaslHandshake", "ApiVersions", "CreateTopics",
        "DeleteTopics", "DeleteRecords", "InitProducerId", "OffsetForLeaderEpoch", "AddPartitionsToTxn",
        "AddOffsetsToTxn", "EndTxn", "WriteTxnMarkers", "TxnOffsetCommit", "DescribeAcls", "CreateAcls",
        "DeleteAcls", "DescribeConfigs", "AlterConfigs", "AlterReplicaLogDirs", "DescribeLogDirs",
        "SaslAuthenticate", "CreatePartitions", "CreateDelegationToken", "RenewDelegationToken",
        "ExpireDelegationToken", "DescribeDelegationToken", "DeleteGroups", "ElectLeaders",
        "IncrementalAlterConfigs", "AlterPartitionReassignments", "ListPartitionReassignments", "OffsetDelete",
        "DescribeClientQuotas", "AlterClientQuotas", "DescribeUserScramCredentials", "AlterUserScramCredentials",
        "Vote", "BeginQuorumEpoch", "EndQuorumEpoch", "DescribeQuorum", "AlterPartition", "UpdateFeatures",
        "Envelope", "FetchSnapshot", "DescribeCluster", "DescribeProducers", "BrokerRegistration",
        "BrokerHeartbeat", "UnregisterBroker", "DescribeTransactions", "ListTransactions", "AllocateProducerIds",
        "ConsumerGroupHeartbeat", "ConsumerGroupDescribe", "ControllerRegistration", "GetTelemetrySubscriptions",
        "PushTelemetry", "AssignReplicasToDirs", "ListConfigResources", "DescribeTopicPartitions",
        "ShareGroupHeartbeat", "ShareGroupDescribe", "ShareFetch", "ShareAcknowledge", "AddRaftVoter",
        "RemoveRaftVoter", "UpdateRaftVoter", "InitializeShareGroupState", "ReadShareGroupState",
        "WriteShareGroupState", "DeleteShareGroupState", "ReadShareGroupStateSummary", "StreamsGroupHeartbeat",
        "StreamsGroupDescribe", "DescribeShareGroupOffsets", "AlterShareGroupOffsets", "DeleteShareGroupOffsets",
        "StreamsGroupTopologyDescriptionUpdate", "UnregisterController",
    };

    /**
     * Keys every broker from 0.10.0 to 4.4 advertises, in either mode: Produce, Fetch, ListOffsets, Metadata,
     * OffsetCommit, OffsetFetch, FindCoordinator, the classic group APIs (11&ndash;16) and ApiVersions. A strict
     * check requires all of them.
     */
    private static final short[] CORE_KEYS = {0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18};

    /** Without these a best guess is not attempted: not a broker serving clients. */
    private static final short[] MINIMAL_KEYS = {0, 1, 3, 18};

    /** Keys that a known release may advertise only under some configuration; their versions, for the strict check. */
    private static final Map<Short, short[]> OPTIONAL_KEYS = Map.of(
            (short) 71, new short[] {0, 0},   // GetTelemetrySubscriptions, 3.7+, with a telemetry reporter
            (short) 72, new short[] {0, 0});  // PushTelemetry, likewise

    private static final NavigableMap<BrokerVersion, Map<Short, short[]>> TABLES = new TreeMap<>();
    private static final NavigableMap<BrokerVersion, List<short[]>> MARKERS = new TreeMap<>();
    /** Per api key, the highest max version any known release advertises (in any mode or configuration). */
    private static final Map<Short, Short> HIGHEST_KNOWN = new TreeMap<>();

    static {
        // Changes from the previous release; see the class comment for the sources.
        entry(BrokerVersion.V0_10_0, "0:0-2 1:0-2 2:0-0 3:0-1 4:0-0 5:0-0 6:0-2 7:1-1 8:0-2 9:0-1 10:0-0 11:0-0"
                + " 12:0-0 13:0-0 14:0-0 15:0-0 16:0-0 17:0-0 18:0-0");
        entry(BrokerVersion.V0_10_1, "1:0-3 2:0-1 3:0-2 11:0-1 19:0-0 20:0-0");
        entry(BrokerVersion.V0_10_2, "6:0-3 9:0-2 19:0-1");
        entry(BrokerVersion.V0_11_0, "0:0-3 1:0-5 2:0-2 3:0-4 8:0-3 9:0-3 10:0-1 11:0-2 12:0-1 13:0-1 14:0-1 15:0-1"
                + " 16:0-1 18:0-1 19:0-2 20:0-1 21:0-0 22:0-0 23:0-0 24:0-0 25:0-0 26:0-0 27:0-0 28:0-0 29:0-0 30:0-0"
                + " 31:0-0 32:0-0 33:0-0");
        entry(BrokerVersion.V1_0, "0:0-5 1:0-6 3:0-5 4:0-1 6:0-4 7:0-1 17:0-1 34:0-0 35:0-0 36:0-0 37:0-0");
        entry(BrokerVersion.V1_1, "1:0-7 32:0-1 38:0-0 39:0-0 40:0-0 41:0-0 42:0-0");
        entry(BrokerVersion.V2_0, "0:0-6 1:0-8 2:0-3 3:0-6 8:0-4 9:0-4 10:0-2 11:0-3 12:0-2 13:0-2 14:0-2 15:0-2"
                + " 16:0-2 18:0-2 19:0-3 20:0-2 21:0-1 22:0-1 23:0-1 24:0-1 25:0-1 26:0-1 28:0-1 29:0-1 30:0-1 31:0-1"
                + " 32:0-2 33:0-1 34:0-1 35:0-1 37:0-1 38:0-1 39:0-1 40:0-1 41:0-1 42:0-1");
        entry(BrokerVersion.V2_1, "0:0-7 1:0-10 2:0-4 3:0-7 8:0-6 9:0-5 20:0-3 23:0-2 28:0-2");
        entry(BrokerVersion.V2_2, "2:0-5 4:0-2 5:0-1 6:0-5 7:0-2 11:0-4 36:0-1 43:0-0");
        entry(BrokerVersion.V2_3, "1:0-11 3:0-8 8:0-7 11:0-5 12:0-3 14:0-3 15:0-3 23:0-3 44:0-0");
        entry(BrokerVersion.V2_4, "0:0-8 3:0-9 4:0-4 5:0-2 6:0-6 7:0-3 8:0-8 9:0-6 10:0-3 11:0-6 12:0-4 13:0-4 14:0-4"
                + " 15:0-5 16:0-3 18:0-3 19:0-5 20:0-4 22:0-2 38:0-2 42:0-2 43:0-2 44:0-1 45:0-0 46:0-0 47:0-0");
        entry(BrokerVersion.V2_5, "9:0-7 11:0-7 14:0-5 22:0-3 28:0-3 29:0-2 30:0-2 31:0-2 36:0-2 37:0-2 39:0-2 40:0-2"
                + " 41:0-2");
        entry(BrokerVersion.V2_6, "5:0-3 16:0-4 21:0-2 32:0-3 35:0-2 48:0-0 49:0-0");
        entry(BrokerVersion.V2_7, "1:0-12 19:0-6 20:0-5 22:0-4 24:0-2 25:0-2 26:0-2 37:0-3 50:0-0 51:0-0 56:0-0"
                + " 57:0-0");
        entry(BrokerVersion.V2_8, "0:0-9 2:0-6 3:0-11 4:0-5 6:0-7 19:0-7 20:0-6 23:0-4 24:0-3 25:0-3 26:0-3 27:0-1"
                + " 32:0-4 33:0-2 34:0-2 48:0-1 49:0-1 60:0-0 61:0-0");
        entry(BrokerVersion.V3_0, "2:0-7 9:0-8 10:0-4 65:0-0 66:0-0 67:0-0");
        entry(BrokerVersion.V3_1, "1:0-13 3:0-12");
        entry(BrokerVersion.V3_2, "4:0-6 11:0-9 13:0-5 35:0-3 56:0-1");
        entry(BrokerVersion.V3_3, "29:0-3 30:0-3 31:0-3 35:0-4 38:0-3 41:0-3 56:0-2 57:0-1");
        entry(BrokerVersion.V3_4, "4:0-7 5:0-4 6:0-8 58:0-0");
        entry(BrokerVersion.V3_5, "1:0-15 2:0-8 56:0-3");
        entry(BrokerVersion.V3_6, "24:0-4");
        entry(BrokerVersion.V3_7, "0:0-10 1:0-16 8:0-9 9:0-9 60:0-1 68:0-0");
        entry(BrokerVersion.V3_8, "0:0-11 10:0-5 16:0-5 22:0-5 24:0-5 25:0-4 26:0-4 28:0-4 66:0-1 69:0-0");
        entry(BrokerVersion.V3_9, "1:0-17 2:0-9 10:0-6 18:0-4");
        entry(BrokerVersion.V4_0, "0:0-12 1:4-17 2:1-10 3:0-13 4:- 5:- 6:- 7:- 8:2-9 9:1-9 11:2-9 15:0-6 19:2-7"
                + " 20:1-6 23:2-4 26:0-5 27:1-1 28:0-5 29:1-3 30:1-3 31:1-3 32:1-4 34:1-2 35:1-4 38:1-3 39:1-2 40:1-2"
                + " 41:1-3 55:0-2 56:- 57:0-2 58:- 60:0-2 64:0-0 67:- 68:0-1 69:0-1 74:0-0 75:0-0 80:0-0 81:0-0");
        entry(BrokerVersion.V4_1, "0:0-13 1:4-18 11:0-9 45:0-1 66:0-2 74:0-1 76:1-1 77:1-1 78:1-1 79:1-1 83:0-0"
                + " 84:0-0 85:0-0 86:0-0 87:0-0 90:0-0 91:0-0 92:0-0");
        entry(BrokerVersion.V4_2, "2:1-11 8:2-10 9:1-10 27:1-2 78:1-2 79:1-2 80:0-1 85:0-1 87:0-1 88:0-0 89:0-0"
                + " 90:0-1");
        entry(BrokerVersion.V4_3, "35:1-5");
        entry(BrokerVersion.V4_4, "18:0-5 28:0-6 42:0-3 88:0-1 89:0-1 93:0-0 94:0-0");

        // Markers: (api key, max version) first advertised by that release. Checked newest release first.
        marker(BrokerVersion.V0_10_1, 3, 2);   // Metadata v2
        marker(BrokerVersion.V0_10_2, 9, 2);   // OffsetFetch v2
        marker(BrokerVersion.V0_11_0, 3, 4);   // Metadata v4
        marker(BrokerVersion.V0_11_0, 0, 3);   // Produce v3 (message format v2)
        marker(BrokerVersion.V1_0, 3, 5);      // Metadata v5
        marker(BrokerVersion.V1_1, 1, 7);      // Fetch v7 (incremental fetch sessions)
        marker(BrokerVersion.V2_0, 1, 8);      // Fetch v8
        marker(BrokerVersion.V2_1, 1, 10);     // Fetch v10
        marker(BrokerVersion.V2_2, 2, 5);      // ListOffsets v5
        marker(BrokerVersion.V2_3, 1, 11);     // Fetch v11
        marker(BrokerVersion.V2_4, 0, 8);      // Produce v8
        marker(BrokerVersion.V2_5, 11, 7);     // JoinGroup v7
        marker(BrokerVersion.V2_6, 16, 4);     // ListGroups v4
        marker(BrokerVersion.V2_7, 1, 12);     // Fetch v12
        marker(BrokerVersion.V2_8, 0, 9);      // Produce v9
        marker(BrokerVersion.V3_0, 2, 7);      // ListOffsets v7
        marker(BrokerVersion.V3_1, 1, 13);     // Fetch v13 (topic ids)
        marker(BrokerVersion.V3_2, 11, 9);     // JoinGroup v9
        marker(BrokerVersion.V3_3, 29, 3);     // DescribeAcls v3
        marker(BrokerVersion.V3_4, 5, 4);      // StopReplica v4: ZooKeeper mode only (see class comment)
        marker(BrokerVersion.V3_5, 1, 15);     // Fetch v15
        marker(BrokerVersion.V3_6, 24, 4);     // AddPartitionsToTxn v4
        marker(BrokerVersion.V3_7, 1, 16);     // Fetch v16
        marker(BrokerVersion.V3_8, 0, 11);     // Produce v11
        marker(BrokerVersion.V3_9, 1, 17);     // Fetch v17
        marker(BrokerVersion.V4_0, 0, 12);     // Produce v12
        marker(BrokerVersion.V4_1, 0, 13);     // Produce v13
        marker(BrokerVersion.V4_1, 1, 18);     // Fetch v18
        marker(BrokerVersion.V4_2, 2, 11);     // ListOffsets v11
        marker(BrokerVersion.V4_2, 8, 10);     // OffsetCommit v10
        marker(BrokerVersion.V4_3, 35, 5);     // DescribeLogDirs v5: the one API 4.3 changed
        marker(BrokerVersion.V4_4, 18, 5);     // ApiVersions v5 (KIP-1242)
        marker(BrokerVersion.V4_4, 28, 6);     // TxnOffsetCommit v6

        for (BrokerVersion release : TABLES.keySet()) {
            if (MARKERS.get(release).isEmpty() && !release.equals(TABLES.firstKey())) {
                throw new IllegalStateException("no marker for " + release);
            }
        }
        for (Map<Short, short[]> table : TABLES.values()) {
            table.forEach((key, range) -> HIGHEST_KNOWN.merge(key, range[1], (a, b) -> (short) Math.max(a, b)));
        }
        OPTIONAL_KEYS.forEach((key, range) -> HIGHEST_KNOWN.merge(key, range[1], (a, b) -> (short) Math.max(a, b)));
    }

    private BrokerVersions() {
    }

    /** The releases with a table, oldest first: 0.10.0, 0.10.1, 0.10.2, 0.11.0, 1.0, 1.1, 2.0 &hellip; 4.4. */
    public static List<BrokerVersion> knownReleases() {
        return List.copyOf(TABLES.keySet());
    }

    /** The newest release with a table (4.4). */
    public static BrokerVersion newestKnown() {
        return TABLES.lastKey();
    }

    /**
     * The api version ranges a broker of {@code release} advertises, for a client configured with a fixed broker
     * release instead of probing. A release between two table entries uses the older entry (3.9.1 &rarr; 3.9,
     * 4.5 &rarr; 4.4, the newest known; a later broker still accepts those versions).
     *
     * @return a new unmodifiable map, ordered by api key, of fresh {@code {min, max}} arrays
     * @throws UnrecognizedBrokerVersionException for releases before 0.10.0, which have no ApiVersions API
     */
    public static Map<Short, short[]> apiVersionsFor(BrokerVersion release) {
        Objects.requireNonNull(release, "release");
        Map.Entry<BrokerVersion, Map<Short, short[]>> entry = TABLES.floorEntry(release);
        if (entry == null) {
            throw new UnrecognizedBrokerVersionException("Kafka " + release + " predates 0.10.0: brokers before 0.10.0"
                    + " have no ApiVersions API and kwire has no version table for them");
        }
        return copy(entry.getValue());
    }

    /** The table release {@code release} is served from by {@link #apiVersionsFor}; empty before 0.10.0. */
    public static Optional<BrokerVersion> tableReleaseFor(BrokerVersion release) {
        Objects.requireNonNull(release, "release");
        return Optional.ofNullable(TABLES.floorKey(release));
    }

    /**
     * The best guess of the broker release that gave this ApiVersions answer: the newest known release whose
     * markers the answer meets (at least the marker's max version). A broker newer than 4.4 is reported as 4.4
     * ("4.4 or newer"; {@link #newerThanKnown} tells). Empty if the answer lacks Produce, Fetch, Metadata or
     * ApiVersions (not a broker serving clients, e.g. a KRaft controller), or if it is empty.
     *
     * @param ranges api key id &rarr; {@code {min, max}} as advertised
     * @throws IllegalArgumentException if the map holds a null key or range, a range that is not two versions, or
     *     a negative or inverted range: that is not an ApiVersions answer
     */
    public static Optional<BrokerVersion> infer(Map<Short, short[]> ranges) {
        validate(ranges);
        for (short key : MINIMAL_KEYS) {
            if (!ranges.containsKey(key)) {
                return Optional.empty();
            }
        }
        for (BrokerVersion release : MARKERS.descendingKeySet()) {
            if (meetsMarkers(ranges, release)) {
                return Optional.of(release);
            }
        }
        // ApiVersions itself only exists from 0.10.0 on.
        return Optional.of(BrokerVersion.V0_10_0);
    }

    /**
     * The release that gave this ApiVersions answer.
     *
     * <p>Non-strict ({@code strict == false}): {@link #infer(Map)}'s best guess, or an exception if there is none.
     *
     * <p>Strict: only an answer as a known release gives it. The best guess's table must agree on the max version
     * of every key both list (keys a release advertises only in one mode or configuration may be missing or
     * extra, see the class comment); all of Produce, Fetch, ListOffsets, Metadata, OffsetCommit, OffsetFetch,
     * FindCoordinator, the classic group APIs and ApiVersions must be present; and no key may go beyond what any
     * known release advertises (a broker newer than 4.4 is refused, not reported as 4.4).
     *
     * @throws UnrecognizedBrokerVersionException if the answer is not recognized as described
     * @throws IllegalArgumentException if the answer is malformed (see {@link #infer(Map)})
     */
    public static BrokerVersion infer(Map<Short, short[]> ranges, boolean strict) {
        Optional<BrokerVersion> guess = infer(ranges);
        if (guess.isEmpty()) {
            throw new UnrecognizedBrokerVersionException(ranges.isEmpty()
                    ? "empty ApiVersions answer: no broker release can be inferred from it"
                    : "ApiVersions answer without " + missing(ranges, MINIMAL_KEYS)
                            + ": not a Kafka broker serving clients (a KRaft controller?); advertised: "
                            + describe(ranges));
        }
        BrokerVersion release = guess.get();
        if (!strict) {
            return release;
        }
        List<String> beyond = beyondKnown(ranges);
        if (!beyond.isEmpty()) {
            throw new UnrecognizedBrokerVersionException("broker advertises " + String.join(", ", beyond)
                    + ", beyond Kafka " + newestKnown() + ", the newest release kwire knows: a newer broker"
                    + " (or one with unstable API versions enabled); configure a fixed apiVersion or probe"
                    + " non-strictly");
        }
        String missing = missing(ranges, CORE_KEYS);
        if (!missing.isEmpty()) {
            throw new UnrecognizedBrokerVersionException("ApiVersions answer without " + missing
                    + ", which every Kafka broker release from 0.10.0 to " + newestKnown() + " advertises");
        }
        Map<Short, short[]> table = TABLES.get(release);
        List<String> differences = new ArrayList<>();
        for (Map.Entry<Short, short[]> e : new TreeMap<>(ranges).entrySet()) {
            short[] expected = table.get(e.getKey());
            if (expected != null && expected[1] != e.getValue()[1]) {
                differences.add(name(e.getKey()) + " max v" + e.getValue()[1] + " (Kafka " + release + ": v"
                        + expected[1] + ")");
            }
        }
        if (!differences.isEmpty()) {
            throw new UnrecognizedBrokerVersionException("ApiVersions answer resembles Kafka " + release
                    + " but does not match it exactly: " + String.join(", ", differences));
        }
        return release;
    }

    /**
     * Whether the answer goes beyond every known release: an api key no known release advertises, or a max
     * version above the highest any known release advertises for that key. True for brokers newer than 4.4 that
     * changed any API (and for brokers with unstable API versions enabled).
     *
     * @throws IllegalArgumentException if the answer is malformed (see {@link #infer(Map)})
     */
    public static boolean newerThanKnown(Map<Short, short[]> ranges) {
        validate(ranges);
        return !beyondKnown(ranges).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------

    private static List<String> beyondKnown(Map<Short, short[]> ranges) {
        List<String> beyond = new ArrayList<>();
        for (Map.Entry<Short, short[]> e : new TreeMap<>(ranges).entrySet()) {
            Short highest = HIGHEST_KNOWN.get(e.getKey());
            if (highest == null) {
                beyond.add(name(e.getKey()) + " (unknown to all known releases)");
            } else if (e.getValue()[1] > highest) {
                beyond.add(name(e.getKey()) + " max v" + e.getValue()[1] + " (highest known: v" + highest + ")");
            }
        }
        return beyond;
    }

    private static boolean meetsMarkers(Map<Short, short[]> ranges, BrokerVersion release) {
        for (short[] marker : MARKERS.get(release)) {
            short[] range = ranges.get(marker[0]);
            if (range == null || range[1] < marker[1]) {
                return false;
            }
        }
        return true;
    }

    private static void validate(Map<Short, short[]> ranges) {
        Objects.requireNonNull(ranges, "ApiVersions ranges");
        for (Map.Entry<Short, short[]> e : ranges.entrySet()) {
            Short key = e.getKey();
            short[] range = e.getValue();
            if (key == null || key < 0) {
                throw new IllegalArgumentException("not an ApiVersions answer: api key " + key);
            }
            if (range == null || range.length != 2) {
                throw new IllegalArgumentException("not an ApiVersions answer: " + name(key) + " has "
                        + (range == null ? "no range" : range.length + " versions instead of {min, max}"));
            }
            if (range[0] < 0 || range[0] > range[1]) {
                throw new IllegalArgumentException("not an ApiVersions answer: " + name(key) + " has the range "
                        + range[0] + ".." + range[1]);
            }
        }
    }

    private static String missing(Map<Short, short[]> ranges, short[] keys) {
        List<String> missing = new ArrayList<>();
        for (short key : keys) {
            if (!ranges.containsKey(key)) {
                missing.add(name(key));
            }
        }
        return String.join(", ", missing);
    }

    private static String describe(Map<Short, short[]> ranges) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(ranges).forEach((key, range) -> {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(name(key)).append(' ').append(range[0]).append("..").append(range[1]);
        });
        return sb.toString();
    }

    /** {@code "Fetch(1)"}, or {@code "api key 93"} for keys kwire has no name for. */
    static String name(short key) {
        return key >= 0 && key < API_NAMES.length ? API_NAMES[key] + "(" + key + ")" : "api key " + key;
    }

    private static Map<Short, short[]> copy(Map<Short, short[]> table) {
        Map<Short, short[]> copy = new TreeMap<>();
        table.forEach((key, range) -> copy.put(key, range.clone()));
        return Collections.unmodifiableMap(copy);
    }

    private static void entry(BrokerVersion release, String changes) {
        Map.Entry<BrokerVersion, Map<Short, short[]>> previous = TABLES.lastEntry();
        if (previous != null && previous.getKey().compareTo(release) >= 0) {
            throw new IllegalStateException("releases out of order at " + release);
        }
        Map<Short, short[]> table = new TreeMap<>();
        if (previous != null) {
            previous.getValue().forEach((key, range) -> table.put(key, range));
        }
        for (String change : changes.trim().split("\\s+")) {
            int colon = change.indexOf(':');
            short key = Short.parseShort(change.substring(0, colon));
            String range = change.substring(colon + 1);
            if (range.equals("-")) {
                if (table.remove(key) == null) {
                    throw new IllegalStateException(release + " removes " + key + ", which is not there");
                }
            } else {
                int dash = range.indexOf('-');
                short min = Short.parseShort(range.substring(0, dash));
                short max = Short.parseShort(range.substring(dash + 1));
                if (key < 0 || min < 0 || min > max) {
                    throw new IllegalStateException("bad range " + change + " in " + release);
                }
                table.put(key, new short[] {min, max});
            }
        }
        TABLES.put(release, Collections.unmodifiableMap(table));
        MARKERS.put(release, new ArrayList<>());
    }

    private static void marker(BrokerVersion release, int apiKey, int maxVersion) {
        short[] range = TABLES.get(release).get((short) apiKey);
        if (range == null || range[1] != maxVersion) {
            throw new IllegalStateException("marker " + apiKey + ":" + maxVersion + " not in the table of " + release);
        }
        MARKERS.get(release).add(new short[] {(short) apiKey, (short) maxVersion});
    }
}
