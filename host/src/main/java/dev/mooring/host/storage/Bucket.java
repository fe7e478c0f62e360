package dev.mooring.host.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The value of a bucket entry: the (suffix, value) pairs of every user key that shares one
 * N-byte prefix, sorted by suffix in unsigned byte order. {@link KeyLayout} explains when keys go
 * into buckets. Instances are immutable, so {@link #with} and {@link #without} return new buckets.
 *
 * <p>Encoding, all integers big-endian:
 * <pre>
 *   [format: 1 byte = 1][pair count: 4 bytes]
 *   then per pair: [suffix length: 2 bytes][suffix][value length: 4 bytes][value]
 * </pre>
 */
final class Bucket {

    static final Bucket EMPTY = new Bucket(new byte[0][], new byte[0][]);

    private static final byte FORMAT = 1;

    private final byte[][] suffixes;
    private final byte[][] values;

    private Bucket(byte[][] suffixes, byte[][] values) {
        this.suffixes = suffixes;
        this.values = values;
    }

    /**
     * Decodes an encoded bucket.
     *
     * @throws IllegalStateException if the bytes are not a bucket of this format, which means the
     *     database is corrupt or was written by an incompatible version
     */
    static Bucket decode(byte[] encoded) {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        try {
            byte format = in.get();
            if (format != FORMAT) {
                throw new IllegalStateException("Unknown bucket format " + format + "; expected " + FORMAT);
            }
            int count = in.getInt();
            byte[][] suffixes = new byte[count][];
            byte[][] values = new byte[count][];
            for (int i = 0; i < count; i++) {
                suffixes[i] = new byte[Short.toUnsignedInt(in.getShort())];
                in.get(suffixes[i]);
                values[i] = new byte[in.getInt()];
                in.get(values[i]);
            }
            if (in.hasRemaining()) {
                throw new IllegalStateException(in.remaining() + " trailing bytes after " + count + " bucket pairs");
            }
            return new Bucket(suffixes, values);
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException) {
                throw e;
            }
            throw new IllegalStateException("Corrupt bucket of " + encoded.length + " bytes", e);
        }
    }

    /**
     * Returns the bytes that the keys and values of an encoded bucket add up to: for each pair, the
     * shared prefix, the suffix and the value. Reads the lengths in place, without copying.
     *
     * @throws IllegalStateException if the bytes are not a bucket of this format
     */
    static long userBytes(ByteBuffer encoded, int prefixLength) {
        int at = encoded.position();
        if (encoded.get(at) != FORMAT) {
            throw new IllegalStateException("Unknown bucket format " + encoded.get(at) + "; expected " + FORMAT);
        }
        int count = bigEndianInt(encoded, at + 1);
        at += 5;
        long total = 0;
        for (int i = 0; i < count; i++) {
            int suffixLength = (encoded.get(at) & 0xFF) << 8 | (encoded.get(at + 1) & 0xFF);
            at += 2 + suffixLength;
            int valueLength = bigEndianInt(encoded, at);
            at += 4 + valueLength;
            total += prefixLength + suffixLength + valueLength;
        }
        return total;
    }

    /** Reads a big-endian int at {@code offset}, whatever byte order lmdbjava gave the buffer. */
    private static int bigEndianInt(ByteBuffer buffer, int offset) {
        return (buffer.get(offset) & 0xFF) << 24 | (buffer.get(offset + 1) & 0xFF) << 16
                | (buffer.get(offset + 2) & 0xFF) << 8 | (buffer.get(offset + 3) & 0xFF);
    }

    /** Returns the number of bytes {@link #encodeInto} writes. */
    int encodedLength() {
        int length = 1 + 4;
        for (int i = 0; i < suffixes.length; i++) {
            length += 2 + suffixes[i].length + 4 + values[i].length;
        }
        return length;
    }

    /** Writes the encoding into {@code target} from its position on. */
    void encodeInto(ByteBuffer target) {
        target.put(FORMAT);
        target.putInt(suffixes.length);
        for (int i = 0; i < suffixes.length; i++) {
            target.putShort((short) suffixes[i].length);
            target.put(suffixes[i]);
            target.putInt(values[i].length);
            target.put(values[i]);
        }
    }

    byte[] encode() {
        ByteBuffer target = ByteBuffer.allocate(encodedLength());
        encodeInto(target);
        return target.array();
    }

    int size() {
        return suffixes.length;
    }

    boolean isEmpty() {
        return suffixes.length == 0;
    }

    byte[] suffix(int index) {
        return suffixes[index];
    }

    byte[] value(int index) {
        return values[index];
    }

    /** Returns the value stored under {@code suffix}, or null. */
    byte[] get(byte[] suffix) {
        int index = indexOf(suffix);
        return index >= 0 ? values[index] : null;
    }

    /** Returns a bucket in which {@code suffix} maps to {@code value}. */
    Bucket with(byte[] suffix, byte[] value) {
        if (suffix.length > 0xFFFF) {
            throw new IllegalArgumentException("Bucket suffix of " + suffix.length + " bytes exceeds 65535 bytes");
        }
        int index = indexOf(suffix);
        if (index >= 0) {
            byte[][] newValues = values.clone();
            newValues[index] = value;
            return new Bucket(suffixes, newValues);
        }
        int insertAt = -index - 1;
        return new Bucket(inserted(suffixes, insertAt, suffix), inserted(values, insertAt, value));
    }

    /** Returns a bucket without {@code suffix}, or this bucket if it has no such suffix. */
    Bucket without(byte[] suffix) {
        int index = indexOf(suffix);
        if (index < 0) {
            return this;
        }
        return new Bucket(removed(suffixes, index), removed(values, index));
    }

    /** Binary search: the index of {@code suffix}, or {@code -(insertion point) - 1}. */
    int indexOf(byte[] suffix) {
        int low = 0;
        int high = suffixes.length - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int order = Arrays.compareUnsigned(suffixes[middle], suffix);
            if (order < 0) {
                low = middle + 1;
            } else if (order > 0) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -(low + 1);
    }

    private static byte[][] inserted(byte[][] array, int index, byte[] element) {
        byte[][] result = new byte[array.length + 1][];
        System.arraycopy(array, 0, result, 0, index);
        result[index] = element;
        System.arraycopy(array, index, result, index + 1, array.length - index);
        return result;
    }

    private static byte[][] removed(byte[][] array, int index) {
        byte[][] result = new byte[array.length - 1][];
        System.arraycopy(array, 0, result, 0, index);
        System.arraycopy(array, index + 1, result, index, array.length - index - 1);
        return result;
    }
}
