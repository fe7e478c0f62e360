package dev.mooring.host.logging;

/**
 * The one form in which log lines name a Durable Object: its class (or, in the storage layer,
 * which does not know classes, its namespace id) followed by the first {@value #ID_HEX_DIGITS} hex
 * digits of its ID. Those 48 bits keep lines short, and two objects of one namespace are likely
 * to share them only once it has millions of objects. No line that Mooring itself logs shows the
 * full ID, because no admin call takes one.
 */
public final class ObjectLabels {

    /** How many leading hex digits of an object ID a log line shows. */
    public static final int ID_HEX_DIGITS = 12;

    private ObjectLabels() {}

    /** Returns the first {@value #ID_HEX_DIGITS} digits of {@code idHex}, an object ID in hex. */
    public static String shortId(String idHex) {
        return idHex.length() <= ID_HEX_DIGITS ? idHex : idHex.substring(0, ID_HEX_DIGITS);
    }
}
