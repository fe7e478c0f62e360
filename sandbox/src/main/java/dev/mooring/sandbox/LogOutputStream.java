package dev.mooring.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.slf4j.Logger;

/**
 * An output stream that writes each line it receives to a logger, at info or warn level.
 *
 * <p>One report is kept out of the script's log: GraalJS's warning that a promise was rejected
 * because its execution was interrupted, with its stack lines. The host interrupts guest code
 * only to stop it at a limit, and it logs that stop itself with the script, object and limit. The
 * warning would read as the script's own error and show the runtime's internal frames, so it goes
 * to the debug level instead.
 *
 * <p>GraalJS's report of any other unhandled rejection is reworded as Chrome's console words it,
 * "Uncaught (in promise) Error: ...", and its stack keeps only the frames of the script's own
 * modules, each with its file and line. The runtime's JS frames, the built-ins' and the Java frames
 * after them are of no use to the script's author.
 */
final class LogOutputStream extends OutputStream {

    private static final String INTERRUPTED_REJECTION =
            "[GraalVM JavaScript Warning] Unhandled promise rejection: Execution got interrupted.";
    private static final String REJECTION = "[GraalVM JavaScript Warning] Unhandled promise rejection: ";
    private static final String STACK_LINE = "    at ";

    /**
     * The location in a frame of GraalJS's rejection report: "(worker.js:3:61-82)" or, for a
     * section over several lines, "(worker.js:2-5:19-119)". The numbers after the line are
     * character offsets into the file, not columns, so the report keeps only the first line.
     */
    private static final Pattern SECTION_RANGE = Pattern.compile("\\((.+):(\\d+)(?:-\\d+)?:\\d+-\\d+\\)$");

    /** Longest line kept; longer lines are cut, so a guest cannot grow host memory by printing. */
    private static final int MAX_LINE_BYTES = 16 * 1024;

    private final Logger logger;
    private final boolean warn;
    private final String prefix;
    /** The budget the lines are charged to, or null for output that only Mooring writes. */
    private final OutputBudget budget;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    /** Whether the lines being received belong to an interrupted-rejection report. */
    private boolean inInterruptReport;
    /** Whether the lines being received belong to the report of another unhandled rejection. */
    private boolean inRejectionReport;

    LogOutputStream(Logger logger, boolean warn) {
        this(logger, warn, "", null);
    }

    LogOutputStream(Logger logger, boolean warn, String prefix, OutputBudget budget) {
        this.logger = logger;
        this.warn = warn;
        this.prefix = prefix;
        this.budget = budget;
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
        String raw = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (raw.equals(INTERRUPTED_REJECTION) || (inInterruptReport && raw.startsWith(STACK_LINE))) {
            inInterruptReport = true;
            logger.debug("{}{}", prefix, raw);
            return;
        }
        inInterruptReport = false;

        if (raw.startsWith(REJECTION)) {
            inRejectionReport = true;
            log("Uncaught (in promise) " + raw.substring(REJECTION.length()));
            return;
        }
        if (inRejectionReport && raw.startsWith(STACK_LINE)) {
            if (isScriptFrame(raw)) {
                log(SECTION_RANGE.matcher(raw).replaceFirst("($1:$2)"));
            }
            return;
        }
        inRejectionReport = false;
        log(prefix + raw);
    }

    /**
     * Returns whether a stack line of GraalJS's report names a location in the script's modules,
     * as in "    at fetch (worker.js:3:61-82)". The runtime's frames are in "mooring:runtime/..."
     * and the built-ins' in "&lt;builtin&gt;"; Java frames and "at Error" have no location.
     */
    private static boolean isScriptFrame(String stackLine) {
        int open = stackLine.lastIndexOf(" (");
        if (open < 0 || !stackLine.endsWith(")")) {
            return false;
        }
        String location = stackLine.substring(open + 2, stackLine.length() - 1);
        return !location.startsWith("mooring:runtime/") && !location.startsWith("<builtin>") && location.contains(":");
    }

    /** Writes one line, charged to the budget. */
    private void log(String text) {
        if (budget != null && !budget.tryTakeLine()) {
            return;
        }
        if (warn) {
            logger.warn("{}", text);
        } else {
            logger.info("{}", text);
        }
    }
}
