package io.kwire.generator;

import io.kwire.generator.Schema.FieldSpec;
import io.kwire.generator.Schema.MessageSpec;
import io.kwire.generator.Schema.StructSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The string fields whose values a generated {@code toString} does not print, because they may hold a secret in
 * clear text: it prints {@code (hidden)} for them instead (and {@code null} for null). Equality and hashing still
 * use the value.
 *
 * <p>The table is the same as the one Kafka's broker uses for its request log ({@code RequestChannel}'s
 * {@code loggableRequest}): the config values of AlterConfigs and IncrementalAlterConfigs, which set broker
 * configs such as {@code ssl.keystore.password} or {@code sasl.jaas.config}. Other secrets in the schemas are
 * {@code bytes} fields (SASL auth bytes, SCRAM salted passwords, delegation-token HMACs), which {@code toString}
 * prints as {@code bytes[n]} anyway. Left visible on purpose: CreateTopics config values (topic configs have no
 * password type, and brokers refuse configs they do not know), and the config values of responses
 * (DescribeConfigs, CreateTopics), which brokers send as null for sensitive configs.
 */
final class HiddenFields {

    /** Entries are {@code Message.Field} or {@code Message.Struct.Field}, as the schemas name them. */
    static final Set<String> FIELDS = Set.of(
            "AlterConfigsRequest.AlterableConfig.Value",
            "IncrementalAlterConfigsRequest.AlterableConfig.Value");

    private HiddenFields() {
    }

    /** Whether {@code toString} must not print the field, named by its struct's qualified name and field name. */
    static boolean isHidden(String qualifiedStruct, String field) {
        return FIELDS.contains(qualifiedStruct + "." + field);
    }

    /**
     * Fails unless every entry names a string field of the schemas, so that a field renamed or moved by a Kafka
     * upgrade cannot quietly go back to being printed.
     */
    static void check(Set<String> entries, Map<String, MessageSpec> specs) {
        for (String entry : entries) {
            String[] parts = entry.split("\\.");
            MessageSpec spec = specs.get(parts[0]);
            List<FieldSpec> fields = null;
            if (spec != null && parts.length == 2) {
                fields = spec.fields();
            } else if (spec != null && parts.length == 3) {
                StructSpec struct = spec.structs().get(parts[1]);
                fields = struct == null ? null : struct.fields();
            }
            FieldSpec field = fields == null ? null
                    : fields.stream().filter(f -> f.name().equals(parts[parts.length - 1])).findFirst().orElse(null);
            if (field == null) {
                throw new IllegalStateException("Hidden field " + entry + " is not in Kafka's schemas; update "
                        + "HiddenFields to where the secret is now");
            }
            if (field.type().kind() != FieldType.Kind.STRING) {
                throw new IllegalStateException("Hidden field " + entry + " is a " + field.type()
                        + ", not a string; only string values are hidden");
            }
        }
    }
}
