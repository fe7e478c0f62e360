package dev.mooring.host.storage;

import static dev.mooring.host.storage.StorageTesting.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An object's alarm is stored with its writes, atomically, outside the keys that list() returns.
 * A starting script finds the alarms of a namespace without reading the objects' data.
 */
class AlarmStorageTest extends StoreTestBase {

    @Test
    void alarmReadsTheSameBeforeAndAfterCommit() throws Exception {
        ObjectStorage storage = storage(1);
        assertNull(storage.getAlarm());

        storage.setAlarm(1_800_000_000_000L, "room-a");
        storage.put("k", bytes("v"));
        assertEquals(1_800_000_000_000L, storage.getAlarm());
        assertEquals(new WriteBatch.SetAlarm(1_800_000_000_000L, "room-a"), storage.turnAlarmChange());
        commit(storage);

        assertEquals(1_800_000_000_000L, storage(1).getAlarm());
        assertEquals(List.of("k"), StorageTesting.keys(storage(1).list(ListOptions.all())), "the alarm is not a user key");
        reopen();
        assertEquals(1_800_000_000_000L, storage(1).getAlarm());
    }

    @Test
    void namespaceAlarmsListEveryObjectWithItsName() {
        storage(1).setAlarm(5L, "first");
        ObjectStorage second = storage(2);
        second.setAlarm(7L, null);
        commit(second);
        ObjectStorage first = storage(1);
        first.setAlarm(5L, "first");
        commit(first);

        List<StoredAlarm> alarms = store.alarmsOf(store.namespaceId("test:Namespace"));
        assertEquals(2, alarms.size());
        StoredAlarm forFirst = alarms.stream().filter(alarm -> alarm.scheduledTime() == 5L).findFirst().orElseThrow();
        assertArrayEquals(StorageTesting.objectId(1), forFirst.objectId());
        assertEquals("first", forFirst.objectName());
        assertNull(alarms.stream().filter(alarm -> alarm.scheduledTime() == 7L).findFirst().orElseThrow().objectName());
        assertEquals(List.of(), store.alarmsOf(store.namespaceId("test:Other")));
    }

    @Test
    void deleteAllAlsoDeletesTheAlarm() {
        ObjectStorage storage = storage(1);
        storage.setAlarm(9L, null);
        storage.put("k", bytes("v"));
        commit(storage);

        storage.deleteAll();
        assertNull(storage.getAlarm());
        commit(storage);
        assertNull(storage(1).getAlarm());
    }

    @Test
    void deleteAlarmIfAtKeepsANewerAlarm() {
        ObjectStorage storage = storage(1);
        storage.setAlarm(10L, null);
        commit(storage);
        int namespace = store.namespaceId("test:Namespace");

        assertFalse(store.deleteAlarmIfAt(namespace, StorageTesting.objectId(1), 11L).join());
        assertEquals(10L, storage(1).getAlarm());
        assertTrue(store.deleteAlarmIfAt(namespace, StorageTesting.objectId(1), 10L).join());
        assertNull(storage(1).getAlarm());
    }

    @Test
    void deletingTheNamespaceDeletesItsAlarms() {
        ObjectStorage storage = storage(1);
        storage.setAlarm(10L, null);
        commit(storage);
        int namespace = store.namespaceId("test:Namespace");

        store.deleteNamespace("test:Namespace").join();

        assertEquals(List.of(), store.alarmsOf(namespace));
    }
}
