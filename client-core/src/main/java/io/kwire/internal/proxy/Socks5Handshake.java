package io.kwire.internal.proxy;

import io.kwire.client.ProxyUrl;
import io.kwire.errors.ProxyException;
import io.kwire.errors.ProxyException.Reason;
import io.kwire.internal.util.IpLiterals;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * SOCKS5 (RFC 1928) with username/password authentication (RFC 1929): the greeting with the methods kwire offers, the
 * credentials when the proxy picks that method, then CONNECT to the broker. A broker host name travels as a domain
 * name (address type 3) for the proxy to resolve; an IP address as itself. Each reply is read exactly, never past
 * its end; the largest is a CONNECT reply with a 255-byte domain name.
 *
 * <p>Only the I/O thread touches it.
 */
final class Socks5Handshake extends ProxyHandshake {

    private static final int VERSION = 5;
    private static final int NO_AUTHENTICATION = 0;
    private static final int USERNAME_PASSWORD = 2;
    private static final int NO_ACCEPTABLE_METHOD = 0xff;
    private static final int ATYP_IPV4 = 1;
    private static final int ATYP_DOMAIN = 3;
    private static final int ATYP_IPV6 = 4;
    /** Version, reply, reserved, address type, a length-prefixed domain name of 255 bytes, port. */
    private static final int MAX_REPLY = 4 + 1 + 255 + 2;

    private enum State { METHOD, AUTHENTICATION, CONNECT, OPEN }

    private State state = State.METHOD;
    /** The length of the reply being read, as far as it is known. */
    private int replyBytes = 2;

    Socks5Handshake(ProxyUrl proxy, String brokerHost, int brokerPort, String broker) {
        super(proxy, brokerHost, brokerPort, broker, MAX_REPLY);
        send(proxy.username().isPresent()
                ? new byte[] {VERSION, 2, NO_AUTHENTICATION, USERNAME_PASSWORD}
                : new byte[] {VERSION, 1, NO_AUTHENTICATION});
    }

    @Override
    int wanted() {
        return state == State.OPEN ? 0 : replyBytes - in.position();
    }

    @Override
    boolean parse() {
        switch (state) {
            case METHOD -> onMethod();
            case AUTHENTICATION -> onAuthentication();
            case CONNECT -> onConnectReply();
            case OPEN -> {
            }
        }
        return state == State.OPEN;
    }

    private void onMethod() {
        checkVersion();
        if (in.position() < 2) {
            return;
        }
        int method = in.get(1) & 0xff;
        boolean credentials = proxy.username().isPresent();
        if (method == NO_AUTHENTICATION) {
            sendConnect();
        } else if (method == USERNAME_PASSWORD && credentials) {
            sendCredentials();
        } else if (method == NO_ACCEPTABLE_METHOD) {
            throw ProxyErrors.of(Reason.AUTHENTICATION_FAILED, proxy, broker, credentials
                    ? "the proxy accepts neither no authentication nor username/password (SOCKS5 method 0xFF)"
                    : "the proxy requires authentication (it accepts no connection without it: SOCKS5 method 0xFF)",
                    credentials ? "configure the proxy for username/password (RFC 1929)"
                    : "add the proxy's user name and password to proxyUrl: socks5://user:password@"
                    + proxy.address());
        } else {
            throw ProxyErrors.of(Reason.PROTOCOL_ERROR, proxy, broker, "the proxy chose authentication method "
                    + method + ", which kwire did not offer", ProxyErrors.fixProtocol(proxy));
        }
    }

    private void sendCredentials() {
        byte[] user = proxy.username().orElseThrow().getBytes(StandardCharsets.UTF_8);
        byte[] password = proxy.password().orElseThrow().value().getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[3 + user.length + password.length];
        request[0] = 1; // the version of the username/password sub-negotiation
        request[1] = (byte) user.length;
        System.arraycopy(user, 0, request, 2, user.length);
        request[2 + user.length] = (byte) password.length;
        System.arraycopy(password, 0, request, 3 + user.length, password.length);
        Arrays.fill(password, (byte) 0);
        next(State.AUTHENTICATION, 2);
        send(request);
    }

    private void onAuthentication() {
        if (in.position() < 2) {
            return;
        }
        int version = in.get(0) & 0xff;
        if (version != 1 && version != VERSION) { // RFC 1929 says 1; some servers echo the SOCKS version
            throw notSocks(version);
        }
        int status = in.get(1) & 0xff;
        if (status != 0) {
            throw ProxyErrors.of(Reason.AUTHENTICATION_FAILED, proxy, broker, "the proxy refused the user name and"
                    + " password of proxyUrl (user '" + proxy.username().orElseThrow() + "', RFC 1929 status " + status
                    + ")", "correct the user name or password in proxyUrl");
        }
        sendConnect();
    }

