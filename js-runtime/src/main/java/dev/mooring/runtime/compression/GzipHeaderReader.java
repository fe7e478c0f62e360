package dev.mooring.runtime.compression;

import java.util.zip.CRC32;

/**
 * Reads the header of a gzip member (RFC 1952, section 2.3) one byte at a time, so the header may
 * be split across any number of inputs. It checks what zlib checks: the magic bytes, the deflate
 * method, that no reserved flag is set, and the header CRC when the FHCRC flag is set. It
 * skips the extra field, file name and comment.
 */
final class GzipHeaderReader {

    private static final int FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;
    private static final int RESERVED_FLAGS = 0xe0;
    /** ID1, ID2, CM, FLG, MTIME (4 bytes), XFL, OS. */
    private static final int FIXED_LENGTH = 10;

    private enum Part { FIXED, EXTRA_LENGTH, EXTRA, NAME, COMMENT, HEADER_CRC, DONE }

    private final CRC32 crc = new CRC32();
    private Part part = Part.FIXED;
    private int flags;
    /** Bytes read of the current part. */
    private int count;
    /** The little-endian number that the current part holds: XLEN, or the header CRC. */
    private int number;

    /**
     * Reads header bytes from {@code input[from, to)} and returns the offset after the last one it
     * read, which is {@code to} unless the header ends before.
     */
    int read(byte[] input, int from, int to) throws CompressionFailure {
        int offset = from;
        while (offset < to && part != Part.DONE) {
            int value = input[offset++] & 0xff;
            if (part != Part.HEADER_CRC) {
                crc.update(value);
            }
            switch (part) {
                case FIXED -> readFixed(value);
                case EXTRA_LENGTH -> {
                    if (addToNumber(value)) {
                        enter(number == 0 ? afterExtra() : Part.EXTRA);
                    }
                }
                case EXTRA -> {
                    if (++count == number) {
                        enter(afterExtra());
                    }
                }
                case NAME -> {
                    if (value == 0) {
                        enter(afterName());
                    }
                }
                case COMMENT -> {
                    if (value == 0) {
                        enter(afterComment());
                    }
                }
                case HEADER_CRC -> {
                    if (addToNumber(value)) {
                        if (number != (int) (crc.getValue() & 0xffff)) {
                            throw new CompressionFailure(CompressionFailure.CORRUPT);
                        }
                        enter(Part.DONE);
                    }
                }
                case DONE -> throw new IllegalStateException("The gzip header has ended");
            }
        }
        return offset;
    }

    /** Returns whether the whole header has been read. */
    boolean done() {
        return part == Part.DONE;
    }

    private void readFixed(int value) throws CompressionFailure {
        boolean valid = switch (count) {
            case 0 -> value == 0x1f;
            case 1 -> value == 0x8b;
            case 2 -> value == 8;
            case 3 -> (value & RESERVED_FLAGS) == 0;
            default -> true;
        };
        if (!valid) {
            throw new CompressionFailure(CompressionFailure.CORRUPT);
        }
        if (count == 3) {
            flags = value;
        }
        if (++count == FIXED_LENGTH) {
            enter((flags & FEXTRA) != 0 ? Part.EXTRA_LENGTH : afterExtra());
        }
    }

    /** Adds the next byte of a two-byte little-endian number; returns true when it has both. */
    private boolean addToNumber(int value) {
        number |= value << (8 * count);
        return ++count == 2;
    }

    private void enter(Part next) {
        part = next;
        count = 0;
        if (next != Part.EXTRA) {
            number = 0;
        }
    }

    private Part afterExtra() {
        return (flags & FNAME) != 0 ? Part.NAME : afterName();
    }

    private Part afterName() {
        return (flags & FCOMMENT) != 0 ? Part.COMMENT : afterComment();
    }

    private Part afterComment() {
        return (flags & FHCRC) != 0 ? Part.HEADER_CRC : Part.DONE;
    }
}
