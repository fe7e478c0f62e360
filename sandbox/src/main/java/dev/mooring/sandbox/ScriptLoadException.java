package dev.mooring.sandbox;

/**
 * A script's modules could not be loaded: a syntax error, a missing import, or an exception in
 * top-level module code. The message names the module, with line and column where known, and is
 * meant for the script's author.
 */
public final class ScriptLoadException extends RuntimeException {

    public ScriptLoadException(String message) {
        super(message);
    }

    public ScriptLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
