package io.kwire.testkit;

import java.lang.reflect.Method;
import java.util.List;

import org.slf4j.LoggerFactory;

/**
 * Turns Kafka's own loggers down to WARN when the slf4j back end is logback and the application did not set a level
 * for them. Works by reflection, so the test kit does not depend on logback. With another back end nothing happens:
 * set {@code org.apache.kafka}, {@code kafka} and {@code state.change.logger} to WARN in its configuration.
 */
final class KafkaLogging {

    static final List<String> KAFKA_LOGGERS = List.of("org.apache.kafka", "kafka", "state.change.logger",
            "org.apache.zookeeper");

    private KafkaLogging() {
    }

    static void quiet() {
        for (String name : KAFKA_LOGGERS) {
            Object logger = LoggerFactory.getLogger(name);
            if (!logger.getClass().getName().equals("ch.qos.logback.classic.Logger")) {
                return;
            }
            try {
                Method getLevel = logger.getClass().getMethod("getLevel");
                if (getLevel.invoke(logger) != null) {
                    continue; // configured explicitly: leave it alone
                }
                Class<?> levelClass = Class.forName("ch.qos.logback.classic.Level", true,
                        logger.getClass().getClassLoader());
                Object warn = levelClass.getField("WARN").get(null);
                logger.getClass().getMethod("setLevel", levelClass).invoke(logger, warn);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return; // an unexpected logback: not worth failing a broker start for
            }
        }
    }
}
