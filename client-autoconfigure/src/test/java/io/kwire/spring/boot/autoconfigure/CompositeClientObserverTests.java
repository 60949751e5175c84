package io.kwire.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.client.ClientObserver;
import io.kwire.client.Node;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompositeClientObserverTests {

    private final Node node = new Node(1, "h", 9092, null);

    @Test
    void noObserversIsNoneAndOneIsItself() {
        ClientObserver one = new ClientObserver() { };
        assertThat(CompositeClientObserver.of(List.of())).isSameAs(ClientObserver.NONE);
        assertThat(CompositeClientObserver.of(List.of(ClientObserver.NONE, one))).isSameAs(one);
    }

    @Test
    void aThrowingObserverDoesNotSilenceTheOthers() {
        List<String> heard = new ArrayList<>();
        ClientObserver throwing = new ClientObserver() {
            @Override
            public void connectionReady(Node n) {
                throw new IllegalStateException("boom");
            }
        };
        ClientObserver listening = new ClientObserver() {
            @Override
            public void connectionReady(Node n) {
                heard.add("ready " + n.id());
            }
        };
        ClientObserver composite = CompositeClientObserver.of(List.of(throwing, listening));
        composite.connectionReady(node);
        composite.connectionReady(node);
        assertThat(heard).containsExactly("ready 1", "ready 1");
    }

    @Test
    void nestedCompositesAreFlattened() {
        ClientObserver a = new ClientObserver() { };
        ClientObserver b = new ClientObserver() { };
        ClientObserver c = new ClientObserver() { };
        ClientObserver nested = CompositeClientObserver.of(List.of(CompositeClientObserver.of(List.of(a, b)), c));
        assertThat(((CompositeClientObserver) nested).observers()).containsExactly(a, b, c);
    }
}
