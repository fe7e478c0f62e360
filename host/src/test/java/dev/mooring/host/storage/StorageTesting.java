package dev.mooring.host.storage;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Helpers shared by the storage tests. */
final class StorageTesting {

    private StorageTesting() {
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Returns a 32-byte object id whose bytes all derive from {@code seed}. */
    static byte[] objectId(int seed) {
        byte[] id = new byte[32];
        for (int i = 0; i < id.length; i++) {
            id[i] = (byte) (seed * 31 + i * 7);
        }
        id[0] = (byte) seed;
        id[1] = (byte) (seed >>> 8);
        return id;
    }

    static List<String> keys(List<Entry> entries) {
        return entries.stream().map(Entry::key).toList();
    }

    static List<String> values(List<Entry> entries) {
        return entries.stream().map(entry -> text(entry.value())).toList();
    }

    static Entry entry(String key, String value) {
        return new Entry(key, bytes(value));
    }
}
