package io.kwire.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The network layer decodes most responses in place from its read buffer and copies the frame only for
 * responses that keep slices of it; the generator decides which from the schemas.
 */
class ResponseRetainsFrameTest {

    @Test
    void responsesWithRecordsOrBytesFieldsRetainTheirFrame() {
        assertThat(ApiKey.FETCH.responseRetainsFrame()).isTrue(); // records
        assertThat(ApiKey.SASL_AUTHENTICATE.responseRetainsFrame()).isTrue(); // auth bytes
        assertThat(ApiKey.SASL_HANDSHAKE.responseRetainsFrame()).isFalse();
    }

    @Test
    void onlyRequestsWithBytesFieldsAreWalkedForSplicing() {
        assertThat(ApiKey.PRODUCE.requestCarriesBytes()).isTrue(); // records
        assertThat(ApiKey.SASL_AUTHENTICATE.requestCarriesBytes()).isTrue(); // auth bytes
        assertThat(ApiKey.METADATA.requestCarriesBytes()).isFalse();
        assertThat(ApiKey.FETCH.requestCarriesBytes()).isFalse();
    }

    @Test
    void plainResponsesAreDecodedInPlace() {
        assertThat(ApiKey.METADATA.responseRetainsFrame()).isFalse();
        assertThat(ApiKey.API_VERSIONS.responseRetainsFrame()).isFalse();
        assertThat(ApiKey.PRODUCE.responseRetainsFrame()).isFalse();
    }
}
