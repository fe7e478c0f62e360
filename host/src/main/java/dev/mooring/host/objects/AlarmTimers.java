package dev.mooring.host.objects;

import dev.mooring.host.config.Values;
import dev.mooring.sandbox.EventLoop;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarms of one shard's objects, each waiting as a timer on the shard's event loop.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>At most one pending alarm per object. An alarm the object commits replaces the one
 *       pending, and a deletion it commits cancels it. Both arrive only once durable.
 *   <li>At least once. When a run fails (the handler throws, the constructor throws, or the object
 *       is reset), the same alarm runs again after {@link #RETRY_START}, doubling each time, plus
 *       up to a quarter more at random, at most {@link #MAX_RETRIES} times, as in workerd. A run
 *       that fails after the object set a new alarm is not retried: the new alarm takes its place.
 *   <li>An alarm given up, after its retries or because its handler called {@code ctx.abort()}
 *       with {@code retryAlarm: false}, is deleted from storage so that it does not run again after
 *       a restart. An alarm that the object set again meanwhile stays.
 * </ul>
 *
 * <h2>Threads</h2>
 * Loop-confined: every method runs on the shard's loop, and so do the outcomes the objects report.
 * Times are wall-clock milliseconds since the epoch, as the guest's {@code Date.now()} gives them.
 */
final class AlarmTimers {

    private static final Logger log = LoggerFactory.getLogger(AlarmTimers.class);

    /** The number of times a failed alarm runs again before it is given up, as in workerd. */
    static final int MAX_RETRIES = 6;

    /** The delay before the first retry; each later retry waits twice as long. */
    static final Duration RETRY_START = Duration.ofSeconds(2);

    /** The maximum delay of one loop timer. An alarm further ahead sets a new timer when it ends. */
    static final long MAX_TIMER_NANOS = TimeUnit.DAYS.toNanos(365);

    private final Shard shard;
    private final Map<ObjectKey, Pending> pending = new HashMap<>();
    private boolean stopped;

    AlarmTimers(Shard shard) {
        this.shard = shard;
    }

    /** Schedules an object's alarm for {@code scheduledTime}, replacing the one pending. */
    void schedule(ObjectKey key, String name, long scheduledTime) {
        if (stopped) {
            return;
        }
        cancel(key);
        Pending alarm = new Pending(key, name, scheduledTime, 0);
        pending.put(key, alarm);
        alarm.startTimer(TimeUnit.MILLISECONDS.toNanos(scheduledTime - System.currentTimeMillis()));
    }

    /** Cancels an object's pending alarm, if it has one. */
    void cancel(ObjectKey key) {
        Pending alarm = pending.remove(key);
        if (alarm != null) {
            alarm.cancelTimer();
        }
    }

    /** Cancels every pending alarm and schedules no more, when the shard closes or a new version takes over. */
    void stop() {
        stopped = true;
        List.copyOf(pending.values()).forEach(Pending::cancelTimer);
        pending.clear();
    }

    /** Returns the delay before retry number {@code retryCount + 1}: 2 s, 4 s, 8 s and so on, plus up to 25% jitter. */
    static long retryDelayNanos(int retryCount) {
        long base = RETRY_START.toNanos() << Math.min(retryCount, 9);
        return base + ThreadLocalRandom.current().nextLong(base / 4 + 1);
    }

    /** One run of an object's alarm, from its timer to the outcome its object reports. */
    private final class Pending implements AlarmEvent.Outcome {
        private final ObjectKey key;
        private final String name;
        private final long scheduledTime;
        private final int retryCount;
        private EventLoop.Timer timer;

        Pending(ObjectKey key, String name, long scheduledTime, int retryCount) {
            this.key = key;
            this.name = name;
            this.scheduledTime = scheduledTime;
            this.retryCount = retryCount;
        }

        /** Names the object for the operator: its class, ID prefix and, for an ID made from a name, the name. */
        private String describe() {
            return name == null ? key.describe() : key.describe() + " (\"" + name + "\")";
        }

        /**
         * Starts the timer. A wait longer than {@link #MAX_TIMER_NANOS} is made of several, so that
         * the loop's deadline cannot overflow.
         */
        void startTimer(long delayNanos) {
            boolean partial = delayNanos > MAX_TIMER_NANOS;
            timer = shard.loop().schedule(Math.max(0, Math.min(delayNanos, MAX_TIMER_NANOS)), partial ? this::waitMore : this::fire);
        }

        private void waitMore() {
            if (pending.get(key) == this) {
                startTimer(TimeUnit.MILLISECONDS.toNanos(scheduledTime - System.currentTimeMillis()));
            }
        }

        void cancelTimer() {
            if (timer != null) {
                timer.cancel();
            }
        }

        private void fire() {
            timer = null;
            if (pending.get(key) == this) {
                shard.deliverAlarm(key, name, new AlarmEvent(scheduledTime, retryCount, this));
            }
        }

        @Override
        public void succeeded(boolean handled) {
            if (pending.get(key) == this) {
                pending.remove(key);
            }
            if (!handled) {
                log.warn("Dropped the alarm of {} in script {}: its class has no alarm() handler. Add one, or delete the alarm"
                        + " with deleteAlarm()", describe(), shard.scriptName());
            }
        }

        @Override
        public void failed(String reason) {
            if (stopped || pending.get(key) != this) {
                return;
            }
            if (retryCount >= MAX_RETRIES) {
                pending.remove(key);
                giveUp(reason);
                return;
            }
            long delay = retryDelayNanos(retryCount);
            log.info("The alarm of {} in script {} failed ({}); running it again in {}", describe(), shard.scriptName(),
                    reason, Values.format(Duration.ofNanos(delay)));
            Pending retry = new Pending(key, name, scheduledTime, retryCount + 1);
            pending.put(key, retry);
            retry.startTimer(delay);
        }

        @Override
        public void abandoned(String reason) {
            if (pending.get(key) != this) {
                return;
            }
            pending.remove(key);
            log.info("Gave up the alarm of {} in script {} without a retry: {}", describe(), shard.scriptName(), reason);
            deleteStored();
        }

        private void giveUp(String reason) {
            log.warn("Gave up the alarm of {} in script {} after {} failed runs; the last failure: {}", describe(),
                    shard.scriptName(), MAX_RETRIES + 1, reason);
            deleteStored();
        }

        private void deleteStored() {
            shard.runtime().store().deleteAlarmIfAt(key.namespace().storageNamespaceId(), key.id().bytes(), scheduledTime)
                    .whenComplete((deleted, failure) -> {
                        if (failure != null) {
                            log.error("Deleting the alarm of {} that was given up failed; it runs again after a restart",
                                    describe(), failure);
                        }
                    });
        }
    }
}
