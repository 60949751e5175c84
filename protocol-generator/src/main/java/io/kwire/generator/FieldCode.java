package io.kwire.generator;

import io.kwire.generator.FieldType.Kind;
import io.kwire.generator.Schema.FieldSpec;

/**
 * The Java snippets for one field's value: default, default test, and the size/write/read statements. The
 * flexible flag, nullability and presence are Java boolean expressions over {@code version}, so one method body
 * serves every version.
 */
final class FieldCode {

    private FieldCode() {
    }

    /** The initial value of a field. */
    static String defaultExpr(FieldSpec f) {
        FieldType t = f.type();
        String d = f.defaultValue();
        boolean isNull = f.defaultIsNull();
        switch (t.kind()) {
            case INT8: return "(byte) " + intDefault(d);
            case INT16: return "(short) " + intDefault(d);
            case UINT16:
            case INT32: return Long.toString(intDefault(d));
            case UINT32:
            case INT64: return intDefault(d) + "L";
            case FLOAT64: return d == null || d.isEmpty() ? "0.0" : Double.toString(Double.parseDouble(d));
            case BOOL: return d == null || d.isEmpty() ? "false" : Boolean.toString(Boolean.parseBoolean(d.trim()));
            case UUID: return "Uuid.ZERO";
            case STRING: return isNull ? "null" : Names.literal(d == null ? "" : d);
            case BYTES: return isNull ? "null" : "Codec.EMPTY_BYTES";
            case RECORDS: return "null"; // as in Kafka: records start out absent, whatever the schema says
            case ARRAY: return isNull ? "null" : "new ArrayList<>(0)";
            case STRUCT: return isNull ? "null" : "new " + t.structName() + "()";
            default: throw new IllegalStateException(t.toString());
        }
    }

    /**
     * Whether the field is a struct that is never null and held as null until first asked for: its getter makes
     * the default struct then, so decoding an absent tagged struct (and the public constructor) allocates nothing.
     */
    static boolean isLazyStruct(FieldSpec f) {
        return f.type().isStruct() && !f.defaultIsNull() && f.nullableVersions().isEmpty();
    }

    /**
     * What decoding stores for a field the bytes do not hold (absent at the version, or an absent tagged field):
     * shared immutable empty lists, null for a {@linkplain #isLazyStruct lazy} struct, else the default.
     */
    static String decodedDefaultExpr(FieldSpec f) {
        FieldType t = f.type();
        if (t.isArray() && !f.defaultIsNull()) {
            return t.isIntArray() ? "IntList.EMPTY" : "List.of()";
        }
        return isLazyStruct(f) ? "null" : defaultExpr(f);
    }

    /**
     * The field's value as internal code reads it: for a {@linkplain #isLazyStruct lazy} struct, the shared
     * default instance when unset (never handed out), so internal reads allocate nothing.
     */
    static String value(FieldSpec f, String owner) {
        String m = owner + "." + Names.member(f);
        return isLazyStruct(f) ? "(" + m + " != null ? " + m + " : " + f.type().structName() + ".DEFAULT)" : m;
    }

    private static long intDefault(String d) {
        if (d == null || d.isBlank()) {
            return 0;
        }
        String s = d.trim();
        boolean neg = s.startsWith("-");
        String digits = neg ? s.substring(1) : s;
        long v = digits.startsWith("0x") || digits.startsWith("0X")
                ? Long.parseUnsignedLong(digits.substring(2), 16) : Long.parseLong(digits);
        return neg ? -v : v;
    }

