package dev.mooring.runtime.compression;

import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses with zlib's default level (6). For "gzip" it writes the header and trailer around
 * raw deflate data itself, because {@link Deflater} writes only the zlib format or raw data. The
 * header is the one zlib writes when it is given no file name or time, so for the same deflate
 * data the output equals zlib's.
 */
final class Compressor implements Codec {

    /** ID1, ID2, CM = deflate, no flags, MTIME = 0, XFL = 0 (default level), OS = 3 (Unix), as zlib writes it. */
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    private static final byte[] NOTHING = new byte[0];

    private final boolean gzip;
    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private long inputSize;
    /** The gzip header or trailer, from {@link #pendingOffset} on not yet written. */
    private byte[] pending;
    private int pendingOffset;
    private boolean trailerQueued;

    Compressor(CompressionFormat format) {
        this.gzip = format == CompressionFormat.GZIP;
        this.deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, format.nowrap());
        this.pending = gzip ? GZIP_HEADER : NOTHING;
    }

    @Override
    public void input(byte[] bytes) {
        deflater.setInput(bytes);
        if (gzip) {
            crc.update(bytes);
            inputSize += bytes.length;
        }
    }

    @Override
    public void endInput() {
        deflater.finish();
    }

    @Override
    public int output(byte[] out) {
        int written = 0;
        while (written < out.length) {
            if (pendingOffset < pending.length) {
                int length = Math.min(pending.length - pendingOffset, out.length - written);
                System.arraycopy(pending, pendingOffset, out, written, length);
                pendingOffset += length;
                written += length;
                continue;
            }
            int produced = deflater.deflate(out, written, out.length - written);
            written += produced;
            if (produced > 0) {
                continue;
            }
            if (gzip && deflater.finished() && !trailerQueued) {
                pending = trailer();
                pendingOffset = 0;
                trailerQueued = true;
                continue;
            }
            // The deflater holds back output until it has more input or is finished.
            break;
        }
        return written;
    }

    /** CRC-32 of the input, then its size modulo 2^32, both little-endian (RFC 1952, section 2.3.1). */
    private byte[] trailer() {
        byte[] trailer = new byte[8];
        putLittleEndian(trailer, 0, crc.getValue());
        putLittleEndian(trailer, 4, inputSize);
        return trailer;
    }

    private static void putLittleEndian(byte[] target, int offset, long value) {
        for (int i = 0; i < 4; i++) {
            target[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    @Override
    public void release() {
        deflater.end();
    }
}
