package dev.mooring.host.storage;

/**
 * A write was rejected because it would take an object's or a script's stored bytes past its
 * quota. Nothing of the write was applied, and the storage stays usable: smaller writes and
 * deletes still work.
 */
public final class StorageQuotaExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The quota that the write would have broken. */
    public enum Scope {
        /** The bytes one object stores. */
        OBJECT,
        /** The bytes all objects of one script store together. */
        SCRIPT
    }

    private final Scope scope;
    private final long limitBytes;
    private final long resultingBytes;

    StorageQuotaExceededException(Scope scope, long limitBytes, long resultingBytes) {
        super("Storage quota exceeded: the write would raise the " + (scope == Scope.OBJECT ? "object's" : "script's")
                + " stored bytes to " + resultingBytes + ", over its quota of " + limitBytes + " bytes; nothing was written");
        this.scope = scope;
        this.limitBytes = limitBytes;
        this.resultingBytes = resultingBytes;
    }

    public Scope scope() {
        return scope;
    }

    public long limitBytes() {
        return limitBytes;
    }

    /** Returns the stored bytes the write would have led to: keys and values, counted as {@link StorageQuota} counts them. */
    public long resultingBytes() {
        return resultingBytes;
    }
}
