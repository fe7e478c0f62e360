package dev.mooring.sandbox;

/**
 * The CPU time, the heap allocation and the outgoing calls charged to one event of guest code,
 * across every task it runs (its first call and each continuation after an await). Owners reset
 * it when a new event arrives, the way Workers reset the CPU budget for each incoming request or
 * message. Confined to one event loop.
 */
public final class EventAccount {

    /** Allocation limit that never stops an event. */
    public static final long UNLIMITED_ALLOCATION = Long.MAX_VALUE;

    private final long cpuLimitNanos;
    private final long allocationLimitBytes;
    private long cpuUsedNanos;
    private long allocatedBytes;
    private boolean demotedFromStart;
    private int outboundFetches;
    private int stubCalls;

    /**
     * @param cpuLimitNanos CPU time an event may use before it is stopped; must be positive
     * @param allocationLimitBytes heap bytes an event may allocate, garbage included, before it is
     *     stopped; must be positive, {@link #UNLIMITED_ALLOCATION} for no limit
     */
    public EventAccount(long cpuLimitNanos, long allocationLimitBytes) {
        if (cpuLimitNanos <= 0) {
            throw new IllegalArgumentException("CPU limit must be positive, got " + cpuLimitNanos + " ns");
        }
        if (allocationLimitBytes <= 0) {
            throw new IllegalArgumentException("Allocation limit must be positive, got " + allocationLimitBytes + " bytes");
        }
        this.cpuLimitNanos = cpuLimitNanos;
        this.allocationLimitBytes = allocationLimitBytes;
    }

    /** Creates an account with a CPU limit and no allocation limit. */
    public EventAccount(long cpuLimitNanos) {
        this(cpuLimitNanos, UNLIMITED_ALLOCATION);
    }

    public long cpuLimitNanos() {
        return cpuLimitNanos;
    }

    public long cpuUsedNanos() {
        return cpuUsedNanos;
    }

    public long allocationLimitBytes() {
        return allocationLimitBytes;
    }

    /** Heap bytes allocated by the event's guest code so far, as the loop thread's allocation counter saw them. */
    public long allocatedBytes() {
        return allocatedBytes;
    }

    /** Makes every run charged to this account start at idle priority (see {@link ThreadPriority}). */
    public void demoteFromStart() {
        demotedFromStart = true;
    }

    boolean demotedFromStart() {
        return demotedFromStart;
    }

    /** Counts one {@code fetch()} of the event and returns false, counting nothing, once {@code limit} were made. */
    public boolean countOutboundFetch(int limit) {
        if (outboundFetches >= limit) {
            return false;
        }
        outboundFetches++;
        return true;
    }

    /** Counts one call through a Durable Object stub and returns false, counting nothing, once {@code limit} were made. */
    public boolean countStubCall(int limit) {
        if (stubCalls >= limit) {
            return false;
        }
        stubCalls++;
        return true;
    }

    /** Starts a new event: resets the CPU time used, the bytes allocated and the calls counted to zero. */
    public void reset() {
        cpuUsedNanos = 0;
        allocatedBytes = 0;
        outboundFetches = 0;
        stubCalls = 0;
    }

    long remainingCpuNanos() {
        return cpuLimitNanos - cpuUsedNanos;
    }

    /** Bytes left before the limit, or {@link #UNLIMITED_ALLOCATION}. */
    long remainingAllocationBytes() {
        if (allocationLimitBytes == UNLIMITED_ALLOCATION) {
            return UNLIMITED_ALLOCATION;
        }
        return allocationLimitBytes - allocatedBytes;
    }

    void charge(long cpuNanos, long bytes) {
        cpuUsedNanos += cpuNanos;
        allocatedBytes += bytes;
    }
}
