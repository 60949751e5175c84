package io.kwire.it.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KafkaClient;
import io.kwire.client.BrokerVersion;
import io.kwire.client.KafkaClientConfig;
import io.kwire.client.Node;
import io.kwire.client.SecurityProtocol;
import io.kwire.it.Polling;
import io.kwire.network.Transport;
import io.kwire.network.TransportFactory;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ApiMessage;
import io.kwire.protocol.ByteReader;
import io.kwire.protocol.message.AlterConfigsRequest;
import io.kwire.protocol.message.AlterConfigsResponse;
import io.kwire.protocol.message.ApiVersionsResponse;
import io.kwire.protocol.message.IncrementalAlterConfigsRequest;
import io.kwire.protocol.message.IncrementalAlterConfigsResponse;
import io.kwire.protocol.message.MetadataRequest;
import io.kwire.protocol.message.MetadataResponse;
import io.kwire.protocol.message.SaslAuthenticateRequest;
import io.kwire.protocol.message.SaslAuthenticateResponse;
import io.kwire.protocol.message.SaslHandshakeResponse;
import io.kwire.security.SecurityFactories;
import io.kwire.testkit.FakeBroker;
import io.kwire.testkit.ForwardingTransport;
import io.kwire.testkit.ReceivedRequest;
import io.kwire.testkit.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Secrets leave no trace in the bytes a {@link KafkaClient} hands to its socket. Each test drives a real client
 * through the scripted fake broker over a real socket, with a transport that wraps the plaintext one and remembers
 * every buffer passed to {@link Transport#write} (the client's send staging buffer) and the bytes the socket took.
 * The secret (a SASL/PLAIN password, a SCRAM client proof, a raw pre-1.0 SASL token, secret config values) must
 * reach the broker, must have gone through one of those buffers, and once sent must be found nowhere in any of
 * them, over their whole capacity, also after later requests went through the same buffer.
 *
 * <p>TLS connections stage on the heap and hand the bytes to the {@code SSLEngine}; the fake broker speaks no TLS,
 * so this covers the plaintext transport (SASL_PLAINTEXT and PLAINTEXT).
 */
@Timeout(60)
class SecretWipeFakeBrokerTest {

    private static final int NODE = 1;
    private static final String USER = "alice";
    private static final String PASSWORD = "s3cret-pa55word-xyz";
    private static final int SCRAM_ITERATIONS = 4096;

    private final RecordingTransports transports = new RecordingTransports();
    private FakeBroker broker;
    private KafkaClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aPlainPasswordReachesTheBrokerButStaysInNoBufferHandedToTheSocket() {
        startBroker(FakeBroker.builder(), "PLAIN");
        broker.handle(ApiKey.SASL_AUTHENTICATE.id(), r -> Reply.respond(body(new SaslAuthenticateResponse()
                .setAuthBytes(ByteBuffer.allocate(0)), r.apiVersion())));
        startClient(sasl("PLAIN"));
        readyNode();

        // one exchange per connection: the bootstrap one, then node 1's
        assertThat(authBytesReceived()).isNotEmpty().containsOnly("\0" + USER + "\0" + PASSWORD);
        assertThat(transports.sentContains(PASSWORD)).as("the password went through a buffer handed to write")
                .isTrue();
        assertNoBufferHandedToTheSocketHolds(PASSWORD);

        sendMetadata(); // an ordinary request through the same staging buffer
        assertNoBufferHandedToTheSocketHolds(PASSWORD);
    }

    @Test
    void aScramClientProofReachesTheBrokerButStaysInNoBufferHandedToTheSocket() {
        startBroker(FakeBroker.builder(), "SCRAM-SHA-256");
        Map<Long, ScramServer> servers = new ConcurrentHashMap<>();
        broker.handle(ApiKey.SASL_AUTHENTICATE.id(), r -> {
            SaslAuthenticateRequest request = read(new SaslAuthenticateRequest(), r);
            byte[] answer = servers.computeIfAbsent(r.connectionId(), id -> new ScramServer())
                    .answer(bytes(request.authBytes()));
            return Reply.respond(body(new SaslAuthenticateResponse().setAuthBytes(ByteBuffer.wrap(answer)),
                    r.apiVersion()));
        });
        startClient(sasl("SCRAM-SHA-256"));
        readyNode(); // the client checked the server signature, so the broker saw the right proof

        // Client-first and client-final per connection (the bootstrap one, then node 1's). Every proof is checked:
        // a later exchange's frame lands on the same staging bytes, so an earlier proof may be overwritten anyway.
        List<String> clientFinals = authBytesReceived().stream().filter(m -> m.contains(",p=")).toList();
        assertThat(clientFinals).isNotEmpty();
        for (String clientFinal : clientFinals) {
            String proof = clientFinal.substring(clientFinal.indexOf(",p="));
            assertThat(proof).hasSize(",p=".length() + 44); // base64 of a 32-byte SHA-256 proof
            assertThat(transports.sentContains(proof)).as("the proof went through a buffer handed to write").isTrue();
            assertNoBufferHandedToTheSocketHolds(proof);
        }

        sendMetadata();
        for (String clientFinal : clientFinals) {
            assertNoBufferHandedToTheSocketHolds(clientFinal.substring(clientFinal.indexOf(",p=")));
        }
    }

    /**
     * A broker older than 1.0 takes the SASL/PLAIN message as a raw token, a bare size-prefixed frame. The user name
     * is chosen so that the fake broker, which reads every frame as a request, parses the token: API key 107 ('k'),
     * a client id length with its top bit set (C3 A9, the UTF-8 bytes of U+00E9), so a null client id, and the body
     * {@code NUL password}.
     */
    @Test
    void aRawSaslTokenToABrokerBefore10ReachesItButStaysInNoBufferHandedToTheSocket() {
        String user = "kwireus\u00e9";
        short tokenAsApiKey = (short) user.charAt(0);
        startBroker(FakeBroker.builder().firstFlexibleVersion(tokenAsApiKey, -1), "PLAIN");
        broker.handle(tokenAsApiKey, r -> Reply.raw(new byte[4])); // the broker's empty token: authenticated
        startClient(sasl("PLAIN").saslPlainUsername(user).apiVersion(BrokerVersion.V0_11_0));
        readyNode();

        List<ReceivedRequest> tokens = broker.requests(tokenAsApiKey); // one per connection
        assertThat(tokens).isNotEmpty().allSatisfy(token -> {
            assertThat(token.clientId()).isNull();
            assertThat(new String(token.body(), UTF_8)).isEqualTo("\0" + PASSWORD);
        });
        assertThat(broker.requests(ApiKey.SASL_AUTHENTICATE.id())).isEmpty();
        assertThat(transports.sentContains(PASSWORD)).as("the token went through a buffer handed to write").isTrue();
        assertNoBufferHandedToTheSocketHolds(PASSWORD);

        sendMetadata();
        assertNoBufferHandedToTheSocketHolds(PASSWORD);
    }

    @Test
    void secretConfigValuesReachTheBrokerButStayInNoBufferHandedToTheSocket() {
        String alterSecret = "alter-c0nfig-s3cret-abc";
        String incrementalSecret = "incremental-c0nfig-s3cret-def";
        startBroker(FakeBroker.builder(), null);
        broker.handle(ApiKey.ALTER_CONFIGS.id(), r -> Reply.respond(body(new AlterConfigsResponse()
                .setResponses(new ArrayList<>()), r.apiVersion())));
        broker.handle(ApiKey.INCREMENTAL_ALTER_CONFIGS.id(), r -> Reply.respond(body(
                new IncrementalAlterConfigsResponse().setResponses(new ArrayList<>()), r.apiVersion())));
        startClient(KafkaClientConfig.builder().bootstrapServers(broker.bootstrapServers()));
        readyNode();

        AlterConfigsRequest alter = new AlterConfigsRequest().setResources(new ArrayList<>(List.of(
                new AlterConfigsRequest.AlterConfigsResource().setResourceType((byte) 4).setResourceName("1")
                        .setConfigs(new ArrayList<>(List.of(new AlterConfigsRequest.AlterableConfig()
                                .setName("ssl.keystore.password").setValue(alterSecret)))))));
        IncrementalAlterConfigsRequest incremental = new IncrementalAlterConfigsRequest().setResources(
                new ArrayList<>(List.of(new IncrementalAlterConfigsRequest.AlterConfigsResource()
                        .setResourceType((byte) 4).setResourceName("1").setConfigs(new ArrayList<>(List.of(
                                new IncrementalAlterConfigsRequest.AlterableConfig().setName("ssl.key.password")
                                        .setConfigOperation((byte) 0).setValue(incrementalSecret)))))));
        CompletableFuture<AlterConfigsResponse> altered = client.send(NODE, alter);
        CompletableFuture<IncrementalAlterConfigsResponse> incremented = client.send(NODE, incremental);
        client.poll(Duration.ofSeconds(10), CompletableFuture.allOf(altered, incremented));
        assertThat(altered).isCompleted();
        assertThat(incremented).isCompleted();

        ReceivedRequest alterAtBroker = broker.requests(ApiKey.ALTER_CONFIGS.id()).get(0);
        assertThat(read(new AlterConfigsRequest(), alterAtBroker).resources().get(0).configs().get(0).value())
                .isEqualTo(alterSecret);
        ReceivedRequest incrementalAtBroker = broker.requests(ApiKey.INCREMENTAL_ALTER_CONFIGS.id()).get(0);
        assertThat(read(new IncrementalAlterConfigsRequest(), incrementalAtBroker).resources().get(0).configs().get(0)
                .value()).isEqualTo(incrementalSecret);
        for (String secret : List.of(alterSecret, incrementalSecret)) {
            assertThat(transports.sentContains(secret)).as("%s went through a buffer handed to write", secret)
                    .isTrue();
            assertNoBufferHandedToTheSocketHolds(secret);
        }

        sendMetadata();
        assertNoBufferHandedToTheSocketHolds(alterSecret);
        assertNoBufferHandedToTheSocketHolds(incrementalSecret);
    }

    // ---------------------------------------------------------------- set-up

    /** A broker for API versions and metadata; with a mechanism, it also accepts that SASL mechanism. */
    private void startBroker(FakeBroker.Builder builder, String mechanism) {
        broker = builder.start();
        broker.handle(ApiKey.API_VERSIONS.id(), r -> Reply.respond(body(apiVersions(), r.apiVersion())));
        broker.handle(ApiKey.METADATA.id(), r -> Reply.respond(body(metadata(), r.apiVersion())));
        if (mechanism != null) {
            broker.handle(ApiKey.SASL_HANDSHAKE.id(), r -> Reply.respond(body(new SaslHandshakeResponse()
                    .setMechanisms(new ArrayList<>(List.of(mechanism))), r.apiVersion())));
        }
    }

    private KafkaClientConfig.Builder sasl(String mechanism) {
        return KafkaClientConfig.builder().bootstrapServers(broker.bootstrapServers())
                .securityProtocol(SecurityProtocol.SASL_PLAINTEXT).saslMechanism(mechanism)
                .saslPlainUsername(USER).saslPlainPassword(PASSWORD);
    }

    private void startClient(KafkaClientConfig.Builder builder) {
        KafkaClientConfig config = builder.build();
        client = new KafkaClient(config, transports, SecurityFactories.authenticatorFactory(config));
    }

    private void readyNode() {
        pollUntil("metadata", () -> client.cluster().lastUpdate().isPresent());
        pollUntil("node " + NODE + " ready", () -> client.ready(NODE, false));
    }

    private void sendMetadata() {
        int before = broker.requests(ApiKey.METADATA.id()).size();
        CompletableFuture<MetadataResponse> f = client.send(NODE, new MetadataRequest().setTopics(new ArrayList<>()));
        client.poll(Duration.ofSeconds(10), f);
        assertThat(f).isCompleted();
        assertThat(broker.requests(ApiKey.METADATA.id())).hasSizeGreaterThan(before);
    }

    private void pollUntil(String what, BooleanSupplier condition) {
        Polling.pollUntil(client, Duration.ofSeconds(10), what, condition);
    }

    /** The SASL messages the broker received in SaslAuthenticate requests, in order. */
    private List<String> authBytesReceived() {
        List<String> out = new ArrayList<>();
        for (ReceivedRequest r : broker.requests(ApiKey.SASL_AUTHENTICATE.id())) {
            out.add(new String(bytes(read(new SaslAuthenticateRequest(), r).authBytes()), UTF_8));
        }
        return out;
    }

    // ---------------------------------------------------------------- the check

    private void assertNoBufferHandedToTheSocketHolds(String secret) {
        byte[] needle = secret.getBytes(UTF_8);
        assertThat(transports.buffers).as("buffers handed to write").isNotEmpty();
        for (ByteBuffer b : transports.buffers) {
            assertThat(indexOf(b, needle)).as("offset of %s in a %s buffer of %d bytes handed to write", secret,
                    b.isDirect() ? "direct" : "heap", b.capacity()).isEqualTo(-1);
        }
    }

    /**
     * Where {@code needle} starts in the whole storage of {@code buffer}, whatever its position and limit: the whole
     * backing array of a heap buffer, absolute gets from 0 to the capacity otherwise (direct buffers); -1 if nowhere.
     */
    private static int indexOf(ByteBuffer buffer, byte[] needle) {
        byte[] storage;
        if (buffer.hasArray()) {
            storage = buffer.array();
        } else {
            ByteBuffer all = buffer.duplicate().clear(); // absolute gets stop at the limit: lift it to the capacity
            storage = new byte[all.capacity()];
            for (int i = 0; i < storage.length; i++) {
                storage[i] = all.get(i);
            }
        }
        return indexOf(storage, needle);
    }

    /** Where {@code needle} first occurs in {@code haystack}, or -1 (Latin-1 maps each byte to one char). */
    private static int indexOf(byte[] haystack, byte[] needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).indexOf(new String(needle, StandardCharsets.ISO_8859_1));
    }

    /**
     * Plain TCP transports that remember every buffer handed to {@code write} (by identity) and, per connection, the
     * bytes the socket took from them. Touched only by the thread that polls the client.
     */
    private static final class RecordingTransports implements TransportFactory {

        final Set<ByteBuffer> buffers = Collections.newSetFromMap(new IdentityHashMap<>());
        final List<ByteArrayOutputStream> sent = new ArrayList<>();

        @Override
        public Transport create(SocketChannel channel, Node node) throws IOException {
            Transport real = TransportFactory.PLAINTEXT.create(channel, node);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            sent.add(out);
            return new ForwardingTransport(real) {
                @Override
                public int write(ByteBuffer src) throws IOException {
                    buffers.add(src);
                    int start = src.position();
                    int n = delegate.write(src);
                    for (int i = start; i < start + n; i++) {
                        out.write(src.get(i));
                    }
                    return n;
                }
            };
        }

        /** Whether the bytes of {@code text} went out on some connection. */
        boolean sentContains(String text) {
            byte[] needle = text.getBytes(UTF_8);
            return sent.stream().anyMatch(out -> indexOf(out.toByteArray(), needle) >= 0);
        }
    }

    /**
     * RFC 5802 server side of SCRAM-SHA-256 for {@link #USER} and {@link #PASSWORD}, written from the RFC rather than
     * from the client code: answers client-first with server-first, and client-final with the server signature the
     * client checks (so the client completes only if both sides derived the same keys). Runs on the broker's thread.
     */
    private static final class ScramServer {

        private final byte[] salt = "kwire-test-salt!".getBytes(UTF_8);
        private String clientFirstBare;
        private String serverFirst;

        byte[] answer(byte[] message) {
            String s = new String(message, UTF_8);
            if (clientFirstBare == null) {
                clientFirstBare = s.substring(s.indexOf("n=" + USER)); // after the GS2 header "n,,"
                String nonce = clientFirstBare.substring(clientFirstBare.indexOf(",r=") + 3) + "fake-broker-nonce";
                serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i="
                        + SCRAM_ITERATIONS;
                return serverFirst.getBytes(UTF_8);
            }
            String withoutProof = s.substring(0, s.indexOf(",p="));
            try {
                byte[] saltedPassword = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(
                        new PBEKeySpec(PASSWORD.toCharArray(), salt, SCRAM_ITERATIONS, 256)).getEncoded();
                byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(UTF_8);
                byte[] serverKey = hmac(saltedPassword, "Server Key".getBytes(UTF_8));
                return ("v=" + Base64.getEncoder().encodeToString(hmac(serverKey, authMessage))).getBytes(UTF_8);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        }
    }

    // ---------------------------------------------------------------- canned messages

    private static ApiVersionsResponse apiVersions() {
        List<ApiVersionsResponse.ApiVersion> keys = new ArrayList<>();
        for (ApiKey key : List.of(ApiKey.API_VERSIONS, ApiKey.SASL_HANDSHAKE, ApiKey.SASL_AUTHENTICATE,
                ApiKey.ALTER_CONFIGS, ApiKey.INCREMENTAL_ALTER_CONFIGS)) {
            keys.add(new ApiVersionsResponse.ApiVersion().setApiKey(key.id()).setMinVersion((short) 0)
                    .setMaxVersion(key.highestSupportedVersion()));
        }
        keys.add(new ApiVersionsResponse.ApiVersion().setApiKey(ApiKey.METADATA.id()).setMinVersion((short) 0)
                .setMaxVersion((short) 12));
        return new ApiVersionsResponse().setApiKeys(keys);
    }

    private MetadataResponse metadata() {
        return new MetadataResponse().setClusterId("fake-cluster").setControllerId(NODE).setBrokers(new ArrayList<>(
                List.of(new MetadataResponse.MetadataResponseBroker().setNodeId(NODE).setHost("127.0.0.1")
                        .setPort(broker.port()))));
    }

    private static byte[] body(ApiMessage message, short version) {
        return Polling.body(message, version);
    }

    private static <M extends ApiMessage> M read(M message, ReceivedRequest request) {
        message.read(new ByteReader(request.bodyBuffer()), request.apiVersion());
        return message;
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
