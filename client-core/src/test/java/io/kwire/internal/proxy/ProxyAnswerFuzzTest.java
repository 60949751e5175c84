package io.kwire.internal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.ProxyUrl;
import io.kwire.errors.ProxyException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hostile proxy answers, in pieces of random size: a handshake either opens the tunnel, waits for more within its
 * bound, or fails with a {@link ProxyException} naming the broker; never another exception, never a read past its
 * bound. Seeded, so a failure repeats.
 */
class ProxyAnswerFuzzTest {

    private static final String BROKER = "node 7 (broker-7:9092)";

    @Test
    void socks5AnswersOpenWaitOrFailTyped() {
        SplittableRandom random = new SplittableRandom(20261207);
        int[] outcomes = new int[3];
        for (int round = 0; round < 20_000; round++) {
            ProxyUrl proxy = ProxyUrl.parse(random.nextBoolean() ? "socks5://p:1080" : "socks5://u:pw@p:1080");
            byte[] answer = new byte[random.nextInt(1, 300)];
            random.nextBytes(answer);
            if (random.nextInt(3) > 0) { // mostly a plausible start, so the later states are reached too
                answer[0] = 5;
                if (answer.length > 1) {
                    answer[1] = (byte) random.nextInt(3);
                }
            }
            outcomes[run(new Socks5Handshake(proxy, "broker-7", 9092, BROKER), answer, random)]++;
        }
        assertThat(outcomes[2]).as("refused").isGreaterThan(1_000);
    }

    @Test
    void httpAnswersOpenWaitOrFailTyped() {
        SplittableRandom random = new SplittableRandom(20261208);
        String[] starts = {"HTTP/1.1 200 OK\r\n", "HTTP/1.0 407 x\r\n", "HTTP/1.1 ", "HTTP/1.1 200 OK\r\n\r\n", ""};
        int[] outcomes = new int[3];
        for (int round = 0; round < 20_000; round++) {
            byte[] start = starts[random.nextInt(starts.length)].getBytes();
            byte[] answer = new byte[start.length + random.nextInt(0, 10_000)];
            System.arraycopy(start, 0, answer, 0, start.length);
            for (int i = start.length; i < answer.length; i++) {
                answer[i] = (byte) (random.nextInt(8) == 0 ? '\n' : random.nextInt(8) == 0 ? '\r'
                        : random.nextInt(256));
            }
            outcomes[run(new HttpConnectHandshake(ProxyUrl.parse("http://p:3128"), "broker-7", 9092, BROKER), answer,
                    random)]++;
        }
        assertThat(outcomes[2]).as("refused").isGreaterThan(1_000);
    }

    /** 0: still waiting, 1: open, 2: failed typed. */
    private static int run(ProxyHandshake h, byte[] answer, SplittableRandom random) {
        int at = 0;
        try {
            while (at < answer.length) {
                h.output().position(h.output().limit()); // whatever it sends has gone
                ByteBuffer in = h.inbox();
                if (!in.hasRemaining()) {
                    throw new AssertionError("the handshake takes no more bytes without having opened or failed");
                }
                int n = Math.min(Math.min(in.remaining(), answer.length - at), random.nextInt(1, 64));
                in.put(answer, at, n);
                at += n;
                if (h.received()) {
                    return 1;
                }
            }
            return 0;
        } catch (ProxyException e) {
            assertThat(e).hasMessageContaining(BROKER);
            return 2;
        }
    }
}
