package io.kwire.generator;

import io.kwire.generator.Schema.FieldSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Emits one generated class body: fields, accessors, size/write/read, equals/hashCode/toString. Used for the
 * top-level message (with {@code header} text for its declaration) and for each nested struct.
 */
final class StructEmitter {

    /**
     * Ends every public decode: the reader reads heap buffers from their array and lets the buffer's position lag
     * behind, so it is written back before the caller sees the buffer again (also after a failure).
     */
    private static final String SYNC = "in.syncToBuffer();";

    private final CodeWriter w;
    private final String className;
    private final List<FieldSpec> fields;
    /** The versions this class is used in: conditions are simplified against it. */
    private final Versions versions;
    private final Versions flexible;
    /** How error messages name this class: the message name, then the struct name for a nested struct. */
    private final String qualifiedName;

    StructEmitter(CodeWriter w, String qualifiedName, String className, List<FieldSpec> fields, Versions versions,
            Versions flexible) {
        this.w = w;
        this.qualifiedName = qualifiedName;
        this.className = className;
        this.fields = fields;
        this.versions = versions;
        this.flexible = flexible;
    }

    private String present(FieldSpec f) {
        return f.versions().condition(versions);
    }

    private String tagged(FieldSpec f) {
        return f.taggedVersions().intersect(f.versions()).condition(versions);
    }

    private String nullable(FieldSpec f) {
        return f.nullableVersions().intersect(f.versions()).condition(versions);
    }

    private String flex(FieldSpec f) {
        Versions fv = f.flexibleVersions() != null ? f.flexibleVersions().intersect(flexible) : flexible;
        String c = fv.condition(versions);
        return c.equals("true") || c.equals("false") ? c : "_flexible";
    }

    private String desc(FieldSpec f) {
        return qualifiedName + "." + f.name();
    }

    private List<FieldSpec> regular() {
        List<FieldSpec> out = new ArrayList<>();
        for (FieldSpec f : fields) {
            if (!f.isTagged()) {
                out.add(f);
            }
        }
        return out;
    }

    private List<FieldSpec> taggedByTag() {
        List<FieldSpec> out = new ArrayList<>();
        for (FieldSpec f : fields) {
            if (f.isTagged()) {
                out.add(f);
            }
        }
        out.sort(Comparator.comparingInt(FieldSpec::tag));
        return out;
    }

    void emitMembers() {
        for (FieldSpec f : fields) {
            w.line("private " + f.type().javaType() + " " + Names.member(f) + ";");
        }
        w.blank();
        if (!qualifiedName.equals(className)) {
            w.line("/** The defaults, read by generated code for an unset struct field; never handed out. */");
            w.line("static final " + className + " DEFAULT = new " + className + "();").blank();
        }
        // Defaults are set by the public constructor only: decoding assigns every field once, so it skips them
        // (no default lists or structs made and thrown away per decoded struct). Lazy struct fields stay null.
        w.line("/** A " + className + " holding the schema's defaults. */");
        w.line("public " + className + "() {");
        for (FieldSpec f : fields) {
            if (!FieldCode.isLazyStruct(f)) {
                w.line("this." + Names.member(f) + " = " + FieldCode.defaultExpr(f) + ";");
            }
        }
        w.line("}").blank();
        if (!fields.isEmpty()) {
            // decode0 reads every field into a local and allocates the struct last, made whole in one go: no
            // defaults set and overwritten, and the reads before it keep the reader's state in registers.
            w.line("/** Every field, as decoded: for {@code decode0}. */");
            StringBuilder params = new StringBuilder();
            for (FieldSpec f : fields) {
                params.append(params.length() == 0 ? "" : ", ").append(f.type().javaType()).append(' ')
                        .append(Names.member(f));
            }
            w.line("private " + className + "(" + params + ") {");
            for (FieldSpec f : fields) {
                w.line("this." + Names.member(f) + " = " + Names.member(f) + ";");
            }
            w.line("}").blank();
        }
        if (qualifiedName.equals(className)) {
            w.line("/** Decodes a " + className + " at the version; only ProtocolException escapes for bad bytes. */");
            w.line("public static " + className + " decode(ByteReader in, short version) {");
            versionCheck();
            w.line("try {").line("return decode0(in, version);").line("} catch (ProtocolException e) {")
                    .line("throw e;").line("} catch (RuntimeException e) {")
                    .line("throw Codec.malformed(" + Names.literal(qualifiedName) + ", version, e);")
                    .line("} finally {").line(SYNC).line("}")
                    .line("}").blank();
        }
        for (FieldSpec f : fields) {
            String m = Names.member(f);
            w.javadoc(javadoc(f, SecretFields.isHidden(qualifiedName, f.name())));
            if (m.equals("throttleTimeMs") && f.type().kind() == FieldType.Kind.INT32 && !className.contains(".")
                    && qualifiedName.equals(className) && className.endsWith("Response")) {
                w.line("@Override"); // ApiResponse.throttleTimeMs(); 0 after reading a version without the field
            }
            w.line("public " + f.type().javaType() + " " + m + "() {");
            if (FieldCode.isLazyStruct(f)) {
                w.line("if (" + m + " == null) {").line(m + " = new " + f.type().structName() + "();").line("}");
            }
            w.line("return " + m + ";").line("}").blank();
            w.line("public " + className + " " + Names.setter(f) + "(" + f.type().javaType() + " v) {")
                    .line("this." + m + " = v;").line("return this;").line("}").blank();
        }
        w.line("@Override").line("public short lowestSupportedVersion() {").line("return " + versions.lo() + ";")
                .line("}").blank();
        w.line("@Override").line("public short highestSupportedVersion() {").line("return " + versions.hi() + ";")
                .line("}").blank();
        emitSize();
        emitSplicedSize();
        emitWrite();
        emitRead();
        emitIsDefault();
        emitEquals();
        emitToString();
    }

