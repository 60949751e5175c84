/**
 * Cluster metadata: refresh timing and the snapshot ({@link io.kwire.internal.metadata.MetadataTracker}), and the
 * updater that sends the requests, applies the answers and rebootstraps
 * ({@link io.kwire.internal.metadata.MetadataUpdater}).
 *
 * <p>Internal: no compatibility promise.
 */
package io.kwire.internal.metadata;
