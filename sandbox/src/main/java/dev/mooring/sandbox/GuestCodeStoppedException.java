package dev.mooring.sandbox;

/**
 * The host stopped guest code before it passed any limit, because what the code belongs to is going
 * away: its script closes, or its version was replaced and the grace period ended.
 */
public final class GuestCodeStoppedException extends RuntimeException {

    GuestCodeStoppedException(String reason) {
        super(reason);
    }

    /** Returns why the host stopped the code, in words that a caller of the script can act on. */
    public String reason() {
        return getMessage();
    }
}
