package dev.mooring.sandbox;

/**
 * The JVM ran out of heap (or, rarely, of host stack) while guest code ran. GraalJS reports this
 * as a resource exhaustion that guest code cannot catch. The context that ran the code has been
 * closed, which frees whatever the guest kept in it. Its owner must discard it and build a new
 * one. The event loop that ran the code keeps running.
 */
public final class ResourceExhaustedException extends RuntimeException {

    public ResourceExhaustedException(String scriptName, Throwable cause) {
        super("The JVM ran out of resources while script " + scriptName + " ran guest code (" + cause.getMessage()
                + "); its context was closed", cause);
    }
}
