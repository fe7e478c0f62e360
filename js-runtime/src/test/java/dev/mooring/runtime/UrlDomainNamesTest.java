package dev.mooring.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * UTS #46 cases for {@link DomainNames}, the Java side of the URL parser's "domain to ASCII". The
 * expected ASCII forms were cross-checked with the Python idna package (3.13, Nontransitional
 * processing) where it agrees with UTS #46, and the Punycode strings with RFC 3492's samples.
 */
class UrlDomainNamesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            faß.de                 | xn--fa-hia.de
            βόλος.com              | xn--nxasmm1c.com
            Bücher.example         | xn--bcher-kva.example
            日本語。ＪＰ              | xn--wgv71a119e.jp
            💩.la                  | xn--ls8h.la
            ĞĞ.com                 | xn--teaa.com
            ⅷ.com                  | viii.com
            ǅ.com                  | xn--d-toa.com
            ﬁ.com                  | fi.com
            Ⓐ.com                  | a.com
            ㄱ.com                  | xn--ypd.com
            אב.com                 | xn--4dbc.com
            é..a                   | xn--9ca..a
            a\\u00ADé.com          | xn--a-bga.com
            xn--zca.ü              | xn--zca.xn--tda
            """)
    void toAsciiMapsAndEncodes(String domain, String expected) {
        assertEquals(expected, DomainNames.toAscii(unescape(domain), false));
    }

    @ParameterizedTest(name = "{0} is invalid")
    @CsvSource(delimiter = '|', textBlock = """
            a\\u200Db.é            | ZWJ not after a virama
            \\u0301a.é             | label starts with a combining mark
            aא.com                 | left-to-right label contains a right-to-left letter
            ا.1x                   | in a Bidi domain every label must start with L, R or AL
            ١a.com                 | Bidi label starts with an Arabic digit
            é\\uFFFF.com           | noncharacter
            é\\uE000.com           | private use
            é\\u200E.com           | left-to-right mark
            é\\u0085.com           | C1 control
            xn--pokxncvks.é        | decoded label is not in mapped form
            xn--xn---epa.é         | decoded label starts with xn--
            xn--ls8.é              | Punycode that ends inside a number
            xn--.é                 | decoded label is empty
            xn--abc-.é             | decoded label is all ASCII
            """)
    void toAsciiRejects(String domain, String reason) {
        assertNull(DomainNames.toAscii(unescape(domain), false), reason);
    }

    @Test
    void toAsciiAllowsJoinersInContext() {
        assertEquals("xn--11b2ezcw70k.in", DomainNames.toAscii("\u0915\u094D\u200D\u0937.in", false));
        assertEquals("xn--ngba799q.com", DomainNames.toAscii("\u0628\u200C\u0628.com", false));
    }

    @Test
    void toAsciiStrictRejectsNonLdhAscii() {
        assertNull(DomainNames.toAscii("a_b.é", true));
        assertEquals("a_b.xn--9ca", DomainNames.toAscii("a_b.é", false));
    }

    @Test
    void toAsciiStrictChecksDnsLengths() {
        String longLabel = "é" + "a".repeat(62);
        assertNull(DomainNames.toAscii(longLabel + ".com", true));
        assertEquals("xn--" + "a".repeat(62) + "-9nf.com", DomainNames.toAscii(longLabel + ".com", false));
        assertNull(DomainNames.toAscii("é..com", true));
        assertEquals("xn--9ca.com.", DomainNames.toAscii("é.com.", true));
    }

    @Test
    void toUnicodeDecodesLabels() {
        assertEquals("faß.de", DomainNames.toUnicode("xn--fa-hia.de"));
        assertEquals("bücher.example", DomainNames.toUnicode("Bücher.example"));
        assertEquals("xn--ls8.example", DomainNames.toUnicode("xn--ls8.example"));
    }

    @ParameterizedTest(name = "{0} <-> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ß                      | zca
            3年B組金八先生           | 3B-ww4c5e180e575a65lsy2b
            ليهمابتكلموشعربي؟      | egbpdaj6bu4bxfgehfvwxn
            他们为什么不说中文       | ihqwcrb4cv8a8dqg056pqjye
            """)
    void punycodeRoundTrips(String unicode, String encoded) {
        assertEquals(encoded, DomainNames.Punycode.encode(unicode));
        assertEquals(unicode, DomainNames.Punycode.decode(encoded));
    }

    @Test
    void punycodeRejectsOverflowAndBadDigits() {
        assertNull(DomainNames.Punycode.decode("99999999999"));
        assertNull(DomainNames.Punycode.decode("a!"));
        assertNull(DomainNames.Punycode.decode("é-abc"));
    }

    @Test
    void viramaDetectionUsesCombiningClass() {
        assertTrue(DomainNames.isVirama(0x094D), "Devanagari virama");
        assertTrue(DomainNames.isVirama(0x0BCD), "Tamil virama");
        assertFalse(DomainNames.isVirama(0x05B0), "class 10");
        assertFalse(DomainNames.isVirama(0x3099), "class 8");
        assertFalse(DomainNames.isVirama(0x0301), "class 230");
        assertFalse(DomainNames.isVirama('a'), "class 0");
    }

    /** Turns the {@code \\uXXXX} escapes used in the tables above into characters. */
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
