package io.kwire.spring.boot.autoconfigure;

import io.kwire.client.KafkaClientConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps {@link KafkaClientConfig} keys (camelCase, as in {@link io.kwire.errors.ConfigException#key()}) to the
 * {@code kwire.client.*} properties that set them, so that errors speak the application's property names.
 * Stateless.
 */
final class KwireClientPropertyNames {

    static final String PREFIX = "kwire.client.";

    /** Keys whose property is not the plain kebab-case of the key. */
    private static final Map<String, String> SPECIAL = Map.ofEntries(
            Map.entry("receiveBufferBytes", "receive-buffer-size"),
            Map.entry("sendBufferBytes", "send-buffer-size"),
            Map.entry("socketOptions", "tcp-no-delay"),
            Map.entry("sslContext", "ssl.bundle"),
            Map.entry("saslPlainUsername", "sasl.username"),
            Map.entry("saslPlainPassword", "sasl.password"),
            Map.entry("proxyUrl", "proxy.url"));

    /** Keys that only code can set (beans, customizers). */
    private static final List<String> CODE_ONLY = List.of("selectorProvider", "observer", "time",
            "saslOauthTokenProvider", "hostResolver");

    private static final List<String> KEYS = accessorNames();

    private static final Pattern WORD = Pattern.compile("\\b[a-z][a-zA-Z]+\\b");

    private KwireClientPropertyNames() {
    }

    /** The full property name for a config key, or {@code null} when no property sets it. */
    static String propertyFor(String key) {
        if (key == null || CODE_ONLY.contains(key) || !configKeys().contains(key)) {
            return null;
        }
        String special = SPECIAL.get(key);
        if (special != null) {
            return PREFIX + special;
        }
        if (key.startsWith("ssl")) {
            return PREFIX + "ssl." + kebab(key.substring(3));
        }
        if (key.startsWith("sasl")) {
            return PREFIX + "sasl." + kebab(key.substring(4));
        }
        return PREFIX + kebab(key);
    }

    /** Rewrites every config key in a message as its property name; keys without a property stay as they are. */
    static String translate(String message) {
        List<String> keys = configKeys();
        Matcher m = WORD.matcher(message);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String word = m.group();
            String property = keys.contains(word) ? propertyFor(word) : null;
            m.appendReplacement(sb, Matcher.quoteReplacement(property != null ? property : word));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Every key of {@link KafkaClientConfig}: its public no-argument accessors. */
    static List<String> configKeys() {
        return KEYS;
    }

    private static String kebab(String camel) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                if (sb.length() > 0) {
                    sb.append('-');
                }
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static List<String> accessorNames() {
        return java.util.Arrays.stream(KafkaClientConfig.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.getParameterCount() == 0)
                .map(Method::getName)
                .filter(n -> !List.of("toString", "toBuilder", "hashCode").contains(n))
                .sorted(Comparator.naturalOrder())
                .toList();
    }
}
