package dev.mooring.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A guest error's stack, as the script's log shows it. */
class GuestExceptionTest {

    @Test
    void stackLosesRuntimeFramesAndLeadingSlash() {
        String stack = """
                SyntaxError: Unexpected token b in JSON at position 1
                    at JSON.parse (native)
                    at Object.fetch (/src/worker.js:3:23)
                    at Object.workerFetch (mooring:runtime/dispatcher.js:120:76)
                    at /src/worker.js:9:1""";

        GuestException error = new GuestException("SyntaxError", "Unexpected token b in JSON at position 1", stack);

        assertEquals("""
                SyntaxError: Unexpected token b in JSON at position 1
                    at JSON.parse (native)
                    at Object.fetch (src/worker.js:3:23)
                    at src/worker.js:9:1""", error.jsStack());
    }

    @Test
    void messageWithoutFramesStaysAsItIs() {
        assertEquals("Uncaught (/not a frame)", GuestException.tidyStack("Uncaught (/not a frame)"));
    }
}
