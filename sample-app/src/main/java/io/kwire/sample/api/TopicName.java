package io.kwire.sample.api;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.regex.Pattern;

/**
 * A Kafka topic name, by Kafka's own rule ({@code Topic.validate}): 1 to 249 of {@code a-z A-Z 0-9 . _ -}, and not
 * {@code .} or {@code ..}. Checked on input, so a bad name is a 400 before any request reaches a broker. Null is
 * not a name.
 */
@Documented
@Constraint(validatedBy = TopicName.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface TopicName {

    String message() default "must be a topic name: 1 to 249 of a-z A-Z 0-9 . _ - (not . or ..)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Checks {@link TopicName}. Stateless. */
    class Validator implements ConstraintValidator<TopicName, String> {

        private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

        @Override
        public boolean isValid(String name, ConstraintValidatorContext context) {
            return isLegal(name);
        }

        static boolean isLegal(String name) {
            return name != null && LEGAL.matcher(name).matches() && !name.equals(".") && !name.equals("..");
        }
    }
}
