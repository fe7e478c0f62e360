package dev.mooring.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the JS test files under {@code src/test/resources/js}: each file gets a fresh {@link
 * RuntimeTestContext}, registers tests with {@code test(name, fn)}, and each test becomes one JUnit
 * test. A test passes when {@code fn} returns, or its promise resolves, without throwing.
 *
 * <p>{@code -Djs.tests=url} runs only the files whose names start with {@code url}.
 */
class JsFileTests {

    @TestFactory
    Stream<DynamicNode> runtimeTests() throws IOException, URISyntaxException {
        Path directory = Path.of(JsFileTests.class.getResource("/js").toURI());
        String prefix = System.getProperty("js.tests", "");
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(path -> {
                        String name = path.getFileName().toString();
                        return name.endsWith(".test.js") && name.startsWith(prefix);
                    })
                    .sorted()
                    .toList();
        }
        return files.stream().map(JsFileTests::containerFor);
    }

    private static DynamicNode containerFor(Path file) {
        String fileName = file.getFileName().toString();
        String code;
        try {
            code = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RuntimeTestContext runtime = RuntimeTestContext.create();
        List<RuntimeTestContext.JsTest> tests = runtime.loadTests(fileName, code);
        Stream<DynamicTest> dynamicTests = tests.stream().map(test -> DynamicTest.dynamicTest(test.name(), () -> {
            try {
                runtime.await(test.function().execute());
            } catch (PolyglotException e) {
                throw e.isGuestException() ? JsAssertionError.from(e.getGuestObject()) : e;
            }
        }));
        return DynamicContainer.dynamicContainer(fileName, dynamicTests.onClose(runtime::close));
    }
}
