package io.kwire.sample.api;

import io.kwire.sample.api.Views.BrokerStatusView;
import io.kwire.sample.api.Views.ClusterView;
import io.kwire.sample.api.Views.CreateTopicRequest;
import io.kwire.sample.api.Views.CreatedTopicView;
import io.kwire.sample.api.Views.ProducedView;
import io.kwire.sample.api.Views.RecordInput;
import io.kwire.sample.api.Views.RecordsView;
import io.kwire.sample.api.Views.TopicView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The JSON API. Input checks are Bean Validation constraints on the parameters, so a bad name or count is a 400
 * problem detail listing each violation before anything reaches a broker; errors are RFC 9457 problem details,
 * see {@link ProblemDetailsAdvice}.
 */
@RestController
@RequestMapping(path = "/api", produces = "application/json")
public class ApiController {

    private final ClusterService cluster;
    private final BrokerService brokers;
    private final TopicService topics;
    private final RecordService records;

    public ApiController(ClusterService cluster, BrokerService brokers, TopicService topics, RecordService records) {
        this.cluster = cluster;
        this.brokers = brokers;
        this.topics = topics;
        this.records = records;
    }

    /** Cluster id, controller, brokers, and every topic with its partitions, leaders, epochs, replicas and ISR. */
    @GetMapping("/cluster")
    public ClusterView cluster() {
        return cluster.cluster();
    }

    /** Each broker's connection state, API version ranges and inferred Kafka release; never waits on a dead broker. */
    @GetMapping("/brokers")
    public List<BrokerStatusView> brokers() {
        return brokers.brokers();
    }

    /**
     * The client's connection state per node id (bootstrap connections have negative ids), from its cached state: it
     * answers at once also while no broker is reachable.
     */
    @GetMapping("/connections")
    public Map<String, String> connections() {
        return brokers.connections();
    }

    /** One topic as the cluster describes it. */
    @GetMapping("/topics/{topic}")
    public TopicView topic(@PathVariable @TopicName String topic) {
        return cluster.topic(topic);
    }

    /** Creates a topic: {@code {"name": "orders", "partitions": 3, "replicationFactor": 1}}. */
    @PostMapping(path = "/topics", consumes = "application/json")
    public ResponseEntity<CreatedTopicView> createTopic(@RequestBody @Valid CreateTopicRequest request) {
        CreatedTopicView created = topics.create(request);
        URI location = UriComponentsBuilder.fromPath("/api/topics/{topic}").buildAndExpand(created.name()).toUri();
        return ResponseEntity.created(location).body(created);
    }

    /**
     * Produces one record {@code {"key": ..., "value": ..., "headers": {...}}} or a list of them, as one batch, to
     * the partition's leader with acks=-1; answers the base offset.
     */
    @PostMapping(path = "/topics/{topic}/partitions/{partition}/records", consumes = "application/json")
    public ProducedView produce(@PathVariable @TopicName String topic, @PathVariable @PositiveOrZero int partition,
                                @RequestBody @NotEmpty @Size(max = RecordService.MAX_RECORDS_PER_REQUEST)
                                List<@NotNull @Valid RecordInput> records) {
        return this.records.produce(topic, partition, records);
    }

    /** Reads up to {@code maxRecords} records from {@code offset} on. */
    @GetMapping("/topics/{topic}/partitions/{partition}/records")
    public RecordsView fetch(@PathVariable @TopicName String topic, @PathVariable @PositiveOrZero int partition,
                             @RequestParam(defaultValue = "0") @PositiveOrZero long offset,
                             @RequestParam(defaultValue = "50") @Min(1) @Max(RecordService.MAX_RECORDS_PER_REQUEST)
                             int maxRecords) {
        return records.fetch(topic, partition, offset, maxRecords);
    }
}
