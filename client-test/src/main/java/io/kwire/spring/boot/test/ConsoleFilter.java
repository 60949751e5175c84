package io.kwire.spring.boot.test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task with standard output filtered line by line: lines the predicate matches are logged at DEBUG instead
 * of printed; all other output (log lines of other threads included) passes through unchanged. For libraries that
 * print to {@code System.out} directly, as Kafka's storage formatter does.
 *
 * <p>Swapping {@code System.out} is JVM-wide, so it is done only around a short start-up task and restored in
 * {@code finally}. Thread-safe: writes are serialized.
 */
final class ConsoleFilter extends OutputStream {

    private static final Logger log = LoggerFactory.getLogger(ConsoleFilter.class);

    private final PrintStream target;
    private final Predicate<String> drop;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private ConsoleFilter(PrintStream target, Predicate<String> drop) {
        this.target = target;
        this.drop = drop;
    }

    static <T> T dropLines(Predicate<String> drop, Supplier<T> task) {
        PrintStream original = System.out;
        ConsoleFilter filter = new ConsoleFilter(original, drop);
        System.setOut(new PrintStream(filter, true, Charset.defaultCharset()));
        try {
            return task.get();
        } finally {
            System.setOut(original);
            filter.flushLine();
        }
    }

    @Override
    public synchronized void write(int b) {
        line.write(b);
        if (b == '\n') {
            flushLine();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    private synchronized void flushLine() {
        if (line.size() == 0) {
            return;
        }
        byte[] bytes = line.toByteArray();
        line.reset();
        String text = new String(bytes, Charset.defaultCharset());
        if (drop.test(text)) {
            log.debug("{}", text.strip());
        } else {
            target.write(bytes, 0, bytes.length); // other output passes byte for byte
            target.flush();
        }
    }
}
