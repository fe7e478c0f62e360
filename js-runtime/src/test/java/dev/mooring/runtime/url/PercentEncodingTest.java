package dev.mooring.runtime.url;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.runtime.url.PercentEncoding.EncodeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cases for {@link PercentEncoding} and the UTF-8 decoder behind it. */
class PercentEncodingTest {

    /** Returns the printable ASCII code points (U+0020 to U+007E) in the set, as one string. */
    private static String printableAsciiIn(EncodeSet set) {
        StringBuilder out = new StringBuilder();
        for (char c = 0x20; c <= 0x7E; c++) {
            if (set.contains(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Test
    void encodeSetsMatchStandard() {
        assertEquals("", printableAsciiIn(EncodeSet.C0_CONTROL));
        assertEquals(" \"<>`", printableAsciiIn(EncodeSet.FRAGMENT));
        assertEquals(" \"#<>", printableAsciiIn(EncodeSet.QUERY));
        assertEquals(" \"#'<>", printableAsciiIn(EncodeSet.SPECIAL_QUERY));
        assertEquals(" \"#<>?^`{}", printableAsciiIn(EncodeSet.PATH));
        assertEquals(" \"#/:;<=>?@[\\]^`{|}", printableAsciiIn(EncodeSet.USERINFO));
        assertEquals(" \"#$%&+,/:;<=>?@[\\]^`{|}", printableAsciiIn(EncodeSet.COMPONENT));
        assertEquals(" !\"#$%&'()+,/:;<=>?@[\\]^`{|}~", printableAsciiIn(EncodeSet.FORM_URLENCODED));
    }

    @Test
    void everySetContainsControlsAndNonAscii() {
        for (EncodeSet set : EncodeSet.values()) {
            for (char c : new char[] {0x00, 0x1F, 0x7F, 0x80, 0xE9, 0xD800, 0xFFFF}) {
                assertTrue(set.contains(c), set + " must contain U+" + Integer.toHexString(c));
            }
        }
    }

    @Test
    void encodeReturnsInputWhenNothingToEncode() {
        String input = "/counter/a/increment";
        assertSame(input, PercentEncoding.encode(input, EncodeSet.PATH));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a b                  | a%20b
            é                    | %C3%A9
            €                    | %E2%82%AC
            \\uD83C\\uDF08       | %F0%9F%8C%88
            x\\uD800y            | x%EF%BF%BDy
            x\\uDC00             | x%EF%BF%BD
            \\uD800\\uD800\\uDC00 | %EF%BF%BD%F0%90%80%80
            """)
    void encodeUsesUtf8(String input, String expected) {
        assertEquals(expected, PercentEncoding.encode(unescape(input), EncodeSet.PATH));
    }

    @Test
    void encodeRangeWithSpaceAsPlus() {
        assertEquals("a+b%2B", PercentEncoding.encode("[a b+]", 1, 5, EncodeSet.FORM_URLENCODED, true));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            %41%42c                | ABc
            %C3%A9                 | é
            %zz%4                  | %zz%4
            %ED%A0%80              | \\uFFFD\\uFFFD\\uFFFD
            %F0%80%80              | \\uFFFD\\uFFFD\\uFFFD
            %E2%82                 | \\uFFFD
            %E2%82A                | \\uFFFDA
            %F4%90%80%80           | \\uFFFD\\uFFFD\\uFFFD\\uFFFD
            %C0%AF                 | \\uFFFD\\uFFFD
            %FF                    | \\uFFFD
            %EF%BB%BFa             | \\uFEFFa
            %F0%9F%8C%88é          | \\uD83C\\uDF08é
            """)
    void decodeUsesEncodingStandardUtf8(String input, String expected) {
        assertEquals(unescape(expected), PercentEncoding.decode(input, false));
    }

    @Test
    void decodePlusAsSpace() {
        assertEquals("a b+c", PercentEncoding.decode("a+b%2Bc", true));
        assertEquals("a b", PercentEncoding.decode("a+b", true));
        assertEquals("a+b", PercentEncoding.decode("a+b", false));
    }

    /** Replaces each {@code \\uXXXX} with its code unit, so that the tables can show lone surrogates. */
    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            if (text.startsWith("\\u", i)) {
                out.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                out.append(text.charAt(i));
            }
        }
        return out.toString();
    }
}
