package dev.mooring.host.storage;

import java.util.Arrays;

/**
 * The options of {@code state.storage.list()}, with workerd's semantics. Absent options are null,
 * and a {@code limit} of 0 means no limit.
 *
 * <ul>
 *   <li>{@code start} is inclusive. {@code startAfter} is exclusive: it means
 *       {@code start = startAfter + "\0"}. They cannot be combined.
 *   <li>{@code end} is exclusive. When {@code end <= start} the result is empty.
 *   <li>{@code prefix} narrows the range to the keys that start with it. An empty prefix is
 *       ignored.
 *   <li>{@code reverse} walks the same range from its top, so {@code limit} keeps the largest
 *       keys.
 * </ul>
 * All comparisons are between UTF-8 encodings, byte by byte.
 *
 * <p>The JS layer reports invalid combinations as TypeErrors with workerd's messages. This record
 * rejects them as well, with IllegalArgumentException, so that no caller can bypass the check.
 */
public record ListOptions(String start, String startAfter, String end, String prefix, boolean reverse, int limit) {

    private static final ListOptions ALL = new ListOptions(null, null, null, null, false, 0);

    public ListOptions {
        if (start != null && startAfter != null) {
            throw new IllegalArgumentException("list() cannot be called with both start (" + start
                    + ") and startAfter (" + startAfter + "); pass only one of them");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("List limit must be positive, or 0 for no limit; got " + limit);
        }
    }

    /** Returns options that list every key in ascending order. */
    public static ListOptions all() {
        return ALL;
    }

    /** The half-open range {@code [low, high)} of UTF-8 keys, where a null {@code high} means unbounded. */
    record ByteRange(byte[] low, byte[] high) {

        boolean contains(byte[] key) {
            return Arrays.compareUnsigned(key, low) >= 0 && (high == null || Arrays.compareUnsigned(key, high) < 0);
        }
    }

    /** Returns the key range these options select, or null when it is empty. */
    ByteRange byteRange() {
        byte[] low;
        if (start != null) {
            low = Utf8.encode(start);
        } else if (startAfter != null) {
            byte[] after = Utf8.encode(startAfter);
            low = Arrays.copyOf(after, after.length + 1);
        } else {
            low = new byte[0];
        }
        byte[] high = end == null ? null : Utf8.encode(end);

        if (prefix != null && !prefix.isEmpty()) {
            byte[] prefixBytes = Utf8.encode(prefix);
            if (Arrays.compareUnsigned(low, prefixBytes) < 0) {
                low = prefixBytes;
            }
            byte[] successor = successor(prefixBytes);
            if (successor != null && (high == null || Arrays.compareUnsigned(successor, high) < 0)) {
                high = successor;
            }
        }

        if (high != null && Arrays.compareUnsigned(high, low) <= 0) {
            return null;
        }
        return new ByteRange(low, high);
    }

    /**
     * Returns the smallest byte string greater than every string that starts with {@code prefix}:
     * trailing 0xFF bytes are dropped and the last remaining byte is incremented. Returns null when
     * no such string exists (the prefix is all 0xFF).
     */
    static byte[] successor(byte[] prefix) {
        int end = prefix.length;
        while (end > 0 && prefix[end - 1] == (byte) 0xFF) {
            end--;
        }
        if (end == 0) {
            return null;
        }
        byte[] successor = Arrays.copyOf(prefix, end);
        successor[end - 1]++;
        return successor;
    }
}
