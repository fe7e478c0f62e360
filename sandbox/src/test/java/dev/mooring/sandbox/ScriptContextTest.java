package dev.mooring.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScriptContextTest {

    private final LoopFixture fixture = new LoopFixture(1);

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    private static Map<String, String> modules(String... nameAndSource) {
        Map<String, String> modules = new LinkedHashMap<>();
        for (int i = 0; i < nameAndSource.length; i += 2) {
            modules.put(nameAndSource[i], nameAndSource[i + 1]);
        }
        return modules;
    }

    @Test
    void mainModuleExportsAreVisible() throws Exception {
        ScriptContext context = fixture.load(modules(
                "src/worker.js", "import { twice } from './lib/math.js'; export class Counter {} export default { n: twice(21) };",
                "src/lib/math.js", "import { one } from '../one.js'; export const twice = (x) => x * 2 * one;",
                "src/one.js", "export const one = 1;"));

        int n = fixture.onLoop(() -> context.exports().getMember("default").getMember("n").asInt());
        boolean counterIsClass = fixture.onLoop(() -> context.exports().getMember("Counter").canInstantiate());

        assertEquals(42, n);
        assertTrue(counterIsClass);
    }

    @Test
    void textAndDataModulesExportContent() throws Exception {
        Map<String, ModuleBundle.Module> entries = new LinkedHashMap<>();
        entries.put("worker.js", new ModuleBundle.Module("worker.js", ModuleBundle.ModuleType.ES_MODULE,
                ("import page from './page.html'; import blob from 'blob.bin';"
                        + " export default { page, bytes: Array.from(new Uint8Array(blob)), isBuffer: blob instanceof ArrayBuffer };")
                        .getBytes()));
        entries.put("page.html", new ModuleBundle.Module("page.html", ModuleBundle.ModuleType.TEXT,
                "<p>\"quoted\" \\ \u2028 \uD83D\uDE00</p>\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        entries.put("blob.bin", new ModuleBundle.Module("blob.bin", ModuleBundle.ModuleType.DATA,
                new byte[] {0, 1, (byte) 0xff, (byte) 0x80, 10}));
        ScriptContext context = fixture.load(fixture.loop(), new ModuleBundle("worker.js", entries));

        String page = fixture.onLoop(() -> context.exports().getMember("default").getMember("page").asString());
        int[] bytes = fixture.onLoop(() -> context.exports().getMember("default").getMember("bytes").as(int[].class));
        boolean isBuffer = fixture.onLoop(() -> context.exports().getMember("default").getMember("isBuffer").asBoolean());

        assertEquals("<p>\"quoted\" \\ \u2028 \uD83D\uDE00</p>\n", page);
        assertArrayEquals(new int[] {0, 1, 255, 128, 10}, bytes);
        assertTrue(isBuffer);
    }

    @Test
    void syntaxErrorNamesModuleLineAndColumn() {
        ScriptLoadException error = assertThrows(ScriptLoadException.class, () -> fixture.load(modules(
                "worker.js", "import './lib/bad.js'; export default {};",
                "lib/bad.js", "export const a = 1;\nlet x = ;\n")));

        assertTrue(error.getMessage().startsWith("Syntax error in lib/bad.js at line 2, column 9: "), error.getMessage());
    }

    @Test
    void missingImportNamesTheModule() {
        ScriptLoadException error = assertThrows(ScriptLoadException.class, () -> fixture.load(modules(
                "worker.js", "import { x } from './missing.js'; export default x;")));

        assertTrue(error.getMessage().startsWith("Cannot find module missing.js, imported from worker.js: the project has no"
                + " such module"), error.getMessage());
    }

    @Test
    void packageImportSaysPackagesAreNotBundled() {
        ScriptLoadException error = assertThrows(ScriptLoadException.class, () -> fixture.load(modules(
                "worker.js", "import { nanoid } from 'nanoid'; export default nanoid;")));

        assertTrue(error.getMessage().startsWith("Cannot find module nanoid, imported from worker.js: the project has no"
                + " such module"), error.getMessage());
        assertTrue(error.getMessage().endsWith("Mooring does not bundle packages from node_modules."), error.getMessage());
    }

    @Test
    void topLevelThrowFailsTheLoad() {
        ScriptLoadException error = assertThrows(ScriptLoadException.class, () -> fixture.load(modules(
                "worker.js", "throw new RangeError('boom at load');")));

        assertTrue(error.getMessage().contains("RangeError: boom at load"), error.getMessage());
    }

    @Test
    void timerAtTopLevelIsRejected() {
        ScriptLoadException error = assertThrows(ScriptLoadException.class, () -> fixture.load(modules(
                "worker.js", "setTimeout(() => {}, 1); export default {};")));

        assertTrue(error.getMessage().contains("Disallowed operation called within global scope"), error.getMessage());
    }

    @Test
    void guestErrorCarriesNameMessageAndStack() throws Exception {
        ScriptContext context = fixture.load(modules(
                "worker.js", "export function fail() { throw new TypeError('bad input'); }"));
        TestOwner owner = new TestOwner();

        GuestException error = assertThrows(GuestException.class, () -> fixture.onLoop(() ->
                context.call(owner, () -> context.exports().getMember("fail").execute())));

        assertEquals("TypeError", error.errorName());
        assertEquals("bad input", error.errorMessage());
        assertTrue(error.jsStack().contains("worker.js"), error.jsStack());
    }

    @Test
    void timerFiresForTheOwnerThatSetIt() throws Exception {
        ScriptContext context = fixture.load(modules(
                "worker.js", "export const state = { fired: 0 }; export function arm() { setTimeout(() => state.fired++, 5); }"));
        TestOwner owner = new TestOwner();
        CompletableFuture<Integer> fired = new CompletableFuture<>();

        fixture.onLoop(() -> context.call(owner, () -> context.exports().getMember("arm").execute()));
        int pendingAfterArm = fixture.onLoop(() -> owner.activeTimers);
        while (!fired.isDone()) {
            int count = fixture.onLoop(() -> context.exports().getMember("state").getMember("fired").asInt());
            if (count > 0) {
                fired.complete(count);
            }
        }

        assertEquals(1, pendingAfterArm);
        assertEquals(1, fired.get(10, TimeUnit.SECONDS));
        assertEquals(0, fixture.onLoop(() -> owner.activeTimers));
    }

    @Test
    void cancelledTimerReleasesTheOwner() throws Exception {
        ScriptContext context = fixture.load(modules(
                "worker.js", "export function armAndCancel() { const id = setTimeout(() => {}, 60000); clearTimeout(id); }"));
        TestOwner owner = new TestOwner();

        fixture.onLoop(() -> context.call(owner, () -> context.exports().getMember("armAndCancel").execute()));

        assertEquals(0, fixture.onLoop(() -> owner.activeTimers));
    }

    @Test
    void microtasksRunBeforeCallReturns() throws Exception {
        ScriptContext context = fixture.load(modules(
                "worker.js", "export const log = []; export function run() { Promise.resolve().then(() => log.push('micro')); log.push('sync'); }"));
        TestOwner owner = new TestOwner();

        Value log = fixture.onLoop(() -> {
            context.call(owner, () -> context.exports().getMember("run").execute());
            return context.exports().getMember("log");
        });

        assertEquals(2, fixture.onLoop(() -> (int) log.getArraySize()));
    }

    @Test
    void guestErrorReachesGuestAsItsJsError() throws Exception {
        ScriptContext context = fixture.load(modules(
                "worker.js", """
                        export function callHost(f) {
                          globalThis.RangeError = function Impostor() {};
                          try { f(); return 'returned'; } catch (e) { return [e.name, e.message, e instanceof Error].join('|'); }
                        }
                        """));
        TestOwner owner = new TestOwner();
        ProxyExecutable failing = arguments -> {
            throw context.guestError("RangeError", "quota reached");
        };

        String seen = fixture.onLoop(() -> context.call(owner, () -> context.exports().getMember("callHost").execute(failing).asString()));

        assertEquals("RangeError|quota reached|true", seen);
    }
}
