package dev.mooring.host.objects;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The 32-byte identity of one Durable Object within its namespace, shown as 64 lowercase hex
 * digits. Immutable; equal when the bytes are equal.
 */
public final class ObjectId {

    public static final int LENGTH = 32;

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;
    private final String hex;
    private final int hash;

    private ObjectId(byte[] bytes, String hex) {
        this.bytes = bytes;
        this.hex = hex;
        this.hash = Arrays.hashCode(bytes);
    }

    /** Wraps a copy of {@code bytes}, which must be {@value #LENGTH} long. */
    public static ObjectId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("An object ID has " + LENGTH + " bytes, got " + bytes.length);
        }
        return new ObjectId(bytes.clone(), HEX.formatHex(bytes));
    }

    /** Parses 64 hex digits (either case). */
    public static ObjectId parse(String hex) {
        if (hex.length() != LENGTH * 2) {
            throw new IllegalArgumentException("An object ID has " + LENGTH * 2 + " hex digits, got " + hex.length() + ": " + hex);
        }
        // Stubs pass the ID's own lowercase digits back on every call, so keep them instead of formatting anew.
        return new ObjectId(HEX.parseHex(hex), hex.toLowerCase(Locale.ROOT));
    }

    /** Returns a copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return hex;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ObjectId id && Arrays.equals(bytes, id.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return hex;
    }
}
