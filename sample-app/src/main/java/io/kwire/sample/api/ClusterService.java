package io.kwire.sample.api;

import io.kwire.KwireClient;
import io.kwire.protocol.Errors;
import io.kwire.protocol.Uuid;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.sample.api.Views.BrokerView;
import io.kwire.sample.api.Views.ClusterView;
import io.kwire.sample.api.Views.PartitionView;
import io.kwire.sample.api.Views.TopicView;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Service;

/**
 * The cluster as a Metadata request for every topic describes it, with the client's connection states beside it.
 * Any thread.
 */
@Service
public class ClusterService {

    private final KafkaCalls calls;

    public ClusterService(KwireClient client) {
        this.calls = new KafkaCalls(client);
    }

    /** Cluster id, controller, brokers and every topic; fails at once (503) while no broker is reachable. */
    public ClusterView cluster() {
        MetadataResponse response = calls.call(KafkaRequests.allTopics(), "Metadata");
        List<BrokerView> brokers = response.brokers().stream()
                .map(b -> new BrokerView(b.nodeId(), b.host(), b.port(), b.rack()))
                .sorted(Comparator.comparingInt(BrokerView::id))
                .toList();
        List<TopicView> topics = response.topics().stream()
                .map(ClusterService::topicView)
                .sorted(Comparator.comparing(TopicView::name, Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
        Integer controller = response.controllerId() >= 0 ? response.controllerId() : null;
        return new ClusterView(response.clusterId(), controller, brokers, topics, connections(calls.client()));
    }

    /** One topic; 404 when the cluster does not know it. */
    public TopicView topic(String name) {
        return cluster().topics().stream().filter(t -> name.equals(t.name())).findFirst()
                .orElseThrow(() -> PartitionLeaders.unknownTopic(name));
    }

    private static TopicView topicView(MetadataResponse.MetadataResponseTopic t) {
        return new TopicView(t.name(), idText(t.topicId()), t.isInternal(),
                t.partitions().stream()
                        .map(p -> new PartitionView(p.partitionIndex(), p.leaderId(), p.leaderEpoch(),
                                p.replicaNodes(), p.isrNodes(), p.offlineReplicas(), errorName(p.errorCode())))
                        .sorted(Comparator.comparingInt(PartitionView::partition))
                        .toList(),
                errorName(t.errorCode()));
    }

    /** Every connection the client has tried, by node id (bootstrap addresses have negative ids). */
    static Map<String, String> connections(KwireClient client) {
        Map<String, String> connections = new LinkedHashMap<>();
        new TreeMap<>(client.connectionStates()).forEach((id, state) -> connections.put(id.toString(), state.name()));
        return connections;
    }

    static String errorName(short code) {
        return code == 0 ? null : Errors.forCode(code).name();
    }

    static String idText(Uuid id) {
        return id == null || Uuid.ZERO.equals(id) ? null : id.toString();
    }
}
