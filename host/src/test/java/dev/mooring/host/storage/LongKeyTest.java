package dev.mooring.host.storage;

import static dev.mooring.host.storage.StorageTesting.bytes;
import static dev.mooring.host.storage.StorageTesting.keys;
import static dev.mooring.host.storage.StorageTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Keys around and beyond the bucket threshold N (see {@link KeyLayout}): lengths N-1, N, N+1 and
 * 2048, many keys in one bucket, ranges that start, end or turn around inside buckets, and a
 * randomized comparison against an in-memory model.
 */
class LongKeyTest extends StoreTestBase {

    private static final int N = KeyLayout.BUCKET_PREFIX_LENGTH;
    private static final int OBJECT = 7;

    /** Returns {@code base} padded with 'p' (or cut) to {@code length} ASCII bytes, then {@code tail}. */
    private static String key(int length, String tail) {
        String base = "p".repeat(length);
        return base + tail;
    }

    @Test
    void thresholdIs474Bytes() {
        assertEquals(474, N);
    }

    @Test
    void keysAroundThresholdRoundTrip() {
        ObjectStorage storage = storage(OBJECT);
        List<String> keys = List.of(key(N - 1, ""), key(N, ""), key(N + 1, ""), key(2048, ""), key(N - 2, "z"));
        for (String key : keys) {
            storage.put(key, bytes("v" + Utf8.encode(key).length));
        }
        commit(storage);

        ObjectStorage fresh = storage(OBJECT);
        for (String key : keys) {
            assertEquals("v" + key.length(), text(fresh.get(key)), "length " + key.length());
        }
        // Shorter keys that are prefixes of longer ones sort first; "p...pz" sorts after all "p" keys.
        List<String> expected = List.of(key(N - 1, ""), key(N, ""), key(N + 1, ""), key(2048, ""), key(N - 2, "z"));
        assertEquals(expected, keys(fresh.list(ListOptions.all())));
        assertEquals(expected.reversed(), keys(fresh.list(new ListOptions(null, null, null, null, true, 0))));
    }

    @Test
    void rawKeyLengthsShowBuckets() {
        ObjectStorage storage = storage(OBJECT);
        storage.put(key(N - 1, ""), bytes("direct"));
        storage.put(key(N, ""), bytes("bucket"));
        storage.put(key(N + 1, ""), bytes("same bucket"));
        storage.put(key(2048, ""), bytes("same bucket too"));
        commit(storage);

        List<Integer> lengths = StorageTesting.rawKeyLengths(store, storage.namespaceId(), StorageTesting.objectId(OBJECT));
        assertEquals(List.of(KeyLayout.HEADER_LENGTH + N - 1, KeyLayout.MAX_LMDB_KEY_LENGTH), lengths);
    }

    @Test
    void keyOf2049BytesIsRejected() {
        ObjectStorage storage = storage(OBJECT);
        IllegalArgumentException thrown =
                assertThrows(IllegalArgumentException.class, () -> storage.put(key(2049, ""), bytes("x")));
        assertTrue(thrown.getMessage().contains("2049"), thrown.getMessage());
        // A multi-byte character that pushes the UTF-8 length over the limit counts too.
        assertThrows(IllegalArgumentException.class, () -> storage.get(key(2047, "\u00e9")));
    }

    @Test
    void manyKeysSharingLongPrefix() {
        ObjectStorage storage = storage(OBJECT);
        String shared = "s".repeat(600);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String key = shared + String.format("%03d", i);
            expected.add(key);
            storage.put(key, bytes(Integer.toString(i)));
        }
        commit(storage);
        ObjectStorage fresh = storage(OBJECT);

