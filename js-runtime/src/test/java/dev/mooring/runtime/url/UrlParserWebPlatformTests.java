package dev.mooring.runtime.url;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.runtime.url.UrlComponents.Component;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the URL test data of web-platform-tests against the Java parser directly, without a JS
 * context: the parsing cases through {@link UrlComponents#parse}, the setter cases through
 * {@link UrlComponents#set(String, String, String)}, and the percent-encoding cases. The data
 * folder is {@code testdata/wpt-url} under the system property {@code mooring.shared.dir}.
 *
 * <p>Every case must pass; {@code UrlWebPlatformTests} runs the same data through {@code url.js}
 * and keeps the list of known failures. The {@code searchParams} expectations are left to that
 * test, because {@code URLSearchParams} lives in {@code url.js}.
 *
 * <p>Each parsed or set URL is also checked for the two properties the JS bridge depends on:
 * parsing its {@code href} gives back an equal record, and no component contains {@link
 * UrlComponents#SEPARATOR}.
 */
class UrlParserWebPlatformTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The WPT field name of each component. */
    private static final Map<Component, String> FIELD_NAMES = Map.ofEntries(
            Map.entry(Component.HREF, "href"),
            Map.entry(Component.ORIGIN, "origin"),
            Map.entry(Component.PROTOCOL, "protocol"),
            Map.entry(Component.USERNAME, "username"),
            Map.entry(Component.PASSWORD, "password"),
            Map.entry(Component.HOST, "host"),
            Map.entry(Component.HOSTNAME, "hostname"),
            Map.entry(Component.PORT, "port"),
            Map.entry(Component.PATHNAME, "pathname"),
            Map.entry(Component.SEARCH, "search"),
            Map.entry(Component.HASH, "hash"));

    @TestFactory
    Stream<DynamicTest> parsingCases() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String file : List.of("urltestdata.json", "urltestdata-javascript-only.json")) {
            for (JsonNode node : readJson(file)) {
                if (!node.isObject()) {
                    continue; // Comments are plain strings between the cases.
                }
                String input = usvString(node.get("input").asText());
                String base = node.path("base").isTextual() ? usvString(node.get("base").asText()) : null;
                String name = "parse " + node.get("input") + (base == null ? "" : " against " + node.get("base"));
                tests.add(DynamicTest.dynamicTest(name, () -> checkParsingCase(node, input, base)));
            }
        }
        return tests.stream();
    }

    private static void checkParsingCase(JsonNode expected, String input, String base) {
        String encoded = UrlComponents.parse(input, base);
        if (expected.path("failure").asBoolean()) {
            assertNull(encoded, "parsing should fail");
            return;
        }
        assertNotNull(encoded, "parsing failed");
        assertComponents(expected, encoded);

        UrlRecord baseRecord = base == null ? null : UrlParser.parse(base);
        assertRoundTrip(UrlParser.parse(input, baseRecord));
    }

    @TestFactory
    Stream<DynamicTest> setterCases() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> attribute : readJson("setters_tests.json").properties()) {
            if (attribute.getKey().equals("comment")) {
                continue;
            }
            for (JsonNode node : attribute.getValue()) {
                String name = "set " + attribute.getKey() + " of " + node.get("href") + " to " + node.get("new_value");
                tests.add(DynamicTest.dynamicTest(name, () -> checkSetterCase(attribute.getKey(), node)));
            }
        }
        return tests.stream();
    }

    private static void checkSetterCase(String attribute, JsonNode node) {
        String href = node.get("href").asText();
        String value = usvString(node.get("new_value").asText());
        JsonNode expected = node.get("expected");
        if (attribute.equals("href")) {
            // url.js implements the href setter as a parse of the value.
            String encoded = UrlComponents.parse(value, null);
            assertNotNull(encoded, "the new href does not parse");
            assertComponents(expected, encoded);
            return;
        }

        // The path url.js takes: the href goes to Java, and the result comes back encoded.
        assertComponents(expected, UrlComponents.set(href, attribute, value));

        UrlRecord url = UrlParser.parse(href);
        assertNotNull(url, "the case's URL does not parse: " + href);
        UrlComponents.set(url, attribute, value);
        assertRoundTrip(url);
    }

    @TestFactory
    Stream<DynamicTest> percentEncodingCases() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode node : readJson("percent-encoding.json")) {
            if (!node.isObject()) {
                continue;
            }
            String input = usvString(node.get("input").asText());
            String expected = node.get("output").get("utf-8").asText();
            tests.add(DynamicTest.dynamicTest("percent-encode " + node.get("input"), () -> {
                UrlRecord url = UrlParser.parse("https://example.invalid/?" + input + "#" + input);
                assertNotNull(url);
                assertEquals(expected, url.query(), "query");
                assertEquals(expected, url.fragment(), "fragment");
            }));
        }
        return tests.stream();
    }

    /** Compares each component that {@code expected} lists, and checks that none contains the separator. */
    private static void assertComponents(JsonNode expected, String encoded) {
        String[] components = encoded.split(String.valueOf(UrlComponents.SEPARATOR), -1);
        assertEquals(Component.values().length, components.length,
                "component count: a component contains the separator in " + encoded.replace("\n", "\\n"));
        for (Component component : Component.values()) {
            JsonNode value = expected.get(FIELD_NAMES.get(component));
            if (value != null) {
                assertEquals(value.asText(), components[component.ordinal()], FIELD_NAMES.get(component));
            }
        }
    }

    /** Checks that parsing the URL's href gives an equal record, which the URL setters rely on. */
    private static void assertRoundTrip(UrlRecord url) {
        String href = UrlSerializer.serialize(url, false);
        UrlRecord reparsed = UrlParser.parse(href);
        assertNotNull(reparsed, "the href does not parse again: " + href);
        assertEquals(url.scheme(), reparsed.scheme(), "scheme after reparsing " + href);
        assertEquals(url.username(), reparsed.username(), "username after reparsing " + href);
        assertEquals(url.password(), reparsed.password(), "password after reparsing " + href);
        assertEquals(url.host(), reparsed.host(), "host after reparsing " + href);
        assertEquals(url.port(), reparsed.port(), "port after reparsing " + href);
        assertEquals(url.pathSegments(), reparsed.pathSegments(), "path segments after reparsing " + href);
        assertEquals(url.opaquePath(), reparsed.opaquePath(), "opaque path after reparsing " + href);
        assertEquals(url.query(), reparsed.query(), "query after reparsing " + href);
        assertEquals(url.fragment(), reparsed.fragment(), "fragment after reparsing " + href);
        assertTrue(url.equals(reparsed), "records differ after reparsing " + href);
    }

    /** Web IDL's USVString conversion, which url.js applies before calling the parser: lone surrogates become U+FFFD. */
    private static String usvString(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                out.append(c).append(value.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    private static JsonNode readJson(String file) throws IOException {
        String shared = System.getProperty("mooring.shared.dir");
        if (shared == null || shared.isBlank()) {
            fail("The system property mooring.shared.dir is not set; Maven sets it to <repository>/../shared,"
                    + " or pass -Dmooring.shared.dir=<folder that contains testdata/wpt-url>.");
        }
        Path path = Path.of(shared, "testdata", "wpt-url", file);
        assertTrue(Files.isRegularFile(path), "Missing web-platform-tests data file " + path.toAbsolutePath());
        return JSON.readTree(path.toFile());
    }
}
