package io.kwire.client;

import io.kwire.errors.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks {@link KafkaClientConfig.Builder#build()} runs, each throwing a {@link ConfigException} whose message
 * names the key and what is allowed. Stateless; any thread.
 */
final class ConfigChecks {

    static final int DEFAULT_PORT = 9092;

    /** Time is kept in nanoseconds by the network layer, so no duration may overflow a long of nanos (~292 years). */
    private static final Duration MAX_DURATION = Duration.ofNanos(Long.MAX_VALUE);

    private ConfigChecks() {
    }

    static <T> T required(String key, T value) {
        if (value == null) {
            throw new ConfigException(key, key + " must be set, got null");
        }
        return value;
    }

    static Duration atLeast(String key, Duration value, Duration min) {
        required(key, value);
        if (value.compareTo(min) < 0) {
            throw new ConfigException(key, key + " must be >= " + format(min) + ", got " + format(value));
        }
        return atMostMax(key, value);
    }

    static Duration between(String key, Duration value, Duration min, Duration max) {
        atLeast(key, value, min);
        if (value.compareTo(max) > 0) {
            throw new ConfigException(key, key + " must be <= " + format(max) + ", got " + format(value));
        }
        return value;
    }

    static Duration positive(String key, Duration value) {
        required(key, value);
        if (value.isNegative() || value.isZero()) {
            throw new ConfigException(key, key + " must be > 0 ms, got " + format(value));
        }
        return atMostMax(key, value);
    }

    /** 0 (which means {@code zeroMeans}), or at least {@code min}: a smaller value is surely a unit mix-up. */
    static Duration zeroOrAtLeast(String key, Duration value, Duration min, String zeroMeans) {
        required(key, value);
        if (value.isNegative() || (!value.isZero() && value.compareTo(min) < 0)) {
            throw new ConfigException(key, key + " must be 0 (" + zeroMeans + ") or >= " + format(min) + ", got "
                    + format(value));
        }
        return atMostMax(key, value);
    }

    /** {@code value >= other}, where {@code other} is the value of key {@code otherKey}. */
    static Duration atLeastKey(String key, Duration value, String otherKey, Duration other) {
        required(key, value);
        if (value.compareTo(other) < 0) {
            throw new ConfigException(key, key + " must be >= " + otherKey + " (" + format(other) + "), got "
                    + format(value));
        }
        return value;
    }

    private static Duration atMostMax(String key, Duration value) {
        if (value.compareTo(MAX_DURATION) > 0) {
            throw new ConfigException(key, key + " must be <= " + MAX_DURATION.toDays() + " days, got " + value);
        }
        return value;
    }

    static long atLeast(String key, long value, long min) {
        if (value < min) {
            throw new ConfigException(key, key + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    static int atLeast(String key, int value, int min) {
        if (value < min) {
            throw new ConfigException(key, key + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    /** A socket buffer size: {@code null} or -1 mean the OS default (as in Kafka), else at least 1 byte. */
    static Integer bufferSize(String key, Integer value) {
        if (value == null || value == -1) {
            return null;
        }
        if (value < 1) {
            throw new ConfigException(key, key + " must be >= 1 byte, or -1 for the OS default, got " + value);
        }
        return value;
    }

    static String format(Duration d) {
        if (d.getNano() % 1_000_000 == 0 && d.abs().getSeconds() < Long.MAX_VALUE / 1000) {
            return d.toMillis() + " ms";
        }
        return d.toString();
    }

    /**
     * Parses and normalizes bootstrap addresses: {@code host}, {@code host:port}, {@code [ipv6]} or
     * {@code [ipv6]:port}; the port defaults to 9092. Returned as {@code host:port} with IPv6 bracketed.
     */
    static List<String> bootstrapServers(List<String> servers) {
        String key = "bootstrapServers";
        required(key, servers);
        List<String> out = new ArrayList<>(servers.size());
        for (String raw : servers) {
            if (raw == null || raw.isBlank()) {
                throw new ConfigException(key, key + " entries must be host[:port], got an empty entry");
            }
            out.add(bootstrapServer(key, raw.strip()));
        }
        if (out.isEmpty()) {
            throw new ConfigException(key, key + " must list at least one host[:port], got none");
        }
        return List.copyOf(out);
    }

    private static String bootstrapServer(String key, String entry) {
        String host;
        String port = null;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw invalidAddress(key, entry, "missing ']'");
            }
            host = entry.substring(1, close);
            String rest = entry.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw invalidAddress(key, entry, "expected ':port' after ']'");
                }
                port = rest.substring(1);
            }
            if (host.isEmpty() || !host.matches("[0-9a-fA-F:.%a-zA-Z]+") || host.indexOf(':') < 0) {
                throw invalidAddress(key, entry, "not an IPv6 address");
            }
            host = "[" + host + "]";
        } else {
            int colon = entry.indexOf(':');
            if (colon >= 0 && entry.indexOf(':', colon + 1) >= 0) {
                throw invalidAddress(key, entry, "IPv6 addresses must be bracketed, e.g. [::1]:9092");
            }
            host = colon < 0 ? entry : entry.substring(0, colon);
            port = colon < 0 ? null : entry.substring(colon + 1);
            if (host.isEmpty() || !host.matches("[A-Za-z0-9._-]+")) {
                throw invalidAddress(key, entry, "not a host name or IPv4 address");
            }
        }
        int p = DEFAULT_PORT;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw invalidAddress(key, entry, "port must be 1..65535");
            }
        }
        return host + ":" + p;
    }

    private static ConfigException invalidAddress(String key, String entry, String why) {
        return new ConfigException(key, key + " entries must be host[:port] with port 1..65535 (IPv6 as [addr]:port),"
                + " got '" + entry + "': " + why);
    }

    static void readableFile(String key, Path file) {
        if (file != null && !(Files.isRegularFile(file) && Files.isReadable(file))) {
            throw new ConfigException(key, key + " must be a readable file, got " + file
                    + (Files.exists(file) ? " (not a readable regular file)" : " (does not exist)"));
        }
    }

    static List<String> nonBlankEntries(String key, List<String> values, boolean allowEmpty) {
        required(key, values);
        for (String v : values) {
            if (v == null || v.isBlank()) {
                throw new ConfigException(key, key + " entries must not be blank, got " + values);
            }
        }
        if (!allowEmpty && values.isEmpty()) {
            throw new ConfigException(key, key + " must list at least one entry, got none");
        }
        return List.copyOf(values.stream().map(String::strip).toList());
    }
}
