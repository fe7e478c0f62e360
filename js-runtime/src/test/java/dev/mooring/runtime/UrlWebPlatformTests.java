package dev.mooring.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the URL test data of web-platform-tests against the runtime's {@code URL} in a real
 * runtime context, one JUnit test per case. The data folder is {@code testdata/wpt-url} under the
 * system property {@code mooring.shared.dir}; a missing folder fails the run.
 *
 * <p>Cases listed in {@code url-known-failures.txt} must fail. A listed case that passes fails the
 * build, so that the list only shrinks, and so does an entry that names no case.
 *
 * <p>{@code percent-encoding.json} also lists the output for legacy encodings (big5, shift_jis and
 * others). Those apply to query strings of documents in those encodings; the {@code URL} API always
 * encodes as UTF-8, so only the {@code utf-8} output is checked.
 */
class UrlWebPlatformTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String KNOWN_FAILURES_RESOURCE = "/url-known-failures.txt";

    /**
     * Checks one case in the guest context. Each function takes the case as JSON text and returns
     * null when it passes, or a description of every mismatch.
     */
    private static final String HARNESS = """
            (function () {
              'use strict';
              const FIELDS = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname',
                              'port', 'pathname', 'search', 'hash'];
              const show = (value) => JSON.stringify(value);

              function describeError(action, error) {
                return action + ' threw ' + (error && error.name) + ': ' + (error && error.message);
              }

              function parseCase(json) {
                const t = JSON.parse(json);
                const base = t.base === null || t.base === undefined ? undefined : t.base;
                const problems = [];

                if (t.failure) {
                  try {
                    const url = new URL(t.input, base);
                    problems.push('constructor returned ' + show(url.href) + ' instead of throwing');
                  } catch (error) {
                    if (!(error instanceof TypeError)) problems.push(describeError('constructor', error) + ' (expected TypeError)');
                  }
                  if (URL.canParse(t.input, base) !== false) problems.push('canParse returned true');
                  if (URL.parse(t.input, base) !== null) problems.push('parse did not return null');
                  if (base === undefined) {
                    const url = new URL('about:blank');
                    try {
                      url.href = t.input;
                      problems.push('href setter accepted the input');
                    } catch (error) {
                      if (!(error instanceof TypeError)) problems.push(describeError('href setter', error) + ' (expected TypeError)');
                    }
                  }
                  return problems.length === 0 ? null : problems.join('; ');
                }

                let url;
                try {
                  url = new URL(t.input, base);
                } catch (error) {
                  return describeError('constructor', error);
                }

                for (const field of FIELDS) {
                  if (field in t && url[field] !== t[field]) {
                    problems.push(field + ' was ' + show(url[field]) + ', expected ' + show(t[field]));
                  }
                }
                if ('searchParams' in t && url.searchParams.toString() !== t.searchParams) {
                  problems.push('searchParams was ' + show(url.searchParams.toString()) + ', expected ' + show(t.searchParams));
                }

                if (URL.canParse(t.input, base) !== true) problems.push('canParse returned false');
                const parsed = URL.parse(t.input, base);
                if (parsed === null || parsed.href !== t.href) problems.push('parse returned ' + (parsed && show(parsed.href)));
                return problems.length === 0 ? null : problems.join('; ');
              }

              function setterCase(json) {
                const t = JSON.parse(json);
                const url = new URL(t.href);
                try {
                  url[t.attribute] = t.new_value;
                } catch (error) {
                  return describeError(t.attribute + ' setter', error);
                }
                const problems = [];
                for (const [field, expected] of Object.entries(t.expected)) {
                  if (url[field] !== expected) problems.push(field + ' was ' + show(url[field]) + ', expected ' + show(expected));
                }
                return problems.length === 0 ? null : problems.join('; ');
              }

              function percentEncodingCase(json) {
                const t = JSON.parse(json);
                const url = new URL('https://example.invalid/?' + t.input + '#' + t.input);
                const problems = [];
                if (url.search !== '?' + t.output['utf-8']) problems.push('search was ' + show(url.search));
                if (url.hash !== '#' + t.output['utf-8']) problems.push('hash was ' + show(url.hash));
                return problems.length === 0 ? null : problems.join('; ');
              }

              return { parseCase, setterCase, percentEncodingCase };
            })()
            """;

    /** A case: its test name, the harness function that checks it, and its JSON text. */
    private record WptCase(String name, String function, String json) {}

    @TestFactory
    Stream<DynamicTest> webPlatformTests() throws IOException {
        List<WptCase> cases = loadCases(dataDirectory());
        Map<String, String> knownFailures = loadKnownFailures();
        RuntimeTestContext runtime = RuntimeTestContext.create();
        Value harness = runtime.eval("url-wpt-harness.js", HARNESS);
        return cases.stream()
                .map(wptCase -> DynamicTest.dynamicTest(wptCase.name(), () -> {
                    Value problems = harness.getMember(wptCase.function()).execute(wptCase.json());
                    String reason = knownFailures.get(wptCase.name());
                    if (reason == null) {
                        if (!problems.isNull()) {
                            fail(problems.asString() + "\ncase: " + wptCase.json());
                        }
                    } else if (problems.isNull()) {
                        fail("This case passes now; remove it from " + KNOWN_FAILURES_RESOURCE + " (it was listed because: " + reason + ")");
                    }
                }))
                .onClose(runtime::close);
    }

    @Test
    void knownFailuresNameExistingCases() throws IOException {
        Set<String> names = new HashSet<>();
        for (WptCase wptCase : loadCases(dataDirectory())) {
            names.add(wptCase.name());
        }
        List<String> stale = loadKnownFailures().keySet().stream().filter(name -> !names.contains(name)).toList();
        assertEquals(List.of(), stale, "Entries in " + KNOWN_FAILURES_RESOURCE + " that name no test case");
    }

    private static Path dataDirectory() {
        String shared = System.getProperty("mooring.shared.dir");
        if (shared == null || shared.isBlank()) {
            fail("The system property mooring.shared.dir is not set; Maven sets it to <repository>/../shared,"
                    + " or pass -Dmooring.shared.dir=<folder that contains testdata/wpt-url>.");
        }
        Path directory = Path.of(shared, "testdata", "wpt-url");
        assertTrue(Files.isDirectory(directory),
                "The web-platform-tests URL data folder is missing: " + directory.toAbsolutePath()
                        + ". Set -Dmooring.shared.dir to the folder that contains testdata/wpt-url.");
        return directory;
    }

    private static List<WptCase> loadCases(Path directory) throws IOException {
        List<WptCase> cases = new ArrayList<>();
        for (String file : List.of("urltestdata.json", "urltestdata-javascript-only.json")) {
            for (JsonNode node : readJson(directory.resolve(file))) {
                if (!node.isObject()) {
                    continue; // Comments are plain strings between the cases.
                }
                String name = "parse " + quote(node.get("input"))
                        + (node.path("base").isNull() || node.path("base").isMissingNode() ? "" : " against " + quote(node.get("base")));
                cases.add(new WptCase(name, "parseCase", node.toString()));
            }
        }

        JsonNode setters = readJson(directory.resolve("setters_tests.json"));
        for (Map.Entry<String, JsonNode> attribute : setters.properties()) {
            if (attribute.getKey().equals("comment")) {
                continue;
            }
            for (JsonNode node : attribute.getValue()) {
                String name = "set " + attribute.getKey() + " of " + quote(node.get("href")) + " to " + quote(node.get("new_value"));
                Map<String, Object> withAttribute = new LinkedHashMap<>();
                withAttribute.put("attribute", attribute.getKey());
                withAttribute.put("href", node.get("href"));
                withAttribute.put("new_value", node.get("new_value"));
                withAttribute.put("expected", node.get("expected"));
                cases.add(new WptCase(name, "setterCase", JSON.writeValueAsString(withAttribute)));
            }
        }

        for (JsonNode node : readJson(directory.resolve("percent-encoding.json"))) {
            if (node.isObject()) {
                cases.add(new WptCase("percent-encode " + quote(node.get("input")), "percentEncodingCase", node.toString()));
            }
        }
        if (cases.size() < 1000) {
            fail("Expected over 1000 web-platform-tests URL cases in " + directory + ", found " + cases.size());
        }
        return cases;
    }

    private static JsonNode readJson(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), "Missing web-platform-tests data file " + file);
        return JSON.readTree(file.toFile());
    }

    /** Quotes a string as JSON, so that test names stay on one line whatever the input contains. */
    private static String quote(JsonNode value) {
        return value.toString();
    }

    /**
     * Reads the known-failures list: one case name per line, then " | " and the reason. Blank lines
     * and lines starting with "#" are ignored.
     */
    private static Map<String, String> loadKnownFailures() {
        String text = RuntimeTestContext.resource(KNOWN_FAILURES_RESOURCE);
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int separator = line.lastIndexOf(" | ");
            if (separator < 0 || line.substring(separator + 3).isBlank()) {
                fail("Each entry in " + KNOWN_FAILURES_RESOURCE + " needs a reason after \" | \": " + line);
            }
            entries.put(line.substring(0, separator), line.substring(separator + 3).strip());
        }
        return entries;
    }
}
