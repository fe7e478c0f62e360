package dev.mooring.sandbox;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * An error thrown by guest code: its JS error name (TypeError, RangeError, ...), message and
 * stack. This is the guest script's failure, not Mooring's: report it to the caller and to the
 * script's log, never as an internal error.
 */
public final class GuestException extends RuntimeException {

    private final String errorName;
    private final String errorMessage;
    private final String jsStack;

    public GuestException(String errorName, String errorMessage, String jsStack) {
        super(errorName + ": " + errorMessage);
        this.errorName = errorName;
        this.errorMessage = errorMessage;
        this.jsStack = tidyStack(jsStack);
    }

    /**
     * Returns a JS stack as the script's author should read it: without the frames of Mooring's
     * runtime modules ({@code mooring:runtime/...}), and with module paths relative to the project,
     * "worker.js:3:23" where GraalJS prints "/worker.js:3:23".
     */
    public static String tidyStack(String stack) {
        StringBuilder tidy = new StringBuilder(stack.length());
        for (String line : stack.split("\n", -1)) {
            boolean frame = line.startsWith("    at ");
            if (frame && line.contains("mooring:runtime/")) {
                continue;
            }
            if (!tidy.isEmpty()) {
                tidy.append('\n');
            }
            tidy.append(frame ? line.replace("(/", "(").replace("    at /", "    at ") : line);
        }
        return tidy.toString();
    }

    /** The JS error's {@code name}, or "Error" for a thrown non-error value. */
    public String errorName() {
        return errorName;
    }

    /** The JS error's {@code message}, or the thrown value converted to a string. */
    public String errorMessage() {
        return errorMessage;
    }

    /** The JS stack as the guest would print it, starting with "Name: message". */
    public String jsStack() {
        return jsStack;
    }

    /** Builds the exception from a thrown JS value (an Error object or any other value). */
    public static GuestException fromValue(Value thrown) {
        if (thrown == null || thrown.isNull()) {
            String text = thrown == null ? "undefined" : thrown.toString();
            return new GuestException("Error", text, "Error: " + text);
        }
        if (thrown.hasMembers() && thrown.hasMember("message") && thrown.hasMember("name")) {
            String name = stringMember(thrown, "name", "Error");
            String message = stringMember(thrown, "message", "");
            String stack = stringMember(thrown, "stack", name + ": " + message);
            return new GuestException(name, message, stack);
        }
        String text = thrown.isString() ? thrown.asString() : thrown.toString();
        return new GuestException("Error", text, "Uncaught " + text);
    }

    static GuestException from(PolyglotException e) {
        GuestException result;
        Value guestObject = e.getGuestObject();
        String message = e.getMessage() == null ? "" : e.getMessage();
        int colon = message.indexOf(": ");
        if (guestObject != null && !e.isSyntaxError()) {
            result = fromValue(guestObject);
        } else if (colon > 0 && message.substring(0, colon).matches("[A-Za-z]*Error")) {
            result = new GuestException(message.substring(0, colon), message.substring(colon + 2), message);
        } else {
            result = new GuestException("Error", message, message);
        }
        result.initCause(e);
        return result;
    }

    private static String stringMember(Value object, String member, String fallback) {
        try {
            Value value = object.getMember(member);
            if (value == null || value.isNull()) {
                return fallback;
            }
            return value.isString() ? value.asString() : value.toString();
        } catch (PolyglotException e) {
            // A getter on the error object threw; keep what we have.
            return fallback;
        }
    }
}
