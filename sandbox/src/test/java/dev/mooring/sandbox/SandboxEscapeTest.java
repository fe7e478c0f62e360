package dev.mooring.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Guest code must not reach the host: no Java classes, no polyglot bindings, no files beyond its
 * own modules, no code generation from strings, no process. Each case runs a probe in a fresh
 * context and expects the described outcome as a string.
 */
class SandboxEscapeTest {

    private final LoopFixture fixture = new LoopFixture(1);

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    private String probe(String body) throws Exception {
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("worker.js", "export async function probe() { try { return String(await (async () => { " + body + " })()); }"
                + " catch (e) { return 'threw ' + (e && e.name); } }");
        modules.put("secret.txt", "inside the bundle");
        ScriptContext context = fixture.load(modules);
        TestOwner owner = new TestOwner();
        return fixture.onLoop(() -> {
            Object[] result = new Object[1];
            context.call(owner, () -> context.exports().getMember("probe").execute()
                    .invokeMember("then", (org.graalvm.polyglot.proxy.ProxyExecutable) arguments -> {
                        result[0] = arguments[0].asString();
                        return null;
                    }));
            return (String) result[0];
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Java global is absent | return typeof Java | undefined",
        "Polyglot global is absent | return typeof Polyglot | undefined",
        "Packages global is absent | return typeof Packages | undefined",
        "load is absent | return typeof load | undefined",
        "Graal global is absent | return typeof Graal | undefined",
        "process is absent | return typeof process | undefined",
        "require is absent | return typeof require | undefined",
        "eval is disabled | return eval('1 + 1') | threw EvalError",
        "Function constructor is disabled | return new Function('return 1')() | threw EvalError",
        "indirect Function constructor is disabled | return (async function () {}).constructor('return 1') | threw EvalError",
        "file URL import fails | return (await import('file:///etc/passwd')).default | threw Error",
        "absolute host path import fails | return (await import('/etc/hostname')).default | threw Error",
        "parent path import stays in bundle | return (await import('../../../etc/passwd')).default | threw Error",
        "https import fails | return (await import('https://example.com/x.js')).default | threw Error",
        "bundle text module still loads | return (await import('./secret.txt')).default | inside the bundle",
        "SharedArrayBuffer is absent | return typeof SharedArrayBuffer | undefined",
        "Atomics.wait cannot block | return Atomics.wait(new Int32Array(4), 0, 0) | threw TypeError",
        "WebAssembly is absent | return typeof WebAssembly | undefined",
    })
    void guestCannotEscape(String name, String body, String expected) throws Exception {
        assertEquals(expected, probe(body));
    }
}
