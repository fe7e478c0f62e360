package dev.mooring.runtime.url;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cases for {@link UrlParser}, {@link UrlSerializer} and {@link UrlComponents} that the
 * web-platform-tests data covers thinly or only through the getters: the record's fields, the
 * state overrides behind the setters, the host forms and the encoding for {@code url.js}.
 */
class UrlParserTest {

    private static UrlRecord parse(String input) {
        UrlRecord url = UrlParser.parse(input);
        assertNotNull(url, "failed to parse " + input);
        return url;
    }

    // --- records ---

    @Test
    void parseFillsRecordFields() {
        UrlRecord url = parse("  HTTPS://User:P%41ss@Example.COM:8443/a/./b/../c?q=1#frag\t ");
        assertEquals("https", url.scheme());
        assertTrue(url.isSpecial());
        assertEquals("User", url.username());
        assertEquals("P%41ss", url.password());
        assertEquals("example.com", url.host());
        assertEquals(8443, url.port());
        assertEquals(List.of("a", "c"), url.pathSegments());
        assertNull(url.opaquePath());
        assertEquals("q=1", url.query());
        assertEquals("frag", url.fragment());
    }

    @Test
    void parseDropsDefaultPort() {
        assertEquals(UrlRecord.NO_PORT, parse("http://example.com:80/").port());
        assertEquals(UrlRecord.NO_PORT, parse("wss://example.com:443/").port());
        assertEquals(80, parse("https://example.com:80/").port());
    }

    @Test
    void parseKeepsOpaquePath() {
        UrlRecord url = parse("mailto:Someone@Example.com?subject=hi");
        assertTrue(url.hasOpaquePath());
        assertEquals("Someone@Example.com", url.opaquePath());
        assertNull(url.pathSegments());
        assertNull(url.host());
        assertEquals("subject=hi", url.query());
    }

    @Test
    void parseEncodesSpaceBeforeQueryInOpaquePath() {
        UrlRecord url = parse("data:text/plain,a  ?x");
        assertEquals("text/plain,a %20", url.opaquePath());
        UrlComponents.setSearch(url, "");
        assertEquals("data:text/plain,a %20", UrlSerializer.serialize(url, false));
    }

    @Test
    void parseRejectsInvalidInput() {
        assertNull(UrlParser.parse(""));
        assertNull(UrlParser.parse("/relative"));
        assertNull(UrlParser.parse("http://"));
        assertNull(UrlParser.parse("http://user@/"));
        assertNull(UrlParser.parse("http://example.com:65536/"));
        assertNull(UrlParser.parse("http://exa mple.com/"));
        assertNull(UrlParser.parse("https://[::1/"));
    }

    @ParameterizedTest(name = "{0} against {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ../d           | https://example.com/a/b/c  | https://example.com/a/d
            ?x             | https://example.com/a?y#z  | https://example.com/a?x
            '#f'           | https://example.com/a?y#z  | https://example.com/a?y#f
            //other/p      | https://example.com/a      | https://other/p
            \\\\other\\p   | https://example.com/a      | https://other/p
            ''             | https://example.com/a?y#z  | https://example.com/a?y
            '#x'           | mailto:someone             | mailto:someone#x
            /x             | file:///C:/y               | file:///C:/x
            'C|/x'         | file:///D:/y               | file:///C:/x
            ..             | file:///C:/                | file:///C:/
            """)
    void parseResolvesAgainstBase(String input, String base, String expected) {
        UrlRecord url = UrlParser.parse(input, parse(base));
        assertNotNull(url);
        assertEquals(expected, UrlSerializer.serialize(url, false));
    }

    @Test
    void parseRejectsRelativeAgainstOpaquePath() {
        assertNull(UrlParser.parse("x", parse("mailto:someone")));
    }

    @Test
    void prepareInputStripsTabsAndNewlines() {
        assertEquals("ab c", UrlParser.prepareInput("\u0001 a\tb\n c\r \u001F", true));
        assertEquals(" abc ", UrlParser.prepareInput(" a\tbc ", false));
    }

    // --- serialization ---

    @Test
    void serializeGuardsEmptyFirstSegment() {
        UrlRecord url = parse("web+demo:/x");
        UrlComponents.setPathname(url, "//not-a-host/p");
        assertEquals("web+demo:/.//not-a-host/p", UrlSerializer.serialize(url, false));
        assertEquals(url, parse(UrlSerializer.serialize(url, false)));
    }

    @Test
    void serializeExcludesFragment() {
        assertEquals("https://example.com/?q", UrlSerializer.serialize(parse("https://example.com/?q#f"), true));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            https://user:pw@example.com:8443/x | https://example.com:8443
            ws://example.com:80/               | ws://example.com
            blob:https://example.com:1/uuid    | https://example.com:1
            blob:ftp://example.com/uuid        | null
            blob:not a url                     | null
            file:///tmp/x                      | null
            web+demo://example.com/            | null
            """)
    void serializeOriginPerScheme(String input, String expected) {
        assertEquals(expected, UrlSerializer.serializeOrigin(parse(input)));
    }

