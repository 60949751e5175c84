package io.kwire.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that hands the JVM-wide {@link KafkaCluster#shared() shared} single-node cluster to test
 * constructors, lifecycle methods and test methods with a {@link KafkaCluster} parameter. The cluster starts when
 * the first class using the extension starts and stops when the JVM exits, so a whole suite shares one broker.
 *
 * <pre>{@code
 * @ExtendWith(KafkaClusterExtension.class)
 * class MyTest {
 *     @Test
 *     void produces(KafkaCluster kafka) {
 *         kafka.createTopic("t", 1, 1);
 *         ... kafka.bootstrapServers() ...
 *     }
 * }
 * }</pre>
 *
 * <p>JUnit is an optional dependency of the test kit: this class needs {@code junit-jupiter-api} on the class path.
 */
public final class KafkaClusterExtension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        KafkaCluster.shared();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        return parameterContext.getParameter().getType() == KafkaCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        return KafkaCluster.shared();
    }
}
