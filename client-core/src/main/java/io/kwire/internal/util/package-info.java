/**
 * Small pieces the engine's packages share, such as exponential back-off with jitter and telling IP addresses from
 * host names.
 *
 * <p>Internal: no compatibility promise.
 */
package io.kwire.internal.util;
