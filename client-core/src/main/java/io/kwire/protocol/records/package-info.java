/**
 * Kafka record batches (magic v2) and their compression: what a Produce request's and a Fetch response's
 * {@code records} fields hold.
 *
 * <h2>Producing</h2>
 * {@link io.kwire.protocol.records.RecordBatchBuilder} builds one batch, byte for byte as kafka-clients'
 * {@code MemoryRecordsBuilder} does (CRC32C included, every codec), encoding each record as it is appended;
 * {@link io.kwire.protocol.records.Records#concat} joins batches.
 *
 * <h2>Fetching</h2>
 * {@link io.kwire.protocol.records.RecordBatchReader} iterates over the batches of a fetched buffer, checking
 * length, magic and CRC and skipping a partial last batch. A {@link io.kwire.protocol.records.RecordBatch} decompresses
 * (bounded) and decodes its records only as they are read: iterate it for {@link io.kwire.protocol.records.Record}s,
 * or step a {@link io.kwire.protocol.records.RecordCursor} for no allocation per record; keys and values are views of
 * the fetched buffer (zero-copy) for uncompressed batches.
 * Every malformed input raises {@link io.kwire.protocol.records.CorruptRecordException}, a
 * {@link io.kwire.errors.ProtocolException}.
 *
 * <h2>Codecs</h2>
 * {@link io.kwire.protocol.records.Compression}: gzip uses the JDK; snappy ({@code org.xerial.snappy:snappy-java}),
 * lz4 ({@code at.yawk.lz4:lz4-java}) and zstd ({@code com.github.luben:zstd-jni}) are optional dependencies,
 * loaded on first use.
 */
package io.kwire.protocol.records;
