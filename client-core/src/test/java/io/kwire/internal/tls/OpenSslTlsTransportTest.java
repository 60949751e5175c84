package io.kwire.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.TlsEngine;
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