    /** A boolean expression that is true when {@code e} holds the field's default. */
    static String isDefault(FieldSpec f, String e) {
        FieldType t = f.type();
        boolean isNull = f.defaultIsNull();
        switch (t.kind()) {
            case FLOAT64: return "Double.compare(" + e + ", " + defaultExpr(f) + ") == 0";
            case UUID: return "Uuid.ZERO.equals(" + e + ")";
            case STRING: return isNull ? e + " == null" : defaultExpr(f) + ".equals(" + e + ")";
            case BYTES: return isNull ? e + " == null" : "(" + e + " != null && !" + e + ".hasRemaining())";
            case RECORDS: return e + " == null";
            case ARRAY: return isNull ? e + " == null" : "(" + e + " != null && " + e + ".isEmpty())";
            case STRUCT:
                if (isLazyStruct(f)) {
                    return "(" + e + " == null || " + e + ".isDefaultValue())";
                }
                return isNull ? e + " == null" : "(" + e + " != null && " + e + ".isDefaultValue())";
            default: return e + " == " + defaultExpr(f);
        }
    }

    /** Statements adding the encoded size of field {@code f} of {@code owner} to {@code acc}. */
    static void sizeField(CodeWriter w, FieldSpec f, String owner, String acc, String flex, String nullable) {
        if (isLazyStruct(f)) {
            w.line(acc + " += " + value(f, owner) + ".size0(version);"); // never null, never nullable
            return;
        }
        size(w, f.type(), owner + "." + Names.member(f), acc, flex, nullable);
    }

    /** Statements writing field {@code f} of {@code owner}. */
    static void writeField(CodeWriter w, FieldSpec f, String owner, String flex, String nullable, String desc) {
        if (isLazyStruct(f)) {
            w.line(value(f, owner) + ".write0(out, version);");
            return;
        }
        write(w, f.type(), owner + "." + Names.member(f), flex, nullable, desc);
    }

    /** Statements adding the encoded size of {@code e} (of type {@code t}) to {@code acc}. */
    static void size(CodeWriter w, FieldType t, String e, String acc, String flex, String nullable) {
        if (t.isFixed()) {
            w.line(acc + " += " + t.kind().fixedSize + ";");
            return;
        }
        switch (t.kind()) {
            case STRING:
                w.line(acc + " += Codec.stringSize(" + e + ", " + flex + ");");
                return;
            case BYTES:
            case RECORDS:
                w.line(acc + " += Codec.bytesSize(" + e + ", " + flex + ");");
                return;
            case STRUCT:
                if (!nullable.equals("false")) {
                    w.line("if (" + nullable + ") {").line(acc + " += 1;").line("}");
                }
                // size0, as write0 below: the version was checked once, by the top-level size.
                w.line("if (" + e + " != null) {").line(acc + " += " + e + ".size0(version);").line("}");
                return;
            case ARRAY:
                w.line(acc + " += Codec.arrayLengthSize(" + e + ", " + flex + ");");
                FieldType el = t.element();
                if (el.isFixed()) {
                    w.line("if (" + e + " != null) {").line(acc + " += " + e + ".size() * " + el.kind().fixedSize + ";")
                            .line("}");
                    return;
                }
                w.line("if (" + e + " != null) {");
                w.line("for (int _i = 0, _n = " + e + ".size(); _i < _n; _i++) {");
                w.line(el.boxedType() + " _e = " + e + ".get(_i);");
                if (el.isStruct()) {
                    w.line("if (_e != null) {").line(acc + " += _e.size0(version);").line("}");
                } else {
                    size(w, el, "_e", acc, flex, "false");
                }
                w.line("}").line("}");
                return;
            default:
                throw new IllegalStateException(t.toString());
        }
    }

