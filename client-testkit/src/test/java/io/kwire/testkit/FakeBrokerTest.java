package io.kwire.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.protocol.ApiKey;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FakeBrokerTest {

    private static final byte[] BODY = {0, 0, 1, 2, 3, 4, 5};
    private static final byte[] API_VERSIONS_V0 = Wire.request(18, 0, 7, "kwire-test", false, new byte[0]);

    private FakeBroker broker;
    private Socket socket;

    @BeforeEach
    void start() {
        broker = FakeBroker.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (socket != null) {
            socket.close();
        }
        broker.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", broker.port()), 2000);
        s.setSoTimeout(5000);
        s.setTcpNoDelay(true);
        socket = s;
        return s;
    }

    private static void send(Socket s, byte[] bytes) throws IOException {
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
    }

    private static void assertEof(Socket s) throws IOException {
        assertThat(s.getInputStream().read()).isEqualTo(-1);
    }

    @Test
    void respondsWithBodyAndEchoedCorrelationIdAndRecordsTheRequest() throws Exception {
        broker.handle(18, RequestHandler.always(Reply.respond(BODY)));
        Socket s = connect();
        send(s, API_VERSIONS_V0);
        byte[] frame = Wire.readFrame(s);
        ByteBuffer b = ByteBuffer.wrap(frame);
        assertThat(b.getInt()).isEqualTo(7);
        byte[] body = new byte[b.remaining()];
        b.get(body);
        assertThat(body).isEqualTo(BODY);

        assertThat(broker.awaitRequests(1, Duration.ofSeconds(5))).isTrue();
        ReceivedRequest r = broker.requests().get(0);
        assertThat(r.apiKey()).isEqualTo((short) 18);
        assertThat(r.apiVersion()).isEqualTo((short) 0);
        assertThat(r.correlationId()).isEqualTo(7);
        assertThat(r.clientId()).isEqualTo("kwire-test");
        assertThat(r.headerVersion()).isEqualTo(1);
        assertThat(r.body()).isEmpty();
        assertThat(r.connectionId()).isEqualTo(1);
        assertThat(r.receivedNanos()).isLessThanOrEqualTo(System.nanoTime());
        assertThat(broker.requestCount()).isEqualTo(1);
        assertThat(broker.connectionCount()).isEqualTo(1);
        assertThat(broker.openConnectionCount()).isEqualTo(1);
    }

    @Test
    void parsesFlexibleHeadersSkipsTaggedFieldsAndUsesTheRightResponseHeader() throws Exception {
        broker.handle(3, RequestHandler.always(Reply.respond(BODY)));
        broker.handle(18, RequestHandler.always(Reply.respond(BODY)));
        broker.handle(32, RequestHandler.always(Reply.respond(BODY).withResponseHeaderVersion(0)));
        Socket s = connect();

        // Metadata v12 (flexible) with a null client id and one header tagged field (tag 5, 3 bytes)
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        DataOutputStream f = new DataOutputStream(frame);
        byte[] body = {0, 1, 0, 0};
        f.writeInt(2 + 2 + 4 + 2 + 1 + 1 + 1 + 3 + body.length);
        f.writeShort(3);
        f.writeShort(12);
        f.writeInt(99);
        f.writeShort(-1);
        f.writeByte(1); // one tagged field
        f.writeByte(5);
        f.writeByte(3);
        f.write(new byte[] {9, 9, 9});
        f.write(body);
        send(s, frame.toByteArray());
        DataInputStream resp = new DataInputStream(new java.io.ByteArrayInputStream(Wire.readFrame(s)));
        assertThat(resp.readInt()).isEqualTo(99);
        assertThat(resp.readUnsignedByte()).as("empty response header tagged fields").isZero();
        assertThat(resp.readAllBytes()).isEqualTo(BODY);

        ReceivedRequest r = broker.requests().get(0);
        assertThat(r.clientId()).isNull();
        assertThat(r.flexible()).isTrue();
        assertThat(r.body()).isEqualTo(body);

        // ApiVersions v3 is flexible, but its response header stays v0
        send(s, Wire.request(18, 3, 100, "c", true, new byte[] {2, 'k', 2, '1', 0}));
        resp = new DataInputStream(new java.io.ByteArrayInputStream(Wire.readFrame(s)));
        assertThat(resp.readInt()).isEqualTo(100);
        assertThat(resp.readAllBytes()).isEqualTo(BODY);
        assertThat(broker.requests().get(1).body()).isEqualTo(new byte[] {2, 'k', 2, '1', 0});

        // forced header version; DescribeConfigs (32) v4 is flexible according to ApiKey
        send(s, Wire.request(32, 4, 101, "c", true, new byte[] {7}));
        resp = new DataInputStream(new java.io.ByteArrayInputStream(Wire.readFrame(s)));
        assertThat(resp.readInt()).isEqualTo(101);
        assertThat(resp.readAllBytes()).isEqualTo(BODY);
        assertThat(broker.requests().get(2).body()).isEqualTo(new byte[] {7});
        assertThat(broker.requests().get(2).flexible()).isTrue();
    }

    @Test
    void firstFlexibleVersionCanBeSet() throws Exception {
        try (FakeBroker b = FakeBroker.builder().firstFlexibleVersion(18, -1).firstFlexibleVersion(700, 1).start()) {
            b.defaultHandler(RequestHandler.always(Reply.respond(BODY)));
            try (Socket s = new Socket("127.0.0.1", b.port())) {
                s.setSoTimeout(5000);
                send(s, Wire.request(18, 3, 1, "c", false, new byte[] {1}));
                Wire.readFrame(s);
                send(s, Wire.request(700, 1, 2, "c", true, new byte[] {2}));
                byte[] frame = Wire.readFrame(s);
                assertThat(frame).hasSize(4 + 1 + BODY.length); // header v1
            }
            assertThat(b.requests()).extracting(ReceivedRequest::flexible).containsExactly(false, true);
            assertThat(b.requests()).extracting(r -> r.body()[0]).containsExactly((byte) 1, (byte) 2);
        }
    }

    @Test
    void everyApiTheClientKnowsIsFlexibleFromItsFirstFlexibleVersionUnlessOverridden() {
        short[] table = FakeBroker.FlexibleVersions.table(Map.of((short) 3, (short) -1));
        for (ApiKey key : ApiKey.values()) {
            short expected = key == ApiKey.METADATA ? -1 : key.firstFlexibleVersion();
            assertThat(table[key.id()]).as(key.name()).isEqualTo(expected);
        }
    }

    @Test
    void anApiKeyTheClientDoesNotKnowIsNotFlexible() throws Exception {
        broker.defaultHandler(RequestHandler.always(Reply.respond(BODY)));
        Socket s = connect();
        send(s, Wire.request(700, 9, 3, "c", false, new byte[] {0, 5}));
        assertThat(Wire.readFrame(s)).hasSize(4 + BODY.length); // response header v0
        ReceivedRequest r = broker.requests().get(0);
        assertThat(r.flexible()).isFalse();
        assertThat(r.body()).isEqualTo(new byte[] {0, 5}); // a header tagged-field section would have taken the 0
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        broker.handle(18, RequestHandler.always(Reply.respond(BODY)));
        Socket s = connect();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 500; i++) {
            all.write(Wire.request(18, 0, i, "c", false, new byte[0]));
        }
        send(s, all.toByteArray());
        for (int i = 0; i < 500; i++) {
            assertThat(ByteBuffer.wrap(Wire.readFrame(s)).getInt()).isEqualTo(i);
        }
        assertThat(broker.requestCount()).isEqualTo(500);
    }

    @Test
    void readsFramesLargerThanTheReadBuffer() throws Exception {
        broker.handle(0, RequestHandler.always(Reply.respond(BODY)));
        Socket s = connect();
        byte[] big = new byte[300_000];
        big[299_999] = 42;
        send(s, Wire.request(0, 9, 5, "c", true, big));
        assertThat(ByteBuffer.wrap(Wire.readFrame(s)).getInt()).isEqualTo(5);
        assertThat(broker.requests().get(0).body()).hasSize(300_000).endsWith((byte) 42);
    }

    @Test
    void delayedReplyArrivesLateAndHoldsBackLaterOnes() throws Exception {
        broker.handle(18, RequestHandler.sequence(Reply.respond(BODY).delayed(Duration.ofMillis(400)),
                Reply.respond(BODY)));
        Socket s = connect();
        long t0 = System.nanoTime();
        send(s, Wire.request(18, 0, 1, "c", false, new byte[0]));
        send(s, Wire.request(18, 0, 2, "c", false, new byte[0]));
        assertThat(ByteBuffer.wrap(Wire.readFrame(s)).getInt()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(380));
        assertThat(ByteBuffer.wrap(Wire.readFrame(s)).getInt()).isEqualTo(2);
    }

    @Test
    void stallNeverAnswersButKeepsTheConnectionOpen() throws Exception {
        broker.handle(18, RequestHandler.always(Reply.stall()));
        Socket s = connect();
        s.setSoTimeout(500);
        send(s, API_VERSIONS_V0);
        send(s, API_VERSIONS_V0);
        assertThat(broker.awaitRequests(2, Duration.ofSeconds(5))).isTrue();
        assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        assertThat(broker.openConnectionCount()).isEqualTo(1);
    }

    @Test
    void closeConnectionClosesIt() throws Exception {
        broker.handle(18, RequestHandler.always(Reply.closeConnection()));
        Socket s = connect();
        send(s, API_VERSIONS_V0);
        assertEof(s);
    }

    @Test
    void closeMidResponseWritesHalfAFrame() throws Exception {
        byte[] body = new byte[100];
        broker.handle(18, RequestHandler.always(Reply.closeMidResponse(body)));
        Socket s = connect();
        send(s, API_VERSIONS_V0);
        byte[] got = Wire.readToEof(s, 1000);
        assertThat(got).hasSize((4 + 4 + 100) / 2);
        assertThat(ByteBuffer.wrap(got).getInt()).isEqualTo(104);
        assertThat(ByteBuffer.wrap(got).getInt(4)).isEqualTo(7);
    }

    @Test
    void garbageIsWrittenRaw() throws Exception {
        Reply garbage = Reply.garbage(64);
        broker.handle(18, RequestHandler.always(garbage));
        Socket s = connect();
        send(s, API_VERSIONS_V0);
        byte[] got = new byte[64];
        new DataInputStream(s.getInputStream()).readFully(got);
        assertThat(got).isNotEqualTo(new byte[64]);
        send(s, API_VERSIONS_V0);
        byte[] again = new byte[64];
        new DataInputStream(s.getInputStream()).readFully(again);
        assertThat(again).isEqualTo(got);
        assertThat(Reply.raw(new byte[] {1, 2}).toString()).contains("RAW");
    }

    @Test
    void oversizedFrameHeaderAnnouncesTwoGigabytes() throws Exception {
        broker.handle(18, RequestHandler.always(Reply.oversizedFrame()));
        Socket s = connect();
        s.setSoTimeout(500);
        send(s, API_VERSIONS_V0);
        DataInputStream in = new DataInputStream(s.getInputStream());
        assertThat(in.readInt()).isEqualTo(Integer.MAX_VALUE);
        assertThat(in.readInt()).isEqualTo(7);
        assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void wrongCorrelationId() throws Exception {
        broker.handle(18, RequestHandler.sequence(Reply.wrongCorrelationId(BODY),
                Reply.respond(BODY).withCorrelationId(-5)));
        Socket s = connect();
        send(s, API_VERSIONS_V0);
        assertThat(ByteBuffer.wrap(Wire.readFrame(s)).getInt()).isEqualTo(8);
        send(s, API_VERSIONS_V0);
        assertThat(ByteBuffer.wrap(Wire.readFrame(s)).getInt()).isEqualTo(-5);
    }

    @Test
    void tlsRecordLooksLikeAnSslListener() throws Exception {
        broker.handle(18, RequestHandler.always(Reply.tlsRecord()));
        Socket s = connect();
        send(s, API_VERSIONS_V0);
        DataInputStream in = new DataInputStream(s.getInputStream());
        assertThat(in.readUnsignedByte()).isEqualTo(0x16); // handshake record
        assertThat(in.readUnsignedByte()).isEqualTo(0x03);
        assertThat(in.readUnsignedByte()).isEqualTo(0x03);
    }

    @Test
    void tlsAlertThenClose() throws Exception {
        broker.handle(18, RequestHandler.always(Reply.tlsAlertAndClose()));
        Socket s = connect();
        send(s, API_VERSIONS_V0);
        assertThat(Wire.readToEof(s, 100)).containsExactly(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28);
    }

    @Test
    void defaultHandlerClosesOrAnswersCanned() throws Exception {
        Socket s = connect();
        send(s, Wire.request(3, 4, 1, "c", false, new byte[] {-1, -1, -1, -1, 0}));
        assertEof(s);
        assertThat(broker.requests(3)).hasSize(1);

        broker.defaultHandler(RequestHandler.always(Reply.respond(BODY)));
        broker.handle(18, r -> null); // null: falls through to the default handler
        Socket s2 = connect();
        send(s2, Wire.request(3, 4, 2, "c", false, new byte[0]));
        assertThat(ByteBuffer.wrap(Wire.readFrame(s2)).getInt()).isEqualTo(2);
        send(s2, API_VERSIONS_V0);
        assertThat(ByteBuffer.wrap(Wire.readFrame(s2)).getInt()).isEqualTo(7);
        broker.unhandle(18);
        s2.close();
    }

    @Test
    void handlerExceptionClosesTheConnection() throws Exception {
        broker.handle(18, r -> {
            throw new IllegalStateException("boom");
        });
        Socket s = connect();
        send(s, API_VERSIONS_V0);
        assertEof(s);
    }

    @Test
    void refusesAndAcceptsAgainOnTheSamePort() throws Exception {
        int port = broker.port();
        broker.acceptConnections(false);
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        broker.acceptConnections(true);
        broker.handle(18, RequestHandler.always(Reply.respond(BODY)));
        Socket s = connect();
        send(s, API_VERSIONS_V0);
        assertThat(ByteBuffer.wrap(Wire.readFrame(s)).getInt()).isEqualTo(7);
        assertThat(broker.port()).isEqualTo(port);
    }

    @Test
    void dropsNewConnections() throws Exception {
        broker.dropNewConnections(true);
        Socket s = connect();
        assertEof(s);
        assertThat(broker.connectionCount()).isEqualTo(1);
        assertThat(broker.openConnectionCount()).isZero();
        broker.dropNewConnections(false);
        broker.handle(18, RequestHandler.always(Reply.respond(BODY)));
        Socket s2 = connect();
        send(s2, API_VERSIONS_V0);
        assertThat(ByteBuffer.wrap(Wire.readFrame(s2)).getInt()).isEqualTo(7);
    }

    @Test
    void countsAndClosesConnections() throws Exception {
        broker.handle(18, RequestHandler.always(Reply.respond(BODY)));
        Socket a = new Socket("127.0.0.1", broker.port());
        Socket b = new Socket("127.0.0.1", broker.port());
        a.setSoTimeout(5000);
        b.setSoTimeout(5000);
        assertThat(broker.awaitConnections(2, Duration.ofSeconds(5))).isTrue();
        send(a, API_VERSIONS_V0);
        send(b, API_VERSIONS_V0);
        Wire.readFrame(a);
        Wire.readFrame(b);
        assertThat(broker.openConnectionCount()).isEqualTo(2);
        assertThat(broker.requests()).extracting(ReceivedRequest::connectionId).containsExactlyInAnyOrder(1L, 2L);
        broker.closeAllConnections();
        assertEof(a);
        assertEof(b);
        assertThat(broker.openConnectionCount()).isZero();
        assertThat(broker.connectionCount()).isEqualTo(2);
        broker.clearRequests();
        assertThat(broker.requests()).isEmpty();
        assertThat(broker.requestCount()).isEqualTo(2);
        a.close();
        b.close();
    }

    @Test
    void badFrameSizeClosesTheConnection() throws Exception {
        Socket s = connect();
        send(s, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe});
        assertEof(s);
        Socket s2 = connect();
        send(s2, new byte[] {0, 0, 0, 3, 0, 18, 0}); // shorter than a request header
        assertEof(s2);
    }

    @Test
    void awaitRequestsTimesOut() throws Exception {
        assertThat(broker.awaitRequests(1, Duration.ofMillis(50))).isFalse();
    }

    @Test
    void closeStopsTheThreadAndFreesThePort() throws Exception {
        int port = broker.port();
        Socket s = connect();
        assertThat(broker.awaitConnections(1, Duration.ofSeconds(5))).isTrue();
        broker.close();
        broker.close(); // idempotent
        assertEof(s);
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .doesNotContain("kwire-fake-broker-" + port);
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> broker.closeAllConnections()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void recordingCanBeTurnedOff() throws Exception {
        try (FakeBroker b = FakeBroker.builder().recordRequests(false).start()) {
            b.handle(18, RequestHandler.always(Reply.respond(BODY)));
            try (Socket s = new Socket("127.0.0.1", b.port())) {
                s.setSoTimeout(5000);
                send(s, API_VERSIONS_V0);
                Wire.readFrame(s);
            }
            assertThat(b.requestCount()).isEqualTo(1);
            assertThat(b.requests()).isEmpty();
            assertThat(b.bootstrapServers()).isEqualTo("127.0.0.1:" + b.port());
        }
    }

    @Test
    void sequenceRepeatsTheLastReply() {
        Reply one = Reply.respond(BODY);
        Reply two = Reply.stall();
        RequestHandler h = RequestHandler.sequence(one, two);
        assertThat(List.of(h.handle(null), h.handle(null), h.handle(null))).containsExactly(one, two, two);
    }
}
