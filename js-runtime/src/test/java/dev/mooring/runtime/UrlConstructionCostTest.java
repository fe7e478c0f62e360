package dev.mooring.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

/**
 * Prints the rough cost of {@code new URL(...)} for a typical request URL in a warm context. It
 * asserts only the parse result, never a time. Under Maven the engine usually runs without the
 * Graal compiler (the output names the engine), so the printed figure is the interpreter's.
 */
class UrlConstructionCostTest {

    private static final String REQUEST_URL = "https://example.com/counter/a/increment?x=1";
    private static final int BATCH = 2_000;
    private static final int WARMUP_BATCHES = 25;
    private static final int MEASURED_BATCHES = 7;

    private static final String LOOP = """
            (function (count, input) {
              let pathLengths = 0;
              let url;
              for (let i = 0; i < count; i++) {
                url = new URL(input);
                pathLengths += url.pathname.length;
              }
              return url.href + ' ' + pathLengths / count;
            })
            """;

    @Test
    void newUrlCostIsPrinted() {
        try (RuntimeTestContext runtime = RuntimeTestContext.create()) {
            Value loop = runtime.eval("url-cost.js", LOOP);
            for (int i = 0; i < WARMUP_BATCHES; i++) {
                loop.execute(BATCH, REQUEST_URL);
            }
            long[] nanosPerUrl = new long[MEASURED_BATCHES];
            String result = null;
            for (int i = 0; i < MEASURED_BATCHES; i++) {
                long start = System.nanoTime();
                result = loop.execute(BATCH, REQUEST_URL).asString();
                nanosPerUrl[i] = (System.nanoTime() - start) / BATCH;
            }
            assertEquals(REQUEST_URL + " 20", result);

            Arrays.sort(nanosPerUrl);
            System.out.printf("new URL(\"%s\") + pathname: median %.2f us, min %.2f us per URL (engine %s, %d x %d calls after %d x %d warm-up)%n",
                    REQUEST_URL, nanosPerUrl[MEASURED_BATCHES / 2] / 1000.0, nanosPerUrl[0] / 1000.0,
                    runtime.context().getEngine().getImplementationName(), MEASURED_BATCHES, BATCH, WARMUP_BATCHES, BATCH);
        }
    }
}
