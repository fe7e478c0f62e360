package dev.mooring.sandbox;

/** The context was closed (by its owner, by the watchdog after a stop timed out, or after the heap ran out) and can run no more code. */
public final class ContextClosedException extends RuntimeException {

    public ContextClosedException(String scriptName) {
        super("The context of script " + scriptName + " is closed");
    }
}
