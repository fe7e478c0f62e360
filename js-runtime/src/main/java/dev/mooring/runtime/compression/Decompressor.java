package dev.mooring.runtime.compression;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses one gzip member, one zlib stream or one raw deflate stream, as zlib's {@code
 * inflate} does with workerd's strict checks: input after the end of the compressed data is an
 * error, and so is input that ends before it. For "gzip" it reads the header and checks the
 * trailer's CRC-32 and size itself, around raw deflate data, because {@link Inflater} reads only
 * the zlib format or raw data. Each {@link #output} call inflates at most {@code out.length}
 * bytes, however much the input would expand to.
 */
final class Decompressor implements Codec {

    private static final byte[] NOTHING = new byte[0];
    private static final int TRAILER_LENGTH = 8;

    private enum Part { HEADER, BODY, TRAILER, END }

    private final boolean gzip;
    private final Inflater inflater;
    private final GzipHeaderReader header = new GzipHeaderReader();
    private final CRC32 crc = new CRC32();
    private long outputSize;
    private final byte[] trailer = new byte[TRAILER_LENGTH];
    private int trailerLength;
    private Part part;
    /** The current input, of which the part from {@link #inputOffset} on is unread unless the inflater has it. */
    private byte[] input = NOTHING;
    private int inputOffset;
    private boolean inputEnded;

    Decompressor(CompressionFormat format) {
        this.gzip = format == CompressionFormat.GZIP;
        this.inflater = new Inflater(format.nowrap());
        this.part = gzip ? Part.HEADER : Part.BODY;
    }

    @Override
    public void input(byte[] bytes) {
        input = bytes;
        inputOffset = 0;
        if (part == Part.BODY) {
            inflater.setInput(bytes);
        }
    }

    @Override
    public void endInput() {
        inputEnded = true;
    }

    @Override
    public int output(byte[] out) throws CompressionFailure {
        int written = 0;
        while (written < out.length) {
            switch (part) {
                case HEADER -> {
                    inputOffset = header.read(input, inputOffset, input.length);
                    if (!header.done()) {
                        return needInput(written);
                    }
                    part = Part.BODY;
                    inflater.setInput(input, inputOffset, input.length - inputOffset);
                }
                case BODY -> {
                    int produced = inflate(out, written);
                    written += produced;
                    if (inflater.finished()) {
                        inputOffset = input.length - inflater.getRemaining();
                        part = gzip ? Part.TRAILER : Part.END;
                    } else if (produced == 0) {
                        if (inflater.needsDictionary()) {
                            // A zlib stream compressed with a preset dictionary, which the standard has no way to give.
                            throw new CompressionFailure(CompressionFailure.CORRUPT);
                        }
                        return needInput(written);
                    }
                }
                case TRAILER -> {
                    int length = Math.min(TRAILER_LENGTH - trailerLength, input.length - inputOffset);
                    System.arraycopy(input, inputOffset, trailer, trailerLength, length);
                    trailerLength += length;
                    inputOffset += length;
                    if (trailerLength < TRAILER_LENGTH) {
                        return needInput(written);
                    }
                    checkTrailer();
                    part = Part.END;
                }
                case END -> {
                    if (inputOffset < input.length) {
                        throw new CompressionFailure(CompressionFailure.TRAILING);
                    }
                    return written;
                }
            }
        }
        return written;
    }

    private int inflate(byte[] out, int offset) throws CompressionFailure {
        int produced;
        try {
            produced = inflater.inflate(out, offset, out.length - offset);
        } catch (DataFormatException e) {
            throw new CompressionFailure(CompressionFailure.CORRUPT);
        }
        if (gzip) {
            crc.update(out, offset, produced);
            outputSize += produced;
        }
        return produced;
    }

    /** Returns {@code written} when more input may follow; fails when the input has ended. */
    private int needInput(int written) throws CompressionFailure {
        if (inputEnded) {
            throw new CompressionFailure(CompressionFailure.INCOMPLETE);
        }
        return written;
    }

    /** Checks the CRC-32 and the size modulo 2^32 of the output against the gzip trailer. */
    private void checkTrailer() throws CompressionFailure {
        if (littleEndian(0) != crc.getValue() || littleEndian(4) != (outputSize & 0xffff_ffffL)) {
            throw new CompressionFailure(CompressionFailure.CORRUPT);
        }
    }

    private long littleEndian(int offset) {
        long value = 0;
        for (int i = 3; i >= 0; i--) {
            value = (value << 8) | (trailer[offset + i] & 0xff);
        }
        return value;
    }

    @Override
    public void release() {
        inflater.end();
    }
}
