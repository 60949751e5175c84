package io.kwire.security;

import io.kwire.client.Node;
import io.kwire.errors.AuthenticationException;
import io.kwire.network.Authenticator;
import io.kwire.network.NodeApiVersions;
import io.kwire.protocol.ApiKey;
import io.kwire.protocol.ApiRequest;
import io.kwire.protocol.ApiResponse;
import io.kwire.protocol.Errors;
import io.kwire.protocol.message.SaslAuthenticateRequest;
import io.kwire.protocol.message.SaslAuthenticateResponse;
import io.kwire.protocol.message.SaslHandshakeRequest;
import io.kwire.protocol.message.SaslHandshakeResponse;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * SASL on one connection as Kafka frames it since 1.0 (KIP-152): SaslHandshake (v1) names the mechanism, then
 * SaslAuthenticate requests carry the mechanism's messages until it completes. The last SaslAuthenticate response's
 * {@code SessionLifetimeMs} (KIP-368) is reported so the client re-authenticates before the broker closes the
 * session; each re-authentication uses a new instance (and, for OAUTHBEARER, a new token).
 *
 * <p>Brokers older than 1.0 have no SaslAuthenticate: the client sends SaslHandshake v0 and then the mechanism's
 * messages as raw tokens, each a bare size-prefixed frame, and the broker answers in kind ({@link #nextRawToken()},
 * {@link #onRawToken(ByteBuffer)}). The broker answers the initial token even when it has nothing to say (PLAIN
 * gets an empty token); after a later token the exchange ends as soon as the mechanism is complete. Those brokers
 * report bad credentials by closing the connection, so a disconnect during the raw exchange is reported as an
 * authentication failure ({@link #onDisconnect()}). They grant no session lifetime, so there is no re-authentication.
 *
 * <p>Failures are {@link AuthenticationException}s carrying the broker's error message; a mechanism the broker
 * does not enable fails with the list of mechanisms it does enable. Used on the I/O thread, but for the steps below.
 *
 * <p>With a {@code worker}, the mechanism's steps (making it, its first message, each answer to a challenge) run
 * there instead: a GSSAPI step may ask the KDC for a service ticket, an OAUTHBEARER one may fetch a token, a SCRAM
 * one derives the salted password, and none of that should hold up the I/O thread and every other connection on it.
 * While a step runs the authenticator has nothing to send; when it ends it calls {@code progressed}, and the engine
 * {@linkplain #resume() resumes} the exchange on the I/O thread, where the exchange's state changes (the step itself
 * only makes the mechanism and its messages). A step runs alone: the next one starts only after the broker has
 * answered what the last one made. Whoever holds the mechanism last disposes of it: the exchange when it ends, a
 * running step when the connection closed meanwhile, {@link #onClose()} otherwise.
 */
final class SaslAuthenticator implements Authenticator {

    private enum State {
        SEND_HANDSHAKE, AWAIT_HANDSHAKE, SEND_AUTHENTICATE, AWAIT_AUTHENTICATE,
        /** Raw tokens (brokers before 1.0): send one and wait for the broker's. */
        SEND_RAW, AWAIT_RAW,
        /** Raw tokens: the mechanism completed with this token; nothing comes back. */
        SEND_RAW_LAST,
        /** A mechanism step runs on the worker. */
        WORKING,
        COMPLETE, FAILED
    }


    private final String mechanismName;
    private final Supplier<SaslMechanism> mechanismSupplier;
    private final Node node;
    private final NodeApiVersions versions;
    /** Made on the worker by the first step; volatile, though each hand-over already orders it. */
    private volatile SaslMechanism mechanism;
    private State state = State.SEND_HANDSHAKE;
    private byte[] pending;
    private long sessionLifetimeMs;
    /** True when the broker lacks SaslAuthenticate and tokens travel raw. */
    private boolean raw;
    /** Where mechanism steps run, or null to run them in the calls that need them. */
    private final Executor worker;
    private final Runnable progressed;
    /** What the running step's output leads to, back on the I/O thread. */
    private Consumer<byte[]> afterStep;
    /** The finished step's outcome, handed over by the worker; guarded by this. */
    private StepOutcome finished;
    /** The step has begun on the worker (so it, not {@link #onClose()}, disposes if closed meanwhile); guarded. */
    private boolean stepStarted;
    /** Closed with the connection, or failed while a step ran; guarded by this. */
    private boolean closed;

    /** A step's output, or what it threw. */
    private record StepOutcome(byte[] output, Throwable failure) {
    }

    /**
     * @param mechanismName     the name sent in SaslHandshake
     * @param mechanismSupplier creates the mechanism once the broker has accepted its name
     * @param node              the broker, for messages
     * @param versions          the broker's API versions (null when unknown)
     */
    public SaslAuthenticator(String mechanismName, Supplier<SaslMechanism> mechanismSupplier, Node node,
                             NodeApiVersions versions) {
        this(mechanismName, mechanismSupplier, node, versions, null, null);
    }

    /**
     * As {@link #SaslAuthenticator(String, Supplier, Node, NodeApiVersions)}, running the mechanism's steps on
     * {@code worker} and calling {@code progressed} (from the worker's thread) when one ends.
     */
    SaslAuthenticator(String mechanismName, Supplier<SaslMechanism> mechanismSupplier, Node node,
                      NodeApiVersions versions, Executor worker, Runnable progressed) {
        this.mechanismName = mechanismName;
        this.mechanismSupplier = mechanismSupplier;
        this.node = node;
        this.versions = versions;
        this.worker = worker;
        this.progressed = progressed;
    }

    @Override
    public ApiRequest<?> nextRequest() {
        switch (state) {
            case SEND_HANDSHAKE -> {
                state = State.AWAIT_HANDSHAKE;
                return new SaslHandshakeRequest().setMechanism(mechanismName);
            }
            case SEND_AUTHENTICATE -> {
                state = State.AWAIT_AUTHENTICATE;
                byte[] bytes = pending;
                pending = null;
                return new SaslAuthenticateRequest().setAuthBytes(ByteBuffer.wrap(bytes));
            }
            default -> {
                return null;
            }
        }
    }

    @Override
    public byte[] nextRawToken() {
        if (state != State.SEND_RAW && state != State.SEND_RAW_LAST) {
            return null;
        }
        byte[] bytes = pending;
        pending = null;
        if (state == State.SEND_RAW) {
            state = State.AWAIT_RAW;
        } else {
            complete();
        }
        return bytes;
    }

    @Override
    public boolean awaitsRawToken() {
        return state == State.AWAIT_RAW;
    }

    @Override
    public void onRawToken(ByteBuffer token) {
        if (state != State.AWAIT_RAW) {
            fail();
            throw new AuthenticationException("SASL " + mechanismName + " with " + describeNode()
                    + ": unexpected raw SASL token in state " + state);
        }
        guarded(() -> {
            if (mechanism.isComplete()) {
                afterRawToken(null);
                return;
            }
            byte[] challenge = toBytes(token); // the buffer is the caller's only during this call
            step(() -> mechanism.evaluateChallenge(challenge), this::afterRawToken);
        });
    }

    private void afterRawToken(byte[] next) {
        if (next != null) {
            pending = next;
            state = mechanism.isComplete() ? State.SEND_RAW_LAST : State.SEND_RAW;
        } else if (mechanism.isComplete()) {
            complete();
        } else {
            throw stoppedEarly();
        }
    }

    private AuthenticationException stoppedEarly() {
        return new AuthenticationException("SASL " + mechanismName + " with " + describeNode()
                + ": the mechanism stopped before completing");
    }

    /**
     * Runs a mechanism step: here, or on the worker, the exchange waiting ({@link State#WORKING}) until
     * {@link #resume()} takes the outcome.
     */
    private void step(Supplier<byte[]> work, Consumer<byte[]> then) {
        if (worker == null) {
            then.accept(work.get());
            return;
        }
        state = State.WORKING;
        afterStep = then; // stepStarted is false here: no step ran yet, or resume() cleared it
        try {
            worker.execute(() -> runStep(work));
        } catch (RejectedExecutionException e) {
            throw new AuthenticationException("SASL " + mechanismName + " with " + describeNode() + ": the client's"
                    + " SASL threads are closed (an AuthenticatorFactory belongs to one client and closes with it:"
                    + " give each client its own)", e);
        }
    }

    /** On the worker: one step, its outcome handed over for {@link #resume()}. */
    private void runStep(Supplier<byte[]> work) {
        synchronized (this) {
            if (closed) {
                return; // closed before the step began: onClose() disposed, and there is nothing to do
            }
            stepStarted = true;
        }
        StepOutcome outcome;
        try {
            outcome = new StepOutcome(work.get(), null);
        } catch (Throwable t) { // an Error too: the exchange must end, not wait for the connection's timeout
            outcome = new StepOutcome(null, t);
        }
        boolean dropped;
        synchronized (this) {
            dropped = closed;
            if (!dropped) {
                finished = outcome;
            }
        }
        if (dropped) {
            disposeQuietly(); // the exchange is over and nobody resumes: the mechanism is this step's to dispose
            return;
        }
        progressed.run();
    }

    /** A step is running on the worker now, and will dispose of the mechanism if the exchange ends meanwhile. */
    private synchronized boolean stepRunning() {
        return state == State.WORKING && stepStarted && finished == null;
    }

    @Override
    public void resume() {
        StepOutcome outcome;
        synchronized (this) {
            if (closed) {
                return;
            }
            outcome = finished;
            finished = null;
            stepStarted = false; // over: from here the exchange, not the step, disposes
        }
        if (outcome == null || state != State.WORKING) {
            return;
        }
        Consumer<byte[]> then = afterStep;
        afterStep = null;
        guarded(() -> {
            Throwable t = outcome.failure();
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t != null) {
                throw new AuthenticationException("SASL " + mechanismName + " with " + describeNode() + " failed: "
                        + t.getClass().getSimpleName(), t);
            }
            then.accept(outcome.output());
        });
    }

    @Override
    public void onClose() {
        boolean running;
        synchronized (this) {
            if (closed) {
                return;
            }
            running = stepRunning();
            closed = true;
        }
        if (!running && state != State.COMPLETE && state != State.FAILED) {
            disposeQuietly();
        }
    }

    @Override
    public AuthenticationException onDisconnect() {
        // While a step runs the broker waits for our token: a close then says nothing about the credentials.
        if (!raw || state == State.COMPLETE || state == State.FAILED || state == State.WORKING) {
            return null;
        }
        fail();
        return new AuthenticationException("SASL " + mechanismName + " authentication with " + describeNode()
                + " failed: the broker closed the connection during the raw SASL token exchange (brokers older than"
                + " Kafka 1.0 give no reason; check the credentials and that the broker enables " + mechanismName + ")");
    }

    @Override
    public void onResponse(ApiResponse response) {
        guarded(() -> {
            switch (state) {
                case AWAIT_HANDSHAKE -> onHandshake((SaslHandshakeResponse) response);
                case AWAIT_AUTHENTICATE -> onAuthenticate((SaslAuthenticateResponse) response);
                default -> throw new AuthenticationException("SASL " + mechanismName + " with " + describeNode()
                        + ": unexpected " + response.apiKey().displayName() + " response in state " + state);
            }
        });
    }

    /** Runs one step; any failure marks the exchange failed and surfaces as an {@link AuthenticationException}. */
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (AuthenticationException e) {
            fail();
            throw e;
        } catch (ClassCastException e) {
            fail();
            throw new AuthenticationException("SASL " + mechanismName + " with " + describeNode()
                    + ": unexpected response " + e.getMessage());
        } catch (RuntimeException e) {
            fail();
            throw new AuthenticationException("SASL " + mechanismName + " with " + describeNode() + " failed: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    private void onHandshake(SaslHandshakeResponse r) {
        if (Errors.UNSUPPORTED_SASL_MECHANISM.is(r.errorCode())) {
            throw new AuthenticationException("SASL mechanism " + mechanismName + " is not enabled on " + describeNode()
                    + "; the broker enables " + r.mechanisms() + " (sasl.enabled.mechanisms)");
        }
        if (Errors.ILLEGAL_SASL_STATE.is(r.errorCode())) {
            throw new AuthenticationException("SASL handshake with " + describeNode()
                    + " failed: the broker says ILLEGAL_SASL_STATE (is this a SASL listener?)");
        }
        if (r.errorCode() != 0) {
            throw new AuthenticationException("SASL handshake with " + describeNode() + " failed with "
                    + Errors.forCode(r.errorCode()).label());
        }
        // SaslHandshake v0 (the only version of brokers without SaslAuthenticate) switches the broker to raw tokens.
        raw = versions != null && !versions.supports(ApiKey.SASL_AUTHENTICATE);
        step(() -> {
            mechanism = mechanismSupplier.get();
            byte[] first = mechanism.initialResponse();
            return first == null ? new byte[0] : first;
        }, first -> {
            pending = first;
            state = raw ? State.SEND_RAW : State.SEND_AUTHENTICATE;
        });
    }

    private void onAuthenticate(SaslAuthenticateResponse r) {
        if (r.errorCode() != 0) {
            String detail = mechanism.failureDetail();
            String msg = r.errorMessage() == null || r.errorMessage().isBlank()
                    ? Errors.forCode(r.errorCode()).label() : r.errorMessage();
            throw new AuthenticationException("SASL " + mechanismName + " authentication with " + describeNode()
                    + " failed: " + msg + (detail == null ? "" : " (" + detail + ")"));
        }
        if (r.sessionLifetimeMs() > 0) {
            sessionLifetimeMs = r.sessionLifetimeMs();
        }
        if (mechanism.isComplete()) {
            complete();
            return;
        }
        byte[] challenge = toBytes(r.authBytes());
        step(() -> mechanism.evaluateChallenge(challenge), this::afterChallenge);
    }

    private void afterChallenge(byte[] next) {
        if (next != null) {
            pending = next;
            state = State.SEND_AUTHENTICATE;
        } else if (mechanism.isComplete()) {
            complete();
        } else {
            throw stoppedEarly();
        }
    }

    private void complete() {
        state = State.COMPLETE;
        mechanism.dispose();
    }

    private void fail() {
        boolean running;
        synchronized (this) {
            running = stepRunning();
            if (state == State.WORKING) {
                closed = true; // a queued step then does nothing, a running one disposes, a finished one is dropped
            }
        }
        state = State.FAILED;
        if (!running) {
            disposeQuietly();
        }
    }

    private void disposeQuietly() {
        if (mechanism != null) {
            try {
                mechanism.dispose();
            } catch (RuntimeException ignored) {
                // failing or closing anyway
            }
        }
    }

    private static byte[] toBytes(ByteBuffer b) {
        if (b == null) {
            return new byte[0];
        }
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    private String describeNode() {
        return node == null ? "the broker" : "broker " + node.id() + " (" + node.host() + ":" + node.port() + ")";
    }

    @Override
    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    @Override
    public long sessionLifetimeMs() {
        return sessionLifetimeMs;
    }

    @Override
    public String toString() {
        return "SaslAuthenticator{" + mechanismName + ", " + state + "}";
    }
}
