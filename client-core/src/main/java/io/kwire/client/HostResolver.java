package io.kwire.client;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns a broker's (or the proxy's) host name into its addresses. The client calls it on a lookup thread of its own
 * ({@code kwire-dns-<clientId>-N}, at most four lookups at once per client), never on the thread that polls the
 * network, so a slow name server delays only the connections that need a lookup: requests to brokers already
 * connected, or known by address, go on meanwhile. A lookup counts against
 * {@link KafkaClientConfig#socketConnectionSetupTimeout()} like the rest of a connection's set-up. The one exception
 * is {@code bootstrapServers} with {@link ClientDnsLookup#RESOLVE_CANONICAL_BOOTSTRAP_SERVERS_ONLY}, resolved once
 * when the client is created, on the creating thread.
 *
 * <p>IP addresses as text (dotted-decimal IPv4 of four decimal numbers without leading zeros, and IPv6) are taken as
 * they are, without asking the resolver; shorter or zero-padded IPv4 forms go to it as names.
 * Implementations may block, but must answer within a bounded time (lookups beyond the four running wait their turn),
 * must be safe to call from several threads at once, and report a name that does not resolve by throwing
 * {@link UnknownHostException}. The default, {@link #SYSTEM}, asks the JDK ({@link InetAddress#getAllByName}), with
 * its cache ({@code networkaddress.cache.ttl}). A resolver of the application's own can map the names brokers
 * advertise to addresses this client can reach, or ask a name server of its own.
 */
@FunctionalInterface
public interface HostResolver {

    /** The JDK's resolver. */
    HostResolver SYSTEM = new HostResolver() {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return InetAddress.getAllByName(host);
        }

        @Override
        public String toString() {
            return "HostResolver.SYSTEM";
        }
    };

    /**
     * The addresses of {@code host}, the preferred one first; the client tries them in turn ({@link ClientDnsLookup}).
     *
     * @throws UnknownHostException when the name does not resolve
     */
    InetAddress[] resolve(String host) throws UnknownHostException;
}
