package io.kwire.client;

/**
 * A broker as the client knows it. Bootstrap addresses get negative ids (-1, -2, ...) until metadata names the
 * real brokers, which have their broker ids.
 *
 * @param id   broker id, or a negative id for a bootstrap address
 * @param host advertised host name
 * @param port advertised port
 * @param rack rack id, or {@code null} when the broker has none
 */
public record Node(int id, String host, int port, String rack) {

    public boolean isBootstrap() {
        return id < 0;
    }

    /** {@code host:port}, with IPv6 literals bracketed. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return (isBootstrap() ? "bootstrap" : "node ") + id + " (" + address() + (rack == null ? "" : ", rack " + rack) + ")";
    }
}
