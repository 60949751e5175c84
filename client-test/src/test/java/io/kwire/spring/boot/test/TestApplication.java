package io.kwire.spring.boot.test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** An application with the kwire starter and nothing else; no component scan (it would find this module's classes). */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestApplication {
}
