package io.kwire.generator;

/**
 * A schema type ({@code int32}, {@code string}, {@code []Topic}, ...) and its Java mapping.
 *
 * @param kind       what the type is
 * @param element    the element type of an array, else null
 * @param structName the struct's name for a struct type, else null
 */
record FieldType(Kind kind, FieldType element, String structName) {

    enum Kind {
        INT8("byte", "Byte", 1, "Byte", "0"),
        INT16("short", "Short", 2, "Short", "0"),
        UINT16("int", "Integer", 2, "UnsignedShort", "0"),
        INT32("int", "Integer", 4, "Int", "0"),
        UINT32("long", "Long", 4, "UnsignedInt", "0"),
        INT64("long", "Long", 8, "Long", "0"),
        FLOAT64("double", "Double", 8, "Double", "0"),
        BOOL("boolean", "Boolean", 1, "Boolean", "false"),
        UUID("Uuid", "Uuid", 16, "Uuid", null),
        STRING("String", "String", -1, null, null),
        BYTES("ByteBuffer", "ByteBuffer", -1, null, null),
        RECORDS("ByteBuffer", "ByteBuffer", -1, null, null),
        STRUCT(null, null, -1, null, null),
        ARRAY(null, null, -1, null, null);

        final String javaType;
        final String boxedType;
        /** Encoded size in bytes for fixed-size types, -1 otherwise. */
        final int fixedSize;
        /** Suffix of the ByteReader.readX / ByteWriter.writeX methods for fixed-size types. */
        final String ioSuffix;
        final String zero;

        Kind(String javaType, String boxedType, int fixedSize, String ioSuffix, String zero) {
            this.javaType = javaType;
            this.boxedType = boxedType;
            this.fixedSize = fixedSize;
            this.ioSuffix = ioSuffix;
            this.zero = zero;
        }
    }

    static FieldType parse(String text) {
        if (text.startsWith("[]")) {
            return new FieldType(Kind.ARRAY, parse(text.substring(2)), null);
        }
        switch (text) {
            case "int8": return new FieldType(Kind.INT8, null, null);
            case "int16": return new FieldType(Kind.INT16, null, null);
            case "uint16": return new FieldType(Kind.UINT16, null, null);
            case "int32": return new FieldType(Kind.INT32, null, null);
            case "uint32": return new FieldType(Kind.UINT32, null, null);
            case "int64": return new FieldType(Kind.INT64, null, null);
            case "float64": return new FieldType(Kind.FLOAT64, null, null);
            case "bool": return new FieldType(Kind.BOOL, null, null);
            case "uuid": return new FieldType(Kind.UUID, null, null);
            case "string": return new FieldType(Kind.STRING, null, null);
            case "bytes": return new FieldType(Kind.BYTES, null, null);
            case "records": return new FieldType(Kind.RECORDS, null, null);
            default:
                if (text.isEmpty() || !Character.isUpperCase(text.charAt(0))) {
                    throw new IllegalArgumentException("Unknown schema type " + text);
                }
                return new FieldType(Kind.STRUCT, null, text);
        }
    }

    boolean isArray() {
        return kind == Kind.ARRAY;
    }

    /** An {@code []int32}: decoded into an {@code IntList}. */
    boolean isIntArray() {
        return kind == Kind.ARRAY && element.kind == Kind.INT32;
    }

    boolean isStruct() {
        return kind == Kind.STRUCT;
    }

    boolean isFixed() {
        return kind.fixedSize > 0;
    }

    boolean isBytesLike() {
        return kind == Kind.BYTES || kind == Kind.RECORDS;
    }

    /** Whether values of this type are Java references (may be null). */
    boolean isReference() {
        return !isFixed() || kind == Kind.UUID;
    }

    /** The array's element type or the struct, whichever is the innermost struct, else null. */
    String innerStruct() {
        if (isStruct()) {
            return structName;
        }
        return isArray() ? element.innerStruct() : null;
    }

    String javaType() {
        if (isArray()) {
            return "List<" + element.boxedType() + ">";
        }
        return isStruct() ? structName : kind.javaType;
    }

    String boxedType() {
        if (isArray()) {
            return javaType();
        }
        return isStruct() ? structName : kind.boxedType;
    }

    /** The smallest encoding of one value, used to bound array lengths before allocation. */
    int minSize(boolean flexible) {
        if (isFixed()) {
            return kind.fixedSize;
        }
        switch (kind) {
            case STRING: return flexible ? 1 : 2;
            case BYTES:
            case RECORDS:
            case ARRAY: return flexible ? 1 : 4;
            default: return 1; // a struct may encode in very few bytes; 1 still bounds allocation by input size
        }
    }
}
