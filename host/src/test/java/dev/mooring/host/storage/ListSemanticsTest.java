package dev.mooring.host.storage;

import static dev.mooring.host.storage.StorageTesting.bytes;
import static dev.mooring.host.storage.StorageTesting.keys;
import static dev.mooring.host.storage.StorageTesting.text;
import static dev.mooring.host.storage.StorageTesting.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The list(), get() and delete() cases of the Durable Objects behaviour list, each run against
 * keys that are only in the overlay, only in LMDB, and split between the two.
 */
class ListSemanticsTest extends StoreTestBase {

    enum Mode {
        /** Nothing committed: every key is a pending write. */
        OVERLAY,
        /** Everything committed, read through a fresh storage with an empty overlay. */
        STORED,
        /** Every other key committed, the rest pending. */
        MIXED
    }

    private int nextObject = 1;

    /** Stores {@code keys}, each with the value "v:" + key, as {@code mode} specifies. */
    private ObjectStorage storageWith(Mode mode, String... keys) {
        int seed = nextObject++;
        ObjectStorage storage = storage(seed);
        for (int i = 0; i < keys.length; i++) {
            if (mode == Mode.OVERLAY || mode == Mode.STORED || i % 2 == 0) {
                storage.put(keys[i], bytes("v:" + keys[i]));
            }
        }
        if (mode == Mode.OVERLAY) {
            return storage;
        }
        commit(storage);
        assertEquals(0, storage.overlaySize(), "overlay after the commit completed");
        if (mode == Mode.STORED) {
            return storage(seed);
        }
        for (int i = 1; i < keys.length; i += 2) {
            storage.put(keys[i], bytes("v:" + keys[i]));
        }
        return storage;
    }

    private static ListOptions reverse(int limit) {
        return new ListOptions(null, null, null, null, true, limit);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void reverseWithLimitTakesLargestKeys(Mode mode) {
        ObjectStorage storage = storageWith(mode, "a", "b", "c");

        List<Entry> listed = storage.list(reverse(2));

        assertEquals(List.of("c", "b"), keys(listed));
        assertEquals(List.of("v:c", "v:b"), values(listed));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void startInclusiveEndExclusive(Mode mode) {
        ObjectStorage storage = storageWith(mode, "a", "b", "c", "d");

        assertEquals(List.of("b", "c"), keys(storage.list(new ListOptions("b", null, "d", null, false, 0))));
        assertEquals(List.of("c", "b"), keys(storage.list(new ListOptions("b", null, "d", null, true, 0))));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void startAfterIsExclusive(Mode mode) {
        ObjectStorage storage = storageWith(mode, "a", "b", "c", "d");

        assertEquals(List.of("c", "d"), keys(storage.list(new ListOptions(null, "b", null, null, false, 0))));
        assertEquals(List.of("d", "c"), keys(storage.list(new ListOptions(null, "b", null, null, true, 0))));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void endAtOrBelowStartIsEmpty(Mode mode) {
        ObjectStorage storage = storageWith(mode, "a", "b", "c", "d");

        assertEquals(List.of(), storage.list(new ListOptions("c", null, "b", null, false, 0)));
        assertEquals(List.of(), storage.list(new ListOptions("b", null, "b", null, true, 0)));
    }

    @Test
    void invalidOptionCombinationsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ListOptions("a", "b", null, null, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new ListOptions(null, null, null, null, false, -1));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void prefixSelectsOnlyMatchingKeys(Mode mode) {
        ObjectStorage storage = storageWith(mode, "u", "user:1", "user:2", "userx");

        assertEquals(List.of("user:1", "user:2"), keys(storage.list(new ListOptions(null, null, null, "user:", false, 0))));
        assertEquals(List.of("user:2"), keys(storage.list(new ListOptions(null, null, null, "user:", true, 1))));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void prefixCombinesWithStartAndEnd(Mode mode) {
        ObjectStorage storage = storageWith(mode, "user:1", "user:2", "user:3", "user:4", "users");

        assertEquals(List.of("user:2", "user:3"),
                keys(storage.list(new ListOptions("user:2", null, "user:4", "user:", false, 0))));
        assertEquals(List.of(), keys(storage.list(new ListOptions("v", null, null, "user:", false, 0))));
        assertEquals(List.of(), keys(storage.list(new ListOptions(null, null, "user", "user:", false, 0))));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void keysSortByUtf8Bytes(Mode mode) {
        ObjectStorage storage = storageWith(mode, "\uD800\uDC00", "a", "\uFFFF");

        assertEquals(List.of("a", "\uFFFF", "\uD800\uDC00"), keys(storage.list(ListOptions.all())));
        assertEquals(List.of("\uD800\uDC00", "\uFFFF", "a"), keys(storage.list(reverse(0))));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void emptyStringIsSmallestKey(Mode mode) {
        ObjectStorage storage = storageWith(mode, "a", "", "\0");

        assertEquals(List.of("", "\0", "a"), keys(storage.list(ListOptions.all())));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void getManyReturnsFoundKeysSorted(Mode mode) {
        ObjectStorage storage = storageWith(mode, "a", "b");

        List<Entry> found = storage.get(List.of("b", "zz", "a", "b"));

        assertEquals(List.of("a", "b"), keys(found));
        assertEquals(List.of("v:a", "v:b"), values(found));
        assertNull(storage.get("zz"));
        assertEquals("v:a", text(storage.get("a")));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void deleteReportsWhetherKeysExisted(Mode mode) {
        ObjectStorage storage = storageWith(mode, "a", "b", "c");

        assertTrue(storage.delete("a"));
        assertFalse(storage.delete("a"));
        assertEquals(2, storage.delete(List.of("a", "b", "c")));
        assertEquals(List.of(), storage.list(ListOptions.all()));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void deleteOfRepeatedKeyCountsOnce(Mode mode) {
        ObjectStorage storage = storageWith(mode, "a");

        assertEquals(1, storage.delete(List.of("a", "a")));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void pendingDeletesHideStoredKeysInList(Mode mode) {
        ObjectStorage storage = storageWith(mode, "a", "b", "c", "d", "e");
        storage.delete("b");
        storage.delete("e");

        assertEquals(List.of("a", "c", "d"), keys(storage.list(ListOptions.all())));
        assertEquals(List.of("d", "c"), keys(storage.list(reverse(2))));
        assertEquals(List.of("c", "d"), keys(storage.list(new ListOptions(null, "a", null, null, false, 2))));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void pendingPutOverridesStoredValue(Mode mode) {
        ObjectStorage storage = storageWith(mode, "a", "b");
        storage.put("a", bytes("new"));

        assertEquals(List.of("new", "v:b"), values(storage.list(ListOptions.all())));
        assertEquals("new", text(storage.get("a")));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void limitAboveCountReturnsAll(Mode mode) {
        String[] keys = new String[300];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = String.format("k%04d", i);
        }
        ObjectStorage storage = storageWith(mode, keys);

        assertEquals(300, storage.list(new ListOptions(null, null, null, null, false, 1000)).size());
        List<Entry> lastTen = storage.list(reverse(10));
        assertEquals("k0299", lastTen.get(0).key());
        assertEquals("k0290", lastTen.get(9).key());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void listDoesNotSeeOtherObjects(Mode mode) {
        ObjectStorage neighbour = storageWith(mode, "a", "z");
        ObjectStorage storage = storageWith(mode, "m");

        assertEquals(List.of("m"), keys(storage.list(ListOptions.all())));
        assertEquals(List.of("m"), keys(storage.list(reverse(0))));
        assertEquals(List.of("a", "z"), keys(neighbour.list(ListOptions.all())));
    }
}
