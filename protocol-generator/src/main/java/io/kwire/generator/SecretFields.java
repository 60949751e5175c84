package io.kwire.generator;

import io.kwire.generator.FieldType.Kind;
import io.kwire.generator.Schema.FieldSpec;
import io.kwire.generator.Schema.MessageSpec;
import io.kwire.generator.Schema.StructSpec;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fields of the request schemas that may hold a secret in clear text, kwire's one table of them. Two things
 * follow from it:
 *
 * <ul>
 *   <li>a generated {@code toString} does not print the string fields of the table: it prints {@code (hidden)} for
 *       them instead (and {@code null} for null). Equality and hashing still use the value. The bytes fields it
 *       prints as {@code bytes[n]} anyway, like every bytes field;</li>
 *   <li>{@code ApiKey.carriesSecrets()} is true for the APIs whose request holds a field of the table, and the
 *       client gives those requests a frame of their own, which is wiped once sent.</li>
 * </ul>
 *
 * <p>The string fields are the ones Kafka's broker hides in its request log ({@code RequestChannel}'s
 * {@code loggableRequest}): the config values of AlterConfigs and IncrementalAlterConfigs, which set broker configs
 * such as {@code ssl.keystore.password} or {@code sasl.jaas.config}. The bytes fields are the SASL token, the SCRAM
 * salted password and the delegation-token HMACs. Left out on purpose: CreateTopics config values (topic configs
 * have no password type, and brokers refuse configs they do not know), and response fields, which the client
 * receives rather than sends (brokers send the config values of DescribeConfigs and CreateTopics as null for
 * sensitive configs).
 */
final class SecretFields {

    /**
     * Entries are {@code Message.Field} or {@code Message.Struct.Field}, as the schemas name them, each with the kind
     * of field it must be: {@link Kind#STRING} (hidden by {@code toString}) or {@link Kind#BYTES}.
     */
    static final Map<String, Kind> FIELDS = Map.of(
            "AlterConfigsRequest.AlterableConfig.Value", Kind.STRING,
            "IncrementalAlterConfigsRequest.AlterableConfig.Value", Kind.STRING,
            "SaslAuthenticateRequest.AuthBytes", Kind.BYTES,
            "AlterUserScramCredentialsRequest.ScramCredentialUpsertion.SaltedPassword", Kind.BYTES,
            "RenewDelegationTokenRequest.Hmac", Kind.BYTES,
            "ExpireDelegationTokenRequest.Hmac", Kind.BYTES);

    private SecretFields() {
    }

    /**
     * Whether {@code toString} must print {@code (hidden)} for the field, named by its struct's qualified name and
     * field name: true for the string fields of the table only.
     */
    static boolean isHidden(String qualifiedStruct, String field) {
        return FIELDS.get(qualifiedStruct + "." + field) == Kind.STRING;
    }

    /** Whether the message, by its schema name, holds a field of the table anywhere. */
    static boolean inMessage(String message) {
        return FIELDS.keySet().stream().anyMatch(entry -> entry.startsWith(message + "."));
    }

    /**
     * Fails unless every entry names a field of the schemas of the kind it is listed with, so that a field renamed,
     * moved or retyped by a Kafka upgrade can neither go back to being printed nor stop marking its request as
     * carrying secrets.
     */
    static void check(Map<String, Kind> entries, Map<String, MessageSpec> specs) {
        entries.forEach((entry, kind) -> {
            if (kind != Kind.STRING && kind != Kind.BYTES) {
                throw new IllegalStateException("Secret field " + entry + " is listed as " + kind
                        + "; only string and bytes fields can be listed");
            }
            FieldSpec field = find(entry, specs);
            if (field == null) {
                throw new IllegalStateException("Secret field " + entry + " is not in Kafka's schemas; update "
                        + "SecretFields to where the secret is now");
            }
            if (field.type().kind() != kind) {
                throw new IllegalStateException("Secret field " + entry + " is " + describe(field.type().kind())
                        + ", not " + describe(kind) + " as SecretFields lists it");
            }
        });
    }

    private static String describe(Kind kind) {
        return kind == Kind.BYTES ? "bytes" : "a " + kind.name().toLowerCase(Locale.ROOT);
    }

    /** The field an entry names, or null if the schemas have none there. */
    private static FieldSpec find(String entry, Map<String, MessageSpec> specs) {
        String[] parts = entry.split("\\.");
        MessageSpec spec = specs.get(parts[0]);
        List<FieldSpec> fields = null;
        if (spec != null && parts.length == 2) {
            fields = spec.fields();
        } else if (spec != null && parts.length == 3) {
            StructSpec struct = spec.structs().get(parts[1]);
            fields = struct == null ? null : struct.fields();
        }
        if (fields == null) {
            return null;
        }
        return fields.stream().filter(f -> f.name().equals(parts[parts.length - 1])).findFirst().orElse(null);
    }
}