    private static String javadoc(FieldSpec f, boolean hidden) {
        String about = f.about() == null || f.about().isBlank() ? f.name() + "." : f.about().strip();
        about = about.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("*/", "*&#47;")
                .replace("@", "&#64;").replace("\\", "&#92;");
        StringBuilder sb = new StringBuilder(about).append(" Versions ").append(f.versions());
        if (!f.nullableVersions().isEmpty()) {
            sb.append(", nullable ").append(f.nullableVersions());
        }
        if (f.isTagged()) {
            sb.append(", tag ").append(f.tag());
        }
        if (f.ignorable()) {
            sb.append(", ignorable");
        }
        sb.append('.');
        if (f.type().isArray()) {
            sb.append(f.type().isIntArray()
                    ? " Decoded: an immutable {@link IntList}; set a new list to change it."
                    : " Decoded: an immutable list; set a new list to change it.");
        } else if (FieldCode.isLazyStruct(f)) {
            sb.append(" Never null: when unset (or set to null) the default struct, made on first call.");
        }
        if (hidden) {
            sb.append(" Not printed by toString: it may hold a secret.");
        }
        return sb.toString();
    }

    /** Opens a block for code that runs when {@code cond} holds; false if nothing needed opening. */
    private boolean open(String cond, FieldType t) {
        if (cond.equals("true")) {
            if (t.isArray() || t.isStruct()) {
                w.line("{"); // scopes the locals the statements declare
                return true;
            }
            return false;
        }
        w.line("if (" + cond + ") {");
        return true;
    }

    private void close(boolean opened) {
        if (opened) {
            w.line("}");
        }
    }

    private void flexibleLocal() {
        String c = flexible.condition(versions);
        w.line("boolean _flexible = " + c + ";");
    }

    private void versionCheck() {
        w.line("if (version < " + versions.lo() + " || version > " + versions.hi() + ") {")
                .line("throw Codec.unsupportedVersion(" + Names.literal(qualifiedName) + ", version);").line("}");
    }

