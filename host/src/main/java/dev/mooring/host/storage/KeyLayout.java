package dev.mooring.host.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The layout of keys in the {@code kv} database, and how user keys longer than LMDB allows are
 * stored without breaking their order.
 *
 * <h2>Layout</h2>
 * Every LMDB key starts with a 37-byte header:
 * <pre>
 *   [namespace id: 4 bytes, big-endian][object id: 32 bytes][kind: 1 byte]
 * </pre>
 * Kind {@link #KIND_USER_DATA} (0) contains the object's {@code state.storage} entries and is the only
 * kind that {@code list()}, {@code deleteAll()} and every other user operation touches. Kind
 * {@link #KIND_USAGE} (1) is one entry, the header alone, holding the bytes the object stores (see
 * {@link StorageUsage}). Other kind values are reserved for per-object records such as alarms. Because the header is a
 * fixed-length prefix compared byte by byte, all entries of one object, and within it all entries
 * of one kind, are contiguous in LMDB's memcmp order.
 *
 * <h2>Long keys</h2>
 * LMDB keys are at most 511 bytes, so after the header a user key may use at most
 * {@value #BUCKET_PREFIX_LENGTH} bytes. Durable Object keys may be up to
 * {@value #MAX_USER_KEY_LENGTH} bytes. With the threshold {@code N = }{@value #BUCKET_PREFIX_LENGTH}:
 * <ul>
 *   <li>A user key shorter than {@code N} bytes is stored directly: LMDB key = header + user key.
 *   <li>A user key of {@code N} bytes or more goes into a <em>bucket</em>: one LMDB entry whose key
 *       is the header plus the first {@code N} bytes of the user key, and whose value is the
 *       sorted list of (rest of the key, value) pairs of every user key starting with those
 *       {@code N} bytes. A key of exactly {@code N} bytes has an empty rest. See {@link Bucket}.
 * </ul>
 * A direct key is shorter than {@code N} bytes and a bucket key is exactly {@code N} bytes long, so
 * the length of an entry's key tells which of the two it is.
 *
 * <h2>Why the order survives</h2>
 * Read the LMDB entries in memcmp order and expand each bucket in place into its pairs. The
 * resulting user keys come out in memcmp order of the full keys. Take two user keys {@code a} and
 * {@code b}:
 * <ul>
 *   <li>Both direct: their LMDB keys are the keys themselves.
 *   <li>{@code a} direct, {@code b} in the bucket {@code p = b[0, N)}: since {@code |a| < N}, the
 *       first difference between {@code a} and {@code b}, or the end of {@code a}, lies inside
 *       {@code p}. So {@code a} compares to {@code p} as it compares to {@code b}, and
 *       {@code a != p} because their lengths differ.
 *   <li>Both bucketed with different prefixes: the prefixes have equal length, so they differ at
 *       some position below {@code N}, and that position decides both comparisons.
 *   <li>Same bucket: the pairs are sorted by their rest, and keys with a common prefix compare as
 *       their rests do.
 * </ul>
 * The same argument gives the seek rule for ranges. Truncate a bound {@code s} to
 * {@code s' = s[0, min(|s|, N))}. Every entry whose LMDB key is below {@code s'} holds only user
 * keys below {@code s}, and every entry whose key is above {@code s'} holds only user keys above
 * {@code s}. Only the entry equal to {@code s'} (a bucket, or the direct key {@code s} itself) can
 * hold keys on both sides, so range scans seek to {@code s'} and filter the keys of that one entry.
 *
 * <h2>Choice of N</h2>
 * {@code N} is as large as LMDB allows (511 - 37 = 474), so that only keys of 474 bytes or more
 * ever share an entry. Typical keys (ids, timestamps, paths) are far shorter and stay direct. The
 * cost of a bucket is that a write to one of its keys rewrites the whole bucket, which matters only
 * when many long keys share their first 474 bytes.
 */
final class KeyLayout {

    static final int NAMESPACE_ID_LENGTH = 4;
    static final int OBJECT_ID_LENGTH = 32;
    static final int HEADER_LENGTH = NAMESPACE_ID_LENGTH + OBJECT_ID_LENGTH + 1;

    /** The kind byte of user data, the only kind that user operations see. */
    static final byte KIND_USER_DATA = 0;

    /** The kind byte of the object's usage record, whose LMDB key is the header alone. */
    static final byte KIND_USAGE = 1;

    /** LMDB's compile-time maximum key length in bytes (MDB_MAXKEYSIZE of the bundled build). */
    static final int MAX_LMDB_KEY_LENGTH = 511;

    /** The threshold N: user keys of this many bytes or more are stored in buckets. */
    static final int BUCKET_PREFIX_LENGTH = MAX_LMDB_KEY_LENGTH - HEADER_LENGTH;

    /** The maximum length of a user key in UTF-8 bytes, the Durable Objects key limit. */
    static final int MAX_USER_KEY_LENGTH = 2048;

    private KeyLayout() {
    }

    /** Returns the 37-byte header of one object's entries of the given kind. */
    static byte[] header(int namespaceId, byte[] objectId, byte kind) {
        checkObjectId(objectId);
        byte[] header = new byte[HEADER_LENGTH];
        writeNamespaceId(header, namespaceId);
        System.arraycopy(objectId, 0, header, NAMESPACE_ID_LENGTH, OBJECT_ID_LENGTH);
        header[HEADER_LENGTH - 1] = kind;
        return header;
    }

    /** Returns the 4-byte prefix shared by every entry of a namespace. */
    static byte[] namespacePrefix(int namespaceId) {
        byte[] prefix = new byte[NAMESPACE_ID_LENGTH];
        writeNamespaceId(prefix, namespaceId);
        return prefix;
    }

    private static void writeNamespaceId(byte[] target, int namespaceId) {
        target[0] = (byte) (namespaceId >>> 24);
        target[1] = (byte) (namespaceId >>> 16);
        target[2] = (byte) (namespaceId >>> 8);
        target[3] = (byte) namespaceId;
    }

    static void checkObjectId(byte[] objectId) {
        if (objectId == null || objectId.length != OBJECT_ID_LENGTH) {
            throw new IllegalArgumentException("Object id must be " + OBJECT_ID_LENGTH + " bytes, got "
                    + (objectId == null ? "null" : objectId.length + " bytes"));
        }
    }

    /** Returns whether a user key of {@code length} bytes is stored in a bucket. */
    static boolean isBucketed(int length) {
        return length >= BUCKET_PREFIX_LENGTH;
    }

    /**
     * Fills {@code target} with the LMDB key under which {@code userKey} is stored, or, for a range
     * bound, the key to seek to: the header plus at most the first N bytes of {@code userKey}.
     * The buffer is left ready to pass to lmdbjava (position 0, limit at the end of the key).
     */
    static ByteBuffer writeEntryKey(ByteBuffer target, byte[] header, byte[] userKey) {
        target.clear();
        target.put(header);
        target.put(userKey, 0, Math.min(userKey.length, BUCKET_PREFIX_LENGTH));
        return target.flip();
    }

    /** Fills {@code target} with {@code bytes}, ready to pass to lmdbjava. */
    static ByteBuffer write(ByteBuffer target, byte[] bytes) {
        target.clear();
        target.put(bytes);
        return target.flip();
    }

    /** Returns the part of {@code userKey} stored inside its bucket: everything after N bytes. */
    static byte[] bucketSuffix(byte[] userKey) {
        return Arrays.copyOfRange(userKey, BUCKET_PREFIX_LENGTH, userKey.length);
    }

    /** Returns whether {@code key} starts with {@code prefix}. */
    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Returns whether the bytes remaining in {@code key} start with {@code prefix}. */
    static boolean startsWith(ByteBuffer key, byte[] prefix) {
        if (key.remaining() < prefix.length) {
            return false;
        }
        int start = key.position();
        for (int i = 0; i < prefix.length; i++) {
            if (key.get(start + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Copies the bytes remaining in {@code buffer} without moving its position. */
    static byte[] copy(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(buffer.position(), bytes);
        return bytes;
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
