package dev.mooring.sandbox;

/**
 * Guest code allocated more heap in one event than its account allows; the watchdog stopped it.
 * Allocation counts every byte the loop thread allocated for the event, garbage included.
 */
public final class AllocationLimitExceededException extends RuntimeException {

    private final long limitBytes;
    private final long allocatedBytes;

    AllocationLimitExceededException(long limitBytes, long allocatedBytes) {
        super("Exceeded the allocation limit of " + mebibytes(limitBytes) + " for one event; it had allocated "
                + mebibytes(allocatedBytes) + " when it was stopped");
        this.limitBytes = limitBytes;
        this.allocatedBytes = allocatedBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }

    /** Bytes the event had allocated when it stopped; more than the limit by what was allocated until the stop took effect. */
    public long allocatedBytes() {
        return allocatedBytes;
    }

    /** Formats a byte count as MiB, for messages. */
    public static String mebibytes(long bytes) {
        return (bytes + (1 << 19)) / (1 << 20) + " MiB";
    }
}