    private void emitSize() {
        w.line("@Override").line("public int size(short version) {");
        versionCheck();
        w.line("return size0(version);").line("}").blank();
        w.line("int size0(short version) {");
        flexibleLocal();
        w.line("int _size = 0;");
        for (FieldSpec f : regular()) {
            String p = present(f);
            if (p.equals("false")) {
                continue;
            }
            boolean opened = open(p, f.type());
            FieldCode.sizeField(w, f, "this", "_size", flex(f), nullable(f));
            close(opened);
        }
        w.line("if (_flexible) {");
        w.line("int _numTagged = 0;");
        for (FieldSpec f : taggedByTag()) {
            String m = "this." + Names.member(f);
            w.line("if (" + tagged(f) + " && !(" + FieldCode.isDefault(f, m) + ")) {");
            w.line("_numTagged++;");
            w.line("_size += " + unsignedVarintSize(f.tag()) + ";");
            w.line("int _s0 = _size;");
            FieldCode.sizeField(w, f, "this", "_size", "true", nullable(f));
            w.line("_size += ByteWriter.unsignedVarintSize(_size - _s0);");
            w.line("}");
        }
        w.line("_size += ByteWriter.unsignedVarintSize(_numTagged);");
        w.line("}");
        w.line("return _size;").line("}").blank();
    }

    /**
     * {@code splicedSize}: how many bytes of this struct's bytes/records fields a splicing {@link ByteWriter}
     * will hand over by reference instead of copying (those of at least {@code threshold} bytes). Only regular
     * fields count; a tagged one that is spliced anyway only leaves room unused at the end of the frame buffer.
     */
    private void emitSplicedSize() {
        List<FieldSpec> relevant = new ArrayList<>();
        for (FieldSpec f : regular()) {
            FieldType t = f.type().isArray() ? f.type().element() : f.type();
            if (t.kind() == FieldType.Kind.BYTES || t.kind() == FieldType.Kind.RECORDS || t.isStruct()) {
                relevant.add(f);
            }
        }
        if (relevant.isEmpty()) {
            return;
        }
        w.line("@Override").line("public int splicedSize(short version, int threshold) {");
        w.line("int _s = 0;");
        for (FieldSpec f : relevant) {
            String p = present(f);
            if (p.equals("false")) {
                continue;
            }
            String m = "this." + Names.member(f);
            boolean opened = open(p, f.type());
            FieldType t = f.type();
            if (t.isArray()) {
                FieldType el = t.element();
                w.line("if (" + m + " != null) {");
                w.line("for (int _i = 0, _n = " + m + ".size(); _i < _n; _i++) {");
                w.line(el.boxedType() + " _e = " + m + ".get(_i);");
                if (el.isStruct()) {
                    w.line("if (_e != null) {").line("_s += _e.splicedSize(version, threshold);").line("}");
                } else {
                    w.line("if (_e != null && _e.remaining() >= threshold) {").line("_s += _e.remaining();").line("}");
                }
                w.line("}").line("}");
            } else if (t.isStruct()) {
                w.line("if (" + m + " != null) {").line("_s += " + m + ".splicedSize(version, threshold);").line("}");
            } else {
                w.line("if (" + m + " != null && " + m + ".remaining() >= threshold) {").line("_s += " + m
                        + ".remaining();").line("}");
            }
            close(opened);
        }
        w.line("return _s;").line("}").blank();
    }

