/**
 * The network engine: the event loop ({@link io.kwire.internal.network.NetworkEngine}), one
 * {@link io.kwire.internal.network.BrokerConnection} per broker with its set-up steps, their framing and send queue,
 * and what outlives a connection ({@link io.kwire.internal.network.ConnectionHistory}).
 *
 * <p>Internal: no compatibility promise. Applications use {@code io.kwire.KafkaClient} or {@code io.kwire.KwireClient}.
 */
package io.kwire.internal.network;
