package io.kwire.client;

import io.kwire.protocol.ApiKey;
import java.util.Locale;

/**
 * The kind of connection a request travels on. A Kafka broker handles the requests of one connection one at a time,
 * in order, so a long-poll Fetch (held by the broker up to its {@code maxWaitMs}) or a CreateTopics waiting for its
 * timeout parks everything queued behind it on that connection. kwire therefore opens, per broker and lazily, one
 * connection per class in use, and sends each request on its class's connection: a Metadata or a heartbeat never
 * waits behind a Fetch.
 *
 * <p>Every API has a class ({@link #defaultFor}); {@link KafkaClientConfig#connectionClassRoutes()} moves APIs to
 * another class, {@link KafkaClientConfig#connectionClasses()} says which classes get connections of their own (the
 * others are merged into {@link #CONTROL}; {@code CONTROL} alone is one connection per broker, as Apache's
 * {@code NetworkClient} and kafka-python have), and a request whose broker-side wait exceeds
 * {@link KafkaClientConfig#slowRequestThreshold()} leaves the control and produce connections for {@link #SLOW}. A
 * {@code send} may name the class itself.
 *
 * <p>Back-off, failures and the broker's API versions belong to the broker, not to a class: a broker that refuses
 * one class's connection is not asked for the others' until its back-off has passed.
 */
public enum ConnectionClass {
    /** Metadata, ApiVersions, coordinators, group and transaction control, ACLs, configs: short requests. */
    CONTROL,
    /** Produce. */
    PRODUCE,
    /** Long-poll reads: Fetch and ShareFetch, which the broker holds up to their {@code maxWaitMs}. */
    FETCH,
    /**
     * Requests that carry a broker-side timeout and may wait for it: CreateTopics, DeleteTopics, DeleteRecords,
     * CreatePartitions, ElectLeaders, AlterPartitionReassignments, UpdateFeatures; and any control or produce
     * request whose broker-side wait exceeds the slow-request threshold (a JoinGroup with its rebalance timeout).
     */
    SLOW;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The lower-case name, for metric tags and properties: {@code control}, {@code produce}, ... */
    public String tag() {
        return tag;
    }

    /**
     * The class of {@code name}, a class name in any case ({@code fetch}, {@code FETCH}).
     *
     * @throws IllegalArgumentException naming the classes there are
     */
    public static ConnectionClass of(String name) {
        for (ConnectionClass c : values()) {
            if (c.name().equalsIgnoreCase(name.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("Unknown connection class '" + name + "': one of control, produce,"
                + " fetch, slow");
    }

    /** The class an API's requests travel on when the configuration does not route it elsewhere. */
    public static ConnectionClass defaultFor(ApiKey api) {
        return switch (api) {
            case PRODUCE -> PRODUCE;
            case FETCH, SHARE_FETCH -> FETCH;
            case CREATE_TOPICS, DELETE_TOPICS, DELETE_RECORDS, CREATE_PARTITIONS, ELECT_LEADERS,
                    ALTER_PARTITION_REASSIGNMENTS, UPDATE_FEATURES -> SLOW;
            default -> CONTROL;
        };
    }
}