    private static int unsignedVarintSize(int v) {
        int n = 1;
        while ((v & 0xffffff80) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private void emitWrite() {
        w.line("@Override").line("public void write(ByteWriter out, short version) {");
        versionCheck();
        w.line("write0(out, version);").line("}").blank();
        w.line("void write0(ByteWriter out, short version) {");
        flexibleLocal();
        for (FieldSpec f : regular()) {
            String m = "this." + Names.member(f);
            String p = present(f);
            if (p.equals("true")) {
                boolean opened = open(p, f.type());
                FieldCode.writeField(w, f, "this", flex(f), nullable(f), desc(f));
                close(opened);
            } else if (!p.equals("false")) {
                w.line("if (" + p + ") {");
                FieldCode.writeField(w, f, "this", flex(f), nullable(f), desc(f));
                w.line("}" + (f.ignorable() ? "" : " else {"));
            } else if (!f.ignorable()) {
                w.line("{");
            }
            if (!p.equals("true") && !f.ignorable()) {
                absentCheck(f, m);
                w.line("}");
            }
        }
        List<FieldSpec> tags = taggedByTag();
        for (FieldSpec f : tags) {
            String t = tagged(f);
            if (!t.equals("true") && !f.ignorable()) {
                w.line("if (!(" + t + ")) {");
                absentCheck(f, "this." + Names.member(f));
                w.line("}");
            }
        }
        w.line("if (_flexible) {");
        w.line("int _numTagged = 0;");
        for (FieldSpec f : tags) {
            w.line("if (" + tagged(f) + " && !(" + FieldCode.isDefault(f, "this." + Names.member(f)) + ")) {")
                    .line("_numTagged++;").line("}");
        }
        w.line("out.writeUnsignedVarint(_numTagged);");
        for (FieldSpec f : tags) {
            String m = "this." + Names.member(f);
            w.line("if (" + tagged(f) + " && !(" + FieldCode.isDefault(f, m) + ")) {");
            w.line("out.writeUnsignedVarint(" + f.tag() + ");");
            w.line("int _len = 0;");
            FieldCode.sizeField(w, f, "this", "_len", "true", nullable(f));
            w.line("out.writeUnsignedVarint(_len);");
            FieldCode.writeField(w, f, "this", "true", nullable(f), desc(f));
            w.line("}");
        }
        w.line("}");
        w.line("}").blank();
    }

    private void absentCheck(FieldSpec f, String m) {
        w.line("if (!(" + FieldCode.isDefault(f, m) + ")) {")
                .line("throw Codec.absentField(" + Names.literal(desc(f)) + ", version);").line("}");
    }

    /** The local variable decode0 reads a field into. */
    private static String local(FieldSpec f) {
        return "f_" + Names.member(f);
    }

    private void emitRead() {
        w.line("@Override").line("public void read(ByteReader in, short version) {");
        versionCheck();
        w.line("try {").line("copyFrom(decode0(in, version));").line("} catch (ProtocolException e) {").line("throw e;")
                .line("} catch (RuntimeException e) {")
                .line("throw Codec.malformed(" + Names.literal(qualifiedName) + ", version, e);")
                .line("} finally {").line(SYNC).line("}").line("}")
                .blank();
        w.line("/** Takes over every field of a decoded instance: {@code read} decodes as {@code decode} does. */");
        w.line("private void copyFrom(" + className + " other) {");
        for (FieldSpec f : fields) {
            w.line("this." + Names.member(f) + " = other." + Names.member(f) + ";");
        }
        w.line("}").blank();
        // decode0 is what a parent's loop calls per element, so its body is kept small: runs of fixed-size fields
        // take one bounds check, and the tagged-field loop is a method of its own, called only for a non-zero count.
        w.line("static " + className + " decode0(ByteReader in, short version) {");
        flexibleLocal();
        List<FieldSpec> regular = regular();
        String lastIntArray = null; // the []int32 read before, which an equal one shares its list with
        for (int i = 0; i < regular.size(); ) {
            int runEnd = fixedRunEnd(regular, i);
            if (runEnd > i) {
                emitFixedRun(regular.subList(i, runEnd));
                i = runEnd;
                continue;
            }
            FieldSpec f = regular.get(i++);
            w.line(f.type().javaType() + " " + local(f) + ";");
            readField(f, lastIntArray);
            if (f.type().isIntArray()) {
                lastIntArray = local(f);
            }
        }
        StringBuilder args = new StringBuilder();
        for (FieldSpec f : fields) {
            // tagged fields start at their defaults; readTaggedFields sets those the bytes hold
            args.append(args.length() == 0 ? "" : ", ")
                    .append(f.isTagged() ? FieldCode.decodedDefaultExpr(f) : local(f));
        }
        List<FieldSpec> tags = taggedByTag();
        boolean anyFlexible = !flexible.intersect(versions).isEmpty(); // has a tagged-field section at some version
        // The tagged-field count is read before the allocation: the JIT then reads it with the reader's position
        // and limit still in registers, where after an allocation it would load them again.
        if (anyFlexible) {
            w.line("int _numTagged = _flexible ? in.readUnsignedVarint() : 0;");
        }
        w.line(className + " _r = new " + className + "(" + args + ");");
        if (anyFlexible) {
            w.line("if (_numTagged != 0) {");
            w.line(tags.isEmpty() ? "Codec.skipTaggedFields(in, _numTagged);"
                    : "_r.readTaggedFields(in, version, _numTagged);");
            w.line("}");
        }
        w.line("return _r;");
        w.line("}").blank();
        if (!tags.isEmpty() && anyFlexible) {
            emitReadTaggedFields(tags);
        }
    }

    /** Statements reading one regular field into its local, or setting its default where it is absent. */
    private void readField(FieldSpec f, String lastIntArray) {
        String m = local(f);
        String p = present(f);
        if (p.equals("false")) {
            w.line(m + " = " + FieldCode.decodedDefaultExpr(f) + ";");
        } else if (p.equals("true")) {
            boolean opened = open(p, f.type());
            FieldCode.read(w, f.type(), m, flex(f), nullable(f), desc(f), lastIntArray);
            close(opened);
        } else {
            w.line("if (" + p + ") {");
            FieldCode.read(w, f.type(), m, flex(f), nullable(f), desc(f), lastIntArray);
            w.line("} else {").line(m + " = " + FieldCode.decodedDefaultExpr(f) + ";");
            w.line("}");
        }
    }

    /**
     * The end (exclusive) of the run of fixed-size fields starting at {@code from} worth reading with one bounds
     * check, at least two fields present at some version; {@code from} when there is none.
     */
    private int fixedRunEnd(List<FieldSpec> regular, int from) {
        int end = from;
        int mayBePresent = 0;
        while (end < regular.size() && regular.get(end).type().isFixed()) {
            if (!present(regular.get(end)).equals("false")) {
                mayBePresent++;
            }
            end++;
        }
        return mayBePresent >= 2 ? end : from;
    }

    /**
     * Reads a run of fixed-size fields from bytes taken with one bounds check ({@code ByteReader.take}). When the
     * bytes are not all there (or the buffer has no array) they are read field by field, as other fields are, so a
     * truncation fails as it always did; that branch is never taken in the common case, and the JIT compiles
     * only what runs.
     */
    private void emitFixedRun(List<FieldSpec> run) {
        StringBuilder size = new StringBuilder();
        int fixed = 0;
        for (FieldSpec f : run) {
            w.line(f.type().javaType() + " " + local(f) + ";");
            String cond = present(f);
            int n = f.type().kind().fixedSize;
            if (cond.equals("true")) {
                fixed += n;
            } else if (!cond.equals("false")) {
                size.append(" + (").append(cond).append(" ? ").append(n).append(" : 0)");
            }
        }
        w.line("{"); // scopes _at
        String total = fixed == 0 ? size.substring(" + ".length()) : fixed + size.toString();
        w.line("int _at = in.take(" + total + ");");
        w.line("if (_at >= 0) {");
        int offset = 0; // from _at, which moves past each field read under a version condition
        int lastMaybePresent = 0;
        for (int i = 0; i < run.size(); i++) {
            lastMaybePresent = present(run.get(i)).equals("false") ? lastMaybePresent : i;
        }
        for (int i = 0; i < run.size(); i++) {
            FieldSpec f = run.get(i);
            String target = local(f);
            String cond = present(f);
            int n = f.type().kind().fixedSize;
            String at = offset == 0 ? "_at" : "_at + " + offset;
            if (cond.equals("false")) {
                w.line(target + " = " + FieldCode.decodedDefaultExpr(f) + ";");
            } else if (cond.equals("true")) {
                w.line(target + " = " + fixedAt(f.type(), at) + ";");
                offset += n;
            } else {
                w.line("if (" + cond + ") {").line(target + " = " + fixedAt(f.type(), at) + ";");
                if (i < lastMaybePresent) {
                    w.line("_at += " + n + ";");
                }
                w.line("} else {").line(target + " = " + FieldCode.decodedDefaultExpr(f) + ";").line("}");
            }
        }
        w.line("} else {");
        for (FieldSpec f : run) {
            readField(f, null);
        }
        w.line("}").line("}");
    }

    /** The value of a fixed-size type at array index {@code at} of bytes taken with {@code ByteReader.take}. */
    private static String fixedAt(FieldType t, String at) {
        switch (t.kind()) {
            case INT8: return "in.byteAt(" + at + ")";
            case BOOL: return "in.byteAt(" + at + ") != 0";
            case INT16: return "in.shortAt(" + at + ")";
            case UINT16: return "in.shortAt(" + at + ") & 0xffff";
            case INT32: return "in.intAt(" + at + ")";
            case UINT32: return "in.intAt(" + at + ") & 0xffffffffL";
            case INT64: return "in.longAt(" + at + ")";
            case FLOAT64: return "Double.longBitsToDouble(in.longAt(" + at + "))";
            case UUID: return "new Uuid(in.longAt(" + at + "), in.longAt(" + at + " + 8))";
            default: throw new IllegalStateException(t.toString());
        }
    }

    /**
     * The tagged-field loop, out of decode0's way: most structs arrive with none. Sets the tagged fields the bytes
     * hold; the others kept the defaults decode0 gave them.
     */
    private void emitReadTaggedFields(List<FieldSpec> tags) {
        w.line("private void readTaggedFields(ByteReader in, short version, int _numTagged) {");
        w.line("for (int _t = 0; _t < _numTagged; _t++) {");
        w.line("int _tag = in.readUnsignedVarint();");
        w.line("int _tagSize = in.readUnsignedVarint();");
        w.line("switch (_tag) {");
        for (FieldSpec f : tags) {
            w.line("case " + f.tag() + ": {");
            w.line("if (" + tagged(f) + ") {");
            w.line("int _start = in.position();");
            FieldCode.read(w, f.type(), "this." + Names.member(f), "true", nullable(f), desc(f), null);
            w.line("Codec.endTaggedField(in, _start, _tagSize, " + Names.literal(desc(f)) + ");");
            w.line("} else {").line("in.skip(_tagSize);").line("}");
            w.line("break;");
            w.line("}");
        }
        w.line("default:").line("    in.skip(_tagSize);");
        w.line("}");
        w.line("}");
        w.line("}").blank();
    }

    private void emitIsDefault() {
        w.line("/** Whether every field holds its default value. */");
        w.line("public boolean isDefaultValue() {");
        if (fields.isEmpty()) {
            w.line("return true;");
        } else {
            StringBuilder sb = new StringBuilder("return ");
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    sb.append("\n        && ");
                }
                sb.append(FieldCode.isDefault(fields.get(i), "this." + Names.member(fields.get(i))));
            }
            w.line(sb + ";");
        }
        w.line("}").blank();
    }

