package dev.mooring.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The byte search that multipart parsing calls: matches inside a range, across the chunks it reads. */
class IndexOfBytesTest {

    private static final byte[] PATTERN = "\n--boundary".getBytes(StandardCharsets.US_ASCII);

    private RuntimeTestContext runtime;

    @BeforeEach
    void createRuntime() {
        runtime = RuntimeTestContext.create();
    }

    @AfterEach
    void closeRuntime() {
        runtime.close();
    }

    /** Returns a JS ArrayBuffer of {@code size} zero bytes with the pattern written at {@code at}. */
    private Value bufferWithPatternAt(int size, int at) {
        Value buffer = runtime.eval("(size) => new ArrayBuffer(size)").execute(size);
        Value bytes = runtime.eval("(buffer) => new Uint8Array(buffer)").execute(buffer);
        for (int i = 0; i < PATTERN.length; i++) {
            bytes.setArrayElement(at + i, PATTERN[i]);
        }
        return buffer;
    }

    @Test
    void findsPatternThatStraddlesTwoChunks() {
        int at = 64 * 1024 - 3;
        Value buffer = bufferWithPatternAt(200_000, at);

        assertEquals(at, RuntimeIntrinsics.indexOfBytes(buffer, 0, 200_000, PATTERN));
    }

    @Test
    void findsPatternAtEitherEndOfTheRange() {
        Value first = bufferWithPatternAt(1000, 10);
        Value last = bufferWithPatternAt(1000, 1000 - PATTERN.length);

        assertEquals(10, RuntimeIntrinsics.indexOfBytes(first, 10, 1000, PATTERN));
        assertEquals(1000 - PATTERN.length, RuntimeIntrinsics.indexOfBytes(last, 0, 1000, PATTERN));
    }

    @Test
    void ignoresMatchesOutsideTheRange() {
        Value buffer = bufferWithPatternAt(1000, 500);

        assertEquals(-1, RuntimeIntrinsics.indexOfBytes(buffer, 501, 1000, PATTERN), "starts before from");
        assertEquals(-1, RuntimeIntrinsics.indexOfBytes(buffer, 0, 500 + PATTERN.length - 1, PATTERN), "ends after end");
        assertEquals(500, RuntimeIntrinsics.indexOfBytes(buffer, 0, 500 + PATTERN.length, PATTERN));
    }

    @Test
    void partialMatchesDoNotCount() {
        Value buffer = bufferWithPatternAt(300_000, 150_000);
        Value bytes = runtime.eval("(buffer) => new Uint8Array(buffer)").execute(buffer);
        bytes.setArrayElement(150_000 + PATTERN.length - 1, (byte) 'X');

        assertEquals(-1, RuntimeIntrinsics.indexOfBytes(buffer, 0, 300_000, PATTERN));
    }
}
