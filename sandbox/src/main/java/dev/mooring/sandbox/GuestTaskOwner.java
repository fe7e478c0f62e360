package dev.mooring.sandbox;

/**
 * Whatever guest work is attributed to: a Durable Object instance, or one invocation of a
 * stateless Worker handler. A context records the owner of the code it is running, so a timer set
 * by that code fires on behalf of the same owner, and its CPU time and allocation are charged to
 * the owner's account. Implementations are confined to the owning event loop.
 */
public interface GuestTaskOwner {

    /** The account that the CPU time and allocation of this owner's guest code are charged to. */
    EventAccount account();

    /** A short label for logs, such as the class and object id. */
    String describe();

    /**
     * A timer was set by this owner's code; it keeps the owner busy until it fires or is cancelled.
     *
     * @return a tag that is handed back to {@link #runTimer}, such as whether the timer was set
     *     inside a critical section
     */
    Object timerScheduled();

    /** A timer of this owner fired or was cancelled. */
    void timerEnded();

    /**
     * Runs a due timer's callback. The owner decides whether it still runs (a reset object drops
     * its timers) and when (an object inside a critical section defers it), and runs it through
     * {@link ScriptContext#call}.
     */
    void runTimer(ScriptContext context, Object tag, Runnable fire);
}
