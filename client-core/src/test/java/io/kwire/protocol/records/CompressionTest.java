package io.kwire.protocol.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.errors.KwireException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class CompressionTest {

    @Test
    void idsAndNamesAreKafkas() {
        assertThat(Compression.values()).extracting(Compression::id).containsExactly(0, 1, 2, 3, 4);
        assertThat(Compression.values()).extracting(Compression::configName)
                .containsExactly("none", "gzip", "snappy", "lz4", "zstd");
        for (Compression c : Compression.values()) {
            assertThat(Compression.forId(c.id())).isSameAs(c);
            assertThat(Compression.forName(c.configName().toUpperCase())).isSameAs(c);
            assertThat(c.isAvailable()).isTrue();
        }
        assertThat(Compression.forId(5)).isNull();
        assertThat(Compression.forId(-1)).isNull();
        assertThatThrownBy(() -> Compression.forName("brotli")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Compression.LZ4.mavenArtifact()).isEqualTo("at.yawk.lz4:lz4-java");
    }

    @Test
    void missingLibraryNamesTheArtifact() {
        assertThatThrownBy(() -> Compression.load(Compression.ZSTD, "com.example.NotThere", ZstdCodec::new))
                .isInstanceOf(KwireException.class)
                .hasMessageContaining("zstd compression needs")
                .hasMessageContaining("com.github.luben:zstd-jni");
    }

    /**
     * Loads kwire's own classes in a class loader that sees neither snappy, lz4 nor zstd: NONE and GZIP batches
     * still build and read, and the other codecs fail with a KwireException naming the artifact.
     */
    @Test
    void codecsLoadLazilyWithoutTheOptionalLibraries() throws Exception {
        URL kwireClasses = Compression.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {kwireClasses},
                ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> isolated.loadClass("org.xerial.snappy.Snappy"))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> compression = isolated.loadClass(Compression.class.getName());
            Class<?> builder = isolated.loadClass(RecordBatchBuilder.class.getName());
            Class<?> records = isolated.loadClass(Records.class.getName());
            Class<?> header = isolated.loadClass(Header.class.getName());
            Method append = builder.getMethod("append", long.class, byte[].class, byte[].class,
                    header.arrayType());
            Method build = builder.getMethod("build");
            Method readAll = records.getMethod("records", ByteBuffer.class);
            for (Object c : compression.getEnumConstants()) {
                String name = ((Enum<?>) c).name();
                boolean jdkOnly = name.equals("NONE") || name.equals("GZIP");
                assertThat(compression.getMethod("isAvailable").invoke(c)).as(name).isEqualTo(jdkOnly);
                if (jdkOnly) {
                    Object b = builder.getConstructor(compression).newInstance(c);
                    append.invoke(b, 1L, new byte[] {1}, new byte[] {2, 3},
                            java.lang.reflect.Array.newInstance(header, 0));
                    ByteBuffer batch = (ByteBuffer) build.invoke(b);
                    assertThat(((java.util.List<?>) readAll.invoke(null, batch))).hasSize(1);
                } else {
                    Throwable t = catchInvocation(() -> builder.getConstructor(compression).newInstance(c));
                    assertThat(t.getClass().getName()).isEqualTo(KwireException.class.getName());
                    assertThat(t.getMessage()).contains(name.toLowerCase() + " compression needs")
                            .contains((String) compression.getMethod("mavenArtifact").invoke(c));
                    // reading a batch of that codec fails the same way (built here, where the library exists)
                    ByteBuffer batch = new RecordBatchBuilder(Compression.valueOf(name))
                            .append(1L, new byte[] {1}, new byte[] {2}).build();
                    Throwable r = catchInvocation(() -> readAll.invoke(null, batch));
                    assertThat(r.getClass().getName()).isEqualTo(KwireException.class.getName());
                }
            }
        }
    }

    private interface Call {
        Object call() throws Exception;
    }

    private static Throwable catchInvocation(Call call) throws Exception {
        try {
            call.call();
        } catch (InvocationTargetException e) {
            return e.getCause();
        }
        throw new AssertionError("expected an exception");
    }
}