    /** Statements writing {@code e}; a null where the version does not allow one fails with a clear message. */
    static void write(CodeWriter w, FieldType t, String e, String flex, String nullable, String desc) {
        if (t.isReference() && !nullable.equals("true")) {
            String cond = nullable.equals("false") ? e + " == null" : e + " == null && !(" + nullable + ")";
            w.line("if (" + cond + ") {").line("throw Codec.nullField(" + Names.literal(desc) + ", version);")
                    .line("}");
        }
        if (t.kind() == Kind.UINT16 || t.kind() == Kind.UINT32) {
            w.line("Codec.check" + (t.kind() == Kind.UINT16 ? "Uint16" : "Uint32") + "(" + e + ", "
                    + Names.literal(desc) + ");");
        }
        if (t.isFixed()) {
            w.line("out.write" + t.kind().ioSuffix + "(" + e + ");");
            return;
        }
        switch (t.kind()) {
            case STRING:
                w.line("Codec.writeString(out, " + e + ", " + flex + ");");
                return;
            case BYTES:
            case RECORDS:
                w.line("Codec.writeBytes(out, " + e + ", " + flex + ");");
                return;
            case STRUCT:
                if (!nullable.equals("false")) {
                    w.line("if (" + nullable + ") {").line("out.writeByte(" + e + " == null ? (byte) -1 : (byte) 1);")
                            .line("}");
                }
                if (nullable.equals("false")) {
                    w.line(e + ".write0(out, version);"); // null was rejected above
                } else {
                    w.line("if (" + e + " != null) {").line(e + ".write0(out, version);").line("}");
                }
                return;
            case ARRAY:
                w.line("Codec.writeArrayLength(out, " + e + ", " + flex + ");");
                w.line("if (" + e + " != null) {");
                w.line("for (int _i = 0, _n = " + e + ".size(); _i < _n; _i++) {");
                FieldType el = t.element();
                w.line(el.boxedType() + " _e = " + e + ".get(_i);");
                write(w, el, "_e", flex, "false", desc + "[]");
                w.line("}").line("}");
                return;
            default:
                throw new IllegalStateException(t.toString());
        }
    }

    /**
     * Statements reading a value of type {@code t} into {@code target}. For an {@code []int32}, {@code sameAs}
     * names an earlier {@code []int32} field of the struct, already read, whose list is reused when the values
     * are equal (else null).
     */
    static void read(CodeWriter w, FieldType t, String target, String flex, String nullable, String desc,
            String sameAs) {
        if (t.isFixed()) {
            w.line(target + " = in.read" + t.kind().ioSuffix + "();");
            return;
        }
        String d = Names.literal(desc);
        switch (t.kind()) {
            case STRING:
                w.line(target + " = Codec.readString(in, " + flex + ", " + nullable + ", " + d + ");");
                return;
            case BYTES:
            case RECORDS:
                w.line(target + " = Codec.readBytes(in, " + flex + ", " + nullable + ", " + d + ");");
                return;
            case STRUCT:
                String nullTest = nullable.equals("false") ? "" : "(" + nullable + ") && in.readByte() < 0";
                if (!nullTest.isEmpty()) {
                    w.line("if (" + nullTest + ") {").line(target + " = null;").line("} else {");
                }
                w.line(target + " = " + t.structName() + ".decode0(in, version);");
                if (!nullTest.isEmpty()) {
                    w.line("}");
                }
                return;
            case ARRAY:
                FieldType el = t.element();
                w.line("int _n = Codec.readArrayLength(in, " + flex + ", " + nullable + ", " + el.minSize(true) + ", "
                        + d + ");");
                w.line("if (_n < 0) {").line(target + " = null;").line("} else {");
                if (t.isIntArray()) {
                    w.line(target + " = IntList.read(in, _n, " + (sameAs == null ? "null" : sameAs) + ");");
                    w.line("}");
                    return;
                }
                w.line("Object[] _a = ReadOnlyList.newArray(_n);");
                w.line("for (int _i = 0; _i < _n; _i++) {");
                if (el.isStruct()) {
                    w.line("_a[_i] = " + el.structName() + ".decode0(in, version);");
                } else if (el.isFixed()) {
                    w.line("_a[_i] = in.read" + el.kind().ioSuffix + "();");
                } else {
                    w.line(el.boxedType() + " _e;");
                    read(w, el, "_e", flex, "false", desc + "[]", null);
                    w.line("_a[_i] = _e;");
                }
                w.line("}");
                w.line(target + " = ReadOnlyList.wrap(_a);");
                w.line("}");
                return;
            default:
                throw new IllegalStateException(t.toString());
        }
    }
}
