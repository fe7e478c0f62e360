package dev.mooring.sandbox;

/**
 * An option of the shared engine that GraalJS rejected. Mooring's own options are fixed, so the
 * cause is a {@code -Dpolyglot.*} Java system property, for example from {@code MOORING_JAVA_OPTS}.
 */
public final class EngineOptionsException extends RuntimeException {

    EngineOptionsException(IllegalArgumentException cause) {
        super("GraalJS rejected an engine option: " + cause.getMessage() + " Remove the -Dpolyglot.* Java system property"
                + " that sets it (for example from MOORING_JAVA_OPTS) and start again.", cause);
    }
}