    // --- hosts ---

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            http://0x7f.1/                 | 127.0.0.1
            http://0300.0250.1.1/          | 192.168.1.1
            http://4294967295/             | 255.255.255.255
            http://1.2.3.4./               | 1.2.3.4
            http://[0:0:0:0:0:0:0:1]/      | [::1]
            http://[1:0:0:2:0:0:0:3]/      | [1:0:0:2::3]
            http://[1:0:2:3:4:5:6:7]/      | [1:0:2:3:4:5:6:7]
            http://[::ffff:192.168.0.1]/   | [::ffff:c0a8:1]
            http://EXAMPLE.com./           | example.com.
            http://B%C3%BCcher.example/    | xn--bcher-kva.example
            http://xn--ABC.example/        | xn--abc.example
            web+demo://EXAMPLE%20x/        | EXAMPLE%20x
            file://localhost/x             | ''
            """)
    void parseSerializesHost(String input, String expectedHost) {
        assertEquals(expectedHost, parse(input).host());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            http://4294967296/
            http://1.2.3.256/
            http://256.1.1/
            http://1.2.3.4.5/
            http://a.1/
            http://0x100000000/
            http://[1::2::3]/
            http://[::1.2.3]/
            http://[::01.2.3.4]/
            http://[1:2:3:4:5:6:7:8:9]/
            http://%25/
            http://a<b/
            web+demo://a<b/
            """)
    void parseRejectsInvalidHost(String input) {
        assertNull(UrlParser.parse(input));
    }

    // --- setters and state overrides ---

    @Test
    void protocolSetterKeepsKindOfUrl() {
        UrlRecord url = parse("https://example.com:80/");
        UrlComponents.setProtocol(url, "web+demo");
        assertEquals("https", url.scheme());
        UrlComponents.setProtocol(url, "HTTP:ignored");
        assertEquals("http", url.scheme());
        assertEquals(UrlRecord.NO_PORT, url.port(), "port 80 is the new scheme's default");
        UrlComponents.setProtocol(url, "not valid");
        assertEquals("http", url.scheme());
    }

    @Test
    void hostSetterKeepsChangesBeforeFailure() {
        UrlRecord url = parse("https://example.com:8443/p");
        UrlComponents.setHost(url, "other.example:99999");
        assertEquals("other.example", url.host(), "the host is set before the port fails");
        assertEquals(8443, url.port());
    }

    @Test
    void hostnameSetterRejectsPort() {
        UrlRecord url = parse("https://example.com/p");
        UrlComponents.setHostname(url, "other.example:8080");
        assertEquals("example.com", url.host());
        UrlComponents.setHostname(url, "other.example/ignored");
        assertEquals("other.example", url.host());
    }

    @Test
    void hostSetterIgnoresOpaquePath() {
        UrlRecord url = parse("mailto:someone");
        UrlComponents.setHost(url, "example.com");
        assertNull(url.host());
    }

    @Test
    void portSetterTakesLeadingDigits() {
        UrlRecord url = parse("https://example.com/");
        UrlComponents.setPort(url, "8080abc");
        assertEquals(8080, url.port());
        UrlComponents.setPort(url, "abc");
        assertEquals(8080, url.port());
        UrlComponents.setPort(url, "443");
        assertEquals(UrlRecord.NO_PORT, url.port());
    }

    @Test
    void portAndCredentialsNeedHost() {
        UrlRecord url = parse("file:///tmp");
        UrlComponents.setPort(url, "8080");
        UrlComponents.setUsername(url, "user");
        assertEquals(UrlRecord.NO_PORT, url.port());
        assertEquals("", url.username());
    }

    @Test
    void credentialSettersPercentEncode() {
        UrlRecord url = parse("https://example.com/");
        UrlComponents.setUsername(url, "a@b:c\n");
        UrlComponents.setPassword(url, "p/w");
        assertEquals("https://a%40b%3Ac%0A:p%2Fw@example.com/", UrlSerializer.serialize(url, false));
    }

    @Test
    void pathnameSetterReplacesPath() {
        UrlRecord url = parse("https://example.com/counter/a/increment?x=1#top");
        UrlComponents.setPathname(url, "a/./b/../c\\d?e#f");
        assertEquals(List.of("a", "c", "d%3Fe%23f"), url.pathSegments());
        assertEquals("x=1", url.query());
        assertEquals("top", url.fragment());
    }

    @Test
    void pathnameSetterEmptyWithoutHost() {
        UrlRecord url = parse("web+demo:/x");
        UrlComponents.setPathname(url, "");
        assertEquals(List.of(""), url.pathSegments());
        assertEquals("web+demo:/", UrlSerializer.serialize(url, false));
    }

    @Test
    void searchAndHashSettersStripPrefix() {
        UrlRecord url = parse("https://example.com/");
        UrlComponents.setSearch(url, "??a=b c#d");
        assertEquals("?a=b%20c%23d", url.query());
        UrlComponents.setHash(url, "##x y");
        assertEquals("#x%20y", url.fragment());
        UrlComponents.setSearch(url, "?");
        assertEquals("", url.query());
        UrlComponents.setSearch(url, "");
        assertNull(url.query());
        UrlComponents.setHash(url, "");
        assertNull(url.fragment());
    }

    @Test
    void queryFromSearchParamsReplacesQuery() {
        UrlRecord url = parse("https://example.com/p?old#f");
        UrlComponents.set(url, UrlComponents.QUERY, "a=1&b=two+words");
        assertEquals("https://example.com/p?a=1&b=two+words#f", UrlSerializer.serialize(url, false));
        UrlComponents.set(url, UrlComponents.QUERY, "");
        assertNull(url.query());
        UrlComponents.set(url, UrlComponents.QUERY, "raw space");
        assertEquals("raw%20space", url.query());
    }

    // --- the encoding for url.js ---

    @Test
    void encodeListsGetterValues() {
        String encoded = UrlComponents.parse("https://user:pw@Example.com:8443/a%20b?q=1#frag", null);
        assertEquals(String.join("\n",
                "https://user:pw@example.com:8443/a%20b?q=1#frag",
                "https://example.com:8443",
                "https:",
                "user",
                "pw",
                "example.com:8443",
                "example.com",
                "8443",
                "/a%20b",
                "?q=1",
                "#frag"), encoded);
    }

    @Test
    void encodeUsesEmptyStringsForMissingParts() {
        String[] components = UrlComponents.parse("web+demo:opaque?", null).split("\n", -1);
        assertEquals(UrlComponents.Component.values().length, components.length);
        assertEquals("web+demo:opaque?", components[UrlComponents.Component.HREF.ordinal()]);
        assertEquals("", components[UrlComponents.Component.HOST.ordinal()]);
        assertEquals("", components[UrlComponents.Component.SEARCH.ordinal()]);
        assertEquals("", components[UrlComponents.Component.HASH.ordinal()]);
    }

    @Test
    void parseWithInvalidBaseReturnsNull() {
        assertNull(UrlComponents.parse("/path", "relative-base"));
        assertNotNull(UrlComponents.parse("/path", "https://example.com/"));
    }

    @Test
    void setReturnsEncodedResult() {
        String encoded = UrlComponents.set("https://example.com/counter/a?x=1", "pathname", "/a");
        assertTrue(encoded.startsWith("https://example.com/a?x=1\n"), encoded);
    }

    @Test
    void setRejectsUnknownName() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> UrlComponents.set("https://example.com/", "href", "https://other/"));
        assertTrue(error.getMessage().contains("Unknown URL setter: href"), error.getMessage());
    }

    @Test
    void setRejectsInvalidHref() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> UrlComponents.set("not a url", "pathname", "/x"));
        assertTrue(error.getMessage().contains("not a url"), error.getMessage());
    }

    @Test
    void copySharesNoPath() {
        UrlRecord url = parse("https://example.com/a");
        UrlRecord copy = url.copy();
        assertEquals(url, copy);
        UrlComponents.setPathname(copy, "/b");
        assertEquals(List.of("a"), url.pathSegments());
        assertFalse(url.equals(copy));
    }
}
