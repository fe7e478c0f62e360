package dev.mooring.sandbox;

import java.util.ArrayList;
import java.util.List;

/** A task owner for tests: counts its timers and runs them at once. Loop-confined. */
final class TestOwner implements GuestTaskOwner {

    private final CpuAccount cpu;
    int activeTimers;
    final List<Throwable> timerFailures = new ArrayList<>();

    TestOwner(long cpuLimitMillis) {
        this.cpu = new CpuAccount(cpuLimitMillis * 1_000_000);
    }

    TestOwner() {
        this(30_000);
    }

    @Override
    public CpuAccount cpu() {
        return cpu;
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
