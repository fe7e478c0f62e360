package dev.mooring.host.objects;

import dev.mooring.host.config.HostOptions;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The number of one script's objects in memory over all its shards, and the limit on it.
 *
 * <p>Shards report every actor they create and drop. When a new actor takes the count past the
 * limit, its shard evicts its own least recently used quiet objects first. If that is not enough,
 * it calls {@link #stillOverLimit}, which posts the same eviction to every other shard, one round
 * at a time. An object that is not quiet (events running or queued, timers, writes in flight, or
 * WebSockets open through accept()) is never evicted for the limit. When nothing more can be
 * evicted the script stays over the limit, and the log says so once, until the count is back
 * within the limit.
 *
 * <p>Thread-safe: shards call it from their own loops.
 */
final class LiveObjects {

    private static final Logger log = LoggerFactory.getLogger(LiveObjects.class);

    private final String scriptName;
    private final int limit;
    private final List<Shard> shards;
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicBoolean roundRunning = new AtomicBoolean();
    private final AtomicBoolean warned = new AtomicBoolean();

    /** @param shards the script's shards; read when a round starts, after the script has started */
    LiveObjects(String scriptName, int limit, List<Shard> shards) {
        this.scriptName = scriptName;
        this.limit = limit;
        this.shards = shards;
    }

    int limit() {
        return limit;
    }

    /** Returns how many objects the script has in memory beyond its limit, zero or less when within it. */
    int excess() {
        return count.get() - limit;
    }

    /** Returns how many objects of the script are in memory. */
    int count() {
        return count.get();
    }

    void added() {
        count.incrementAndGet();
    }

    void removed(int objects) {
        if (objects > 0 && count.addAndGet(-objects) <= limit) {
            warned.set(false);
        }
    }

    /**
     * Called by {@code origin} on its loop when it evicted what it could and the script is still
     * over the limit. Posts to the other shards an eviction of their least recently used quiet objects.
     */
    void stillOverLimit(Shard origin) {
        if (excess() <= 0) {
            return;
        }
        List<Shard> others = shards.stream().filter(shard -> shard != origin).toList();
        if (others.isEmpty()) {
            warnOnce();
            return;
        }
        if (!roundRunning.compareAndSet(false, true)) {
            return;
        }
        AtomicInteger remaining = new AtomicInteger(others.size());
        for (Shard shard : others) {
            Runnable evict = () -> {
                try {
                    shard.evictForLimit(null);
                } finally {
                    roundEnded(remaining);
                }
            };
            try {
                shard.loop().execute(evict);
            } catch (RejectedExecutionException stopping) {
                roundEnded(remaining);
            }
        }
    }

    private void roundEnded(AtomicInteger remaining) {
        if (remaining.decrementAndGet() == 0) {
            roundRunning.set(false);
            if (excess() > 0) {
                warnOnce();
            }
        }
    }

    private void warnOnce() {
        if (warned.compareAndSet(false, true)) {
            log.warn("Script {} has {} Durable Objects in memory, over its limit of {} ({}), and none of the others can be"
                    + " evicted now: each has events running or queued, timers, writes in flight or WebSockets open"
                    + " through accept(). Continuing over the limit.", scriptName, count.get(), limit,
                    HostOptions.MAX_LIVE_OBJECTS.name());
        }
    }
}
