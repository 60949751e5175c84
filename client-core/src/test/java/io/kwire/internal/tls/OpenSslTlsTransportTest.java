package io.kwire.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.TlsEngine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@link TlsTransportTest} again with {@link TlsEngine#OPENSSL}: BoringSSL through netty-tcnative
 * (a test dependency of this module) against the JDK's TLS server, so the engine that wraps into direct memory
 * meets the same handshakes, large and small writes, post-handshake messages, refusals and buffer rules.
 */
class OpenSslTlsTransportTest extends TlsTransportTest {

    @Override
    TlsEngine engine() {
        return TlsEngine.OPENSSL;
    }

    /**
     * Netty's engine takes one buffer per record and leaves a copy of heap plaintext in Netty's pooled memory: small
     * buffers (a request's header and body, a SASL token) are gathered into one record through the thread's
     * plaintext buffer instead, which holds none of them once the write returns.
     */
    @Test
    void smallBuffersGoOutAsOneRecordAndLeaveNoPlaintextBehind() throws Exception {
        CompletableFuture<Long> echoed = startEchoServer(localhost, null, false);
        TlsTransport t = connect(tls().build());
        assertThat(t.engine().getClass().getName()).startsWith("io.netty.handler.ssl.");
        ByteBuffer plaintext = TlsBuffers.current().plaintext();
        byte[] secret = "sasl-secret-password-7731".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer[] srcs = new ByteBuffer[10];
        for (int i = 0; i < srcs.length; i++) {
            srcs[i] = ByteBuffer.wrap(secret.clone());
        }
        long before = t.gatheredRecords();
        byte[] back = echoGathered(t, srcs);
        assertThat(t.gatheredRecords() - before).as("ten buffers, one record").isEqualTo(1);
        assertThat(back).hasSize(10 * secret.length);
        assertThat(new String(back, StandardCharsets.US_ASCII)).isEqualTo(
                new String(secret, StandardCharsets.US_ASCII).repeat(10));
        assertThat(TlsBuffers.current().plaintext()).as("the thread's one plaintext buffer").isSameAs(plaintext);
        assertPlaintextBufferZeroed();
        t.close();
        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo(10L * secret.length);
    }

    /**
     * A heap buffer larger than a record (a produced batch) is copied into the thread's plaintext buffer a record at
     * a time rather than handed to Netty, which would copy it into its pooled memory and leave it there; the part of
     * the plaintext buffer the write used is zeroed before the write returns.
     */
    @Test
    void aLargeHeapBufferGoesThroughThePlaintextBufferAndLeavesNothingThere() throws Exception {
        CompletableFuture<Long> echoed = startEchoServer(localhost, null, false);
        TlsTransport t = connect(tls().build());
        byte[] batch = new byte[100 * 1024 + 17];
        new Random(11).nextBytes(batch);
        long before = t.gatheredRecords();

        assertThat(echoGathered(t, new ByteBuffer[] {ByteBuffer.wrap(batch)})).isEqualTo(batch);

        assertThat(t.gatheredRecords() - before).as("records made through the plaintext buffer")
                .isEqualTo((batch.length + TlsBuffers.RECORD_PLAINTEXT - 1) / TlsBuffers.RECORD_PLAINTEXT);
        assertPlaintextBufferZeroed();
        t.close();
        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo((long) batch.length);
    }

    /**
     * Whatever mix a write is given, Netty's engine reads only direct memory (so it never copies plaintext into its
     * pool): heap buffers and short direct ones go through the plaintext buffer, a direct buffer with a record's worth
     * left at the start of a record as it is.
     */
    @Test
    void nettysEngineIsGivenOnlyDirectMemory() throws Exception {
        CompletableFuture<Long> echoed = startEchoServer(localhost, null, false);
        FailingEngine[] engine = new FailingEngine[1];
        TlsTransport t = connect(tls().build(), e -> engine[0] = new FailingEngine(e));
        Random random = new Random(19);
        byte[][] parts = {new byte[100], new byte[100 * 1024], new byte[40 * 1024], new byte[7]};
        ByteBuffer[] srcs = new ByteBuffer[parts.length];
        for (int i = 0; i < parts.length; i++) {
            random.nextBytes(parts[i]);
            srcs[i] = i == 2 ? ByteBuffer.allocateDirect(parts[i].length).put(parts[i]).flip()
                    : ByteBuffer.wrap(parts[i]);
        }
        byte[] expected = concat(srcs);

        assertThat(echoGathered(t, srcs)).isEqualTo(expected);

        assertThat(engine[0].sourcesDirect).isNotEmpty().containsOnly(true);
        assertPlaintextBufferZeroed();
        t.close();
        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo((long) expected.length);
    }

    /** A direct buffer that fills a record is Netty's to read as it is: no copy through the plaintext buffer. */
    @Test
    void aLargeDirectBufferIsWrappedWithoutACopy() throws Exception {
        CompletableFuture<Long> echoed = startEchoServer(localhost, null, false);
        TlsTransport t = connect(tls().build());
        byte[] batch = new byte[4 * TlsBuffers.RECORD_PLAINTEXT];
        new Random(13).nextBytes(batch);
        ByteBuffer direct = ByteBuffer.allocateDirect(batch.length).put(batch).flip();
        long before = t.gatheredRecords();

        assertThat(echoGathered(t, new ByteBuffer[] {direct})).isEqualTo(batch);

        assertThat(t.gatheredRecords() - before).as("records made through the plaintext buffer").isZero();
        t.close();
        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo((long) batch.length);
    }

    /**
     * The one case that differs: BoringSSL refuses a TLS 1.2 renegotiation (a Kafka broker never starts one), so
     * the connection fails at the broker's request with a TLS error, at once, instead of renegotiating.
     */
    @Override
    @Test
    void tls12RenegotiationFromTheServerWorks() throws Exception {
        Renegotiation r = renegotiation();
        assertThatThrownBy(() -> echo(r.transport(), r.data())).isInstanceOf(SSLException.class)
                .hasMessageContaining("TLS error on the connection to").hasMessageContaining("UNEXPECTED_RECORD");
        r.transport().close();
        assertThat(r.echoed().get(10, TimeUnit.SECONDS)).as("the server's echo ends with the connection").isNotNull();
    }
}
