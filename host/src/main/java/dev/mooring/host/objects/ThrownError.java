package dev.mooring.host.objects;

import dev.mooring.sandbox.GuestException;
import org.graalvm.polyglot.Value;

/**
 * An error that a handler's guest code threw and did not catch, as the runtime reports it when
 * the handler's promise rejects.
 *
 * <p>An error that a stub call rejected with, and that the caller passed on unchanged, was already
 * logged with its JS stack for the object that threw it. The caller's line then shows only the
 * error's first line and that object's label, so each error's stack is logged once, where it was
 * thrown. The runtime recognizes such an error by identity, so an error that the caller wraps or
 * builds anew keeps its full line.
 *
 * @param name the error's name, such as {@code TypeError}
 * @param message the error's message
 * @param stack the JS stack without the runtime's frames, starting with "name: message"
 * @param domException whether the error is a DOMException, whose name is not an error type
 * @param thrownBy the log label of the object that threw the error, when a stub call passed it on
 *     unchanged. Null for an error that this handler's own code made.
 */
record ThrownError(String name, String message, String stack, boolean domException, String thrownBy) {

    /**
     * Reads the arguments of the runtime's {@code settle('error', name, message, stack,
     * isDOMException, thrownBy)}; {@code arguments[0]} is the kind.
     */
    static ThrownError fromSettle(Value[] arguments) {
        boolean domException = arguments.length > 4 && arguments[4].isBoolean() && arguments[4].asBoolean();
        String thrownBy = arguments.length > 5 && arguments[5].isString() ? arguments[5].asString() : null;
        return new ThrownError(arguments[1].asString(), arguments[2].asString(), GuestException.tidyStack(arguments[3].asString()),
                domException, thrownBy);
    }

    /**
     * Returns the text a log line shows for this error: the stack, or for an error passed on from
     * another object, its first line and the object whose line has the stack.
     */
    String logText() {
        if (thrownBy == null) {
            return stack;
        }
        return firstLine() + " (passed on unchanged from Durable Object " + thrownBy + ", whose log line has the stack)";
    }

    /** Returns the first line of the stack: the error's name and message as JS prints them. */
    String firstLine() {
        int end = stack.indexOf('\n');
        return end < 0 ? stack : stack.substring(0, end);
    }
}
