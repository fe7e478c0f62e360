package dev.mooring.host.objects;

import java.util.Map;

/**
 * Why an event did not produce a response, in the form a caller receives it: a JS error name and
 * message, extra properties set on the error in the caller (workerd's {@code remote},
 * {@code durableObjectReset}, ...), and which of the three kinds of failure it is.
 *
 * @param thrownBy for an error that an object's code threw, the object's log label, which the
 *     caller's runtime keeps with the error so that a caller that passes it on logs it briefly
 *     ({@link ThrownError}); null for every other failure
 */
public record EventFailure(Kind kind, String name, String message, Map<String, Object> flags, String thrownBy) {

    /** Whose failure this is, which decides how it is reported. */
    public enum Kind {
        /** The guest script threw, or broke a limit: the caller sees the JS error; the script's log gets the stack. */
        GUEST,
        /** The object was reset (CPU limit, abort, code update, broken gate) while the event was pending. */
        RESET,
        /** Mooring failed (storage, a bug): the caller sees only an incident reference; the log has the detail. */
        INTERNAL,
        /** Too much waited for the object, so the event was turned away before it was queued. */
        OVERLOADED
    }

    public EventFailure {
        flags = Map.copyOf(flags);
    }

    /** Creates a failure that no object's code threw. */
    public EventFailure(Kind kind, String name, String message, Map<String, Object> flags) {
        this(kind, name, message, flags, null);
    }

    /**
     * Creates the failure of a JS error thrown by an object's handler, marked {@code remote} as
     * workerd marks it for the caller. {@code thrownBy} is the log label of the object whose log
     * line has the error's stack.
     */
    public static EventFailure thrownByObject(String name, String message, String thrownBy) {
        return new EventFailure(Kind.GUEST, name, message, Map.of("remote", true), thrownBy);
    }

    /**
     * Creates the failure of a DOMException thrown by an object's handler. With the
     * {@code domException} flag, the caller's runtime builds a DOMException with {@code name}, as
     * workerd keeps one across the call, and leaves that flag off the error.
     */
    public static EventFailure domExceptionThrownByObject(String name, String message, String thrownBy) {
        return new EventFailure(Kind.GUEST, name, message, Map.of("remote", true, "domException", true), thrownBy);
    }

    /** A JS error thrown by a stateless Worker handler. */
    public static EventFailure thrownByWorker(String name, String message) {
        return new EventFailure(Kind.GUEST, name, message, Map.of());
    }

    /** The object was reset; {@code message} says why, in words the caller can act on. */
    public static EventFailure reset(String message) {
        return new EventFailure(Kind.RESET, "Error", message, Map.of("durableObjectReset", true, "remote", true));
    }

    /** Creates the failure of an object reset because its code threw {@code name: message}, which callers get as that error. */
    public static EventFailure resetBy(String name, String message) {
        return new EventFailure(Kind.RESET, name, message, Map.of("durableObjectReset", true, "remote", true));
    }

    /**
     * Creates the failure of a request turned away from an overloaded object. It is marked
     * {@code overloaded}, so that callers do not retry.
     */
    public static EventFailure overloaded(String message) {
        return new EventFailure(Kind.OVERLOADED, "Error", message, Map.of("overloaded", true));
    }

    /** Mooring's own fault; the caller sees only the incident reference. */
    public static EventFailure internal(String incidentId) {
        return new EventFailure(Kind.INTERNAL, "Error", "internal error; reference = " + incidentId, Map.of());
    }
}
