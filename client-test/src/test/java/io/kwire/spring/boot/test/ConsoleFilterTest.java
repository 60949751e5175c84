package io.kwire.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Kafka's formatter lines leave the console; everything else passes through unchanged, and stdout is restored. */
class ConsoleFilterTest {

    @Test
    void dropsMatchingLinesPassesTheRestByteForByteAndRestoresStandardOutput() {
        PrintStream original = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        try {
            String result = ConsoleFilter.dropLines(line -> line.startsWith("Formatting "), () -> {
                System.out.println("Formatting metadata directory /tmp/x with metadata.version 4.1-IV1.");
                System.out.write("a log line, é, written as bytes\n".getBytes(StandardCharsets.UTF_8), 0,
                        "a log line, é, written as bytes\n".getBytes(StandardCharsets.UTF_8).length);
                System.out.print("no newline at the end");
                return "started";
            });
            assertThat(result).isEqualTo("started");
            assertThat(System.out).isSameAs(capture);
        } finally {
            System.setOut(original);
        }
        assertThat(console.toString(StandardCharsets.UTF_8))
                .isEqualTo("a log line, é, written as bytes\nno newline at the end");
    }
}