    private void emitEquals() {
        w.line("@Override").line("public boolean equals(Object o) {");
        w.line("if (this == o) {").line("return true;").line("}");
        w.line("if (!(o instanceof " + className + ")) {").line("return false;").line("}");
        w.line(className + " other = (" + className + ") o;");
        for (FieldSpec f : fields) {
            String m = FieldCode.value(f, "this");
            String o = FieldCode.value(f, "other");
            String test;
            switch (f.type().kind()) {
                case FLOAT64: test = "Double.compare(" + m + ", " + o + ") != 0"; break;
                default: test = f.type().isReference() ? "!Objects.equals(" + m + ", " + o + ")"
                        : m + " != " + o;
            }
            w.line("if (" + test + ") {").line("return false;").line("}");
        }
        w.line("return true;").line("}").blank();
        w.line("@Override").line("public int hashCode() {");
        w.line("int h = 0;");
        for (FieldSpec f : fields) {
            String m = FieldCode.value(f, "this");
            String hash = f.type().isReference() ? "Objects.hashCode(" + m + ")"
                    : f.type().kind().boxedType + ".hashCode(" + m + ")";
            w.line("h = 31 * h + " + hash + ";");
        }
        w.line("return h;").line("}").blank();
    }

    private void emitToString() {
        w.line("@Override").line("public String toString() {");
        StringBuilder sb = new StringBuilder("return \"" + className + "(\"");
        for (int i = 0; i < fields.size(); i++) {
            FieldSpec f = fields.get(i);
            String m = Names.member(f);
            String value;
            if (SecretFields.isHidden(qualifiedName, f.name())) {
                value = "(" + m + " == null ? \"null\" : \"(hidden)\")";
            } else if (FieldCode.isLazyStruct(f)) {
                value = FieldCode.value(f, "this");
            } else if (f.type().isBytesLike()) {
                value = "Codec.bytesToString(" + m + ")";
            } else if (f.type().kind() == FieldType.Kind.STRING) {
                value = "Codec.quote(" + m + ")";
            } else {
                value = m;
            }
            sb.append("\n        + \"").append(i > 0 ? ", " : "").append(m).append("=\" + ").append(value);
        }
        sb.append("\n        + \")\"");
        w.line(sb + ";").line("}");
    }
}
