package io.kwire.sample.api;

import io.kwire.KwireClient;
import io.kwire.client.BrokerVersion;
import io.kwire.client.BrokerVersions;
import io.kwire.client.ConnectionState;
import io.kwire.client.Node;
import io.kwire.errors.KwireException;
import io.kwire.errors.ProtocolException;
import io.kwire.errors.UnrecognizedBrokerVersionException;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.sample.api.Views.ApiVersionView;
import io.kwire.sample.api.Views.BrokerStatusView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;

/**
 * Each broker as the client sees it: its connection state from {@link KwireClient#connectionStates()} (cached, no
 * network I/O) and what its ApiVersions answer says (API ranges, the inferred Kafka release).
 *
 * <p>ApiVersions is asked once per connection, and only of a broker whose connection is ready: a broker that is
 * down is listed at once with its state and without a release, instead of holding the answer up for a request
 * timeout. An answer is forgotten as soon as the connection is seen not ready, so a restarted (perhaps upgraded)
 * broker is asked again. A broker the client has never connected to (in a cluster of several, the client connects
 * to a broker when a request needs it) is listed as {@code NOT_CONNECTED}, without a release. Any thread.
 */
@Service
public class BrokerService {

    /** The state shown for a broker the client has not tried to connect to. */
    static final String NOT_CONNECTED = "NOT_CONNECTED";

    private final KafkaCalls calls;
    /** ApiVersions answers by node id, for connections seen ready since they were asked. */
    private final Map<Integer, Versions> answers = new ConcurrentHashMap<>();

    public BrokerService(KwireClient client) {
        this.calls = new KafkaCalls(client);
    }

    /** The brokers of the client's latest metadata, by id. */
    public List<BrokerStatusView> brokers() {
        KwireClient client = calls.client();
        List<Node> nodes = new ArrayList<>(client.cluster().brokers());
        if (nodes.isEmpty()) {
            // No metadata yet (the client is still bootstrapping): one metadata round trip fills it, or fails fast.
            calls.call(KafkaRequests.allTopics(), "Metadata");
            nodes = new ArrayList<>(client.cluster().brokers());
        }
        nodes.sort(Comparator.comparingInt(Node::id));
        Map<Integer, ConnectionState> states = client.connectionStates();
        List<BrokerStatusView> views = new ArrayList<>();
        for (Node node : nodes) {
            ConnectionState state = states.get(node.id());
            Versions versions = null;
            if (state == ConnectionState.READY) {
                versions = answers.get(node.id());
                if (versions == null) {
                    versions = ask(node.id());
                    if (versions.error() == null) {
                        answers.put(node.id(), versions);
                    }
                }
            } else {
                answers.remove(node.id()); // asked again once the connection is ready
            }
            views.add(new BrokerStatusView(node.id(), node.host(), node.port(), node.rack(),
                    state == null ? NOT_CONNECTED : state.name(),
                    versions == null ? null : versions.release(), versions == null ? null : versions.newer(),
                    versions == null ? List.of() : versions.apis(), versions == null ? null : versions.error()));
        }
        return views;
    }

    /** Every connection the client has tried, by node id, from its cached state. */
    public Map<String, String> connections() {
        return ClusterService.connections(calls.client());
    }

    private Versions ask(int nodeId) {
        try {
            ApiVersionsResponse response = calls.call(nodeId, KafkaRequests.apiVersions(calls.client()),
                    "ApiVersions to broker " + nodeId);
            if (response.errorCode() != 0) {
                return Versions.failed(ClusterService.errorName(response.errorCode()));
            }
            return Versions.of(response);
        } catch (KwireException e) {
            return Versions.failed(e.getMessage());
        }
    }

    /** What one ApiVersions answer says, or why there is none. */
    private record Versions(List<ApiVersionView> apis, String release, Boolean newer, String error) {

        static Versions failed(String error) {
            return new Versions(List.of(), null, null, error);
        }

        static Versions of(ApiVersionsResponse response) {
            Map<Short, short[]> ranges = new TreeMap<>();
            for (ApiVersionsResponse.ApiVersion v : response.apiKeys()) {
                ranges.put(v.apiKey(), new short[] {v.minVersion(), v.maxVersion()});
            }
            List<ApiVersionView> apis = response.apiKeys().stream()
                    .map(v -> new ApiVersionView(v.apiKey(), apiName(v.apiKey()), v.minVersion(), v.maxVersion()))
                    .sorted(Comparator.comparingInt(ApiVersionView::apiKey))
                    .toList();
            try {
                BrokerVersion version = BrokerVersions.infer(ranges, false);
                return new Versions(apis, version.toString(), BrokerVersions.newerThanKnown(ranges), null);
            } catch (UnrecognizedBrokerVersionException | IllegalArgumentException e) {
                return new Versions(apis, null, null, "release not recognized: " + e.getMessage());
            }
        }

        private static String apiName(short key) {
            try {
                return ApiKey.forId(key).displayName();
            } catch (ProtocolException e) {
                return "Unknown(" + key + ")";
            }
        }
    }
}
