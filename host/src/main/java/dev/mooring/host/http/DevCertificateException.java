package dev.mooring.host.http;

/**
 * Creating, reading or using the development certificate of the HTTPS listener failed. The
 * message names the file and what to do; the host cannot serve HTTPS until that is fixed.
 */
public final class DevCertificateException extends RuntimeException {

    public DevCertificateException(String message) {
        super(message);
    }

    public DevCertificateException(String message, Throwable cause) {
        super(message, cause);
    }
}
