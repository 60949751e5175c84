package io.kwire.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.generator.FieldType.Kind;
import io.kwire.generator.Schema.MessageSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The table of secret fields, checked against Kafka's schemas, and what the generated code makes of it. */
class SecretFieldsTest {

    private static final Set<String> APIS_WITH_SECRETS = Set.of("SASL_AUTHENTICATE", "ALTER_USER_SCRAM_CREDENTIALS",
            "ALTER_CONFIGS", "INCREMENTAL_ALTER_CONFIGS", "RENEW_DELEGATION_TOKEN", "EXPIRE_DELEGATION_TOKEN");

    private static Map<String, MessageSpec> specs;

    @BeforeAll
    static void loadSchemas() throws Exception {
        specs = ProtocolGenerator.loadSchemas();
    }

    @Test
    void everyEntryNamesAFieldOfTheKindItIsListedWith() {
        assertThatCode(() -> SecretFields.check(SecretFields.FIELDS, specs)).doesNotThrowAnyException();
    }

    @Test
    void anEntryTheSchemasDoNotHaveFailsTheCheck() {
        assertThatThrownBy(() -> SecretFields.check(Map.of("AlterConfigsRequest.AlterableConfig.Secret", Kind.STRING),
                specs)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AlterConfigsRequest.AlterableConfig.Secret is not in Kafka's schemas");
        assertThatThrownBy(() -> SecretFields.check(Map.of("NoSuchRequest.Hmac", Kind.BYTES), specs))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not in Kafka's schemas");
    }

    @Test
    void aBytesFieldListedAsAStringFailsTheCheck() {
        assertThatThrownBy(() -> SecretFields.check(Map.of("SaslAuthenticateRequest.AuthBytes", Kind.STRING), specs))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a string");
    }

    @Test
    void aStringFieldListedAsBytesFailsTheCheck() {
        assertThatThrownBy(() -> SecretFields.check(
                Map.of("AlterConfigsRequest.AlterableConfig.Value", Kind.BYTES), specs))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not bytes");
    }

    @Test
    void onlyStringAndBytesFieldsCanBeListed() {
        assertThatThrownBy(() -> SecretFields.check(Map.of("RenewDelegationTokenRequest.RenewPeriodMs", Kind.INT64),
                specs)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only string and bytes fields can be listed");
    }

    @Test
    void toStringHidesConfigValuesOfAlterConfigsButStillNamesTheKey() {
        for (String message : List.of("AlterConfigsRequest", "IncrementalAlterConfigsRequest")) {
            String source = MessageEmitter.emit(specs.get(message), message.replace("Request", "Response"), "X");
            assertThat(source).contains("name=\" + Codec.quote(name)")
                    .contains("value=\" + (value == null ? \"null\" : \"(hidden)\")")
                    .doesNotContain("Codec.quote(value)").contains("Not printed by toString");
        }
        // A config value elsewhere is still printed.
        String createTopics = MessageEmitter.emit(specs.get("CreateTopicsRequest"), "CreateTopicsResponse", "X");
        assertThat(createTopics).contains("Codec.quote(value)").doesNotContain("(hidden)");
    }

    @Test
    void toStringPrintsSecretBytesFieldsAsTheirLengthLikeAnyBytesField() {
        Map<String, String> bytesFields = Map.of("SaslAuthenticateRequest", "authBytes",
                "AlterUserScramCredentialsRequest", "saltedPassword", "RenewDelegationTokenRequest", "hmac",
                "ExpireDelegationTokenRequest", "hmac");
        bytesFields.forEach((message, member) -> {
            String source = MessageEmitter.emit(specs.get(message), message.replace("Request", "Response"), "X");
            assertThat(source).as(message).contains("Codec.bytesToString(" + member + ")")
                    .doesNotContain("(hidden)").doesNotContain("Not printed by toString");
        });
    }

    @Test
    void exactlyTheApisWhoseRequestHoldsASecretFieldCarrySecrets() {
        Set<String> carrying = new TreeSet<>();
        for (ApiKeyEmitter.Api api : ProtocolGenerator.brokerApis(specs)) {
            if (api.requestCarriesSecrets()) {
                carrying.add(api.constant());
            }
        }
        assertThat(carrying).isEqualTo(APIS_WITH_SECRETS);
    }

    @Test
    void theGeneratedCarriesSecretsIsTrueForThoseApisAndFalseForTheRest() {
        String source = ApiKeyEmitter.emit(ProtocolGenerator.brokerApis(specs));
        assertThat(source).contains("public boolean carriesSecrets() {").contains("default -> false;");
        Matcher cases = Pattern.compile("case (\\w+) -> true;").matcher(source);
        Set<String> named = new TreeSet<>();
        while (cases.find()) {
            named.add(cases.group(1));
        }
        assertThat(named).isEqualTo(APIS_WITH_SECRETS);
    }
}
