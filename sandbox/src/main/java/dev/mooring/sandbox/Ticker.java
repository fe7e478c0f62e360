package dev.mooring.sandbox;

/**
 * A source of monotonic time in nanoseconds, injectable so that tests can move time by hand
 * instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {

    /** The system ticker, backed by {@link System#nanoTime()}. */
    Ticker SYSTEM = System::nanoTime;

    /** Returns the current time in nanoseconds; only differences between two readings are meaningful. */
    long nanoTime();
}
