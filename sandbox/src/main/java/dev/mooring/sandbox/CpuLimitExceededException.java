package dev.mooring.sandbox;

/** Guest code used more CPU time than one event may; the watchdog stopped it. */
public final class CpuLimitExceededException extends RuntimeException {

    private final long limitNanos;

    CpuLimitExceededException(long limitNanos) {
        super("Exceeded the CPU time limit of " + limitNanos / 1_000_000 + " ms for one event");
        this.limitNanos = limitNanos;
    }

    public long limitNanos() {
        return limitNanos;
    }
}