    private void sendConnect() {
        ByteArrayOutputStream request = new ByteArrayOutputStream(7 + brokerHost.length());
        request.write(VERSION);
        request.write(1); // CONNECT
        request.write(0);
        byte[] ip = ipLiteral(brokerHost);
        if (ip != null) {
            request.write(ip.length == 4 ? ATYP_IPV4 : ATYP_IPV6);
            request.writeBytes(ip);
        } else {
            byte[] name = brokerHost.getBytes(StandardCharsets.US_ASCII);
            if (name.length > 255) {
                throw ProxyErrors.of(Reason.REFUSED, proxy, broker, "the broker's host name is longer than the 255"
                        + " bytes a SOCKS5 request can carry", "advertise a shorter host name for the broker");
            }
            request.write(ATYP_DOMAIN);
            request.write(name.length);
            request.writeBytes(name);
        }
        request.write(brokerPort >>> 8);
        request.write(brokerPort & 0xff);
        next(State.CONNECT, 5); // enough to see the reply code, the address type and a domain name's length
        send(request.toByteArray());
    }

    private void onConnectReply() {
        checkVersion();
        if (in.position() >= 2 && in.get(1) != 0) {
            throw connectRefused(in.get(1) & 0xff); // said at once: a failing proxy may not send the rest
        }
        if (in.position() < 5) {
            return;
        }
        int type = in.get(3) & 0xff;
        int address = switch (type) {
            case ATYP_IPV4 -> 4;
            case ATYP_IPV6 -> 16;
            case ATYP_DOMAIN -> 1 + (in.get(4) & 0xff);
            default -> throw ProxyErrors.of(Reason.PROTOCOL_ERROR, proxy, broker, "the proxy's CONNECT reply has"
                    + " address type " + type + " (SOCKS5 knows 1, 3 and 4)", ProxyErrors.fixProtocol(proxy));
        };
        replyBytes = 4 + address + 2;
        if (in.position() >= replyBytes) {
            state = State.OPEN;
        }
    }

    private ProxyException connectRefused(int code) {
        String what = "the proxy answered CONNECT " + brokerAddress() + " with SOCKS5 reply " + code + " ("
                + replyName(code) + ")";
        return switch (code) {
            case 2 -> ProxyErrors.of(Reason.REFUSED, proxy, broker, what, ProxyErrors.FIX_REFUSED);
            case 1, 3, 4, 5, 6 -> ProxyErrors.of(Reason.BROKER_UNREACHABLE, proxy, broker, what,
                    ProxyErrors.FIX_BROKER_UNREACHABLE);
            case 7, 8 -> ProxyErrors.of(Reason.REFUSED, proxy, broker, what, "use a proxy that supports CONNECT to"
                    + " this kind of address");
            default -> ProxyErrors.of(Reason.PROTOCOL_ERROR, proxy, broker, what, ProxyErrors.fixProtocol(proxy));
        };
    }

    /** RFC 1928's names of the reply codes. */
    static String replyName(int code) {
        return switch (code) {
            case 1 -> "general SOCKS server failure";
            case 2 -> "connection not allowed by ruleset";
            case 3 -> "network unreachable";
            case 4 -> "host unreachable";
            case 5 -> "connection refused";
            case 6 -> "TTL expired";
            case 7 -> "command not supported";
            case 8 -> "address type not supported";
            default -> "unassigned";
        };
    }

    private void next(State next, int firstReplyBytes) {
        state = next;
        replyBytes = firstReplyBytes;
        in.clear();
    }

    private void checkVersion() {
        if (in.position() >= 1 && (in.get(0) & 0xff) != VERSION) {
            throw notSocks(in.get(0) & 0xff);
        }
    }

    private ProxyException notSocks(int first) {
        String hint = first == 'H' ? " ('H': an HTTP proxy? use http://)" : "";
        return ProxyErrors.of(Reason.PROTOCOL_ERROR, proxy, broker, "the proxy answered with a byte that is not SOCKS5"
                + " (0x" + Integer.toHexString(first) + hint + ")", ProxyErrors.fixProtocol(proxy));
    }

    /** The bytes of an IPv4 or IPv6 literal, or null for a host name; never a DNS lookup. */
    static byte[] ipLiteral(String host) {
        if (IpLiterals.isIpv4(host)) {
            String[] parts = host.split("\\.");
            byte[] ip = new byte[4];
            for (int i = 0; i < 4; i++) {
                ip[i] = (byte) Integer.parseInt(parts[i]);
            }
            return ip;
        }
        if (host.indexOf(':') < 0 || !IpLiterals.isAddress(host)) {
            return null; // a name (or not an address): the proxy judges it
        }
        try {
            return InetAddress.getByName(host).getAddress(); // IPv6 text: parsed, never looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
