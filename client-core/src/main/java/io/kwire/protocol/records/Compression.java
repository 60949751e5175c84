package io.kwire.protocol.records;

import io.kwire.errors.KwireException;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The compression codecs of a record batch, with the ids Kafka stores in bits 0-2 of the batch attributes.
 *
 * <p>GZIP uses the JDK. SNAPPY, LZ4 and ZSTD need an optional library on the classpath; it is looked up the first
 * time the codec is used, and if it is absent (or its native part cannot load on this platform) that use fails
 * with a {@link KwireException} naming the Maven artifact to add. {@link #isAvailable()} asks without failing.
 */
public enum Compression {
    NONE(0, "none", null, null, 0, 0, 0),
    /** Levels 1-9, or -1 for zlib's default (6); Kafka's default is -1. */
    GZIP(1, "gzip", null, null, 1, 9, -1),
    /** Snappy has no levels. */
    SNAPPY(2, "snappy", "org.xerial.snappy.Snappy", "org.xerial.snappy:snappy-java", 0, 0, 0),
    /** Levels 1-17; Kafka's default 9 selects LZ4's fast compressor, any other level the HC compressor. */
    LZ4(3, "lz4", "net.jpountz.lz4.LZ4Factory", "at.yawk.lz4:lz4-java", 1, 17, 9),
    /** Levels -131072 (fastest) to 22; Kafka's default is 3. */
    ZSTD(4, "zstd", "com.github.luben.zstd.Zstd", "com.github.luben:zstd-jni", -131072, 22, 3);

    private final int id;
    private final String configName;
    private final String probeClass;
    private final String artifact;
    private final int minLevel;
    private final int maxLevel;
    private final int defaultLevel;
    private volatile Codec codec;

    Compression(int id, String configName, String probeClass, String artifact, int minLevel, int maxLevel,
            int defaultLevel) {
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
        this.defaultLevel = defaultLevel;
        this.id = id;
        this.configName = configName;
        this.probeClass = probeClass;
        this.artifact = artifact;
    }

    /** The id in the batch attributes (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd). */
    public int id() {
        return id;
    }

    /** The name Kafka uses in {@code compression.type}: none, gzip, snappy, lz4, zstd. */
    public String configName() {
        return configName;
    }

    /** The Maven coordinates ({@code groupId:artifactId}) of the library this codec needs, or null for none. */
    public String mavenArtifact() {
        return artifact;
    }

    /** The level Kafka uses when {@code compression.<type>.level} is not set (0 for codecs without levels). */
    public int defaultLevel() {
        return defaultLevel;
    }

    public int minLevel() {
        return minLevel;
    }

    public int maxLevel() {
        return maxLevel;
    }

    /** Checks {@code level} against this codec's range (as Kafka's producer does); returns it. */
    public int checkLevel(int level) {
        if (level != defaultLevel && (level < minLevel || level > maxLevel)) {
            throw new IllegalArgumentException(configName + " compression level " + level + " is out of range ["
                    + minLevel + ", " + maxLevel + "]");
        }
        return level;
    }

    /** The codec with attribute id {@code id}, or null if there is none (ids 5-7 are unassigned). */
    public static Compression forId(int id) {
        switch (id) {
            case 0: return NONE;
            case 1: return GZIP;
            case 2: return SNAPPY;
            case 3: return LZ4;
            case 4: return ZSTD;
            default: return null;
        }
    }

    /** The codec for a {@code compression.type} name (case-insensitive). */
    public static Compression forName(String name) {
        for (Compression c : values()) {
            if (c.configName.equals(name.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException("Unknown compression type '" + name + "'; expected one of none, gzip, "
                + "snappy, lz4, zstd");
    }

    /** Whether this codec can be used here: its library is on the classpath and loads. */
    public boolean isAvailable() {
        if (this == NONE) {
            return true;
        }
        try {
            codec();
            return true;
        } catch (KwireException e) {
            return false;
        }
    }

    /** The loaded codec; throws a KwireException naming the missing artifact. Not for NONE. */
    Codec codec() {
        Codec c = codec;
        if (c == null) {
            c = load(this, probeClass, this::newCodec);
            codec = c;
        }
        return c;
    }

    /**
     * Creates the codec. A plain {@code new} in a switch, not a method reference: a constructor reference would be
     * linked when this enum initialises, loading the codec class and, through it, the optional library's classes.
     */
    private Codec newCodec() {
        switch (this) {
            case GZIP: return new GzipCodec();
            case SNAPPY: return new SnappyCodec();
            case LZ4: return new Lz4Codec();
            case ZSTD: return new ZstdCodec();
            default: throw new IllegalStateException("Compression " + this + " has no codec");
        }
    }

    static Codec load(Compression which, String probeClass, Supplier<Codec> factory) {
        if (probeClass != null) {
            try {
                Class.forName(probeClass, false, Compression.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new KwireException(which.configName + " compression needs the optional library "
                        + which.artifact + " on the classpath: add the Maven dependency " + which.artifact
                        + " (kwire-client-core declares it optional)", e);
            }
        }
        try {
            return factory.get();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw new KwireException(which.configName + " compression could not be initialised (library "
                    + which.artifact + "; its native part may not support this platform): " + e, e);
        }
    }
}
