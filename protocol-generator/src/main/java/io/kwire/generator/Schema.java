package io.kwire.generator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parsed form of one {@code common/message/*.json} schema. */
final class Schema {

    private Schema() {
    }

    record FieldSpec(String name, FieldType type, Versions versions, Versions nullableVersions, Integer tag,
            Versions taggedVersions, String defaultValue, boolean ignorable, Versions flexibleVersions,
            List<FieldSpec> fields, String about) {

        boolean isTagged() {
            return tag != null;
        }

        /** The name with its first letter lower-cased: the Java field and getter name (before escaping). */
        String camelName() {
            return Character.toLowerCase(name.charAt(0)) + name.substring(1);
        }

        /** Whether the schema's default is the literal {@code null}. */
        boolean defaultIsNull() {
            return "null".equals(defaultValue);
        }
    }

    record StructSpec(String name, List<FieldSpec> fields, Versions versions) {
    }

    record MessageSpec(String name, String type, Integer apiKey, Versions validVersions, Versions flexibleVersions,
            boolean latestVersionUnstable, List<String> listeners, List<FieldSpec> fields,
            List<StructSpec> commonStructs) {

        boolean isRequest() {
            return "request".equals(type);
        }

        boolean isResponse() {
            return "response".equals(type);
        }

        /** Versions known to be stable: the valid range, less the last one when it is marked unstable. */
        short highestStableVersion() {
            return latestVersionUnstable ? (short) (validVersions.hi() - 1) : validVersions.hi();
        }

        short firstFlexibleVersion() {
            return flexibleVersions.isEmpty() ? -1 : flexibleVersions.lo();
        }

        /**
         * Every struct of this message, top-level excluded, keyed by name in first-seen order: inline structs
         * and the common structs, each with the hull of the versions it is used in.
         */
        Map<String, StructSpec> structs() {
            Map<String, List<FieldSpec>> common = new LinkedHashMap<>();
            for (StructSpec s : commonStructs) {
                common.put(s.name(), s.fields());
            }
            Map<String, StructSpec> out = new LinkedHashMap<>();
            collect(fields, validVersions, common, out);
            for (StructSpec s : commonStructs) {
                out.putIfAbsent(s.name(), new StructSpec(s.name(), s.fields(), Versions.NONE));
            }
            return out;
        }

        private static void collect(List<FieldSpec> fields, Versions outer, Map<String, List<FieldSpec>> common,
                Map<String, StructSpec> out) {
            for (FieldSpec f : fields) {
                String struct = f.type().innerStruct();
                if (struct == null) {
                    continue;
                }
                Versions used = f.versions().intersect(outer);
                List<FieldSpec> body = f.fields() != null ? f.fields() : common.get(struct);
                StructSpec prior = out.get(struct);
                if (body == null && prior != null) {
                    body = prior.fields();
                }
                if (body == null) {
                    throw new IllegalArgumentException("Struct " + struct + " has no definition");
                }
                if (prior != null && f.fields() != null && prior.fields() != f.fields()
                        && common.get(struct) == null) {
                    throw new IllegalArgumentException("Struct " + struct + " is defined twice");
                }
                Versions hull = prior == null ? used : prior.versions().hull(used);
                out.put(struct, new StructSpec(struct, body, hull));
                collect(body, used, common, out);
            }
        }
    }

    @SuppressWarnings("unchecked")
    static MessageSpec parseMessage(String json) {
        Map<String, Object> m = (Map<String, Object>) Json.parse(json);
        List<StructSpec> common = new ArrayList<>();
        for (Object o : list(m.get("commonStructs"))) {
            Map<String, Object> s = (Map<String, Object>) o;
            common.add(new StructSpec((String) s.get("name"), fields(s.get("fields")), Versions.NONE));
        }
        List<String> listeners = new ArrayList<>();
        for (Object o : list(m.get("listeners"))) {
            listeners.add((String) o);
        }
        Object apiKey = m.get("apiKey");
        String flexible = (String) m.get("flexibleVersions");
        return new MessageSpec((String) m.get("name"), (String) m.get("type"),
                apiKey == null ? null : Integer.valueOf(apiKey.toString()),
                Versions.parse((String) m.get("validVersions")),
                flexible == null ? Versions.NONE : Versions.parse(flexible),
                Boolean.TRUE.equals(m.get("latestVersionUnstable")), listeners, fields(m.get("fields")), common);
    }

    @SuppressWarnings("unchecked")
    private static List<FieldSpec> fields(Object json) {
        List<FieldSpec> out = new ArrayList<>();
        for (Object o : list(json)) {
            Map<String, Object> f = (Map<String, Object>) o;
            Versions versions = Versions.parse((String) f.get("versions"));
            Object tag = f.get("tag");
            Object dflt = f.get("default");
            Versions nullable = Versions.parse((String) f.get("nullableVersions"));
            Versions tagged = Versions.parse((String) f.get("taggedVersions"));
            out.add(new FieldSpec((String) f.get("name"), FieldType.parse((String) f.get("type")), versions,
                    nullable == null ? Versions.NONE : nullable,
                    tag == null ? null : Integer.valueOf(tag.toString()),
                    tagged == null ? Versions.NONE : tagged,
                    dflt == null ? null : dflt.toString(),
                    Boolean.TRUE.equals(f.get("ignorable")) || "true".equals(f.get("ignorable")),
                    Versions.parse((String) f.get("flexibleVersions")),
                    f.containsKey("fields") ? fields(f.get("fields")) : null, (String) f.get("about")));
        }
        return out;
    }

    private static List<?> list(Object o) {
        return o == null ? List.of() : (List<?>) o;
    }
}
