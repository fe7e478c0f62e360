package dev.mooring.host.scripts;

/**
 * A deploy or admin request that Mooring refuses because of what the caller sent: it carries the
 * HTTP status to answer with (a 4xx) and a message that names the bad value and what to do.
 */
public final class DeployException extends Exception {

    private final int status;

    public DeployException(int status, String message) {
        super(message);
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("A caller's mistake is answered with a 4xx status, got " + status);
        }
        this.status = status;
    }

    public int status() {
        return status;
    }
}
