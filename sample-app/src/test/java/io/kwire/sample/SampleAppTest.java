package io.kwire.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.spring.boot.autoconfigure.KwireClientConnectionDetails;
import io.kwire.spring.boot.test.EmbeddedBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * The app against its embedded broker, over HTTP: the cluster and broker views, a topic created, records produced
 * and read back, health and metrics, and the errors as problem details.
 */
class SampleAppTest extends EmbeddedBrokerAppTestBase {

    @Autowired
    ApplicationContext context;

    @Test
    void runsOnTheAnnotationsBrokerAndStartsNoBrokerOfItsOwn() {
        // one broker: the annotation's; the app's EmbeddedBrokerConfiguration backed off
        EmbeddedBroker broker = context.getBean(EmbeddedBroker.class);
        assertThat(broker.isRunning()).isTrue();
        KwireClientConnectionDetails details = context.getBean(KwireClientConnectionDetails.class);
        assertThat(details.getBootstrapServers()).isEqualTo(broker.bootstrapServerList());
    }

    @Test
    void describesTheClusterAndItsBrokers() {
        Http http = http();
        Http.Response cluster = http.get("/api/cluster");
        assertThat(cluster.status()).as(cluster.toString()).isEqualTo(200);
        assertThat(cluster.<String>json("$.clusterId")).isNotBlank();
        assertThat(cluster.<List<Object>>json("$.brokers")).hasSize(1);
        int brokerId = cluster.json("$.brokers[0].id");
        assertThat(cluster.<Integer>json("$.controller")).isEqualTo(brokerId);

        // The client publishes connection states a moment after the response that completed: the very first
        // request to a broker may still see it connecting.
        eventually(Duration.ofSeconds(10), "broker connection READY",
                () -> "READY".equals(http.get("/api/brokers").json("$[0].connectionState")));
        Http.Response brokers = http.get("/api/brokers");
        assertThat(brokers.status()).as(brokers.toString()).isEqualTo(200);
        assertThat(brokers.<List<Object>>json("$")).hasSize(1);
        assertThat(brokers.<Integer>json("$[0].id")).isEqualTo(brokerId);
        assertThat(brokers.<String>json("$[0].connectionState")).isEqualTo("READY");
        assertThat(http.get("/api/connections").<String>json("$['" + brokerId + "']")).isEqualTo("READY");
        assertThat(brokers.<String>json("$[0].inferredRelease")).isEqualTo("4.1");
        assertThat(brokers.<List<String>>json("$[0].apiVersions[*].name")).contains("Produce", "Fetch", "Metadata",
                "ApiVersions", "CreateTopics");
        List<Integer> produceMax = brokers.json("$[0].apiVersions[?(@.name == 'Produce')].maxVersion");
        assertThat(produceMax).singleElement().satisfies(v -> assertThat(v).isGreaterThanOrEqualTo(13));
    }

