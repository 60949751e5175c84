package io.kwire.client;

/**
 * What a request does when the node it needs cannot be connected to: its last connection attempt failed and the
 * node is backing off before the next one. A failure that waiting cannot mend (the broker refused the credentials,
 * a TLS certificate or host name check failed, the broker broke the protocol, a set-up step threw) fails the
 * request at once under either policy; so does an attempt that fails while the request waits for it.
 */
public enum UnavailableNodePolicy {
    /**
     * Fail at once with the node's failure, typed by kind: {@link io.kwire.errors.NodeNotReadyException} for a
     * refused or unresolvable connect, {@link io.kwire.errors.KwireTimeoutException} for a set-up that timed out,
     * {@link io.kwire.errors.DisconnectedException} for a broker that closed the connection during set-up,
     * {@link io.kwire.errors.AuthenticationException} for refused credentials, certificates or host names,
     * {@link io.kwire.errors.ProtocolException} for a peer that does not speak Kafka (or TLS) on that port. A request
     * for any node fails with a
     * {@link io.kwire.errors.NoBrokersAvailableException} naming each address's failure. The caller learns of a
     * stopped broker or a wrong password in milliseconds. The default.
     */
    FAIL_FAST,
    /**
     * Wait while the node's back-off ends before the request's deadline, reconnecting then; fail at once only when
     * the back-off outlasts the deadline. For callers that would rather ride out a broker restart than retry.
     */
    WAIT
}
