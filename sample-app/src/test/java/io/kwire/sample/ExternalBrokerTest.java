package io.kwire.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.spring.boot.test.EmbeddedBroker;
import io.kwire.testkit.KafkaCluster;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import io.kwire.spring.boot.autoconfigure.KwireClientLifecycle;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With {@code kwire.client.bootstrap-servers} set the app starts no broker of its own and talks to the one given:
 * here a broker this test starts with the test kit.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ExternalBrokerTest {

    private static KafkaCluster broker;

    @DynamicPropertySource
    static void bootstrapServers(DynamicPropertyRegistry registry) {
        broker = KafkaCluster.builder().brokers(1).build().start();
        // Normally closed by externalBrokerLifecycle below; this covers a context that fails to start.
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "external-broker-close"));
        registry.add("kwire.client.bootstrap-servers", broker::bootstrapServers);
    }

    /** Stops the test's broker when the context stops, after the kwire client (which stops in a higher phase). */
    @TestConfiguration(proxyBeanMethods = false)
    static class StopBrokerAfterClient {

        @Bean
        SmartLifecycle externalBrokerLifecycle() {
            return new SmartLifecycle() {
                private volatile boolean running;

                @Override
                public void start() {
                    running = true;
                }

                @Override
                public void stop() {
                    running = false;
                    if (broker != null) {
                        broker.close();
                    }
                }

                @Override
                public boolean isRunning() {
                    return running;
                }

                @Override
                public int getPhase() {
                    return KwireClientLifecycle.DEFAULT_PHASE - 1;
                }
            };
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ConfigurableApplicationContext context;

    @Test
    void startsNoBrokerAndUsesTheConfiguredOne() throws Exception {
        assertThat(context.getBeansOfType(EmbeddedBroker.class)).isEmpty();

        Admin admin = broker.admin(); // owned by the test kit's cluster, closed with it
        String expectedClusterId = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        Http http = new Http(port);
        Http.Response cluster = http.get("/api/cluster");
        assertThat(cluster.status()).as(cluster.toString()).isEqualTo(200);
        assertThat(cluster.<String>json("$.clusterId")).isEqualTo(expectedClusterId);
        assertThat(cluster.<List<Integer>>json("$.brokers[*].port"))
                .containsExactly(Integer.parseInt(broker.bootstrapServers().replaceAll(".*:", "")));

        assertThat(http.post("/api/topics", "{\"name\": \"external\"}").status()).isEqualTo(201);
        assertThat(http.post("/api/topics/external/partitions/0/records", "{\"value\": \"hello\"}").status())
                .isEqualTo(200);
        Http.Response read = http.get("/api/topics/external/partitions/0/records");
        assertThat(read.<List<String>>json("$.records[*].value")).containsExactly("hello");
    }
}
