package io.kwire.spring.boot.autoconfigure.observation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.KwireClient;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tracing decorator implements every method of {@link KwireClient} itself: a default method left to the
 * interface would answer for the wrapped client (a send without its connection class, an {@code updateSslContext}
 * that refuses) whenever an {@code ObservationRegistry} is present.
 */
class ObservedKwireClientTests {

    @Test
    void everyMethodOfTheClientIsForwardedByTheDecorator() {
        List<String> missing = new ArrayList<>();
        for (Method m : KwireClient.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            try {
                Method own = ObservedKwireClient.class.getMethod(m.getName(), m.getParameterTypes());
                if (own.getDeclaringClass() != ObservedKwireClient.class) {
                    missing.add(m.toGenericString());
                }
            } catch (NoSuchMethodException e) {
                missing.add(m.toGenericString());
            }
        }
        assertThat(missing).as("KwireClient methods ObservedKwireClient leaves to the interface").isEmpty();
    }
}
