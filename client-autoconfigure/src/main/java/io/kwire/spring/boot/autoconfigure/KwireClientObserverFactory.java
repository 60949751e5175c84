package io.kwire.spring.boot.autoconfigure;

import io.kwire.client.ClientObserver;

/**
 * Makes a new {@link ClientObserver} for each client configuration that kwire's auto-configuration builds (the
 * {@code kwire.client.*} one and every one made by {@link KwireClientFactory}). For observers that keep
 * per-client state, such as meters tagged with the client's name; an observer that may be shared by every client
 * is simpler as a {@link ClientObserver} bean. Called on the thread that creates the client beans.
 */
@FunctionalInterface
public interface KwireClientObserverFactory {

    /** A new observer, told the events of one client only. */
    ClientObserver createObserver();
}
