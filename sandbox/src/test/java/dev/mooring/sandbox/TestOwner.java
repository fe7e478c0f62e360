package dev.mooring.sandbox;

import java.util.ArrayList;
import java.util.List;

/** A task owner for tests: counts its timers and runs them at once. Loop-confined. */
final class TestOwner implements GuestTaskOwner {

    private final EventAccount account;
    int activeTimers;
    final List<Throwable> timerFailures = new ArrayList<>();

    TestOwner(long cpuLimitMillis, long allocationLimitBytes) {
        this.account = new EventAccount(cpuLimitMillis * 1_000_000, allocationLimitBytes);
    }

    TestOwner(long cpuLimitMillis) {
        this(cpuLimitMillis, EventAccount.UNLIMITED_ALLOCATION);
    }

    TestOwner() {
        this(30_000);
    }

    @Override
    public EventAccount account() {
        return account;
    }

    @Override
    public String describe() {
        return "test-owner";
    }

    @Override
    public Object timerScheduled() {
        activeTimers++;
        return null;
    }

    @Override
    public void timerEnded() {
        activeTimers--;
    }

    @Override
    public void runTimer(ScriptContext context, Object tag, Runnable fire) {
        try {
            context.call(this, () -> {
                fire.run();
                return null;
            });
        } catch (RuntimeException e) {
            timerFailures.add(e);
        }
    }
}
