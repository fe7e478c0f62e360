package dev.mooring.runtime;

import org.graalvm.polyglot.Value;

/** A JS test failure or rejection, carrying the JS error's message and stack. */
public final class JsAssertionError extends AssertionError {

    private JsAssertionError(String message) {
        super(message);
    }

    static JsAssertionError from(Value error) {
        if (error != null && error.hasMembers() && error.hasMember("stack")) {
            Value stack = error.getMember("stack");
            if (stack != null && stack.isString()) {
                return new JsAssertionError(stack.asString());
            }
        }
        return new JsAssertionError(String.valueOf(error));
    }
}
