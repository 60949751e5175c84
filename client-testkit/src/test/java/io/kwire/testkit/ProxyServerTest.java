package io.kwire.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The proxy servers start on a free loopback port, hand out their URL, and leave no process or port behind. */
@Timeout(60)
class ProxyServerTest {

    @Test
    void bothServersStartAndStopCleanly() throws Exception {
        for (ProxyServer.Builder builder : List.of(ProxyServer.dante(), ProxyServer.tinyproxy())) {
            ProxyServer server = builder.start();
            int port = server.port();
            List<ProcessHandle> processes;
            try {
                assertThat(server.url()).matches("(socks5|http)://127\\.0\\.0\\.1:" + port);
                assertThat(server.url("a b", "p@ss")).contains("://a%20b:p%40ss@127.0.0.1:" + port);
                assertThat(accepts(port)).isTrue();
                processes = ProcessHandle.current().descendants()
                        .filter(p -> p.info().command().orElse("").matches(".*/(danted|tinyproxy)")).toList();
                assertThat(processes).isNotEmpty();
            } finally {
                server.close();
            }
            assertThat(processes).noneMatch(ProcessHandle::isAlive);
            assertThat(accepts(port)).as("%s's port after close", server).isFalse();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
