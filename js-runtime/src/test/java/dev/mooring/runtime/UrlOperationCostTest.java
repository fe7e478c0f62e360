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
 * <p>Each operation runs in its own context, in batches of {@link #BATCH} calls: {@link
 * #WARMUP_BATCHES} untimed batches, then {@link #MEASURED_BATCHES} timed ones, of which the median
 * and minimum are printed. Inputs cycle through {@link #DISTINCT_INPUTS} strings in the "distinct
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
        StringBuilder report = new StringBuilder();
        String engine = null;
        for (Operation operation : OPERATION_ROWS) {
            try (RuntimeTestContext runtime = RuntimeTestContext.create()) {
                engine = runtime.context().getEngine().getImplementationName();
                Value function = runtime.eval("url-cost.js", OPERATIONS).execute(REQUEST_URL, DISTINCT_INPUTS)
                        .getMember(operation.function());

                assertEquals(operation.expected(), function.execute(BATCH).asString(), operation.label());
                for (int i = 0; i < WARMUP_BATCHES; i++) {
                    function.execute(BATCH);
                }
                long[] nanosPerCall = new long[MEASURED_BATCHES];
                for (int i = 0; i < MEASURED_BATCHES; i++) {
                    long start = System.nanoTime();
                    function.execute(BATCH);
                    nanosPerCall[i] = (System.nanoTime() - start) / BATCH;
                }
                Arrays.sort(nanosPerCall);
                report.append(String.format("  %-34s median %7.2f us, min %7.2f us%n",
                        operation.label(), nanosPerCall[MEASURED_BATCHES / 2] / 1000.0, nanosPerCall[0] / 1000.0));
            }
        }
        System.out.printf("URL operation costs per call for input \"%s\" (engine %s, batches of %d, %d warm-up and %d timed batches):%n%s",
                REQUEST_URL, engine, BATCH, WARMUP_BATCHES, MEASURED_BATCHES, report);
    }
}