    @Test
    void createsATopicProducesRecordsAndReadsThemBack() {
        Http http = http();
        long requestsBefore = requestCount(http, "PRODUCE");

        Http.Response created = http.post("/api/topics",
                "{\"name\": \"orders\", \"partitions\": 2, \"replicationFactor\": 1}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.<String>json("$.topicId")).isNotBlank();

        Http.Response topic = http.get("/api/topics/orders");
        assertThat(topic.status()).as(topic.toString()).isEqualTo(200);
        assertThat(topic.<List<Integer>>json("$.partitions[*].partition")).containsExactly(0, 1);
        assertThat(topic.<List<Integer>>json("$.partitions[*].leader")).doesNotContain(-1);

        Http.Response batch = http.post("/api/topics/orders/partitions/1/records", """
                [{"key": "k1", "value": "first", "headers": {"trace": "t-1", "origin": "test"}},
                 {"key": null, "value": "second ✓"},
                 {"key": "k3", "value": null}]""");
        assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
        assertThat(batch.<Integer>json("$.baseOffset")).isEqualTo(0);
        assertThat(batch.<Integer>json("$.recordCount")).isEqualTo(3);

        Http.Response single = http.post("/api/topics/orders/partitions/1/records",
                "{\"key\": \"k4\", \"value\": \"fourth\"}");
        assertThat(single.status()).as(single.toString()).isEqualTo(200);
        assertThat(single.<Integer>json("$.baseOffset")).isEqualTo(3);

        Http.Response all = http.get("/api/topics/orders/partitions/1/records?offset=0&maxRecords=50");
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(all.<List<Integer>>json("$.records[*].offset")).containsExactly(0, 1, 2, 3);
        assertThat(all.<List<String>>json("$.records[*].key")).containsExactly("k1", null, "k3", "k4");
        assertThat(all.<List<String>>json("$.records[*].value")).containsExactly("first", "second ✓", null, "fourth");
        assertThat(all.<List<Map<String, String>>>json("$.records[0].headers"))
                .containsExactly(Map.of("key", "trace", "value", "t-1"), Map.of("key", "origin", "value", "test"));
        assertThat(all.<Integer>json("$.nextOffset")).isEqualTo(4);
        assertThat(all.<Integer>json("$.highWatermark")).isEqualTo(4);
        assertThat(all.<Long>json("$.records[0].timestamp")).isPositive();

        Http.Response page = http.get("/api/topics/orders/partitions/1/records?offset=1&maxRecords=2");
        assertThat(page.<List<Integer>>json("$.records[*].offset")).containsExactly(1, 2);
        assertThat(page.<Integer>json("$.nextOffset")).isEqualTo(3);

        Http.Response end = http.get("/api/topics/orders/partitions/1/records?offset=4");
        assertThat(end.status()).as(end.toString()).isEqualTo(200);
        assertThat(end.<List<Object>>json("$.records")).isEmpty();
        assertThat(end.<Integer>json("$.nextOffset")).isEqualTo(4);

        Http.Response other = http.get("/api/topics/orders/partitions/0/records");
        assertThat(other.<List<Object>>json("$.records")).isEmpty();

        Http.Response cluster = http.get("/api/cluster");
        assertThat(cluster.<List<String>>json("$.topics[*].name")).contains("orders");
        assertThat(cluster.<List<List<Integer>>>json("$.topics[?(@.name == 'orders')].partitions[*].isr"))
                .allSatisfy(isr -> assertThat(isr).hasSize(1));

        // Two produce requests went through the client: its request timer counted them.
        assertThat(requestCount(http, "PRODUCE")).isGreaterThanOrEqualTo(requestsBefore + 2);
    }

    @Test
    void reportsHealthWithTheClusterId() {
        Http http = http();
        String clusterId = http.get("/api/cluster").json("$.clusterId");
        eventually(Duration.ofSeconds(20), "kwire health UP", () -> "UP".equals(
                http.get("/actuator/health").json("$.components.kwire.status")));
        Http.Response health = http.get("/actuator/health");
        assertThat(health.<String>json("$.status")).isEqualTo("UP");
        assertThat(health.<String>json("$.components.kwire.details.clusterId")).isEqualTo(clusterId);
        assertThat(health.<Integer>json("$.components.kwire.details.brokers")).isEqualTo(1);
    }

    @Test
    void countsRequestsInMetricsAndPrometheus() {
        Http http = http();
        http.get("/api/cluster");
        long before = requestCount(http, null);
        for (int i = 0; i < 3; i++) {
            assertThat(http.get("/api/cluster").status()).isEqualTo(200);
        }
        assertThat(requestCount(http, null)).isGreaterThanOrEqualTo(before + 3);
        assertThat(requestCount(http, "METADATA")).isGreaterThanOrEqualTo(3);

        Http.Response names = http.get("/actuator/metrics");
        assertThat(names.<List<String>>json("$.names")).contains("kwire.client.requests", "kwire.client.connections",
                "kwire.client.brokers");
        Http.Response prometheus = http.get("/actuator/prometheus");
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.body()).contains("kwire_client_requests_seconds_count", "kwire_client_brokers");
    }

    @Test
    void unknownTopicIsA404Problem() {
        Http http = http();
        assertProblem(http.get("/api/topics/no-such-topic/partitions/0/records"), 404);
        assertProblem(http.post("/api/topics/no-such-topic/partitions/0/records", "{\"value\": \"x\"}"), 404);
        assertProblem(http.get("/api/topics/no-such-topic"), 404);
    }

