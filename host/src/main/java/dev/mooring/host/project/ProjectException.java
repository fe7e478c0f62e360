package dev.mooring.host.project;

/**
 * A project directory that Mooring cannot run. The message is written for the user: it names the
 * file, the key and the value at fault and states what to change, so callers print it as it is.
 */
public final class ProjectException extends Exception {

    public ProjectException(String message) {
        super(message);
    }

    public ProjectException(String message, Throwable cause) {
        super(message, cause);
    }
}
