package io.kwire.generator;

import java.util.Set;

/** Java naming: identifiers for schema names, escaping, string literals. */
final class Names {

    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends",
            "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short",
            "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
            "void", "volatile", "while", "true", "false", "null", "var", "record", "yield", "sealed", "permits");

    /** No-argument methods every generated class has; a getter must not clash with them. */
    private static final Set<String> RESERVED = Set.of("hashCode", "toString", "getClass", "clone", "finalize",
            "notify", "notifyAll", "wait", "lowestSupportedVersion",
            "highestSupportedVersion", "isDefaultValue");

    private Names() {
    }

    /** The Java field/getter name of a schema field: camelCase, a trailing '_' for a Java keyword. */
    static String member(Schema.FieldSpec f) {
        String n = f.camelName();
        if (RESERVED.contains(n)) {
            throw new IllegalArgumentException("Field " + f.name() + " clashes with a generated method");
        }
        return KEYWORDS.contains(n) ? n + "_" : n;
    }

    static String setter(Schema.FieldSpec f) {
        // A few schemas spell a field in lower camel case (CreateTopics' "timeoutMs"): the setter is still setTimeoutMs.
        return "set" + Character.toUpperCase(f.name().charAt(0)) + f.name().substring(1);
    }

    /** {@code DescribeClientQuotas} to {@code DESCRIBE_CLIENT_QUOTAS}. */
    static String upperSnake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            boolean boundary = i > 0 && Character.isUpperCase(c)
                    && (Character.isLowerCase(camel.charAt(i - 1))
                        || (i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1))
                            && Character.isUpperCase(camel.charAt(i - 1))));
            if (boundary) {
                sb.append('_');
            }
            sb.append(Character.toUpperCase(c));
        }
        return sb.toString();
    }

    static String literal(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                default:
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
