package dev.mooring.host.objects;

/**
 * One Durable Object class of a script: where its objects' IDs come from, where their storage
 * lives, and the storage limits its backend imposes.
 *
 * @param className the exported class that implements the objects
 * @param identity derives and checks the namespace's object IDs
 * @param storageNamespaceId the namespace's prefix in the LMDB key space
 * @param limits value and batch limits for {@code state.storage}
 */
public record ObjectNamespace(String className, NamespaceIdentity identity, int storageNamespaceId, StorageLimits limits) {

    /**
     * Storage limits of a class's backend. Classes created with {@code new_classes} get the
     * key-value backend's limits (128 KiB values, 128 keys per call), classes created with
     * {@code new_sqlite_classes} the SQLite backend's (values up to 2 MiB, no key count limit).
     *
     * @param maxValueBytes largest serialized value
     * @param maxKeysPerCall most keys in one multi-key get, put or delete; 0 for no limit
     */
    public record StorageLimits(int maxValueBytes, int maxKeysPerCall) {
        public static final StorageLimits KEY_VALUE = new StorageLimits(131_072, 128);
        public static final StorageLimits SQLITE = new StorageLimits(2 * 1024 * 1024, 0);
    }
}