        assertEquals(expected, keys(fresh.list(ListOptions.all())));
        assertEquals(expected.subList(50, 60), keys(fresh.list(new ListOptions(expected.get(50), null, expected.get(60), null, false, 0))));
        assertEquals(expected.subList(51, 61).reversed(),
                keys(fresh.list(new ListOptions(null, expected.get(50), expected.get(61), null, true, 0))));
        assertEquals(expected.subList(195, 200).reversed(), keys(fresh.list(new ListOptions(null, null, null, shared, true, 5))));
        assertEquals(expected.subList(0, 3), keys(fresh.list(new ListOptions(null, null, null, shared + "00", false, 3))));
        assertEquals("123", text(fresh.get(expected.get(123))));
        assertEquals(1, StorageTesting.rawKeyLengths(store, fresh.namespaceId(), StorageTesting.objectId(OBJECT)).size());
    }

    @Test
    void reverseListingCrossesBucketsAndDirectKeys() {
        ObjectStorage storage = storage(OBJECT);
        List<String> expected = new ArrayList<>();
        for (char bucket = 'a'; bucket <= 'e'; bucket++) {
            String prefix = String.valueOf(bucket).repeat(N);
            expected.add(String.valueOf(bucket));              // direct, sorts before its bucket
            expected.add(prefix);                              // empty suffix
            expected.add(prefix + "1");
            expected.add(prefix + "2");
        }
        for (String key : expected) {
            storage.put(key, bytes(key.substring(0, 1)));
        }
        commit(storage);
        ObjectStorage fresh = storage(OBJECT);

        List<String> sorted = sortedByUtf8(expected);
        assertEquals(sorted.reversed(), keys(fresh.list(new ListOptions(null, null, null, null, true, 0))));
        assertEquals(sorted.reversed().subList(0, 6), keys(fresh.list(new ListOptions(null, null, null, null, true, 6))));

        // End inside the middle of bucket "c": only keys below it, descending.
        String end = "c".repeat(N) + "15";
        List<String> below = sorted.stream().filter(k -> Arrays.compareUnsigned(Utf8.encode(k), Utf8.encode(end)) < 0).toList();
        assertEquals(below.reversed(), keys(fresh.list(new ListOptions(null, null, end, null, true, 0))));
        // Start inside bucket "b", end exactly at bucket "d"'s prefix.
        String start = "b".repeat(N) + "1";
        String endAtPrefix = "d".repeat(N);
        List<String> between = sorted.stream()
                .filter(k -> Arrays.compareUnsigned(Utf8.encode(k), Utf8.encode(start)) >= 0)
                .filter(k -> Arrays.compareUnsigned(Utf8.encode(k), Utf8.encode(endAtPrefix)) < 0)
                .toList();
        assertEquals(between, keys(fresh.list(new ListOptions(start, null, endAtPrefix, null, false, 0))));
        assertEquals(between.reversed(), keys(fresh.list(new ListOptions(start, null, endAtPrefix, null, true, 0))));
    }

    @Test
    void deletingLastEntryOfBucketRemovesBucket() {
        ObjectStorage storage = storage(OBJECT);
        String first = key(N, "1");
        String second = key(N, "2");
        storage.put(first, bytes("1"));
        storage.put(second, bytes("2"));
        storage.put("short", bytes("s"));
        commit(storage);

        assertTrue(storage.delete(first));
        commit(storage);
        assertEquals(List.of(second, "short"), keys(storage(OBJECT).list(ListOptions.all())));

        assertTrue(storage.delete(second));
        assertFalse(storage.delete(second));
        commit(storage);

        ObjectStorage fresh = storage(OBJECT);
        assertNull(fresh.get(second));
        assertEquals(List.of("short"), keys(fresh.list(ListOptions.all())));
        assertEquals(List.of("short"), keys(fresh.list(new ListOptions(null, null, null, null, true, 0))));
        assertEquals(List.of(KeyLayout.HEADER_LENGTH + 5),
                StorageTesting.rawKeyLengths(store, fresh.namespaceId(), StorageTesting.objectId(OBJECT)));
    }

    @Test
    void deleteAllRemovesBuckets() {
        ObjectStorage storage = storage(OBJECT);
        storage.put(key(N, "1"), bytes("1"));
        storage.put(key(2000, ""), bytes("2"));
        storage.put("a", bytes("3"));
        commit(storage);

        storage.deleteAll();
        commit(storage);

        assertEquals(List.of(), storage(OBJECT).list(ListOptions.all()));
        assertEquals(List.of(), StorageTesting.rawKeyLengths(store, storage.namespaceId(), StorageTesting.objectId(OBJECT)));
    }

    @Test
    void multiByteCharacterSplitByThreshold() {
        ObjectStorage storage = storage(OBJECT);
        // The 2-byte character straddles the N-byte boundary, so the bucket prefix ends mid-character.
        String straddling = key(N - 1, "\u00e9x");
        String before = key(N - 1, "");
        String after = key(N - 1, "\u00ff");
        storage.put(after, bytes("after"));
        storage.put(straddling, bytes("straddling"));
        storage.put(before, bytes("before"));
        commit(storage);

        ObjectStorage fresh = storage(OBJECT);
        assertEquals(List.of(before, straddling, after), keys(fresh.list(ListOptions.all())));
        assertEquals("straddling", text(fresh.get(straddling)));
        assertEquals(List.of(straddling), keys(fresh.list(new ListOptions(null, null, null, key(N - 1, "\u00e9"), false, 0))));
    }

    /**
     * Applies random puts, deletes, deleteAlls and commits to keys clustered around the threshold,
     * and compares get and list results with a sorted in-memory model. Lists run through the
     * writing storage (overlay plus LMDB) and, after each commit, through a fresh storage (LMDB
     * only).
     */
    @Test
    void randomOperationsMatchModel() {
        Random random = new Random(20261204);
        List<String> pool = keyPool();
        TreeMap<byte[], String> model = new TreeMap<>(Arrays::compareUnsigned);
        ObjectStorage storage = storage(OBJECT);

        for (int step = 0; step < 1500; step++) {
            int action = random.nextInt(100);
            String key = pool.get(random.nextInt(pool.size()));
            if (action < 45) {
                String value = "v" + step;
                storage.put(key, bytes(value));
                model.put(Utf8.encode(key), value);
            } else if (action < 58) {
                boolean existed = model.remove(Utf8.encode(key)) != null;
                assertEquals(existed, storage.delete(key), "delete " + describe(key) + " at step " + step);
            } else if (action < 65) {
                // Three keys drawn with replacement, so a key may repeat and count only once.
                List<String> batch = List.of(key, pool.get(random.nextInt(pool.size())), pool.get(random.nextInt(pool.size())));
                int existed = 0;
                for (String deleted : batch) {
                    existed += model.remove(Utf8.encode(deleted)) != null ? 1 : 0;
                }
                assertEquals(existed, storage.delete(batch), "delete of three keys at step " + step);
            } else if (action < 66) {
                storage.deleteAll();
                model.clear();
            } else if (action < 76) {
                commit(storage);
                assertEquals(0, storage.overlaySize(), "overlay after commit at step " + step);
                checkList(storage(OBJECT), model, randomOptions(random, pool), step);
            } else if (action < 81) {
                String expected = model.get(Utf8.encode(key));
                assertEquals(expected, text(storage.get(key)), "get " + describe(key) + " at step " + step);
            } else if (action < 86) {
                List<String> requested = List.of(key, pool.get(random.nextInt(pool.size())), pool.get(random.nextInt(pool.size())));
                TreeMap<byte[], String> expected = new TreeMap<>(Arrays::compareUnsigned);
                for (String requestedKey : requested) {
                    String value = model.get(Utf8.encode(requestedKey));
                    if (value != null) {
                        expected.put(Utf8.encode(requestedKey), value);
                    }
                }
                List<Entry> found = storage.get(requested);
                assertEquals(expected.keySet().stream().map(Utf8::decode).toList(), keys(found), "get of three keys at step " + step);
                assertEquals(List.copyOf(expected.values()), StorageTesting.values(found), "values of three keys at step " + step);
            } else {
                checkList(storage, model, randomOptions(random, pool), step);
            }
        }
        commit(storage);
        checkList(storage(OBJECT), model, ListOptions.all(), -1);
    }

    private static void checkList(ObjectStorage storage, TreeMap<byte[], String> model, ListOptions options, int step) {
        List<String> expected = new ArrayList<>();
        List<String> expectedValues = new ArrayList<>();
        Iterable<Map.Entry<byte[], String>> ordered = options.reverse() ? model.descendingMap().entrySet() : model.entrySet();
        for (Map.Entry<byte[], String> entry : ordered) {
            if (selects(options, entry.getKey()) && (options.limit() == 0 || expected.size() < options.limit())) {
                expected.add(Utf8.decode(entry.getKey()));
                expectedValues.add(entry.getValue());
            }
        }
        List<Entry> actual = storage.list(options);
        assertEquals(expected, keys(actual), () -> "list " + describe(options) + " at step " + step);
        assertEquals(expectedValues, StorageTesting.values(actual), () -> "values of " + describe(options) + " at step " + step);
    }

    /** Returns whether {@code options} select {@code key}, using a filter instead of the range arithmetic under test. */
    private static boolean selects(ListOptions options, byte[] key) {
        if (options.start() != null && Arrays.compareUnsigned(key, Utf8.encode(options.start())) < 0) {
            return false;
        }
        if (options.startAfter() != null && Arrays.compareUnsigned(key, Utf8.encode(options.startAfter())) <= 0) {
            return false;
        }
        if (options.end() != null && Arrays.compareUnsigned(key, Utf8.encode(options.end())) >= 0) {
            return false;
        }
        return options.prefix() == null || KeyLayout.startsWith(key, Utf8.encode(options.prefix()));
    }

    private static ListOptions randomOptions(Random random, List<String> pool) {
        String start = null;
        String startAfter = null;
        if (random.nextInt(3) == 0) {
            start = boundary(random, pool);
        } else if (random.nextInt(3) == 0) {
            startAfter = boundary(random, pool);
        }
        String end = random.nextInt(3) == 0 ? boundary(random, pool) : null;
        String prefix = random.nextInt(4) == 0 ? boundary(random, pool) : null;
        int limit = random.nextInt(3) == 0 ? 1 + random.nextInt(6) : 0;
        return new ListOptions(start, startAfter, end, prefix, random.nextBoolean(), limit);
    }

    /** Returns a range bound: a pool key, possibly cut short or extended, so bounds fall inside buckets. */
    private static String boundary(Random random, List<String> pool) {
        String key = pool.get(random.nextInt(pool.size()));
        return switch (random.nextInt(4)) {
            case 0 -> key;
            case 1 -> key.substring(0, random.nextInt(key.length() + 1));
            case 2 -> key + "\0";
            default -> key + "m";
        };
    }

    /** Keys that share long runs of 'k' ending just below, at and above N, with varied tails. */
    private static List<String> keyPool() {
        List<String> pool = new ArrayList<>();
        String[] tails = {"", "a", "b", "ab", "\u00e9", "\uFFFF", "\uD800\uDC00", "\0", "z"};
        int[] lengths = {0, 5, N - 3, N - 2, N - 1, N, N + 1, N + 40, 2040};
        for (int length : lengths) {
            for (String tail : tails) {
                pool.add("k".repeat(length) + tail);
            }
        }
        pool.add("j");
        pool.add("l");
        return pool;
    }

    private static List<String> sortedByUtf8(List<String> keys) {
        return keys.stream().sorted((a, b) -> Arrays.compareUnsigned(Utf8.encode(a), Utf8.encode(b))).toList();
    }

    private static String describe(String key) {
        return key.length() > 12 ? "'" + key.substring(0, 4) + "...' (" + key.length() + " chars, tail '"
                + key.substring(key.length() - 2) + "')" : "'" + key + "'";
    }

    private static String describe(ListOptions options) {
        return "[start=" + (options.start() == null ? null : describe(options.start()))
                + ", startAfter=" + (options.startAfter() == null ? null : describe(options.startAfter()))
                + ", end=" + (options.end() == null ? null : describe(options.end()))
                + ", prefix=" + (options.prefix() == null ? null : describe(options.prefix()))
                + ", reverse=" + options.reverse() + ", limit=" + options.limit() + "]";
    }
}
