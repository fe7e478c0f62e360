package dev.mooring.runtime.url;

/**
 * UTF-8 encoding of one code point and the Encoding Standard's UTF-8 decoder.
 *
 * <p>The decoder is written out here because the JDK's decoder groups bytes differently: for
 * ED A0 80 (an encoded surrogate) the JDK emits one U+FFFD, while the Encoding Standard emits one
 * per byte, and the URL Standard's percent-decoding depends on that count.
 */
final class Utf8 {

    private Utf8() {}

    /** Writes the UTF-8 bytes of a code point to {@code bytes} at {@code offset}; returns the offset after them. */
    static int encode(int codePoint, byte[] bytes, int offset) {
        if (codePoint < 0x80) {
            bytes[offset++] = (byte) codePoint;
        } else if (codePoint < 0x800) {
            bytes[offset++] = (byte) (0xC0 | (codePoint >> 6));
            bytes[offset++] = (byte) (0x80 | (codePoint & 0x3F));
        } else if (codePoint < 0x10000) {
            bytes[offset++] = (byte) (0xE0 | (codePoint >> 12));
            bytes[offset++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
            bytes[offset++] = (byte) (0x80 | (codePoint & 0x3F));
        } else {
            bytes[offset++] = (byte) (0xF0 | (codePoint >> 18));
            bytes[offset++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
            bytes[offset++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
            bytes[offset++] = (byte) (0x80 | (codePoint & 0x3F));
        }
        return offset;
    }

    /**
     * Decodes {@code bytes[0, length)} as UTF-8 and keeps a leading BOM. Each maximal invalid
     * subsequence becomes one U+FFFD, as the Encoding Standard's decoder specifies.
     */
    static String decodeWithoutBom(byte[] bytes, int length) {
        StringBuilder out = new StringBuilder(length);
        int codePoint = 0;
        int bytesSeen = 0;
        int bytesNeeded = 0;
        int lowerBoundary = 0x80;
        int upperBoundary = 0xBF;
        for (int i = 0; i < length; i++) {
            int b = bytes[i] & 0xFF;
            if (bytesNeeded == 0) {
                if (b <= 0x7F) {
                    out.append((char) b);
                } else if (b >= 0xC2 && b <= 0xDF) {
                    bytesNeeded = 1;
                    codePoint = b & 0x1F;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    lowerBoundary = b == 0xE0 ? 0xA0 : 0x80;
                    upperBoundary = b == 0xED ? 0x9F : 0xBF;
                    bytesNeeded = 2;
                    codePoint = b & 0xF;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    lowerBoundary = b == 0xF0 ? 0x90 : 0x80;
                    upperBoundary = b == 0xF4 ? 0x8F : 0xBF;
                    bytesNeeded = 3;
                    codePoint = b & 0x7;
                } else {
                    out.append('\uFFFD');
                }
            } else if (b < lowerBoundary || b > upperBoundary) {
                // The sequence ends early: emit one replacement and read this byte again as a lead byte.
                codePoint = 0;
                bytesNeeded = 0;
                bytesSeen = 0;
                lowerBoundary = 0x80;
                upperBoundary = 0xBF;
                out.append('\uFFFD');
                i--;
            } else {
                lowerBoundary = 0x80;
                upperBoundary = 0xBF;
                codePoint = (codePoint << 6) | (b & 0x3F);
                bytesSeen++;
                if (bytesSeen == bytesNeeded) {
                    out.appendCodePoint(codePoint);
                    codePoint = 0;
                    bytesNeeded = 0;
                    bytesSeen = 0;
                }
            }
        }
        if (bytesNeeded != 0) {
            out.append('\uFFFD');
        }
        return out.toString();
    }
}
