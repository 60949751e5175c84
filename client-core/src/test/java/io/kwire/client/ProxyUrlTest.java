package io.kwire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.errors.ConfigException;
import org.junit.jupiter.api.Test;

class ProxyUrlTest {

    @Test
    void parsesBothSchemesWithAndWithoutCredentialsPercentDecoded() {
        ProxyUrl socks = ProxyUrl.parse("SOCKS5://app:p%40ss%3Aw%C3%B6rd@proxy.example:1080");
        assertThat(socks.scheme()).isEqualTo(ProxyUrl.Scheme.SOCKS5);
        assertThat(socks.host()).isEqualTo("proxy.example");
        assertThat(socks.port()).isEqualTo(1080);
        assertThat(socks.username()).contains("app");
        assertThat(socks.password().orElseThrow().value()).isEqualTo("p@ss:w\u00f6rd");
        ProxyUrl http = ProxyUrl.parse(" http://[::1]:3128/ ");
        assertThat(http.scheme()).isEqualTo(ProxyUrl.Scheme.HTTP);
        assertThat(http.host()).isEqualTo("::1");
        assertThat(http.address()).isEqualTo("[::1]:3128");
        assertThat(http.username()).isEmpty();
        assertThat(http.password()).isEmpty();
        assertThat(ProxyUrl.parse("http://app@proxy:3128").password().orElseThrow().value()).isEmpty();
    }

    @Test
    void toStringAndTheConfigsToStringHideThePassword() {
        ProxyUrl url = ProxyUrl.parse("socks5://app:topsecret@proxy.example:1080");
        assertThat(url).hasToString("socks5://app:[hidden]@proxy.example:1080");
        KafkaClientConfig config = KafkaClientConfig.builder()
                .proxyUrl("socks5://app:topsecret@proxy.example:1080").build();
        assertThat(config.proxyUrl()).contains(url);
        assertThat(config.toString()).contains("proxyUrl=socks5://app:[hidden]@proxy.example:1080")
                .doesNotContain("topsecret");
        assertThat(config.toBuilder().build().proxyUrl()).contains(url);
    }

    @Test
    void blankMeansNoProxy() {
        assertThat(KafkaClientConfig.builder().proxyUrl("  ").build().proxyUrl()).isEmpty();
        assertThat(KafkaClientConfig.builder().proxyUrl((String) null).build().proxyUrl()).isEmpty();
        assertThat(KafkaClientConfig.builder().build().proxyUrl()).isEmpty();
    }

    @Test
    void badUrlsFailNamingTheKeyWhatToFixAndNeverThePassword() {
        String[][] cases = {
            {"ftp://u:topsecret@proxy:21", "scheme ftp://"},
            {"https://u:topsecret@proxy:443", "TLS to the proxy itself is not supported"},
            {"socks5h://u:topsecret@proxy:1080", "use socks5://"},
            {"socks5://u:topsecret@proxy", "has no port: add the proxy's port, e.g. :1080"},
            {"http://u:topsecret@proxy", "e.g. :3128"},
            {"socks5://u:topsecret@proxy:0", "outside 1-65535"},
            {"socks5://u:topsecret@proxy:1080/path", "has a path, query or fragment"},
            {"socks5://u:topsecret@pro_xy:1080", "has no host name"},
            {"socks5://u:top secret@proxy:1080", "is not a valid URL"},
            {"socks5://u:topsecret%zz@proxy:1080", "Malformed escape pair"},
            {"socks5://:topsecret@proxy:1080", "empty user name"},
            {"socks5://u@proxy:1080", "password of 0 bytes"},
            {"socks5://u:" + "topsecret".repeat(30) + "@proxy:1080", "password of 270 bytes"},
            {"http://u%3Av:topsecret@proxy:3128", "user name with ':'"},
            {"proxy:1080", "which kwire does not speak"},
            {"//u:topsecret@proxy:1080", "has no scheme"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> KafkaClientConfig.builder().proxyUrl(c[0]).build()).as(c[0])
                    .isInstanceOfSatisfying(ConfigException.class, e -> {
                        assertThat(e.key()).isEqualTo("proxyUrl");
                        assertThat(e.getMessage()).startsWith("proxyUrl ").contains(c[1])
                                .contains("socks5://[user:password@]host:port").doesNotContain("topsecret");
                    });
        }
    }

    @Test
    void canonicalBootstrapLookupIsRefusedWithAProxyThatResolvesNames() {
        assertThatThrownBy(() -> KafkaClientConfig.builder().proxyUrl("socks5://proxy:1080")
                .clientDnsLookup(ClientDnsLookup.RESOLVE_CANONICAL_BOOTSTRAP_SERVERS_ONLY).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("clientDnsLookup");
                    assertThat(e.getMessage()).contains("the proxy resolves broker names");
                });
    }
}
