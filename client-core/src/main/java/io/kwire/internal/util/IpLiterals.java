package io.kwire.internal.util;

import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * Tells an IP address written as text from a host name without asking a name server: what
 * {@link InetAddress#getAllByName} parses (or refuses) by itself, and never looks up. Stateless.
 */
public final class IpLiterals {

    /** An IPv4 octet in decimal, without leading zeros (which some JDKs read as octal or refuse). */
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    /** Dotted-decimal IPv4. */
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

    private IpLiterals() {
    }

    /**
     * Whether {@code host} is an IP address as text: dotted-decimal IPv4, or IPv6 (text with a ':' that starts with a
     * hex digit, ':' or '[', which {@link InetAddress#getAllByName} parses or refuses without a lookup). Shorter IPv4
     * forms ({@code 127.1}) and anything else count as names.
     */
    public static boolean isAddress(String host) {
        if (host.isEmpty()) {
            return false;
        }
        if (host.indexOf(':') >= 0) {
            char first = host.charAt(0);
            return Character.digit(first, 16) >= 0 || first == ':' || first == '[';
        }
        return isIpv4(host);
    }

    /** Whether {@code host} is a dotted-decimal IPv4 address. */
    public static boolean isIpv4(String host) {
        return IPV4.matcher(host).matches();
    }
}
