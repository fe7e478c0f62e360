package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A compressible test text and the gzip checks of the tests that send it through the host. The
 * JDK's HTTP client does not decompress, so a test reads the bytes that went over the wire.
 */
final class GzipText {

    private GzipText() {}

    /** Returns {@code count} numbered lines ("line N: the quick brown fox"), as the scripts build them. */
    static byte[] lines(int count) {
        StringBuilder text = new StringBuilder();
        for (int line = 0; line < count; line++) {
            text.append("line ").append(line).append(": the quick brown fox\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Returns {@code bytes} compressed into one gzip member. */
    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
            out.write(bytes);
        }
        return compressed.toByteArray();
    }

    /**
     * Checks that {@code response} is a 200 labelled gzip whose body is {@code text} compressed
     * exactly once: at most a quarter of its size, and equal to it once decoded.
     */
    static void assertGzipOf(byte[] text, HttpResponse<byte[]> response) throws IOException {
        assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
        assertEquals("gzip", response.headers().firstValue("content-encoding").orElse(""));
        byte[] compressed = response.body();
        assertTrue(compressed.length < text.length / 4, () -> compressed.length + " bytes for " + text.length);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            assertArrayEquals(text, in.readAllBytes());
        }
    }
}
