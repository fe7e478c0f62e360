package dev.mooring.sandbox;

/**
 * CPU time charged to one event of guest code, across every task it runs (its first call and
 * each continuation after an await). Owners reset it when a new event arrives, the way Workers
 * reset the CPU budget for each incoming request or message. Confined to one event loop.
 */
public final class CpuAccount {

    private final long limitNanos;
    private long usedNanos;

    /** @param limitNanos CPU time an event may use before it is stopped; must be positive */
    public CpuAccount(long limitNanos) {
        if (limitNanos <= 0) {
            throw new IllegalArgumentException("CPU limit must be positive, got " + limitNanos + " ns");
        }
        this.limitNanos = limitNanos;
    }

    public long limitNanos() {
        return limitNanos;
    }

    public long usedNanos() {
        return usedNanos;
    }

    /** Starts a new event: forgets the CPU time used so far. */
    public void reset() {
        usedNanos = 0;
    }

    long remainingNanos() {
        return limitNanos - usedNanos;
    }

    void charge(long nanos) {
        usedNanos += nanos;
    }
}
