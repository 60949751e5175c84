package io.kwire.internal.network;

import io.kwire.client.ClientDnsLookup;
import io.kwire.client.HostResolver;
import io.kwire.client.Node;
import io.kwire.internal.util.IpLiterals;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns {@code bootstrapServers} into bootstrap {@link Node}s with negative ids (-1, -2, ...). With
 * {@link ClientDnsLookup#RESOLVE_CANONICAL_BOOTSTRAP_SERVERS_ONLY} each host is first replaced by the canonical
 * names of its addresses (one node per name), as Kerberos deployments behind a DNS alias need.
 */
public final class BootstrapAddresses {

    private BootstrapAddresses() {
    }

    public static List<Node> parse(List<String> servers, ClientDnsLookup lookup, HostResolver resolver) {
        List<Node> nodes = new ArrayList<>();
        int id = -1;
        for (String server : servers) {
            Node node = parse(server, 0);
            if (lookup == ClientDnsLookup.RESOLVE_CANONICAL_BOOTSTRAP_SERVERS_ONLY) {
                for (String host : canonicalNames(node.host(), resolver)) {
                    nodes.add(new Node(id--, host, node.port(), null));
                }
            } else {
                nodes.add(new Node(id--, node.host(), node.port(), null));
            }
        }
        return nodes;
    }

    /**
     * The canonical names of the host's addresses, looked up here, on the thread that creates the client; the host
     * itself when it does not resolve (or the resolver fails), which the connection attempt then reports with its
     * cause.
     */
    private static Set<String> canonicalNames(String host, HostResolver resolver) {
        Set<String> names = new LinkedHashSet<>();
        try {
            InetAddress[] all = IpLiterals.isAddress(host) ? InetAddress.getAllByName(host) : resolver.resolve(host);
            for (InetAddress a : all == null ? new InetAddress[0] : all) {
                if (a != null) {
                    names.add(a.getCanonicalHostName());
                }
            }
        } catch (UnknownHostException | RuntimeException e) {
            names.clear();
        }
        if (names.isEmpty()) {
            names.add(host);
        }
        return names;
    }

    /** Parses {@code host[:port]} or {@code [ipv6]:port}; the port defaults to 9092. */
    public static Node parse(String server, int id) {
        String s = server.trim();
        String host;
        int port = 9092;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            host = s.substring(1, end);
            if (end + 1 < s.length() && s.charAt(end + 1) == ':') {
                port = Integer.parseInt(s.substring(end + 2));
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon > 0 && s.indexOf(':') == colon) {
                host = s.substring(0, colon);
                port = Integer.parseInt(s.substring(colon + 1));
            } else {
                host = s;
            }
        }
        return new Node(id, host, port, null);
    }
}
