package io.kwire.protocol.records;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.header.internals.RecordHeader;

/** Seeded random records, and converters to kwire's and kafka-clients' input types. */
final class RandomRecords {

    record Rec(long timestamp, byte[] key, byte[] value, List<Header> headers) {
        org.apache.kafka.common.header.Header[] kafkaHeaders() {
            return headers.stream()
                    .map(h -> new RecordHeader(h.key(), h.valueBytes()))
                    .toArray(org.apache.kafka.common.header.Header[]::new);
        }

        Header[] kwireHeaders() {
            return headers.toArray(new Header[0]);
        }
    }

    private static final String[] HEADER_KEYS = {"trace-id", "", "content-type", "clé-ünïcødé", "emoji-\uD83D\uDE00",
        "k"};

    private RandomRecords() {
    }

    /**
     * {@code count} records; values mix compressible text-like bytes, random bytes and nulls, and every so often
     * one large value (to cross codec block boundaries: 16 KiB gzip buffer, 32 KiB snappy, 64 KiB lz4).
     */
    static List<Rec> generate(long seed, int count, boolean withTimestamps) {
        Random rnd = new Random(seed);
        long base = 1_700_000_000_000L + rnd.nextInt(1_000_000);
        List<Rec> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long ts = withTimestamps ? base + rnd.nextInt(20_000) - 5_000 : -1L;
            byte[] key = rnd.nextInt(5) == 0 ? null : bytes(rnd, rnd.nextInt(40));
            byte[] value;
            int kind = rnd.nextInt(20);
            if (kind == 0) {
                value = null;
            } else if (kind == 1) {
                value = bytes(rnd, 20_000 + rnd.nextInt(120_000));
            } else {
                value = bytes(rnd, rnd.nextInt(600));
            }
            List<Header> headers = new ArrayList<>();
            int hc = rnd.nextInt(4);
            for (int h = 0; h < hc; h++) {
                String k = HEADER_KEYS[rnd.nextInt(HEADER_KEYS.length)];
                headers.add(Header.of(k, rnd.nextInt(4) == 0 ? null : bytes(rnd, rnd.nextInt(30))));
            }
            out.add(new Rec(ts, key, value, headers));
        }
        return out;
    }

    /** Half the time compressible (words from a small vocabulary), half the time random bytes. */
    static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        if (rnd.nextBoolean()) {
            rnd.nextBytes(b);
        } else {
            String[] words = {"kafka ", "record ", "batch ", "kwire ", "offset ", "{\"id\":", "42, ", "value"};
            int p = 0;
            while (p < n) {
                byte[] w = words[rnd.nextInt(words.length)].getBytes(StandardCharsets.UTF_8);
                int k = Math.min(w.length, n - p);
                System.arraycopy(w, 0, b, p, k);
                p += k;
            }
        }
        return b;
    }

    static ByteBuffer wrap(byte[] b) {
        return b == null ? null : ByteBuffer.wrap(b);
    }
}
