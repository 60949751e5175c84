package io.kwire.internal.network;

import io.kwire.client.ConnectionClass;
import io.kwire.client.KafkaClientConfig;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.message.AlterPartitionReassignmentsRequest;
import io.kwire.protocol.message.CreatePartitionsRequest;
import io.kwire.protocol.message.CreateTopicsRequest;
import io.kwire.protocol.message.DeleteRecordsRequest;
import io.kwire.protocol.message.DeleteTopicsRequest;
import io.kwire.protocol.message.ElectLeadersRequest;
import io.kwire.protocol.message.FetchRequest;
import io.kwire.protocol.message.JoinGroupRequest;
import io.kwire.protocol.message.ShareFetchRequest;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Decides, once per request, which {@link ConnectionClass} it travels on: the per-send override if any, else the
 * API's class from a table built at start (the defaults, then the configured routes), a control or produce request
 * whose broker-side wait exceeds the slow threshold moved to {@code SLOW}, and a class without connections of its
 * own merged into {@code CONTROL}. Immutable; any thread.
 */
public final class ConnectionRouter {

    private final Map<ApiKey, ConnectionClass> table = new EnumMap<>(ApiKey.class);
    private final Set<ConnectionClass> enabled;
    private final long slowThresholdMs;

    public ConnectionRouter(KafkaClientConfig config) {
        this.enabled = config.connectionClasses();
        this.slowThresholdMs = config.slowRequestThreshold().toMillis();
        for (ApiKey api : ApiKey.values()) {
            table.put(api, config.connectionClassRoutes().getOrDefault(api, ConnectionClass.defaultFor(api)));
        }
    }

    /** The class {@code request} travels on; {@code override} (may be null) is the caller's choice. */
    public ConnectionClass route(ApiRequest<?> request, ConnectionClass override) {
        if (override != null) {
            return effective(override);
        }
        ConnectionClass c = table.get(request.apiKey());
        if ((c == ConnectionClass.CONTROL || c == ConnectionClass.PRODUCE) && brokerWaitMs(request) > slowThresholdMs) {
            c = ConnectionClass.SLOW;
        }
        return effective(c);
    }

    /** The class that carries {@code c}'s requests: itself if it has connections of its own, else CONTROL. */
    public ConnectionClass effective(ConnectionClass c) {
        return enabled.contains(c) ? c : ConnectionClass.CONTROL;
    }

    /**
     * How long the broker may hold the request before answering, by design rather than by load: a long-poll read's
     * {@code maxWaitMs}, a JoinGroup's rebalance timeout, an admin request's {@code timeoutMs}; 0 for the rest.
     */
    static long brokerWaitMs(ApiRequest<?> request) {
        if (request instanceof FetchRequest r) {
            return r.maxWaitMs();
        } else if (request instanceof ShareFetchRequest r) {
            return r.maxWaitMs();
        } else if (request instanceof JoinGroupRequest r) {
            return r.rebalanceTimeoutMs();
        } else if (request instanceof CreateTopicsRequest r) {
            return r.timeoutMs();
        } else if (request instanceof DeleteTopicsRequest r) {
            return r.timeoutMs();
        } else if (request instanceof DeleteRecordsRequest r) {
            return r.timeoutMs();
        } else if (request instanceof CreatePartitionsRequest r) {
            return r.timeoutMs();
        } else if (request instanceof ElectLeadersRequest r) {
            return r.timeoutMs();
        } else if (request instanceof AlterPartitionReassignmentsRequest r) {
            return r.timeoutMs();
        }
        return 0;
    }
}
