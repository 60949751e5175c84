package io.kwire.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kwire.client.Node;
import io.kwire.errors.AuthenticationException;
import io.kwire.network.NodeApiVersions;
import io.kwire.protocol.message.SaslAuthenticateRequest;
import io.kwire.protocol.message.SaslAuthenticateResponse;
import io.kwire.protocol.message.SaslHandshakeResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A {@link SaslAuthenticator} that runs its mechanism's steps on a worker: it sends nothing while a step runs, says
 * when one has ended, and takes its outcome only when resumed. The worker here is a queue the test runs by hand, so
 * each moment of the exchange can be looked at.
 */
class SaslAuthenticatorStepsTest {

    private static final Node NODE = SaslAuthenticatorTest.NODE;
    private static final NodeApiVersions VERSIONS = SaslAuthenticatorTest.VERSIONS;

    /** Steps queued, run when the test says. */
    private final ArrayDeque<Runnable> worker = new ArrayDeque<>();
    private final Executor executor = worker::add;
    private final AtomicInteger progressed = new AtomicInteger();

    /** Two messages: "first", then after any challenge "second", then complete. */
    private static final class TwoStep implements SaslMechanism {
        boolean complete;
        int disposed;
        RuntimeException failOnChallenge;
        Thread lastThread;

        @Override
        public String name() {
            return "TWO-STEP";
        }

