package dev.mooring.host.egress;

/**
 * Why an outbound {@code fetch()} failed, as guest code sees it: the name of the JS error type
 * the promise rejects with ({@code "Error"} or {@code "TypeError"}) and the message.
 */
public final class EgressException extends RuntimeException {

    private final String jsErrorName;

    EgressException(String jsErrorName, String message) {
        super(message, null, false, false);
        this.jsErrorName = jsErrorName;
    }

    static EgressException error(String message) {
        return new EgressException("Error", message);
    }

    static EgressException typeError(String message) {
        return new EgressException("TypeError", message);
    }

    /** The JS error type: {@code "Error"} or {@code "TypeError"}. */
    public String jsErrorName() {
        return jsErrorName;
    }
}
