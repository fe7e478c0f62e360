package dev.mooring.host.storage;

import java.util.Collection;

/**
 * The storage quotas of one script: the bytes one object may store, and the bytes all objects of
 * the script's namespaces may store together. Stored bytes are the UTF-8 length of each key plus
 * the length of its stored value; LMDB's own overhead is not counted.
 *
 * <p>A write that makes an object store more is rejected, before anything is applied, when the
 * object's bytes would pass the object quota or the script's bytes would pass the script quota.
 * A write that does not add bytes (a delete, or a value replaced by one no larger) is always
 * allowed, so an object at its quota can still clean up.
 *
 * <p>The object's bytes are exact, its uncommitted writes included. The script's bytes are the
 * committed bytes of its namespaces plus the checking object's uncommitted writes. NOTE: other
 * objects' writes count only once committed (within milliseconds), so objects writing at the same
 * moment can together pass the script quota by what they have in flight.
 *
 * <p>Immutable and thread-safe; shared by the storages of one script's objects.
 */
public final class StorageQuota {

    /** No quota: writes are never checked and usage is not tracked. */
    public static final StorageQuota UNLIMITED = new StorageQuota(Long.MAX_VALUE, Long.MAX_VALUE, java.util.List.of(), null);

    private final long maxObjectBytes;
    private final long maxScriptBytes;
    private final int[] namespaceIds;
    private final StorageUsage usage;

    StorageQuota(long maxObjectBytes, long maxScriptBytes, Collection<Integer> namespaceIds, StorageUsage usage) {
        if (maxObjectBytes <= 0 || maxScriptBytes <= 0) {
            throw new IllegalArgumentException("Storage quotas must be positive, got " + maxObjectBytes + " bytes per object and "
                    + maxScriptBytes + " bytes per script");
        }
        this.maxObjectBytes = maxObjectBytes;
        this.maxScriptBytes = maxScriptBytes;
        this.namespaceIds = namespaceIds.stream().mapToInt(Integer::intValue).distinct().toArray();
        this.usage = usage;
    }

    public long maxObjectBytes() {
        return maxObjectBytes;
    }

    public long maxScriptBytes() {
        return maxScriptBytes;
    }

    /** Returns whether writes are checked at all. */
    boolean isEnforced() {
        return maxObjectBytes != Long.MAX_VALUE || maxScriptBytes != Long.MAX_VALUE;
    }

    /** Returns the bytes the script's objects store as of the last commit. */
    public long committedScriptBytes() {
        long total = 0;
        for (int namespaceId : namespaceIds) {
            total += usage.committedNamespaceBytes(namespaceId);
        }
        return total;
    }

    /**
     * Checks a write that changes an object's bytes by {@code delta}.
     *
     * @param objectBytes the object's bytes before the write, its uncommitted writes included
     * @param objectCommittedBytes the object's bytes as of its last commit; read before this call
     *     reads the namespace totals, which the writer publishes first
     * @throws StorageQuotaExceededException when the write adds bytes and breaks a quota
     */
    void check(long objectBytes, long objectCommittedBytes, long delta) {
        if (delta <= 0) {
            return;
        }
        if (objectBytes + delta > maxObjectBytes) {
            throw new StorageQuotaExceededException(StorageQuotaExceededException.Scope.OBJECT, maxObjectBytes, objectBytes + delta);
        }
        if (maxScriptBytes == Long.MAX_VALUE) {
            return;
        }
        long scriptBytes = committedScriptBytes() + (objectBytes - objectCommittedBytes) + delta;
        if (scriptBytes > maxScriptBytes) {
            throw new StorageQuotaExceededException(StorageQuotaExceededException.Scope.SCRIPT, maxScriptBytes, scriptBytes);
        }
    }
}
