package dev.mooring.host.logging;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Admits at most one log line a minute per key, such as blocked requests of one script to one
 * host, and counts the lines it leaves out, so that the next admitted line can report them.
 *
 * <p>Thread-safe. The table of keys is cleared when it contains {@value #MAX_KEYS} of them, which
 * keeps it bounded at the cost of an early line for a key seen again.
 */
public final class RepeatLimiter {

    /** Minimum time between two admitted lines of one key. */
    private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Keys tracked at once. */
    private static final int MAX_KEYS = 1024;

    private final Map<String, long[]> lastLogged = new ConcurrentHashMap<>();

    /** Returns how many lines of {@code key} were left out since its last one, or empty when this one is left out. */
    public OptionalLong admit(String key) {
        long now = System.nanoTime();
        if (lastLogged.size() >= MAX_KEYS) {
            lastLogged.clear();
        }
        // state[0]: when the key was last logged; state[1]: lines since then, not logged.
        long[] state = lastLogged.computeIfAbsent(key, ignored -> new long[] {now - INTERVAL_NANOS, 0});
        synchronized (state) {
            if (now - state[0] < INTERVAL_NANOS) {
                state[1]++;
                return OptionalLong.empty();
            }
            long suppressed = state[1];
            state[0] = now;
            state[1] = 0;
            return OptionalLong.of(suppressed);
        }
    }
}
