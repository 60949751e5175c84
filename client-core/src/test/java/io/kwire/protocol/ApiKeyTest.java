package io.kwire.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.errors.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

/**
 * The generated {@link ApiKey} covers exactly the broker-facing APIs of the pinned schemas and agrees with
 * kafka-clients on versions and header versions, so a Kafka upgrade that adds an API fails here loudly.
 */
class ApiKeyTest {

    private static final Pattern API_KEY = Pattern.compile("\"apiKey\"\\s*:\\s*(\\d+)");
    private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"(\\w+)\"");
    private static final Pattern LISTENERS = Pattern.compile("\"listeners\"\\s*:\\s*\\[([^\\]]*)\\]");

    /** API keys of the request schemas in the kafka-clients jar whose listeners include "broker". */
    static Set<Integer> brokerApisInSchemas() throws IOException {
        URL url = ApiKeys.class.getClassLoader().getResource("common/message/RequestHeader.json");
        assertThat(url).isNotNull();
        Set<Integer> ids = new TreeSet<>();
        JarURLConnection conn = (JarURLConnection) url.openConnection();
        conn.setUseCaches(false);
        try (JarFile jar = conn.getJarFile()) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                JarEntry entry = e.nextElement();
                if (!entry.getName().startsWith("common/message/") || !entry.getName().endsWith("Request.json")) {
                    continue;
                }
                String json;
                try (InputStream in = jar.getInputStream(entry)) {
                    json = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)//.*$", "");
                }
                Matcher type = TYPE.matcher(json);
                Matcher listeners = LISTENERS.matcher(json);
                Matcher key = API_KEY.matcher(json);
                if (type.find() && type.group(1).equals("request") && listeners.find()
                        && listeners.group(1).contains("\"broker\"") && key.find()) {
                    ids.add(Integer.parseInt(key.group(1)));
                }
            }
        }
        return ids;
    }

    @Test
    void generatedApisAreExactlyTheBrokerFacingSchemas() throws IOException {
        Set<Integer> generated = Arrays.stream(ApiKey.values()).map(k -> (int) k.id())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<Integer> schemas = brokerApisInSchemas();
        assertThat(schemas).hasSizeGreaterThan(70);
        assertThat(generated).isEqualTo(schemas);
    }

    @Test
    void generatedApisAreExactlyKafkaClientsBrokerApis() {
        Set<String> kafka = ApiKeys.apisForListener(ApiMessageType.ListenerType.BROKER).stream()
                .map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> ours = Arrays.stream(ApiKey.values()).map(Enum::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(ours).isEqualTo(kafka);
    }

    @Test
    void versionsAndHeadersAgreeWithKafkaClients() {
        for (ApiKey key : ApiKey.values()) {
            ApiKeys k = ApiKeys.forId(key.id());
            assertThat(key.name()).isEqualTo(k.name());
            assertThat(key.displayName()).isEqualTo(k.name);
            assertThat(key.lowestSupportedVersion()).as(key.name()).isEqualTo(k.oldestVersion());
            assertThat(key.latestSchemaVersion()).as(key.name()).isEqualTo(k.latestVersion(true));
            assertThat(key.highestSupportedVersion()).as(key.name()).isEqualTo(k.latestVersion(false));
            for (short v = key.lowestSupportedVersion(); v <= key.latestSchemaVersion(); v++) {
                assertThat(key.requestHeaderVersion(v)).as(key + " v" + v).isEqualTo(k.requestHeaderVersion(v));
                assertThat(key.responseHeaderVersion(v)).as(key + " v" + v).isEqualTo(k.responseHeaderVersion(v));
            }
            assertThat(ApiKey.forId(key.id())).isSameAs(key);
            ApiRequest<?> request = key.newRequest();
            assertThat(request.apiKey()).isSameAs(key);
            assertThat(request.newResponse().apiKey()).isSameAs(key);
            assertThat(key.newResponse().getClass()).isEqualTo(request.newResponse().getClass());
            assertThat(request.lowestSupportedVersion()).isEqualTo(key.lowestSupportedVersion());
            assertThat(request.highestSupportedVersion()).isEqualTo(key.latestSchemaVersion());
        }
    }

    @Test
    void exactlyTheRequestsThatMayHoldPasswordsTokensOrHmacsCarrySecrets() {
        List<ApiKey> carrying = Arrays.stream(ApiKey.values()).filter(ApiKey::carriesSecrets).toList();
        assertThat(carrying).containsExactlyInAnyOrder(ApiKey.SASL_AUTHENTICATE, ApiKey.ALTER_USER_SCRAM_CREDENTIALS,
                ApiKey.ALTER_CONFIGS, ApiKey.INCREMENTAL_ALTER_CONFIGS, ApiKey.RENEW_DELEGATION_TOKEN,
                ApiKey.EXPIRE_DELEGATION_TOKEN);
        // The handshake names a mechanism only; the token follows in SaslAuthenticate.
        assertThat(ApiKey.SASL_HANDSHAKE.carriesSecrets()).isFalse();
        assertThat(ApiKey.PRODUCE.carriesSecrets()).isFalse();
        assertThat(ApiKey.METADATA.carriesSecrets()).isFalse();
        assertThat(ApiKey.CREATE_DELEGATION_TOKEN.carriesSecrets()).isFalse(); // the HMAC is in its response
    }

    @Test
    void unknownApiKeyIsAProtocolError() {
        assertThatThrownBy(() -> ApiKey.forId(-1)).isInstanceOf(ProtocolException.class);
        // 4 was LeaderAndIsr: not served to clients, so not generated
        assertThatThrownBy(() -> ApiKey.forId(4)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> ApiKey.forId(10_000)).isInstanceOf(ProtocolException.class);
    }
}
