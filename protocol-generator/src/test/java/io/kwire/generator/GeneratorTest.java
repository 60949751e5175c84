package io.kwire.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.generator.Schema.FieldSpec;
import io.kwire.generator.Schema.MessageSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeneratorTest {

    @Test
    void jsonToleratesCommentsAndKeepsOrder() {
        Object parsed = Json.parse("// leading\n{ \"b\": 1, /* block */ "
                + "\"a\": [true, false, null, \"x\\\"y\\u0041\"],\n"
                + "  // inline\n \"c\": { } }");
        assertThat(parsed).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) parsed;
        assertThat(m.keySet()).containsExactly("b", "a", "c");
        assertThat(m.get("b")).isEqualTo("1");
        assertThat(m.get("a")).isEqualTo(java.util.Arrays.asList(true, false, null, "x\"yA"));
        assertThatThrownBy(() -> Json.parse("{ \"a\": 1 ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("{} x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void versionRanges() {
        assertThat(Versions.parse("3+")).isEqualTo(new Versions((short) 3, Short.MAX_VALUE));
        assertThat(Versions.parse("1-4").contains(4)).isTrue();
        assertThat(Versions.parse("7").contains(8)).isFalse();
        assertThat(Versions.parse("none").isEmpty()).isTrue();
        Versions outer = Versions.parse("0-12");
        assertThat(Versions.parse("0+").condition(outer)).isEqualTo("true");
        assertThat(Versions.parse("4+").condition(outer)).isEqualTo("version >= 4");
        assertThat(Versions.parse("0-3").condition(outer)).isEqualTo("version <= 3");
        assertThat(Versions.parse("2-3").condition(outer)).isEqualTo("version >= 2 && version <= 3");
        assertThat(Versions.parse("13+").condition(outer)).isEqualTo("false");
    }

    @Test
    void names() {
        assertThat(Names.upperSnake("DescribeClientQuotas")).isEqualTo("DESCRIBE_CLIENT_QUOTAS");
        assertThat(Names.upperSnake("ApiVersions")).isEqualTo("API_VERSIONS");
        assertThat(Names.upperSnake("OffsetForLeaderEpoch")).isEqualTo("OFFSET_FOR_LEADER_EPOCH");
        assertThat(Names.literal("a\"b\\c\u00e9")).isEqualTo("\"a\\\"b\\\\c\\u00e9\"");
    }

    @Test
    void defaultsIncludingHexNullAndBooleans() {
        MessageSpec spec = Schema.parseMessage("{ \"type\": \"data\", \"name\": \"T\", \"validVersions\": \"0-1\","
                + " \"flexibleVersions\": \"1+\", \"fields\": ["
                + " { \"name\": \"Hex\", \"type\": \"int32\", \"versions\": \"0+\", \"default\": \"0x7fffffff\" },"
                + " { \"name\": \"Neg\", \"type\": \"int64\", \"versions\": \"0+\", \"default\": \"-1\" },"
                + " { \"name\": \"Flag\", \"type\": \"bool\", \"versions\": \"0+\", \"default\": false },"
                + " { \"name\": \"S\", \"type\": \"string\", \"versions\": \"0+\", \"nullableVersions\": \"0+\","
                + "   \"default\": \"null\" },"
                + " { \"name\": \"Xs\", \"type\": \"[]X\", \"versions\": \"1+\", \"tag\": 0,"
                + "   \"taggedVersions\": \"1+\","
                + "   \"fields\": [ { \"name\": \"Id\", \"type\": \"uuid\", \"versions\": \"0+\" } ] } ] }");
        List<FieldSpec> f = spec.fields();
        assertThat(FieldCode.defaultExpr(f.get(0))).isEqualTo("2147483647");
        assertThat(FieldCode.defaultExpr(f.get(1))).isEqualTo("-1L");
        assertThat(FieldCode.defaultExpr(f.get(2))).isEqualTo("false");
        assertThat(FieldCode.defaultExpr(f.get(3))).isEqualTo("null");
        assertThat(FieldCode.defaultExpr(f.get(4))).isEqualTo("new ArrayList<>(0)");
        assertThat(f.get(4).isTagged()).isTrue();
        assertThat(spec.structs()).containsKey("X");
        assertThat(spec.structs().get("X").versions()).isEqualTo(Versions.parse("1-1"));
        String source = MessageEmitter.emit(spec, null, null);
        assertThat(source).contains("public final class T implements Message")
                .contains("public static final class X implements Message")
                .contains("public T setXs(List<X> v)");
    }

    @Test
    void readsEverySchemaInTheKafkaJar() throws Exception {
        Map<String, MessageSpec> specs = ProtocolGenerator.loadSchemas();
        assertThat(specs).containsKeys("MetadataRequest", "RequestHeader", "ResponseHeader");
        assertThat(ProtocolGenerator.brokerApis(specs)).hasSizeGreaterThan(70);
    }
}
