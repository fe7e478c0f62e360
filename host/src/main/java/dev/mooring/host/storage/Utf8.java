package dev.mooring.host.storage;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 conversion of storage keys, matching what V8 writes for a JS string: an unpaired surrogate
 * becomes U+FFFD (bytes {@code EF BF BD}). {@link String#getBytes} would write {@code ?} instead,
 * which would give such keys a different byte order than workerd stores them in.
 */
public final class Utf8 {

    private static final byte[] REPLACEMENT_CHARACTER = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

    private Utf8() {
    }

    /** Encodes {@code text} as UTF-8, writing U+FFFD for each unpaired surrogate. */
    static byte[] encode(String text) {
        int length = text.length();
        int asciiPrefix = 0;
        while (asciiPrefix < length && text.charAt(asciiPrefix) < 0x80) {
            asciiPrefix++;
        }
        if (asciiPrefix == length) {
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }

        byte[] out = new byte[encodedLength(text)];
        int position = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                out[position++] = (byte) c;
            } else if (c < 0x800) {
                out[position++] = (byte) (0xC0 | (c >> 6));
                out[position++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, text.charAt(++i));
                out[position++] = (byte) (0xF0 | (codePoint >> 18));
                out[position++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
                out[position++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
                out[position++] = (byte) (0x80 | (codePoint & 0x3F));
            } else if (Character.isSurrogate(c)) {
                System.arraycopy(REPLACEMENT_CHARACTER, 0, out, position, 3);
                position += 3;
            } else {
                out[position++] = (byte) (0xE0 | (c >> 12));
                out[position++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[position++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return out;
    }

    /**
     * Returns the number of bytes {@link #encode} produces for {@code text}: its UTF-8 length,
     * when it has no unpaired surrogate.
     */
    public static int encodedLength(String text) {
        int length = text.length();
        int bytes = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Decodes bytes produced by {@link #encode}; they are always well-formed UTF-8. */
    static String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Decodes {@code length} bytes of {@code bytes} starting at {@code offset}. */
    static String decode(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }
}
