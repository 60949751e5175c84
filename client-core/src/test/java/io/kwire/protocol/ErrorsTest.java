package io.kwire.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.kwire.protocol.Errors.KafkaError;
import org.apache.kafka.common.errors.RetriableException;
import org.junit.jupiter.api.Test;

class ErrorsTest {

    @Test
    void everyKafkaErrorCodeIsKnownWithNameAndRetriability() {
        for (org.apache.kafka.common.protocol.Errors k : org.apache.kafka.common.protocol.Errors.values()) {
            KafkaError e = Errors.forCode(k.code());
            assertThat(e.code()).isEqualTo(k.code());
            assertThat(e.name()).isEqualTo(k.name());
            assertThat(e.retriable()).as(k.name()).isEqualTo(k.exception() instanceof RetriableException);
            assertThat(e.description()).isNotBlank();
        }
        assertThat(Errors.all()).hasSize(org.apache.kafka.common.protocol.Errors.values().length);
    }

    @Test
    void unknownCodesStillNameTheCode() {
        KafkaError e = Errors.forCode((short) 9999);
        assertThat(e.code()).isEqualTo((short) 9999);
        assertThat(e.name()).contains("9999");
        assertThat(e.retriable()).isFalse();
        assertThat(Errors.forCode((short) -2).name()).contains("-2");
        assertThat(Errors.NONE.isNone()).isTrue();
        assertThat(Errors.UNKNOWN_SERVER_ERROR.code()).isEqualTo((short) -1);
    }
}
