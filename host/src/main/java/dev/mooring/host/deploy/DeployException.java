package dev.mooring.host.deploy;

/**
 * A deploy that cannot go ahead: the project cannot be sent as an upload, or the admin API sent a
 * response the deploy cannot use. The message is written for the user, so callers print it as it is.
 */
public final class DeployException extends Exception {

    public DeployException(String message) {
        super(message);
    }

    public DeployException(String message, Throwable cause) {
        super(message, cause);
    }
}
