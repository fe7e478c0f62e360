package dev.mooring.runtime.url;

/**
 * The percent-encode sets of the URL Standard, UTF-8 percent-encoding with them, and
 * percent-decoding. Stateless and safe to call from any thread.
 */
public final class PercentEncoding {

    /**
     * A percent-encode set: the C0 controls, U+007F and all code points above U+007E, plus the
     * ASCII code points that the set adds to the set it extends.
     */
    public enum EncodeSet {
        /** For opaque hosts and opaque paths. */
        C0_CONTROL(null, ""),
        /** For fragments. */
        FRAGMENT(C0_CONTROL, " \"<>`"),
        /** For the queries of non-special URLs. */
        QUERY(C0_CONTROL, " \"#<>"),
        /** For the queries of special URLs. */
        SPECIAL_QUERY(QUERY, "'"),
        /** For path segments. */
        PATH(QUERY, "?^`{}"),
        /** For usernames and passwords. */
        USERINFO(PATH, "/:;=@[\\]^|"),
        /** For {@code encodeURIComponent}-like use; the form set extends it. */
        COMPONENT(USERINFO, "$%&+,"),
        /** For application/x-www-form-urlencoded names and values. */
        FORM_URLENCODED(COMPONENT, "!'()~");

        /** Entry c is true when ASCII code point c is in the set. */
        private final boolean[] ascii = new boolean[0x80];

        EncodeSet(EncodeSet extended, String added) {
            if (extended == null) {
                for (int c = 0; c <= 0x1F; c++) {
                    ascii[c] = true;
                }
                ascii[0x7F] = true;
            } else {
                System.arraycopy(extended.ascii, 0, ascii, 0, ascii.length);
            }
            for (int i = 0; i < added.length(); i++) {
                ascii[added.charAt(i)] = true;
            }
        }

        /** Returns whether the UTF-16 code unit c is in the set; every non-ASCII code unit is. */
        public boolean contains(char c) {
            return c > 0x7E || ascii[c];
        }
    }

    private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();

    private PercentEncoding() {}

    /** UTF-8 percent-encodes the whole input; see {@link #encode(String, int, int, EncodeSet, boolean)}. */
    public static String encode(String input, EncodeSet set) {
        return encode(input, 0, input.length(), set, false);
    }

    /**
     * UTF-8 percent-encodes {@code input[start, end)} with the given set, using upper-case hex
     * digits. Returns the substring itself when nothing needs encoding. With {@code spaceAsPlus},
     * U+0020 becomes "+" (the form serializer's rule). A lone surrogate is encoded as U+FFFD.
     */
    public static String encode(String input, int start, int end, EncodeSet set, boolean spaceAsPlus) {
        int i = start;
        while (i < end && !set.contains(input.charAt(i))) {
            i++;
        }
        if (i == end) {
            return input.substring(start, end);
        }

        StringBuilder out = new StringBuilder(end - start + 16);
        out.append(input, start, i);
        while (i < end) {
            char c = input.charAt(i);
            if (!set.contains(c)) {
                out.append(c);
                i++;
            } else if (c == ' ' && spaceAsPlus) {
                out.append('+');
                i++;
            } else {
                int codePoint = c;
                int width = 1;
                if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(input.charAt(i + 1))) {
                    codePoint = Character.toCodePoint(c, input.charAt(i + 1));
                    width = 2;
                } else if (Character.isSurrogate(c)) {
                    codePoint = 0xFFFD;
                }
                appendUtf8PercentEncoded(out, codePoint);
                i += width;
            }
        }
        return out.toString();
    }

    private static void appendUtf8PercentEncoded(StringBuilder out, int codePoint) {
        byte[] bytes = new byte[4];
        int length = Utf8.encode(codePoint, bytes, 0);
        for (int i = 0; i < length; i++) {
            int b = bytes[i] & 0xFF;
            out.append('%').append(UPPER_HEX[b >> 4]).append(UPPER_HEX[b & 0xF]);
        }
    }

    /** Returns the value of an ASCII hex digit, or -1 when c is not one. */
    static int hexValue(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    /**
     * Percent-decodes the UTF-8 encoding of input and decodes the bytes as UTF-8 without BOM
     * handling, so that invalid sequences become U+FFFD. With {@code plusAsSpace}, "+" becomes a
     * space first (the form parser's rule), so "%2B" still decodes to "+". A "%" that is not
     * followed by two hex digits stays as it is.
     */
    public static String decode(String input, boolean plusAsSpace) {
        if (input.indexOf('%') < 0) {
            return plusAsSpace ? input.replace('+', ' ') : input;
        }
        byte[] bytes = new byte[input.length() * 3];
        int length = 0;
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c == '%' && i + 2 < input.length()) {
                int high = hexValue(input.charAt(i + 1));
                int low = hexValue(input.charAt(i + 2));
                if (high >= 0 && low >= 0) {
                    bytes[length++] = (byte) ((high << 4) | low);
                    i += 2;
                    continue;
                }
            }
            if (c < 0x80) {
                bytes[length++] = (byte) (plusAsSpace && c == '+' ? ' ' : c);
                continue;
            }
            int codePoint = c;
            if (Character.isHighSurrogate(c) && i + 1 < input.length() && Character.isLowSurrogate(input.charAt(i + 1))) {
                codePoint = Character.toCodePoint(c, input.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                codePoint = 0xFFFD;
            }
            length = Utf8.encode(codePoint, bytes, length);
        }
        return Utf8.decodeWithoutBom(bytes, length);
    }
}
