package io.kwire.spring.boot.autoconfigure.actuate;

import io.kwire.client.ProxyUrl;
import io.kwire.errors.ConfigException;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the values of kwire's secret properties ({@code kwire.client.sasl.password}, {@code kwire.client.ssl.password},
 * {@code keystore-password}, {@code key-password}, {@code truststore-password}), and the password inside
 * {@code kwire.client.proxy.url} (shown as {@code socks5://user:[hidden]@host:port}; a URL that does not parse is
 * masked whole), in the actuator's
 * {@code configprops} and {@code env} endpoints. Since Boot 3 those endpoints mask nothing by key; they show every
 * value or none ({@code management.endpoint.*.show-values}), so an application that shows values would show these.
 *
 * <p>Keys are compared in a form that ignores case and separators: the endpoints name the same property
 * {@code kwire.client.ssl.keystorePassword} ({@code configprops}), {@code kwire.client.ssl.keystore-password}
 * (a properties file) or {@code KWIRE_CLIENT_SSL_KEYSTOREPASSWORD} (an environment variable). Stateless and
 * thread-safe.
 */
public final class KwireSecretsSanitizingFunction implements SanitizingFunction {

    /** The secret properties, as documented. */
    static final Set<String> SECRET_PROPERTIES = Set.of(
            "kwire.client.sasl.password",
            "kwire.client.ssl.password",
            "kwire.client.ssl.keystore-password",
            "kwire.client.ssl.key-password",
            "kwire.client.ssl.truststore-password");

    /** The property whose value is a URL that may carry a password. */
    static final String PROXY_URL_PROPERTY = "kwire.client.proxy.url";

    private static final Set<String> SECRET_KEYS = SECRET_PROPERTIES.stream()
            .map(KwireSecretsSanitizingFunction::comparable).collect(Collectors.toUnmodifiableSet());

    private static final String PROXY_URL_KEY = comparable(PROXY_URL_PROPERTY);

    @Override
    public SanitizableData apply(SanitizableData data) {
        if (data.getValue() == null || data.getKey() == null) {
            return data;
        }
        if (PROXY_URL_KEY.equals(comparable(data.getKey()))) {
            return withoutPassword(data);
        }
        return isSecret(data.getKey()) ? data.withSanitizedValue() : data;
    }

    /** The proxy URL with its password hidden; masked whole when it does not parse (the password may be anywhere). */
    private static SanitizableData withoutPassword(SanitizableData data) {
        String url = data.getValue().toString();
        if (url.isBlank()) {
            return data;
        }
        try {
            return data.withValue(ProxyUrl.parse(url).toString());
        } catch (ConfigException e) {
            return data.withSanitizedValue();
        }
    }

    /** Whether the key, in any of the forms the endpoints use, names one of kwire's secret properties. */
    static boolean isSecret(String key) {
        return key != null && SECRET_KEYS.contains(comparable(key));
    }

    /** Lower case, letters and digits only: {@code ssl.key-password} becomes {@code sslkeypassword}. */
    private static String comparable(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
