package dev.mooring.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Rough timings of the hot-path helpers in encoding.js and structured-clone.js, printed to
 * standard output. Off by default; run it with
 * {@code mvn -q -pl js-runtime test -Dtest=WebApiTimings -Dmooring.timings=true}.
 *
 * <p>Each case runs in one warm context: first for {@code -Dmooring.timings.warmUpMs} (default
 * 3000 ms), then it is timed for {@link #MEASURE_MS}. Wall-clock figures depend on the machine's
 * load and on whether GraalJS runs with its JIT, which surefire does not enable. With the JIT on
 * a 2-core machine the serializer needed about 10 s of warm-up to reach steady speed. Treat the
 * figures as orders of magnitude. The test fails only if a helper returns a wrong result.
 */
@EnabledIfSystemProperty(named = "mooring.timings", matches = "true")
class WebApiTimings {

    private static final int WARM_UP_MS = Integer.getInteger("mooring.timings.warmUpMs", 3000);
    private static final int MEASURE_MS = 1000;

    private static final String HELPERS = """
            (internals, warmUpMs, measureMs) => {
              const lines = [];
              const time = (label, fn, check) => {
                if (!check(fn())) {
                  throw new Error('wrong result from ' + label);
                }
                let start = Date.now();
                while (Date.now() - start < warmUpMs) fn();
                let runs = 0;
                start = Date.now();
                while (Date.now() - start < measureMs) { fn(); runs++; }
                lines.push(label.padEnd(40) + (measureMs * 1000 / runs).toFixed(2).padStart(10) + ' us/op');
              };
              const text = (size) => 'h\\u00e9llo w\\u00f6rld, \\u20ac1 '.repeat(Math.ceil(size / 20)).slice(0, size);
              for (const size of [1024, 65536]) {
                const ascii = 'a'.repeat(size);
                const mixed = text(size);
                const mixedBytes = internals.utf8Encode(mixed);
                const binary = new Uint8Array(size).map((_, i) => i * 31);
                const base64 = internals.base64Encode(binary);
                const kib = size / 1024 + ' KiB';
                time('utf8Encode ascii ' + kib, () => internals.utf8Encode(ascii), (r) => r.length === size);
                time('utf8Encode mixed ' + kib, () => internals.utf8Encode(mixed), (r) => r.length === mixedBytes.length);
                time('utf8Decode mixed ' + kib, () => internals.utf8Decode(mixedBytes), (r) => r === mixed);
                time('base64Encode ' + kib, () => internals.base64Encode(binary), (r) => r === base64);
                time('base64Decode ' + kib, () => internals.base64Decode(base64), (r) => r.length === size && r[size - 1] === binary[size - 1]);
              }
              const values = {
                'a number': 42,
                'a 100-char string': 'The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs. 0123456789abcd',
                'a 10-field object': { id: 12345, name: 'alice', email: 'alice@example.com', active: true, score: 98.5,
                  tags: 'a,b', created: 1700000000000, count: 7, note: 'hello', parent: null },
              };
              for (const [name, value] of Object.entries(values)) {
                const json = JSON.stringify(value);
                time('serialize+deserialize ' + name, () => internals.deserialize(internals.serialize(value)), (r) => JSON.stringify(r) === json);
              }
              return lines.join('\\n');
            }
            """;

    @Test
    void printTimings() {
        try (RuntimeTestContext runtime = RuntimeTestContext.create()) {
            Value report = runtime.eval(HELPERS).execute(runtime.internals(), WARM_UP_MS, MEASURE_MS);
            String text = report.asString();
            System.out.println("Engine: " + runtime.context().getEngine().getImplementationName());
            System.out.println(text);
            assertTrue(text.contains("serialize+deserialize"));
        }
    }
}
