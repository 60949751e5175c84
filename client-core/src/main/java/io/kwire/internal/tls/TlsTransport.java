package io.kwire.internal.tls;

import io.kwire.network.Transport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * TLS over a non-blocking {@link SocketChannel}, driven by the client's event loop through an {@link SSLEngine}.
 * Nothing here blocks: each call moves what the socket takes or gives now, and the transport asks its
 * {@link SelectionKey} for {@code OP_READ}/{@code OP_WRITE} when it waits for the socket. Delegated handshake tasks
 * (certificate checks) run inline on the I/O thread.
 *
 * <p>Buffers: {@code netIn} holds encrypted bytes read from the socket and not yet decrypted (write mode),
 * {@code netOut} the records the engine just made (write mode), {@code wire} the records on their way to the socket,
 * {@code appIn} decrypted bytes the caller has not taken yet (read mode). Reads decrypt straight into the caller's
 * buffer when it has room for a whole record. Writes wrap the caller's buffers (gathered: a record takes bytes from
 * several) one record at a time into {@code netOut}, move each record into {@code wire} while it is still in the
 * CPU's cache, and write {@code wire} once it holds several records, in one system call. Post-handshake messages
 * (TLS 1.3 NewSessionTicket and KeyUpdate, a TLS 1.2 renegotiation) are handled as they arrive during reads. Only
 * used on the I/O thread.
 *
 * <p>Why two output buffers: the JDK's AES-GCM encrypts a heap buffer in place at full speed, but a direct buffer
 * only through 1 KiB heap chunks (about a quarter slower per record, and nearly three times the garbage); a socket
 * takes a heap buffer only through a temporary direct copy the JDK makes per write, of everything not yet sent,
 * again after a partial write. So records are made on the heap and copied once, each while hot, into the direct
 * {@code wire}, which the socket reads without another copy. The OpenSSL engine ({@code openSsl}: Netty's, told
 * apart by its class) is the other way round: it encrypts into and decrypts from direct memory without copies of its
 * own, so its records are wrapped straight into {@code wire} and its encrypted input is read into a direct
 * {@code netIn}. It takes plaintext from one buffer per record, and a heap buffer it first copies into pooled direct
 * memory of Netty's, which nobody zeroes, through a pool allocation and leak tracking per record. So heap plaintext,
 * and direct buffers shorter than a record (a request's header), are copied instead into the thread's
 * {@link TlsBuffers#plaintext() plaintext buffer}, a record's worth at a time, gathered across buffers, and the part
 * of it a write used is zeroed before the write returns (once per write, not per record: zeroing each record's 16 KiB
 * cost about 8% of the CPU per MB of a 1 MB Produce). Only a direct buffer with a record's worth left at the start
 * of a record goes to the engine as it is, without a copy.
 *
 * <p>An idle connection holds none of these buffers, only its engine: each is borrowed from the thread's
 * {@link TlsBuffers} while it holds bytes (records not yet written, encrypted bytes not yet decrypted, decrypted
 * bytes not yet taken) and given back once empty, so the connections of an I/O thread share a few buffers of each
 * kind instead of keeping 180 KB each, and a request borrows without allocating. {@link #close()} drops what it
 * still holds rather than give it back from whatever thread closes.
 *
 * <p>Long on purpose: it is one state machine over {@code SSLEngine} (handshake, wrap, unwrap, close) sharing its
 * network and application buffers; split, each part would need the others' buffer states.
 */
public final class TlsTransport implements Transport {

    static final String NOT_TLS_HINT = "the broker's listener is not TLS: use securityProtocol PLAINTEXT/SASL_PLAINTEXT "
            + "or the TLS port";

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** What the plaintext buffer is overwritten with after a write. */
    private static final byte[] ZEROS = new byte[TlsBuffers.RECORD_PLAINTEXT];

    /** The alerts by which a TLS 1.3 broker refuses the client's side of the handshake. */
    private static final List<String> REFUSALS = List.of("bad_certificate", "certificate_required", "unknown_ca",
            "certificate_unknown", "certificate_expired", "certificate_revoked", "unsupported_certificate",
            "access_denied", "handshake_failure", "decrypt_error");

    /** Encrypted bytes gathered per socket write/read: big enough to batch several 16 KiB records per system call. */
    private static final int NET_BUFFER_SIZE = 64 * 1024;

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final String peer;
    /** The engine is OpenSSL's, through Netty: direct buffers, gathering of its own, native state freed on close. */
    private final boolean openSsl;
    private SelectionKey key;
    /** Borrowed from {@link TlsBuffers} while it holds encrypted bytes (a partial record); null otherwise. */
    private ByteBuffer netIn;
    /** Borrowed from {@link TlsBuffers} from a wrap until its records are all written; null otherwise. */
    private ByteBuffer netOut;
    /**
     * Records waiting for the socket, direct; bytes from {@code wireSent} to its position are not yet written.
     * Borrowed from {@link TlsBuffers} while records wait; null otherwise.
     */
    private ByteBuffer wire;
    private int wireSent;
    /** Borrowed from {@link TlsBuffers} while it holds decrypted bytes; null otherwise. */
    private ByteBuffer appIn;
    /** The one buffer of a {@link #write(ByteBuffer)}, so that it takes the gathering path without an array. */
    private final ByteBuffer[] single = new ByteBuffer[1];
    private boolean handshakeStarted;
    private boolean handshakeComplete;
    private boolean receivedAny;
    /**
     * Whether the broker has accepted the handshake: under TLS 1.2 once it is done (the broker's Finished comes
     * after its checks), under TLS 1.3 once the broker has sent application data. TLS 1.3 lets the client finish its
     * side before the broker has checked the client's certificate, so the broker's refusal (a {@code bad_certificate}
     * or {@code certificate_required} alert) arrives on the first read after it.
     */
    private boolean accepted;
    private boolean eof;
    /** A whole record waits in netIn but the engine cannot take it until pending output is written. */
    private boolean stalled;
    private boolean closed;
    private SSLHandshakeException ownFailure;
    /** Wraps of Netty's engine from the plaintext buffer, retries after a full {@code wire} included (tests). */
    private long gatheredRecords;
    /** How much of the thread's plaintext buffer this write has filled: what it zeroes before it returns. */
    private int plaintextUsed;

    /**
     * @param channel a connected (or connecting) non-blocking socket
     * @param engine  a client-mode engine, already configured (protocols, ciphers, endpoint identification)
     * @param peer    {@code host:port} of the broker, for error messages
     */
    public TlsTransport(SocketChannel channel, SSLEngine engine, String peer) {
        this(channel, engine, peer, isOpenSsl(engine));
    }

    /** As {@link #TlsTransport(SocketChannel, SSLEngine, String)}, told whether the engine is Netty's OpenSSL one. */
    TlsTransport(SocketChannel channel, SSLEngine engine, String peer, boolean openSsl) {
        this.channel = channel;
        this.engine = engine;
        this.peer = peer;
        this.openSsl = openSsl;
    }

    /**
     * Whether the engine is Netty's over OpenSSL: a {@code ReferenceCountedOpenSslEngine} by name, in any package (a
     * shaded Netty too), so that this class never links against Netty. An engine that wraps one is not recognised:
     * it gets the JDK engine's treatment, which Netty's engine survives except for TLS 1.2 handshakes.
     */
    static boolean isOpenSsl(SSLEngine engine) {
        for (Class<?> c = engine.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().endsWith(".handler.ssl.ReferenceCountedOpenSslEngine")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public SocketChannel channel() {
        return channel;
    }

    @Override
    public void register(SelectionKey key) {
        this.key = key;
    }

    /** The engine, e.g. to read the negotiated protocol and cipher suite in tests or diagnostics. */
    public SSLEngine engine() {
        return engine;
    }

    @Override
    public boolean handshake() throws IOException {
        if (handshakeComplete) {
            return flushNet();
        }
        if (!channel.isConnected()) {
            return false;
        }
        try {
            return advanceHandshake();
        } finally {
            giveBackNetInIfEmpty();
            giveBackAppInIfEmpty();
        }
    }

    private boolean advanceHandshake() throws IOException {
        try {
            if (engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING && !engine.isOutboundDone()
                    && !handshakeStarted) {
                engine.beginHandshake();
                handshakeStarted = true;
            }
            while (true) {
                if (!flushNet()) {
                    interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return false;
                }
                HandshakeStatus hs = engine.getHandshakeStatus();
                switch (hs) {
                    case NEED_TASK -> runTasks();
                    case NEED_WRAP -> {
                        SSLEngineResult r = engine.wrap(EMPTY, netOut());
                        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                            growNetOutIfEmpty();
                            if (!flushNet()) {
                                interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                                return false;
                            }
                        } else if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                            flushNet();
                            throw own("the TLS engine closed during the handshake");
                        }
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (!unwrapHandshake()) {
                            interest(SelectionKey.OP_READ);
                            return false;
                        }
                    }
                    case FINISHED, NOT_HANDSHAKING -> {
                        handshakeComplete = true;
                        accepted = !"TLSv1.3".equals(engine.getSession().getProtocol());
                        if (!flushNet()) {
                            interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                            return false;
                        }
                        return true;
                    }
                    default -> throw new IllegalStateException("Unexpected handshake status " + hs);
                }
            }
        } catch (SSLException e) {
            sendAlertQuietly();
            throw describeHandshakeFailure(e);
        }
    }

    /** One unwrap step of the handshake; false when it must wait for more bytes from the socket. */
    private boolean unwrapHandshake() throws IOException {
        if (openSsl && !hasCompleteRecord() && settleOpenSslHandshake()) {
            return true;
        }
        if (!hasCompleteRecord()) {
            int n = readSocket();
            if (n < 0) {
                throw own(receivedAny
                        ? "the broker closed the connection during the TLS handshake"
                        : "the broker closed the connection without answering the TLS handshake: "
                        + NOT_TLS_HINT);
            }
            if (n == 0 && !hasCompleteRecord()) {
                return false;
            }
        }
        checkLooksLikeTls();
        netIn.flip();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, appInToFill().compact());
        } finally {
            netIn.compact();
            appIn.flip();
        }
        switch (r.getStatus()) {
            case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
            case BUFFER_UNDERFLOW -> {
                netIn = ensureCapacity(netIn, engine.getSession().getPacketBufferSize());
                int n = readSocket();
                if (n < 0) {
                    throw own("the broker"
                            + " closed the connection during the TLS handshake");
                }
                return n > 0;
            }
            case CLOSED -> throw own("the broker"
                    + " closed the TLS connection during the handshake");
            default -> {
            }
        }
        return true;
    }

    /**
     * Lets Netty's engine catch up before the transport waits for the broker: it reports two things only at its
     * next call. One is the end of the handshake, once the broker's last record (TLS 1.2's Finished) is in: without
     * the call the transport would wait for a record that never comes. The other is a failure whose alert it has
     * just sent (the client refusing the broker's certificate): the call throws it, with the reason, before the
     * broker hangs up. An unwrap of nothing consumes and produces nothing otherwise.
     *
     * @return whether the engine moved past waiting for the broker
     */
    private boolean settleOpenSslHandshake() throws SSLException {
        try {
            engine.unwrap(EMPTY, appInToFill().compact());
        } finally {
            appIn.flip();
        }
        return engine.getHandshakeStatus() != HandshakeStatus.NEED_UNWRAP;
    }

    /** Whether {@code netIn} (write mode) holds at least one whole TLS record. */
    private boolean hasCompleteRecord() {
        if (netIn == null || netIn.position() < 5) {
            return false;
        }
        int length = ((netIn.get(3) & 0xff) << 8) | (netIn.get(4) & 0xff);
        return netIn.position() >= 5 + length;
    }

    /** A TLS record starts with a content type 20..24 and major version 3; a Kafka frame or HTTP text does not. */
    private void checkLooksLikeTls() throws SSLHandshakeException {
        if (netIn == null || netIn.position() < 2) {
            return;
        }
        int type = netIn.get(0) & 0xff;
        int major = netIn.get(1) & 0xff;
        if (type < 20 || type > 24 || major != 3) {
            throw own("the broker answered the TLS handshake with data that is "
                    + "not TLS: " + NOT_TLS_HINT);
        }
    }

    /** A handshake failure this class diagnosed itself (its message is already complete). */
    private SSLHandshakeException own(String message) {
        ownFailure = new SSLHandshakeException(message);
        return ownFailure;
    }

    private SSLException describeHandshakeFailure(SSLException e) {
        if (e == ownFailure) {
            return e;
        }
        String msg = reason(e);
        // ConnectErrors prefixes "TLS handshake with <host:port> failed: "; the JDK's reason and a hint follow.
        StringBuilder sb = new StringBuilder(String.valueOf(msg));
        if (msg != null && (msg.contains("No subject alternative") || msg.contains("No name matching"))) {
            sb.append(" (the broker's certificate does not name the host connected to; fix the certificate or"
                    + " advertised listener, or set sslCheckHostname(false))");
        } else if (msg != null && (msg.contains("unable to find valid certification path")
                || msg.contains("PKIX path"))) {
            sb.append(" (the broker's certificate is not signed by a trusted CA: check sslCafile/sslTruststoreLocation)");
        } else if (msg != null && msg.contains("revoked")) {
            sb.append(" (the broker's certificate is revoked by the CRL in sslCrlfile)");
        }
        SSLHandshakeException wrapped = new SSLHandshakeException(sb.toString());
        wrapped.initCause(e);
        return wrapped;
    }

    /**
     * The engine's reason for a failed handshake. Netty's engine says only "General OpenSslEngine problem" and
     * puts the reason (the trust manager's, for a certificate) in the cause: the first cause with a message of its
     * own is used then.
     */
    private static String reason(SSLException e) {
        String msg = e.getMessage();
        if (msg == null || !msg.startsWith("General OpenSslEngine problem")) {
            return msg;
        }
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().startsWith("General OpenSslEngine problem")) {
                return c.getMessage();
            }
        }
        return msg;
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int total = drainAppIn(dst);
        if (!dst.hasRemaining()) {
            return total;
        }
        try {
            stalled = false;
            boolean retried = false;
            while (dst.hasRemaining()) {
                if (hasCompleteRecord()) {
                    int before = netIn.position();
                    int produced = unwrapInto(dst);
                    if (produced < 0) {
                        return total > 0 ? total : -1;
                    }
                    total += produced;
                    if (produced == 0 && netIn.position() == before) {
                        if (!hasPendingOutput() && !retried) {
                            retried = true; // a buffer was grown (overflow, underflow): the record goes in now
                            continue;
                        }
                        // The engine wants to send first (a renegotiation) and the socket is full: wait for OP_WRITE.
                        stalled = true;
                        break;
                    }
                    retried = false;
                    continue;
                }
                if (eof) {
                    break;
                }
                int n = readSocket();
                if (n < 0) {
                    eof = true;
                    break;
                }
                if (n == 0) {
                    break;
                }
            }
        } catch (SSLException e) {
            throw describeReadFailure(e);
        } finally {
            giveBackNetInIfEmpty();
        }
        if (total == 0 && eof && !hasBufferedInput()) {
            return -1;
        }
        return total;
    }

    /**
     * Decrypts one record: into {@code dst} when it has room for a whole record, else into {@code appIn}.
     *
     * @return application bytes put into {@code dst}, or -1 when the broker closed the TLS session
     */
    private int unwrapInto(ByteBuffer dst) throws IOException {
        boolean direct = dst.remaining() >= engine.getSession().getApplicationBufferSize()
                && (appIn == null || !appIn.hasRemaining());
        return unwrapInto(dst, direct);
    }

    private int unwrapInto(ByteBuffer dst, boolean direct) throws IOException {
        ByteBuffer target = direct ? dst : appInToFill().compact();
        int before = dst.position();
        netIn.flip();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, target);
        } finally {
            netIn.compact();
            if (!direct) {
                appIn.flip();
            }
        }
        if (r.bytesProduced() > 0) {
            accepted = true;
        }
        switch (r.getStatus()) {
            case BUFFER_OVERFLOW -> {
                if (direct) {
                    return unwrapInto(dst, false); // the record is larger than the caller's room: go through appIn
                }
                appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                return 0;
            }
            case BUFFER_UNDERFLOW -> {
                netIn = ensureCapacity(netIn, engine.getSession().getPacketBufferSize());
                return 0;
            }
            case CLOSED -> {
                // close_notify from the broker: answer it and report end of stream once the caller has the data.
                eof = true;
                drainAppIn(dst);
                engine.closeOutbound();
                wrapPostHandshake();
                int n = dst.position() - before;
                return n > 0 ? n : -1;
            }
            default -> {
            }
        }
        afterPostHandshake(r.getHandshakeStatus());
        if (!direct) {
            drainAppIn(dst);
        }
        return dst.position() - before;
    }

    /** Handles a handshake message that arrived after the handshake: run its tasks, send what it asks for. */
    private void afterPostHandshake(HandshakeStatus hs) throws IOException {
        if (hs == HandshakeStatus.NEED_TASK) {
            runTasks();
            hs = engine.getHandshakeStatus();
        }
        if (hs == HandshakeStatus.NEED_WRAP) {
            wrapPostHandshake(true);
        }
    }

    private void wrapPostHandshake() throws IOException {
        wrapPostHandshake(false);
    }

    /**
     * Sends what the engine has to send outside application data. {@code asked}: an unwrap's result asked for a
     * wrap, so the first round wraps whatever the engine's status says: Netty's engine asks that way for an alert it
     * holds (OpenSSL refusing a renegotiation, or a record that failed to decrypt) while its status says it is not
     * handshaking. It throws the error behind the alert only from a wrap that finds nothing more to send, so for it
     * the wraps go on while they produce bytes: the error reaches the caller now, not as the disconnect that follows
     * when the broker hangs up on the alert. The JDK's engine says the same in its result and its status.
     */
    private void wrapPostHandshake(boolean asked) throws IOException {
        boolean more = asked;
        for (int round = 0; round < 64; round++) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
                continue;
            }
            if (hs != HandshakeStatus.NEED_WRAP && !more) {
                break;
            }
            SSLEngineResult r = engine.wrap(EMPTY, netOut());
            // Netty's held error comes from the wrap after its alert; an overflow keeps it waiting for room.
            more = openSsl && asked && (r.bytesProduced() > 0
                    || r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                if (!flushNet()) {
                    // Handshake messages are small: make room rather than leave the engine (and reads) waiting.
                    netOut = ensureCapacity(netOut, netOut.remaining() + engine.getSession().getPacketBufferSize());
                }
            } else if (!more && (r.getStatus() == SSLEngineResult.Status.CLOSED || r.bytesProduced() == 0)) {
                break;
            }
        }
        if (!flushNet()) {
            interest(interestOps() | SelectionKey.OP_WRITE);
        }
    }

    /**
     * A TLS error on a read, described. A refusal alert from a broker that has not yet accepted the handshake (TLS
     * 1.3 checks the client's certificate after the client is done) is the failed handshake it is, an
     * {@link SSLHandshakeException}: the engine reports it as an authentication failure, which reconnecting will not
     * mend, as it does for a refusal during the handshake. Any other error (a record that fails to decrypt, an
     * {@code internal_error} from a proxy in front of the broker) stays a plain TLS error on the connection.
     */
    private IOException describeReadFailure(SSLException e) {
        String msg = String.valueOf(e.getMessage());
        String hint = "";
        if (names(msg, "bad_certificate") || names(msg, "certificate_required") || names(msg, "unknown_ca")) {
            hint = " (the broker requires a client certificate it trusts: check sslCertfile/sslKeyfile or"
                    + " sslKeystoreLocation)";
        }
        if (!accepted && isRefusal(msg)) {
            SSLHandshakeException refused = new SSLHandshakeException(
                    "the broker refused the TLS handshake after the client's side of it had completed: " + msg + hint);
            refused.initCause(e);
            return refused;
        }
        return new SSLException("TLS error on the connection to " + peer + ": " + msg + hint, e);
    }

    private static boolean isRefusal(String message) {
        return (message.contains("Received fatal alert") || message.contains("_ALERT_"))
                && REFUSALS.stream().anyMatch(alert -> names(message, alert));
    }

    /**
     * Whether an engine's message names a TLS alert: the JDK writes {@code bad_certificate}, OpenSSL
     * {@code SSLV3_ALERT_BAD_CERTIFICATE}.
     */
    private static boolean names(String message, String alert) {
        return message.contains(alert) || message.contains("ALERT_" + alert.toUpperCase(java.util.Locale.ROOT));
    }

    private int drainAppIn(ByteBuffer dst) {
        if (appIn == null) {
            return 0;
        }
        int n = Math.min(appIn.remaining(), dst.remaining());
        if (n == appIn.remaining()) {
            dst.put(appIn);
        } else {
            dst.put(appIn.slice(appIn.position(), n));
            appIn.position(appIn.position() + n);
        }
        giveBackAppInIfEmpty();
        return n;
    }

    /** {@code appIn} (read mode) to decrypt into, borrowed when the transport holds none. */
    private ByteBuffer appInToFill() {
        if (appIn == null) {
            appIn = TlsBuffers.current().takeAppIn(engine.getSession().getApplicationBufferSize());
        }
        return appIn;
    }

    private void giveBackAppInIfEmpty() {
        if (appIn != null && !appIn.hasRemaining()) {
            TlsBuffers.current().giveBackAppIn(appIn);
            appIn = null;
        }
    }

    /** Gives {@code netIn} back when it holds no encrypted bytes (no partial or waiting record). */
    private void giveBackNetInIfEmpty() {
        if (netIn != null && netIn.position() == 0) {
            TlsBuffers.current().giveBackNetIn(netIn);
            netIn = null;
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        single[0] = src;
        try {
            return (int) write(single, 0, 1);
        } finally {
            single[0] = null;
        }
    }

    /** True: the engine copies the plaintext into its records anyway, so a staging copy before it would be wasted. */
    @Override
    public boolean gathersWrites() {
        return true;
    }

    /**
     * Wraps the buffers into records, each gathering up to a record's worth across them, until {@code wire} is
     * full, and writes the records. The JDK's engine copies the plaintext into {@code netOut} and encrypts it
     * there; for the OpenSSL engine it passes through the thread's plaintext buffer, zeroed here before returning. So
     * no buffer of the transport keeps plaintext (sensitive frames included) once the write returns.
     */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("TLS connection to " + peer + " is closed");
        }
        try {
            return wrapAndWrite(srcs, offset, offset + length);
        } finally {
            if (plaintextUsed > 0) {
                zero(TlsBuffers.current().plaintext(), plaintextUsed);
                plaintextUsed = 0;
            }
        }
    }

    private long wrapAndWrite(ByteBuffer[] srcs, int offset, int end) throws IOException {
        long consumed = 0;
        int packet = engine.getSession().getPacketBufferSize();
        while (true) {
            while (offset < end && !srcs[offset].hasRemaining()) {
                offset++;
            }
            if (offset == end) {
                break;
            }
            if (!roomForRecord(packet) && !flushNet() && !roomForRecord(packet)) {
                break; // the socket is full; the caller keeps the rest
            }
            SSLEngineResult r;
            try {
                r = openSsl ? wrapOpenSsl(srcs, offset, end) : engine.wrap(srcs, offset, end - offset, netOut());
            } catch (SSLException | RuntimeException e) {
                // The engine copies plaintext into netOut before it encrypts it there: a wrap that failed half way
                // may leave plaintext (a SASL token, say) behind, which must not go back to the thread's spares,
                // nor (when the engine wrote into wire) out to the broker with close()'s close_notify.
                zero(netOut);
                netOut = null;
                if (openSsl && wire != null) {
                    zero(wire, wire.capacity());
                    wire = null;
                    wireSent = 0;
                }
                throw e;
            }
            spill();
            consumed += r.bytesConsumed();
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("TLS connection to " + peer + " was closed by the broker");
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                if (openSsl && wire.position() == wireSent) {
                    throw new SSLException("TLS engine asked for more than " + wire.remaining() + " bytes of room"
                            + " for one record to " + peer + " (packet buffer size " + packet + ")");
                }
                if (!openSsl) {
                    growNetOutIfEmpty();
                }
                if (!flushNet()) {
                    break;
                }
                continue;
            }
            HandshakeStatus hs = r.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                break; // a renegotiation wants to unwrap first; reads will advance it
            }
        }
        flushNet();
        return consumed;
    }

    @Override
    public boolean hasPendingOutput() {
        return netOutBytes() > 0 || (wire != null && wire.position() > wireSent);
    }

    @Override
    public boolean hasBufferedInput() {
        return (appIn != null && appIn.hasRemaining()) || (hasCompleteRecord() && !stalled);
    }

    @Override
    public boolean flush() throws IOException {
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && handshakeComplete) {
            wrapPostHandshake();
        }
        return flushNet();
    }

    /** {@code netOut} to wrap into, borrowed when the transport holds none. */
    private ByteBuffer netOut() {
        if (netOut == null) {
            netOut = TlsBuffers.current().takeNetOut(engine.getSession().getPacketBufferSize());
        }
        return netOut;
    }

    private int netOutBytes() {
        return netOut == null ? 0 : netOut.position();
    }

    private void giveBackNetOut() {
        if (netOut != null && netOut.position() == 0) {
            TlsBuffers.current().giveBackNetOut(netOut);
            netOut = null;
        }
    }

    /** Whether {@code netOut} is empty and {@code wire} has room for another record. */
    private boolean roomForRecord(int packet) {
        return netOutBytes() == 0 && (wire == null || wire.remaining() >= packet);
    }

    /**
     * One record of Netty's engine straight into {@code wire}: from the first buffer when it is direct and fills a
     * record by itself, else copied from the buffers into the thread's plaintext buffer, which {@link #write} zeroes
     * before it returns. The buffers' positions move by what the engine consumed.
     */
    private SSLEngineResult wrapOpenSsl(ByteBuffer[] srcs, int offset, int end) throws SSLException {
        ByteBuffer first = srcs[offset];
        if (first.isDirect() && first.remaining() >= TlsBuffers.RECORD_PLAINTEXT) {
            return engine.wrap(first, wire());
        }
        ByteBuffer gathered = TlsBuffers.current().plaintext();
        int filled = 0;
        for (int i = offset; i < end && filled < gathered.capacity(); i++) {
            ByteBuffer b = srcs[i];
            int n = Math.min(b.remaining(), gathered.capacity() - filled);
            gathered.put(filled, b, b.position(), n);
            filled += n;
        }
        plaintextUsed = Math.max(plaintextUsed, filled);
        gathered.limit(filled);
        gatheredRecords++;
        SSLEngineResult r = engine.wrap(gathered, wire());
        long left = r.bytesConsumed();
        for (int i = offset; i < end && left > 0; i++) {
            int n = (int) Math.min(left, srcs[i].remaining());
            srcs[i].position(srcs[i].position() + n);
            left -= n;
        }
        return r;
    }

    /** {@code wire}, borrowed when the transport holds none. */
    private ByteBuffer wire() {
        if (wire == null) {
            wire = TlsBuffers.current().takeWire(NET_BUFFER_SIZE + engine.getSession().getPacketBufferSize());
        }
        return wire;
    }

    /** Moves the records in {@code netOut} into {@code wire} (borrowed if need be), as many bytes as it has room for. */
    private void spill() {
        if (netOutBytes() == 0) {
            return;
        }
        wire();
        netOut.flip();
        int n = Math.min(netOut.remaining(), wire.remaining());
        wire.put(wire.position(), netOut, netOut.position(), n);
        wire.position(wire.position() + n);
        netOut.position(netOut.position() + n);
        netOut.compact();
    }

    /** Writes the pending records to the socket; true when nothing is left, and {@code wire} is given back. */
    private boolean flushNet() throws IOException {
        while (true) {
            spill();
            if (wire == null) {
                giveBackNetOut(); // spill() borrows wire whenever netOut holds a record: it is empty
                return true;
            }
            int end = wire.position();
            if (end == wireSent && netOutBytes() == 0) {
                TlsBuffers.current().giveBackWire(wire);
                wire = null;
                wireSent = 0;
                giveBackNetOut();
                return true;
            }
            int written;
            wire.limit(end).position(wireSent);
            try {
                written = channel.write(wire);
            } finally {
                wireSent = wire.position();
                wire.limit(wire.capacity()).position(end);
            }
            if (written > 0) {
                stalled = false;
            }
            if (wireSent < end) {
                makeRoom();
                return false; // the socket is full
            }
            wire.clear();
            wireSent = 0;
        }
    }

    /**
     * Moves the unsent records to the front of {@code wire} when that frees room for another record there. Only
     * then: a socket that takes little at a time would otherwise have the same bytes moved on every write.
     */
    private void makeRoom() {
        int packet = engine.getSession().getPacketBufferSize();
        int unsent = wire.position() - wireSent;
        if (wire.remaining() >= packet || wire.capacity() - unsent < packet) {
            return;
        }
        wire.limit(wire.position()).position(wireSent);
        wire.compact();
        wireSent = 0;
    }

    /** Reads into {@code netIn} (borrowed if need be, with room for a record); gives it back at the caller's end. */
    private int readSocket() throws IOException {
        int packet = engine.getSession().getPacketBufferSize();
        if (netIn == null) {
            int capacity = Math.max(NET_BUFFER_SIZE, packet);
            netIn = openSsl ? TlsBuffers.current().takeNetInDirect(capacity) : TlsBuffers.current().takeNetIn(capacity);
        }
        netIn = ensureCapacity(netIn, packet);
        if (!netIn.hasRemaining()) {
            return 0;
        }
        int n = channel.read(netIn);
        if (n > 0) {
            receivedAny = true;
        }
        return n;
    }

    private void growNetOutIfEmpty() {
        if (netOut.position() == 0) {
            netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize()));
        }
    }

    /** Makes sure {@code buf} (write mode) can take at least {@code free} more bytes. */
    private static ByteBuffer ensureCapacity(ByteBuffer buf, int free) {
        if (buf.remaining() >= free) {
            return buf;
        }
        int capacity = buf.position() + free;
        ByteBuffer bigger = buf.isDirect() ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        buf.flip();
        bigger.put(buf);
        return bigger;
    }

    /** Grows a read-mode buffer so that its free space after compaction reaches {@code free}. */
    private static ByteBuffer grow(ByteBuffer readMode, int free) {
        ByteBuffer bigger = ByteBuffer.allocate(readMode.remaining() + free);
        bigger.put(readMode);
        return bigger.flip();
    }

    private int interestOps() {
        return key != null && key.isValid() ? key.interestOps() : 0;
    }

    private void interest(int ops) {
        if (key != null && key.isValid() && key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    private void sendAlertQuietly() {
        try {
            engine.closeOutbound();
            for (int i = 0; i < 4 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
                SSLEngineResult r = engine.wrap(EMPTY, netOut());
                if (r.bytesProduced() == 0) {
                    break;
                }
            }
            flushNet();
        } catch (IOException | RuntimeException ignored) {
            // best effort: the connection is failing anyway
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (channel.isConnected() && (handshakeComplete || handshakeStarted)) {
                engine.closeOutbound();
                for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                    SSLEngineResult r = engine.wrap(EMPTY, netOut());
                    if (r.bytesProduced() == 0 && r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                        break;
                    }
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW && !flushNet()) {
                        break;
                    }
                }
                flushNet(); // one non-blocking attempt to send close_notify
            }
        } catch (IOException | RuntimeException ignored) {
            // the peer may already be gone
        } finally {
            // Dropped, not given back: close() may run on another thread than the one whose spares lent them.
            netIn = null;
            appIn = null;
            netOut = null;
            wire = null;
            wireSent = 0;
            if (openSsl) {
                try {
                    OpenSslEngines.release(engine);
                } catch (RuntimeException | LinkageError ignored) {
                    // a shaded Netty's engine, or none on kwire's class path: its state goes with the engine
                }
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }

    /** Test-only: how many wraps of the OpenSSL engine read from the plaintext buffer (see the field). */
    long gatheredRecords() {
        return gatheredRecords;
    }

    boolean holdsWire() {
        return wire != null;
    }

    boolean holdsNetIn() {
        return netIn != null;
    }

    boolean holdsNetOut() {
        return netOut != null;
    }

    boolean holdsAppIn() {
        return appIn != null;
    }

    @Override
    public String toString() {
        return "TlsTransport{" + peer + (handshakeComplete ? ", " + engine.getSession().getProtocol() : "") + "}";
    }

    /** Zeroes the first {@code length} bytes of a buffer, whatever its position and limit (for direct buffers). */
    private static void zero(ByteBuffer b, int length) {
        for (int i = 0; i < length; i += ZEROS.length) {
            b.put(i, ZEROS, 0, Math.min(ZEROS.length, length - i));
        }
    }

    /** Zeroes a buffer's whole array (a heap buffer), whatever its position and limit. */
    private static void zero(ByteBuffer b) {
        if (b != null && b.hasArray()) {
            java.util.Arrays.fill(b.array(), b.arrayOffset(), b.arrayOffset() + b.capacity(), (byte) 0);
        }
    }
}
