package dev.mooring.host.egress;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * Decodes the gzip body of a response to {@code fetch()}, as workerd does for a Content-Encoding
 * of exactly {@code gzip}, within the same size limit as the body on the wire. A small body can
 * inflate to gigabytes (a "zip bomb"), so decoding stops as soon as the output passes the limit,
 * and at most the limit's worth of output is kept in memory.
 */
final class GzipBody {

    private static final int PIECE_BYTES = 64 << 10;

    private GzipBody() {}

    /**
     * Returns {@code compressed} decoded.
     *
     * @param tooLarge makes the error for output over {@code maxBytes}
     * @param invalid makes the error for data that is not gzip, from the decoder's message
     * @throws EgressException from {@code tooLarge} or {@code invalid}
     */
    static byte[] decode(byte[] compressed, long maxBytes, Supplier<EgressException> tooLarge,
            Function<String, EgressException> invalid) {
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        byte[] piece = new byte[PIECE_BYTES];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), PIECE_BYTES)) {
            int read;
            while ((read = in.read(piece)) != -1) {
                if ((long) decoded.size() + read > maxBytes) {
                    throw tooLarge.get();
                }
                decoded.write(piece, 0, read);
            }
        } catch (IOException e) {
            throw invalid.apply(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return decoded.toByteArray();
    }
}
