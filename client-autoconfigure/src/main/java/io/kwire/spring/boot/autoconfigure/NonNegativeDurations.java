package io.kwire.spring.boot.autoconfigure;

import java.beans.PropertyDescriptor;
import java.time.Duration;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Rejects every negative {@link Duration} of {@link KwireClientProperties} and its nested groups at binding, so
 * that {@code kwire.client.lifecycle.shutdown-timeout=-1s} stops the application with Boot's binding report
 * (property, value, origin) instead of being accepted. It walks the bean's properties rather than listing them,
 * so a duration added later is covered without a line here. Stateless.
 */
final class NonNegativeDurations implements Validator {

    static final String CODE = "kwire.negativeDuration";

    /** For binding a {@link KwireClientProperties} outside {@code @ConfigurationProperties} (another prefix). */
    static final Validator VALIDATOR = new NonNegativeDurations();

    private NonNegativeDurations() {
    }

    @Override
    public boolean supports(Class<?> type) {
        return KwireClientProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        check(target, errors);
    }

    /** Rejects the negative durations of {@code bean}, recursing into its nested groups (ssl, sasl, lifecycle). */
    static void check(Object bean, Errors errors) {
        BeanWrapper wrapper = PropertyAccessorFactory.forBeanPropertyAccess(bean);
        for (PropertyDescriptor property : wrapper.getPropertyDescriptors()) {
            if (property.getReadMethod() == null) {
                continue;
            }
            Class<?> type = property.getPropertyType();
            String name = property.getName();
            if (type == Duration.class) {
                Duration value = (Duration) wrapper.getPropertyValue(name);
                if (value != null && value.isNegative()) {
                    errors.rejectValue(name, CODE, new Object[] {value}, "must not be negative, got " + value);
                }
            } else if (isNestedGroup(type)) {
                Object nested = wrapper.getPropertyValue(name);
                if (nested != null) {
                    errors.pushNestedPath(name);
                    check(nested, errors);
                    errors.popNestedPath();
                }
            }
        }
    }

    private static boolean isNestedGroup(Class<?> type) {
        return type != null && type.getEnclosingClass() == KwireClientProperties.class && !type.isEnum();
    }
}
