package io.kwire.client;

/**
 * How many connections of one {@link ConnectionClass} the client has, over all brokers.
 *
 * @param ready     set up and authenticated (ready, or re-authenticating)
 * @param settingUp between the TCP connect and readiness
 */
public record ConnectionCounts(int ready, int settingUp) {

    public static final ConnectionCounts NONE = new ConnectionCounts(0, 0);
}
