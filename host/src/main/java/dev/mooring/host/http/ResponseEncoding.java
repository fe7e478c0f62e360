package dev.mooring.host.http;

import dev.mooring.runtime.fetch.ResponseData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The Content-Encoding the host applies to a response body on its way to an HTTP client, as
 * workerd does: a script writes the plain body and names a coding in Content-Encoding, and the
 * runtime compresses.
 *
 * <p>The rule, from workerd's {@code getContentEncoding} (src/workerd/api/system-streams.c++): the
 * host gzips the body when the header's whole value is exactly {@code gzip} and the response was
 * not created with {@code encodeBody: "manual"}. Any other value, {@code "GZIP"} or
 * {@code "gzip, br"} among them, leaves the body as written. workerd also encodes {@code br} when
 * the compatibility flag {@code brotli_content_encoding} is on (from 2024-04-29); the JDK has no
 * Brotli encoder, so Mooring sends a {@code br} body as written, as workerd does with that flag off.
 *
 * <p>An encoded response loses the script's Content-Length, which counts the plain bytes. A whole
 * body gets the length of its compressed bytes, and a streamed one goes out chunked.
 */
final class ResponseEncoding {

    private ResponseEncoding() {}

    /** Returns whether the host must gzip {@code response}'s body, which may be null for a streamed head. */
    static boolean gzips(ResponseData response) {
        return !response.manualEncoding() && "gzip".equals(response.header("content-encoding"));
    }

    /** Returns {@code headers}, a flat name-value list, without its Content-Length entries. */
    static List<String> withoutContentLength(List<String> headers) {
        List<String> result = new ArrayList<>(headers.size());
        for (int i = 0; i < headers.size(); i += 2) {
            if (!headers.get(i).equalsIgnoreCase("content-length")) {
                result.add(headers.get(i));
                result.add(headers.get(i + 1));
            }
        }
        return result;
    }

    /** Returns {@code body} compressed into one gzip member. */
    static byte[] gzip(byte[] body) {
        GzipChunks encoder = new GzipChunks();
        byte[] head = encoder.encode(body);
        byte[] tail = encoder.finish();
        byte[] result = new byte[head.length + tail.length];
        System.arraycopy(head, 0, result, 0, head.length);
        System.arraycopy(tail, 0, result, head.length, tail.length);
        return result;
    }

    /**
     * Compresses a streamed body chunk by chunk into one gzip member. Each chunk's output ends with
     * a sync flush, so a client can decode everything sent so far: a server-sent event or a
     * progress line arrives when the script writes it, at some cost in compression.
     *
     * <p>Threads: confined to the thread that sends the response.
     */
    static final class GzipChunks {

        private final ByteArrayOutputStream output = new ByteArrayOutputStream();
        private final GZIPOutputStream gzip;

        GzipChunks() {
            try {
                gzip = new GZIPOutputStream(output, true);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
            }
        }

        /** Returns the compressed bytes for {@code chunk}; the first call's include the gzip header. */
        byte[] encode(byte[] chunk) {
            try {
                gzip.write(chunk);
                gzip.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return take();
        }

        /** Returns the last compressed bytes and the gzip trailer, and frees the deflater. */
        byte[] finish() {
            try {
                gzip.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return take();
        }

        private byte[] take() {
            byte[] bytes = output.toByteArray();
            output.reset();
            return bytes;
        }
    }
}
