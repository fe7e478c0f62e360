package dev.mooring.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Java codec of primitive values agrees byte for byte with the JS serializer. */
class StoredValuesTest {

    private static RuntimeTestContext runtime;
    private static Value serialize;
    private static Value same;

    @BeforeAll
    static void start() {
        runtime = RuntimeTestContext.create();
        serialize = runtime.eval("(value) => testInternals.serialize(value).slice().buffer");
        same = runtime.eval("(a, b) => Object.is(a, b)");
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    /** JS expressions of primitive values; each is evaluated, serialized by both sides, and compared. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "0", "-0", "1", "-1", "63", "64", "-65", "2147483647", "-2147483648", "2147483648", "0.5", "-1e-300",
        "1.7976931348623157e308", "NaN", "Infinity", "-Infinity",
        "''", "'a'", "'hello world'", "'\\u00e9t\\u00e9'", "'\\u{1F600}'", "'\\uD800'", "'x\\uDC00y'", "'a'.repeat(200)",
        "true", "false",
    })
    void javaAndJsEncodeAlike(String expression) {
        Value value = runtime.eval("(" + expression + ")");
        byte[] fromJs = RuntimeIntrinsics.bytesOf(serialize.execute(value));
        Object javaValue = value.isBoolean() ? value.asBoolean() : value.isNumber() ? value.asDouble() : value.asString();

        byte[] fromJava = StoredValues.encode(javaValue);
        Object decoded = StoredValues.decodePrimitive(fromJs);

        assertArrayEquals(fromJs, fromJava, expression);
        assertTrue(same.execute(decoded, value).asBoolean(), expression + " decoded as " + decoded);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"({})", "[1]", "null", "undefined", "10n", "new Date(0)"})
    void complexValuesAreLeftToJs(String expression) {
        byte[] fromJs = RuntimeIntrinsics.bytesOf(serialize.execute(runtime.eval("(" + expression + ")")));

        assertSame(StoredValues.NOT_PRIMITIVE, StoredValues.decodePrimitive(fromJs), expression);
    }
}
