package dev.mooring.runtime.compression;

/**
 * Compressed input that cannot be decompressed, to be raised in JS as a {@code TypeError} with
 * this message. The messages are workerd's.
 */
final class CompressionFailure extends Exception {

    static final String CORRUPT = "Decompression failed.";
    static final String TRAILING = "Trailing bytes after end of compressed data";
    static final String INCOMPLETE = "Called close() on a decompression stream with incomplete data";

    CompressionFailure(String message) {
        super(message, null, false, false);
    }
}