    @Test
    void badOffsetsAndPartitionsAreProblems() {
        Http http = http();
        assertThat(http.post("/api/topics", "{\"name\": \"offsets\", \"partitions\": 1}").status()).isEqualTo(201);
        assertThat(http.post("/api/topics/offsets/partitions/0/records", "{\"value\": \"only\"}").status()).isEqualTo(200);

        Http.Response beyond = http.get("/api/topics/offsets/partitions/0/records?offset=1000");
        assertProblem(beyond, 416);
        assertThat(beyond.<String>json("$.kafkaError")).isEqualTo("OFFSET_OUT_OF_RANGE");
        assertThat(beyond.<String>json("$.detail")).contains("1000", "from 0 up to (not including) 1");

        assertProblem(http.get("/api/topics/offsets/partitions/0/records?offset=-1"), 400);
        assertProblem(http.get("/api/topics/offsets/partitions/0/records?offset=abc"), 400);
        assertProblem(http.get("/api/topics/offsets/partitions/0/records?maxRecords=0"), 400);
        assertProblem(http.get("/api/topics/offsets/partitions/7/records"), 404);
    }

    @Test
    void badInputIsA400ProblemNamingEachInvalidField() {
        Http http = http();
        Http.Response badName = http.post("/api/topics", "{\"name\": \"bad name!\"}");
        assertProblem(badName, 400);
        assertThat(badName.<List<String>>json("$.errors[*].field")).containsExactly("name");
        assertThat(badName.<String>json("$.detail")).contains("name must be a topic name");
        Http.Response two = http.post("/api/topics", "{\"name\": \"..\", \"partitions\": 0}");
        assertProblem(two, 400);
        assertThat(two.<List<String>>json("$.errors[*].field")).containsExactlyInAnyOrder("name", "partitions");
        assertProblem(http.post("/api/topics", "{\"partitions\": 1}"), 400);
        assertProblem(http.post("/api/topics", "{not json"), 400);
        assertProblem(http.post("/api/topics/orders/partitions/0/records", "[]"), 400);
        assertProblem(http.post("/api/topics/bad%20name/partitions/0/records", "{\"value\": \"x\"}"), 400);
        assertProblem(http.post("/api/topics/orders/partitions/-1/records", "{\"value\": \"x\"}"), 400);
        Http.Response emptyHeader = http.post("/api/topics/orders/partitions/0/records",
                "{\"value\": \"x\", \"headers\": {\"\": \"y\"}}");
        assertProblem(emptyHeader, 400);
        assertThat(emptyHeader.<String>json("$.detail")).contains("header names must not be empty");
        assertProblem(http.get("/api/topics/orders/partitions/0/follow?from=yesterday"), 400);
        // The broker refuses a replication factor above its broker count.
        Http.Response tooMany = http.post("/api/topics", "{\"name\": \"rf3\", \"replicationFactor\": 3}");
        assertProblem(tooMany, 400);
        assertThat(tooMany.<String>json("$.kafkaError")).isEqualTo("INVALID_REPLICATION_FACTOR");

        assertThat(http.post("/api/topics", "{\"name\": \"twice\"}").status()).isEqualTo(201);
        Http.Response again = http.post("/api/topics", "{\"name\": \"twice\"}");
        assertProblem(again, 409);
        assertThat(again.<String>json("$.kafkaError")).isEqualTo("TOPIC_ALREADY_EXISTS");
    }

    private static void assertProblem(Http.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
        assertThat(response.<Integer>json("$.status")).isEqualTo(status);
        assertThat(response.<String>json("$.title")).isNotBlank();
        assertThat(response.body()).doesNotContain("\"trace\"", "\tat ", "at io.kwire", "at org.springframework");
    }

    /** The COUNT of kwire.client.requests, for one api tag or all; 0 before the first request of that kind. */
    private static long requestCount(Http http, String api) {
        Http.Response metric = http.get("/actuator/metrics/kwire.client.requests" + (api == null ? "" : "?tag=api:" + api));
        if (metric.status() == 404) {
            return 0;
        }
        assertThat(metric.status()).as(metric.toString()).isEqualTo(200);
        List<Number> counts = metric.json("$.measurements[?(@.statistic == 'COUNT')].value");
        return counts.get(0).longValue();
    }
}
