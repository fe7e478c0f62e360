package dev.mooring.runtime.crypto;

/**
 * A rejected key or operation input, to be raised in JS as a {@code DOMException} named {@link
 * #domExceptionName()}, such as "DataError" for key bytes that do not parse. Only caller input
 * causes it: a JDK that lacks a standard algorithm is an {@link IllegalStateException} instead.
 */
public final class CryptoFailure extends RuntimeException {

    private final String domExceptionName;

    public CryptoFailure(String domExceptionName, String message) {
        super(message, null, false, false);
        this.domExceptionName = domExceptionName;
    }

    static CryptoFailure dataError(String message) {
        return new CryptoFailure("DataError", message);
    }

    static CryptoFailure operationError(String message) {
        return new CryptoFailure("OperationError", message);
    }

    /** Returns the name of the DOMException that JS raises, such as "DataError" or "OperationError". */
    public String domExceptionName() {
        return domExceptionName;
    }
}
