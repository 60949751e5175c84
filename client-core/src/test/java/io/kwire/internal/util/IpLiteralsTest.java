package io.kwire.internal.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpLiteralsTest {

    @Test
    void addressesAsTextAreToldFromNamesWithoutALookup() {
        assertThat(IpLiterals.isAddress("127.0.0.1")).isTrue();
        assertThat(IpLiterals.isAddress("255.255.255.255")).isTrue();
        assertThat(IpLiterals.isAddress("::1")).isTrue();
        assertThat(IpLiterals.isAddress("2001:db8::1")).isTrue();
        assertThat(IpLiterals.isAddress("fe80::1%lo")).isTrue();
        assertThat(IpLiterals.isAddress("[::1]")).isTrue();
        assertThat(IpLiterals.isAddress("1::2::3")).as("IPv6-shaped: refused by the parser, never looked up")
                .isTrue();
        assertThat(IpLiterals.isAddress("1a:")).as("refused by the parser, never looked up").isTrue();
        assertThat(IpLiterals.isAddress("::ffff:1.2.3.4")).isTrue();

        assertThat(IpLiterals.isAddress("")).isFalse();
        assertThat(IpLiterals.isAddress("broker-1.example")).isFalse();
        assertThat(IpLiterals.isAddress("10.0.0.1.example")).isFalse();
        assertThat(IpLiterals.isAddress("10.0.0.300")).as("not an address: a name").isFalse();
        assertThat(IpLiterals.isAddress("010.0.0.1")).as("ambiguous (octal?): a name").isFalse();
        assertThat(IpLiterals.isAddress("127.1")).as("short form: a name").isFalse();
        assertThat(IpLiterals.isAddress("1.2.3.4.5")).isFalse();
        assertThat(IpLiterals.isAddress("[1.2.3.4]")).isFalse();
        assertThat(IpLiterals.isAddress("kafka:x")).as("a colon after a letter that is no hex digit").isFalse();
        assertThat(IpLiterals.isIpv4("::1")).isFalse();
    }
}
