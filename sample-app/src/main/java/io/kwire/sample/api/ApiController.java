package io.kwire.sample.api;

import io.kwire.sample.api.Views.BrokerStatusView;
import io.kwire.sample.api.Views.ClusterView;
import io.kwire.sample.api.Views.CreateTopicRequest;
import io.kwire.sample.api.Views.CreatedTopicView;
import io.kwire.sample.api.Views.ProducedView;
import io.kwire.sample.api.Views.RecordInput;
import io.kwire.sample.api.Views.RecordsView;
import io.kwire.sample.api.Views.TopicView;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/** The JSON API. Errors are RFC 9457 problem details, see {@link ProblemDetailsAdvice}. */
@RestController
@RequestMapping(path = "/api", produces = "application/json")
public class ApiController {

    private final KafkaService kafka;

    public ApiController(KafkaService kafka) {
        this.kafka = kafka;
    }

    /** Cluster id, controller, brokers, and every topic with its partitions, leaders, epochs, replicas and ISR. */
    @GetMapping("/cluster")
    public ClusterView cluster() {
        return kafka.cluster();
    }

    /** Each broker's connection state, API version ranges and inferred Kafka release. */
    @GetMapping("/brokers")
    public List<BrokerStatusView> brokers() {
        return kafka.brokers();
    }

    /** One topic as the cluster describes it. */
    @GetMapping("/topics/{topic}")
    public TopicView topic(@PathVariable String topic) {
        KafkaService.checkTopicName(topic);
        return kafka.cluster().topics().stream().filter(t -> topic.equals(t.name())).findFirst()
                .orElseThrow(() -> ApiException.notFound("Unknown topic", "Topic '" + topic + "' does not exist"));
    }

    /** Creates a topic: {@code {"name": "orders", "partitions": 3, "replicationFactor": 1}}. */
    @PostMapping(path = "/topics", consumes = "application/json")
    public ResponseEntity<CreatedTopicView> createTopic(@RequestBody CreateTopicRequest request) {
        CreatedTopicView created = kafka.createTopic(request);
        URI location = UriComponentsBuilder.fromPath("/api/topics/{topic}").buildAndExpand(created.name()).toUri();
        return ResponseEntity.created(location).body(created);
    }

    /**
     * Produces one record {@code {"key": ..., "value": ..., "headers": {...}}} or a list of them, as one batch, to
     * the partition's leader with acks=-1; answers the base offset.
     */
    @PostMapping(path = "/topics/{topic}/partitions/{partition}/records", consumes = "application/json")
    public ProducedView produce(@PathVariable String topic, @PathVariable int partition,
                                @RequestBody List<RecordInput> records) {
        return kafka.produce(topic, partition, records);
    }

    /** Reads up to {@code maxRecords} records from {@code offset} on. */
    @GetMapping("/topics/{topic}/partitions/{partition}/records")
    public RecordsView fetch(@PathVariable String topic, @PathVariable int partition,
                             @RequestParam(defaultValue = "0") long offset,
                             @RequestParam(defaultValue = "50") int maxRecords) {
        return kafka.fetch(topic, partition, offset, maxRecords);
    }
}
