/**
 * Small pieces the engine's packages share, such as exponential back-off with jitter.
 *
 * <p>Internal: no compatibility promise.
 */
package io.kwire.internal.util;
