package dev.mooring.runtime.compression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.runtime.RuntimeIntrinsics;
import dev.mooring.runtime.RuntimeTestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code CompressionStream} writes, other zlib readers read, and what other writers write,
 * {@code DecompressionStream} reads: the JDK's own streams, and the {@code gzip} command, whose
 * deflate implementation is not zlib's. The input is 1 MB of text, which spans many deflate blocks
 * and output pieces.
 */
class CompressionInteropTest {

    private static final byte[] TEXT = text();

    /** Runs a format, then the bytes, through a stream and returns what comes out as an ArrayBuffer. */
    private static final String TRANSFORM = """
            (streamClass, format, input) => {
              const bytes = new Uint8Array(input).slice();
              const stream = new globalThis[streamClass](format);
              const writer = stream.writable.getWriter();
              // Writes in pieces of 10,000 bytes, so the chunk boundaries fall anywhere in the data.
              for (let offset = 0; offset < bytes.length; offset += 10000) {
                writer.write(bytes.subarray(offset, offset + 10000));
              }
              writer.close();
              return new Response(stream.readable).arrayBuffer();
            }
            """;

    private RuntimeTestContext runtime;

    @BeforeEach
    void createRuntime() {
        runtime = RuntimeTestContext.create();
    }

    @AfterEach
    void closeRuntime() {
        runtime.close();
    }

    private byte[] transform(String streamClass, String format, byte[] input) {
        Value result = runtime.await(runtime.eval(TRANSFORM).execute(streamClass, format, RuntimeIntrinsics.bufferFor(input)));
        return RuntimeIntrinsics.bytesOf(result);
    }

    private byte[] compress(String format, byte[] input) {
        return transform("CompressionStream", format, input);
    }

    private byte[] decompress(String format, byte[] input) {
        return transform("DecompressionStream", format, input);
    }

    @Test
    void gzipOutputReadsWithGzipInputStream() throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compress("gzip", TEXT)))) {
            assertArrayEquals(TEXT, in.readAllBytes());
        }
    }

    @Test
    void gzipOutputReadsWithGzipCommand() throws Exception {
        assertArrayEquals(TEXT, runGzip(compress("gzip", TEXT), "-d", "-c"));
    }

    @Test
    void deflateOutputReadsWithInflaterInputStream() throws IOException {
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(compress("deflate", TEXT)))) {
            assertArrayEquals(TEXT, in.readAllBytes());
        }
    }

    @Test
    void deflateRawOutputReadsWithRawInflater() throws IOException {
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(compress("deflate-raw", TEXT)), new Inflater(true))) {
            assertArrayEquals(TEXT, in.readAllBytes());
        }
    }

    @Test
    void gzipOutputStreamOutputDecompresses() throws IOException {
        // GZIPOutputStream writes OS = 255 (unknown) in its header, where zlib writes 3.
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
            out.write(TEXT);
        }
        assertArrayEquals(TEXT, decompress("gzip", compressed.toByteArray()));
    }

    @Test
    void gzipCommandOutputDecompresses() throws Exception {
        assertArrayEquals(TEXT, decompress("gzip", runGzip(TEXT, "-c", "-9")));
    }

    @Test
    void deflaterOutputDecompresses() throws IOException {
        for (boolean raw : new boolean[] {false, true}) {
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            try (DeflaterOutputStream out = new DeflaterOutputStream(compressed, new Deflater(Deflater.BEST_SPEED, raw))) {
                out.write(TEXT);
            }
            assertArrayEquals(TEXT, decompress(raw ? "deflate-raw" : "deflate", compressed.toByteArray()));
        }
    }

    @Test
    void compressionIsSmallerThanInput() {
        byte[] compressed = compress("gzip", TEXT);
        assertEquals(0x1f, compressed[0]);
        assertEquals(0x8b, compressed[1] & 0xff);
        // Numbered lines of the same words: zlib's level 6 makes them several times smaller.
        assertTrue(compressed.length < TEXT.length / 4, () -> compressed.length + " bytes");
    }

    /** Runs the {@code gzip} command on {@code input} and returns its standard output. */
    private static byte[] runGzip(byte[] input, String... arguments) throws Exception {
        String[] command = new String[arguments.length + 1];
        command[0] = "gzip";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new AssertionError("This test needs the gzip command on the PATH (Debian: apt-get install gzip)", e);
        }
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = process.getInputStream()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try (var stdin = process.getOutputStream()) {
            stdin.write(input);
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "gzip did not finish within 60 s");
        assertEquals(0, process.exitValue(), "gzip exit status");
        return output.get(60, TimeUnit.SECONDS);
    }

    private static byte[] text() {
        StringBuilder text = new StringBuilder();
        for (int line = 0; text.length() < 1_000_000; line++) {
            text.append("line ").append(line).append(": the quick brown fox jumps over the lazy dog\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
