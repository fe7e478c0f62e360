package dev.mooring.host.storage;

import dev.mooring.host.logging.ObjectLabels;

/**
 * A write batch could not be made durable. The object that wrote it is broken from then on: its
 * {@link ObjectStorage} rejects every call, and the owner must reset the object (discard its
 * in-memory state and held outputs, then start a fresh instance from committed data).
 */
public final class CommitFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int namespaceId;
    private final String objectIdHex;
    private final long sequence;

    CommitFailedException(WriteBatch batch, String reason, Throwable cause) {
        super("Commit of write batch " + batch.sequence() + " of object " + ObjectLabels.shortId(batch.objectIdHex())
                + " in namespace " + batch.namespaceId() + " failed: " + reason, cause);
        this.namespaceId = batch.namespaceId();
        this.objectIdHex = batch.objectIdHex();
        this.sequence = batch.sequence();
    }

    public int namespaceId() {
        return namespaceId;
    }

    public String objectIdHex() {
        return objectIdHex;
    }

    /** Returns the sequence number of the failed batch within its object. */
    public long sequence() {
        return sequence;
    }
}
