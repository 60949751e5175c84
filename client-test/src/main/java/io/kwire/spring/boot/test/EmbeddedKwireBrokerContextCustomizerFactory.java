package io.kwire.spring.boot.test;

import java.util.List;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Finds {@link EmbeddedKwireBroker} on a test class (also on its superclasses and enclosing classes) and hands Spring
 * a {@link EmbeddedKwireBrokerContextCustomizer} for it; registered in {@code META-INF/spring.factories}.
 */
public final class EmbeddedKwireBrokerContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     List<ContextConfigurationAttributes> configAttributes) {
        EmbeddedKwireBroker annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
                EmbeddedKwireBroker.class);
        return annotation == null ? null : new EmbeddedKwireBrokerContextCustomizer(annotation);
    }
}
