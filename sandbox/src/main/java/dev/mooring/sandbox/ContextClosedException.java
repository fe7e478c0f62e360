package dev.mooring.sandbox;

/** The context was closed (by its owner, or forcibly by the CPU watchdog) and can run no more code. */
public final class ContextClosedException extends RuntimeException {

    public ContextClosedException(String scriptName) {
        super("The context of script " + scriptName + " is closed");
    }
}
