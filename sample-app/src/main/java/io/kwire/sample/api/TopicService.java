package io.kwire.sample.api;

import io.kwire.KwireClient;
import io.kwire.errors.KwireException;
import io.kwire.protocol.Errors;
import io.kwire.protocol.Errors.KafkaError;
import io.kwire.protocol.message.CreateTopicsResponse;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.sample.api.Views.CreateTopicRequest;
import io.kwire.sample.api.Views.CreatedTopicView;
import java.time.Duration;
import org.springframework.stereotype.Service;

/**
 * Creates topics with CreateTopics. The request's shape (name, counts) is checked by Bean Validation before it gets
 * here ({@link CreateTopicRequest}); what only the cluster knows (a name taken, a replication factor above the
 * broker count) comes back as the broker's error code. Any thread.
 */
@Service
public class TopicService {

    /** How long a created topic may take to get leaders before the answer goes back anyway. */
    private static final Duration LEADER_WAIT = Duration.ofSeconds(10);

    private final KafkaCalls calls;
    private final PartitionLeaders leaders;

    public TopicService(KwireClient client) {
        this.calls = new KafkaCalls(client);
        this.leaders = new PartitionLeaders(calls);
    }

    /** CreateTopics, then waits (briefly) until every partition has a leader, so producing right away works. */
    public CreatedTopicView create(CreateTopicRequest request) {
        String name = request.name();
        int partitions = request.partitionsOrDefault();
        short replicationFactor = (short) request.replicationFactorOrDefault();
        CreateTopicsResponse response = calls.call(
                KafkaRequests.createTopic(name, partitions, replicationFactor, calls.brokerTimeouts()), "CreateTopics");
        CreateTopicsResponse.CreatableTopicResult result = response.topics().stream()
                .filter(t -> name.equals(t.name())).findFirst()
                .orElseThrow(() -> new KwireException("CreateTopics answer does not mention topic '" + name + "'"));
        KafkaError error = Errors.forCode(result.errorCode());
        if (!error.isNone()) {
            throw ApiException.kafka(error, result.errorMessage() != null ? result.errorMessage()
                    : "Cannot create topic '" + name + "': " + error.description());
        }
        MetadataResponse.MetadataResponseTopic topic = leaders.awaitLeaders(name, LEADER_WAIT);
        String topicId = ClusterService.idText(topic.topicId());
        return new CreatedTopicView(name, topicId != null ? topicId : ClusterService.idText(result.topicId()),
                partitions, replicationFactor);
    }
}
