package dev.mooring.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

/**
 * Prints the rough cost of the {@code URL} operations a request handler uses: construction, the
 * {@code pathname} setter and the {@code href} getter. It asserts only results, never a time.
 * Under Maven the engine usually runs without the Graal compiler (the output names the engine),
 * so the printed figures are the interpreter's.
 *
 * <p>All operations run in one context, in batches of {@link #BATCH} calls: {@link
 * #WARMUP_BATCHES} untimed batches each, then {@link #MEASURED_BATCHES} timed ones each, of which
 * the median and minimum are printed. Inputs cycle through {@link #DISTINCT_INPUTS} strings in the "distinct
 * inputs" row, more than any per-context parse cache keeps.
 */
class UrlOperationCostTest {

    private static final String REQUEST_URL = "https://example.com/counter/a/increment?x=1";
    private static final int BATCH = 2_000;
    private static final int WARMUP_BATCHES = 25;
    private static final int MEASURED_BATCHES = 7;
    private static final int DISTINCT_INPUTS = 1_000;

    /**
     * Returns one function per operation. Each runs its operation {@code count} times and returns
     * a string built from the results, so the work cannot be skipped and the result can be checked.
     */
    private static final String OPERATIONS = """
            (function (input, distinctCount) {
              const distinct = Array.from({ length: distinctCount },
                  (_, i) => 'https://example.com/counter/' + i + '/increment?x=1');
              return {
                construct(count) {
                  let url;
                  for (let i = 0; i < count; i++) url = new URL(input);
                  return url.pathname;
                },
                constructDistinct(count) {
                  let url;
                  for (let i = 0; i < count; i++) url = new URL(distinct[i % distinctCount]);
                  return url.search;
                },
                constructAndReadHref(count) {
                  let href;
                  for (let i = 0; i < count; i++) href = new URL(input).href;
                  return href;
                },
                setPathname(count) {
                  const url = new URL(input);
                  for (let i = 0; i < count; i++) url.pathname = (i & 1) === 0 ? '/a/increment' : '/b/increment';
                  return url.pathname;
                },
                setPathnameAndReadHref(count) {
                  const url = new URL(input);
                  let href;
                  for (let i = 0; i < count; i++) {
                    url.pathname = (i & 1) === 0 ? '/a/increment' : '/b/increment';
                    href = url.href;
                  }
                  return href;
                },
              };
            })
            """;

    private record Operation(String function, String label, String expected) {}

    private static final Operation[] OPERATION_ROWS = {
        new Operation("construct", "new URL(input)", "/counter/a/increment"),
        new Operation("constructDistinct", "new URL(input), distinct inputs", "?x=1"),
        new Operation("constructAndReadHref", "new URL(input).href", REQUEST_URL),
        new Operation("setPathname", "url.pathname = path", "/b/increment"),
        new Operation("setPathnameAndReadHref", "url.pathname = path; url.href", "https://example.com/b/increment?x=1"),
    };

    @Test
    void urlOperationCostsArePrinted() {
        try (RuntimeTestContext runtime = RuntimeTestContext.create()) {
            Value operations = runtime.eval("url-cost.js", OPERATIONS).execute(REQUEST_URL, DISTINCT_INPUTS);
            Value[] functions = new Value[OPERATION_ROWS.length];
            for (int row = 0; row < OPERATION_ROWS.length; row++) {
                functions[row] = operations.getMember(OPERATION_ROWS[row].function());
                assertEquals(OPERATION_ROWS[row].expected(), functions[row].execute(BATCH).asString(), OPERATION_ROWS[row].label());
            }

            // Every operation warms up before any is timed, because the first batches of a JVM
            // also warm up the interpreter itself. Timed batches take turns, so drift in machine
            // load spreads over all rows.
            for (int i = 0; i < WARMUP_BATCHES; i++) {
                for (Value function : functions) {
                    function.execute(BATCH);
                }
            }
            long[][] nanosPerCall = new long[OPERATION_ROWS.length][MEASURED_BATCHES];
            for (int i = 0; i < MEASURED_BATCHES; i++) {
                for (int row = 0; row < OPERATION_ROWS.length; row++) {
                    long start = System.nanoTime();
                    functions[row].execute(BATCH);
                    nanosPerCall[row][i] = (System.nanoTime() - start) / BATCH;
                }
            }

            StringBuilder report = new StringBuilder();
            for (int row = 0; row < OPERATION_ROWS.length; row++) {
                long[] nanos = nanosPerCall[row];
                Arrays.sort(nanos);
                report.append(String.format("  %-34s median %7.2f us, min %7.2f us%n",
                        OPERATION_ROWS[row].label(), nanos[MEASURED_BATCHES / 2] / 1000.0, nanos[0] / 1000.0));
            }
            System.out.printf("URL operation costs per call for input \"%s\" (engine %s, batches of %d, %d warm-up and %d timed batches):%n%s",
                    REQUEST_URL, runtime.context().getEngine().getImplementationName(), BATCH, WARMUP_BATCHES, MEASURED_BATCHES, report);
        }
    }
}