        @Override
        public byte[] initialResponse() {
            lastThread = Thread.currentThread();
            return "first".getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public byte[] evaluateChallenge(byte[] challenge) {
            lastThread = Thread.currentThread();
            if (failOnChallenge != null) {
                throw failOnChallenge;
            }
            complete = true;
            return "second".getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public boolean isComplete() {
            return complete;
        }

        @Override
        public void dispose() {
            disposed++;
        }
    }

    private final TwoStep mechanism = new TwoStep();

    private SaslAuthenticator authenticator() {
        return new SaslAuthenticator("TWO-STEP", () -> mechanism, NODE, VERSIONS, executor,
                progressed::incrementAndGet);
    }

    /** An exchange whose first message went out and whose answer to the broker's challenge is queued as a step. */
    private SaslAuthenticator atTheChallengesStep() {
        SaslAuthenticator auth = authenticator();
        handshake(auth);
        runWorker();
        auth.resume();
        auth.nextRequest();
        auth.onResponse(new SaslAuthenticateResponse().setAuthBytes(ByteBuffer.wrap(new byte[] {1})));
        return auth;
    }

    /** The SaslHandshake sent and answered: the exchange's first step (making the mechanism) comes next. */
    private static void handshake(SaslAuthenticator auth) {
        auth.nextRequest();
        auth.onResponse(new SaslHandshakeResponse().setMechanisms(List.of("TWO-STEP")));
    }

    private void runWorker() {
        Runnable step = worker.poll();
        assertThat(step).as("a step queued for the worker").isNotNull();
        step.run();
    }

    private static String text(SaslAuthenticateRequest r) {
        return SaslAuthenticatorTest.bytes(r.authBytes());
    }

    /**
     * Steps handed to SASL threads already closed (a factory shared past the close of the client that owned it) fail
     * the exchange at once, saying so; the mechanism is disposed once.
     */
    @Test
    void aStepRefusedByClosedThreadsFailsTheExchangeSayingWhy() {
        SaslWorkers closed = new SaslWorkers("gone");
        closed.close();
        SaslAuthenticator first = new SaslAuthenticator("TWO-STEP", () -> mechanism, NODE, VERSIONS, closed,
                progressed::incrementAndGet);
        first.nextRequest();
        assertThatThrownBy(() -> first.onResponse(new SaslHandshakeResponse().setMechanisms(List.of("TWO-STEP"))))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("SASL TWO-STEP with broker 1 (broker1:9092): the client's SASL threads are"
                        + " closed")
                .hasMessageContaining("give each client its own");
        assertThat(first.nextRequest()).isNull();
        assertThat(mechanism.disposed).as("never made").isZero();

        boolean[] rejecting = {false};
        SaslAuthenticator later = new SaslAuthenticator("TWO-STEP", () -> mechanism, NODE, VERSIONS, step -> {
            if (rejecting[0]) {
                throw new RejectedExecutionException("closed");
            }
            worker.add(step);
        }, progressed::incrementAndGet);
        handshake(later);
        runWorker(); // the mechanism made, its first message
        later.resume();
        later.nextRequest();
        rejecting[0] = true; // the threads close before the answer to the challenge
        assertThatThrownBy(() -> later.onResponse(new SaslAuthenticateResponse()
                .setAuthBytes(ByteBuffer.wrap(new byte[] {1})))).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("the client's SASL threads are closed");
        later.onClose();
        assertThat(mechanism.disposed).as("disposed once, by the failed exchange").isEqualTo(1);
    }

    @Test
    void eachStepRunsOnTheWorkerAndTheExchangeWaitsForIt() {
        SaslAuthenticator auth = authenticator();
        handshake(auth);
        assertThat(auth.nextRequest()).as("nothing to send while the first step runs").isNull();
        assertThat(progressed).hasValue(0);

        auth.resume(); // too early: nothing has finished
        assertThat(auth.nextRequest()).isNull();

        runWorker();
        assertThat(progressed).as("the worker said the step ended").hasValue(1);
        assertThat(auth.nextRequest()).as("the outcome waits for resume()").isNull();
        auth.resume();
        assertThat(text((SaslAuthenticateRequest) auth.nextRequest())).isEqualTo("first");

        auth.onResponse(new SaslAuthenticateResponse().setAuthBytes(ByteBuffer.wrap(new byte[] {1})));
        assertThat(auth.nextRequest()).isNull();
        runWorker();
        auth.resume();
        assertThat(text((SaslAuthenticateRequest) auth.nextRequest())).isEqualTo("second");
        auth.onResponse(new SaslAuthenticateResponse().setAuthBytes(ByteBuffer.allocate(0))
                .setSessionLifetimeMs(5_000));
        assertThat(auth.isComplete()).isTrue();
        assertThat(auth.sessionLifetimeMs()).isEqualTo(5_000);
        assertThat(mechanism.disposed).isEqualTo(1);
        assertThat(worker).isEmpty();
    }

    @Test
    void aStepThatFailsFailsTheExchangeWhenResumed() {
        mechanism.failOnChallenge = new IllegalStateException("KDC unreachable");
        SaslAuthenticator auth = atTheChallengesStep();
        runWorker();

        assertThatThrownBy(auth::resume).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("SASL TWO-STEP with broker 1 (broker1:9092) failed")
                .hasMessageContaining("KDC unreachable");
        assertThat(mechanism.disposed).isEqualTo(1);
        assertThat(auth.nextRequest()).isNull();
    }

    @Test
    void anErrorInAStepEndsTheExchangeToo() {
        SaslAuthenticator auth = new SaslAuthenticator("TWO-STEP", () -> {
            throw new StackOverflowError();
        }, NODE, VERSIONS, executor, progressed::incrementAndGet);
        handshake(auth);
        runWorker();
        assertThat(progressed).hasValue(1);
        assertThatThrownBy(auth::resume).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("failed: StackOverflowError");
    }

    @Test
    void closedBeforeTheFirstStepBeganTheMechanismIsNeverMade() {
        SaslAuthenticator auth = authenticator();
        handshake(auth);
        auth.onClose();
        runWorker();
        assertThat(mechanism.lastThread).as("no first message made").isNull();
        assertThat(mechanism.disposed).isZero();
        assertThat(progressed).as("a closed connection is not resumed").hasValue(0);
    }

    @Test
    void closedAfterAStepEndedButBeforeResumingDisposesAtOnce() {
        SaslAuthenticator auth = authenticator();
        handshake(auth);
        runWorker();
        auth.onClose();
        assertThat(mechanism.disposed).isEqualTo(1);
        auth.resume(); // the engine may still hold the connection in its queue: nothing happens
        assertThat(auth.nextRequest()).isNull();
        assertThat(mechanism.disposed).isEqualTo(1);
    }

    @Test
    void closedBeforeAQueuedStepBeganDisposesAtOnceAndTheStepDoesNothing() {
        SaslAuthenticator auth = atTheChallengesStep();
        auth.onClose(); // the challenge's step is queued, not begun (a closing pool may drop it)
        assertThat(mechanism.disposed).isEqualTo(1);
        runWorker();
        assertThat(mechanism.complete).as("the step did not run").isFalse();
        assertThat(mechanism.disposed).isEqualTo(1);
        assertThat(progressed).hasValue(1);
    }

    /** Failed while a step is queued (an answer the exchange did not expect): the step, when it comes, does nothing. */
    @Test
    void failedWhileAStepIsQueuedTheStepDoesNothing() {
        SaslAuthenticator auth = atTheChallengesStep();
        assertThatThrownBy(() -> auth.onResponse(new SaslAuthenticateResponse()))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("in state WORKING");
        assertThat(mechanism.disposed).isEqualTo(1);
        runWorker();
        assertThat(mechanism.complete).as("the step did not run").isFalse();
        assertThat(mechanism.disposed).isEqualTo(1);
        auth.onClose();
        assertThat(mechanism.disposed).isEqualTo(1);
    }

    /**
     * Brokers before 1.0: raw tokens. A close by the broker while a step runs says nothing about the credentials
     * (the broker has not seen the token yet), so it is a plain disconnect, not an authentication failure.
     */
    @Test
    void rawTokensRunTheirStepsOnTheWorkerToo() {
        SaslAuthenticator auth = new SaslAuthenticator("TWO-STEP", () -> mechanism, NODE,
                SaslAuthenticatorTest.PRE_1_0, executor,
                progressed::incrementAndGet);
        handshake(auth);
        assertThat(auth.nextRawToken()).isNull();
        assertThat(auth.onDisconnect()).as("a disconnect while the step runs").isNull();
        runWorker();
        auth.resume();
        assertThat(new String(auth.nextRawToken(), StandardCharsets.US_ASCII)).isEqualTo("first");
        assertThat(auth.awaitsRawToken()).isTrue();
        auth.onRawToken(ByteBuffer.wrap(new byte[] {7}));
        assertThat(auth.nextRawToken()).isNull();
        runWorker();
        auth.resume();
        assertThat(new String(auth.nextRawToken(), StandardCharsets.US_ASCII)).isEqualTo("second");
        assertThat(auth.isComplete()).as("the last token completes the exchange").isTrue();
        assertThat(mechanism.disposed).isEqualTo(1);
    }

    /** An exchange failed while a step runs (the broker's answer to something else): the step disposes, once. */
    @Test
    void failedWhileAStepRunsTheStepDisposesWhenItEnds() throws Exception {
        java.util.concurrent.CountDownLatch inStep = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        SaslAuthenticator auth = new SaslAuthenticator("TWO-STEP", () -> {
            inStep.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return mechanism;
        }, NODE, VERSIONS, Runnable::run, progressed::incrementAndGet);
        Thread step = new Thread(() -> {
            handshake(auth);
        });
        step.start();
        assertThat(inStep.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        auth.onClose(); // from another thread while the step runs
        assertThat(mechanism.disposed).as("not while the step holds it").isZero();
        release.countDown();
        step.join(10_000);
        assertThat(mechanism.disposed).isEqualTo(1);
        assertThat(progressed).hasValue(0);
    }

    @Test
    void withoutAWorkerTheStepsRunInTheCalls() {
        SaslAuthenticator auth = new SaslAuthenticator("TWO-STEP", () -> mechanism, NODE, VERSIONS);
        handshake(auth);
        assertThat(text((SaslAuthenticateRequest) auth.nextRequest())).isEqualTo("first");
        assertThat(mechanism.lastThread).isSameAs(Thread.currentThread());
        assertThat(worker).isEmpty();
    }

    /** The built-in factories: PLAIN stays on the I/O thread, SCRAM goes to the client's SASL threads. */
    @Test
    void scramStepsRunOnTheClientsSaslThreadsAndPlainsDoNot() throws Exception {
        var scram = SecurityFactories.authenticatorFactory(SaslAuthenticatorTest.plainConfig().toBuilder()
                .saslMechanism("SCRAM-SHA-256").build());
        java.util.concurrent.CountDownLatch resumed = new java.util.concurrent.CountDownLatch(1);
        Thread[] stepThread = new Thread[1];
        var auth = scram.create(NODE, VERSIONS, () -> {
            stepThread[0] = Thread.currentThread();
            resumed.countDown();
        });
        auth.nextRequest();
        auth.onResponse(new SaslHandshakeResponse().setMechanisms(List.of("SCRAM-SHA-256")));
        assertThat(auth.nextRequest()).as("the client-first message is made on a SASL thread").isNull();
        assertThat(resumed.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        auth.resume();
        assertThat(auth.nextRequest()).isInstanceOf(SaslAuthenticateRequest.class);
        assertThat(stepThread[0].getName()).startsWith("kwire-sasl-");
        scram.close();
        stepThread[0].join(10_000);
        assertThat(stepThread[0].isAlive()).as("the SASL thread ends with the factory").isFalse();

        var plain = SecurityFactories.authenticatorFactory(SaslAuthenticatorTest.plainConfig());
        var plainAuth = plain.create(NODE, VERSIONS, () -> {
            throw new AssertionError("PLAIN needs no resuming");
        });
        plainAuth.nextRequest();
        plainAuth.onResponse(new SaslHandshakeResponse().setMechanisms(List.of("PLAIN")));
        assertThat(plainAuth.nextRequest()).isInstanceOf(SaslAuthenticateRequest.class);
        plain.close();
    }
}
