package dev.mooring.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;

/** An output stream that writes each line it receives to a logger, at info or warn level. */
final class LogOutputStream extends OutputStream {

    /** Longest line kept; longer lines are cut, so a guest cannot grow host memory by printing. */
    private static final int MAX_LINE_BYTES = 16 * 1024;

    private final Logger logger;
    private final boolean warn;
    private final String prefix;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LogOutputStream(Logger logger, boolean warn) {
        this(logger, warn, "");
    }

    LogOutputStream(Logger logger, boolean warn, String prefix) {
        this.logger = logger;
        this.warn = warn;
        this.prefix = prefix;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            flushLine();
        } else if (line.size() < MAX_LINE_BYTES) {
            line.write(b);
        }
    }

    @Override
    public synchronized void flush() {
        if (line.size() > 0) {
            flushLine();
        }
    }

    private void flushLine() {
        String text = prefix + line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (warn) {
            logger.warn("{}", text);
        } else {
            logger.info("{}", text);
        }
    }
}
