package dev.mooring.host.deploy;

/**
 * An upload that Mooring rejects. The message is written for the person who sent it: it names the
 * part, module or metadata key at fault and states what to change, so the admin API can return
 * it as it is. {@link #status()} is the HTTP status of that response.
 */
public final class UploadException extends Exception {

    /** The body, a part or the metadata is malformed or invalid. */
    public static final int BAD_REQUEST = 400;
    /** The upload's migrations start from a tag other than the deployed version's tag. */
    public static final int CONFLICT = 409;
    /** The body, a part or the number of modules is over a limit of {@link UploadLimits}. */
    public static final int PAYLOAD_TOO_LARGE = 413;
    /** The request is not {@code multipart/form-data}. */
    public static final int UNSUPPORTED_MEDIA_TYPE = 415;

    private final int status;

    public UploadException(int status, String message) {
        super(message);
        this.status = status;
    }

    public UploadException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** Returns the HTTP status for the response: 400, 409, 413 or 415. */
    public int status() {
        return status;
    }
}
