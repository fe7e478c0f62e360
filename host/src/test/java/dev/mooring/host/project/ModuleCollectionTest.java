package dev.mooring.host.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mooring.sandbox.ModuleBundle;
import dev.mooring.sandbox.ModuleBundle.ModuleType;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files become modules, under which names and types, and which projects are rejected. */
class ModuleCollectionTest {

    @TempDir
    Path temporaryDirectory;

    private ProjectFixture project;

    @BeforeEach
    void createFixture() {
        project = new ProjectFixture(temporaryDirectory);
    }

    /** Writes a wrangler.toml with a name, {@code main} and the given extra lines. */
    private ProjectFixture config(String main, String... lines) {
        String[] all = new String[lines.length + 2];
        all[0] = "name = \"app\"";
        all[1] = "main = \"" + main + "\"";
        System.arraycopy(lines, 0, all, 2, lines.length);
        return project.toml(all);
    }

    private static Map<String, ModuleType> types(ModuleBundle bundle) {
        Map<String, ModuleType> types = new LinkedHashMap<>();
        bundle.modules().forEach((name, module) -> types.put(name, module.type()));
        return types;
    }

    // --- Names and types ---

    @Test
    void namesRelativeToMainModuleDirectory() throws Exception {
        config("src/index.js")
                .file("src/index.js", "import { x } from \"./lib/util.js\";\nexport default {};")
                .file("src/lib/util.js", "export const x = 1;")
                .file("src/lib/deep/more.mjs", "export const y = 2;")
                .file("src/templates/page.html", "<p>hi</p>")
                .file("src/sql/schema.sql", "create table t (x);")
                .file("src/assets/logo.bin", new byte[] {0, 1, 2, (byte) 0xff})
                .file("scripts/outside-module-root.js", "export {};");

        ModuleBundle bundle = project.load().bundle();

        assertEquals("index.js", bundle.mainModule());
        Map<String, ModuleType> expected = new LinkedHashMap<>();
        expected.put("index.js", ModuleType.ES_MODULE);
        expected.put("assets/logo.bin", ModuleType.DATA);
        expected.put("lib/deep/more.mjs", ModuleType.ES_MODULE);
        expected.put("lib/util.js", ModuleType.ES_MODULE);
        expected.put("sql/schema.sql", ModuleType.TEXT);
        expected.put("templates/page.html", ModuleType.TEXT);
        assertEquals(expected, types(bundle));
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, bundle.modules().get("assets/logo.bin").content());
    }

    @Test
    void bareNameOfModuleBesideMain() throws Exception {
        // The old chat demo imports "chat.html" as a bare specifier; it names the module at the root.
        config("chat.mjs", "[[rules]]", "type = \"Data\"", "globs = [\"**/*.html\"]", "fallthrough = false")
                .file("chat.mjs", "import HTML from \"chat.html\";\nexport default {};")
                .file("chat.html", "<!doctype html>");

        ModuleBundle bundle = project.load().bundle();

        assertEquals("chat.mjs", bundle.mainModule());
        assertEquals(ModuleType.DATA, bundle.modules().get("chat.html").type());
        assertEquals("<!doctype html>", bundle.modules().get("chat.html").text());
    }

    @Test
    void filesMatchingNoRuleAreNotModules() throws Exception {
        config("worker.js")
                .file("worker.js", "export default {};")
                .file("README.md", "# app")
                .file("package.json", "{}")
                .file("src/index.ts", "export {};")
                .file("LICENSE", "MIT");

        assertEquals(Map.of("worker.js", ModuleType.ES_MODULE), types(project.load().bundle()));
    }

    @Test
    void configFileIsNotModule() throws Exception {
        config("worker.js", "[[rules]]", "type = \"Text\"", "globs = [\"**/*.toml\"]")
                .file("worker.js", "export default {};")
                .file("settings.toml", "a = 1");

        assertEquals(List.of("worker.js", "settings.toml"), List.copyOf(project.load().bundle().modules().keySet()));
    }

    @Test
    void skippedDirectoriesAndDotFiles() throws Exception {
        config("worker.js")
                .file("worker.js", "export default {};")
                .file("node_modules/pkg/index.js", "export {};")
                .file("lib/node_modules/pkg/index.js", "export {};")
                .file(".git/hooks/x.js", "export {};")
                .file(".wrangler/tmp/bundle.js", "export {};")
                .file(".mooring/state.js", "export {};")
                .file(".vscode/settings.js", "export {};")
                .file(".eslintrc.js", "module.exports = {};")
                .file("lib/kept.js", "export {};");

        assertEquals(List.of("worker.js", "lib/kept.js"), List.copyOf(project.load().bundle().modules().keySet()));
    }

    @Test
    void baseDirSetsModuleRoot() throws Exception {
        config("src/entry/index.js", "base_dir = \"src\"")
                .file("src/entry/index.js", "import \"../shared/util.js\";\nexport default {};")
                .file("src/shared/util.js", "export {};");

        ModuleBundle bundle = project.load().bundle();

        assertEquals("entry/index.js", bundle.mainModule());
        assertEquals(List.of("entry/index.js", "shared/util.js"), List.copyOf(bundle.modules().keySet()));
        assertEquals(List.of(), project.warnings);
    }

    @Test
    void mainOutsideBaseDir() {
        config("worker.js", "base_dir = \"src\"")
                .file("worker.js", "export default {};")
                .file("src/util.js", "export {};");

        assertEquals("wrangler.toml: key \"main\" names " + project.path("worker.js") + ", which is outside base_dir "
                + project.path("src") + "; move the entry module into base_dir, or change \"base_dir\"",
                project.loadError());
    }

    // --- Rules ---

    @Test
    void userRuleBeforeDefaultRules() throws Exception {
        config("worker.js", "[[rules]]", "type = \"Data\"", "globs = [\"**/*.txt\"]", "fallthrough = true")
                .file("worker.js", "export default {};")
                .file("a.txt", "data, not text")
                .file("b.bin", "still data through the default rule");

        assertEquals(Map.of("worker.js", ModuleType.ES_MODULE, "a.txt", ModuleType.DATA, "b.bin", ModuleType.DATA),
                types(project.load().bundle()));
        assertEquals(List.of(), project.warnings);
    }

    @Test
    void ruleWithoutFallthroughShadowsDefaultWithWarning() throws Exception {
        config("worker.js", "[[rules]]", "type = \"Data\"", "globs = [\"**/*.dat\"]")
                .file("worker.js", "export default {};")
                .file("a.dat", "data")
                .file("b.bin", "no longer a module");

        assertEquals(Map.of("worker.js", ModuleType.ES_MODULE, "a.dat", ModuleType.DATA), types(project.load().bundle()));
        assertEquals(List.of("wrangler.toml: module rule Data rule [\"**/*.dat\"] does not set \"fallthrough\", so "
                + "these later rules of type Data are ignored: Data rule [\"**/*.bin\"] (default). Set fallthrough = "
                + "true on the first rule to keep them, or fallthrough = false to silence this warning"), project.warnings);
    }

    @Test
    void userEsModuleRuleReplacesDefault() throws Exception {
        config("worker.js", "[[rules]]", "type = \"ESModule\"", "globs = [\"**/*.js\"]", "fallthrough = false")
                .file("worker.js", "export default {};")
                .file("util.js", "export {};")
                .file("other.mjs", "export {};");

        assertEquals(List.of("worker.js", "util.js"), List.copyOf(project.load().bundle().modules().keySet()));
    }

    @Test
    void userEsModuleRuleAllowsOtherMainExtension() throws Exception {
        config("worker.es", "[[rules]]", "type = \"ESModule\"", "globs = [\"**/*.es\"]", "fallthrough = true")
                .file("worker.es", "export default {};");

        assertEquals("worker.es", project.load().bundle().mainModule());
    }

    // --- Unsupported module types ---

    @Test
    void commonJsFileRejected() {
        config("src/index.js")
                .file("src/index.js", "export default {};")
                .file("src/legacy.cjs", "module.exports = {};");

        assertEquals(project.path("src/legacy.cjs") + " is a CommonJS module (CommonJS rule [\"**/*.cjs\"] (default)); "
                + "Mooring supports only ES modules, Text and Data modules. Convert it, or move it out of "
                + project.path("src") + " if the Worker does not import it", project.loadError());
    }

    @Test
    void wasmFileRejected() {
        config("src/index.js")
                .file("src/index.js", "export default {};")
                .file("src/add.wasm", new byte[] {0, 'a', 's', 'm'});

        assertEquals(project.path("src/add.wasm") + " is a CompiledWasm module (CompiledWasm rule [\"**/*.wasm\", "
                + "\"**/*.wasm?module\"] (default)); Mooring supports only ES modules, Text and Data modules. Convert "
                + "it, or move it out of " + project.path("src") + " if the Worker does not import it",
                project.loadError());
    }

    @Test
    void userCommonJsRuleRejectsMatches() {
        config("worker.js", "[[rules]]", "type = \"CommonJS\"", "globs = [\"lib/**/*.js\"]")
                .file("worker.js", "export default {};")
                .file("lib/old.js", "module.exports = 1;");

        assertEquals(project.path("lib/old.js") + " is a CommonJS module (CommonJS rule [\"lib/**/*.js\"]); Mooring "
                + "supports only ES modules, Text and Data modules. Convert it, or move it out of " + project.directory
                + " if the Worker does not import it", project.loadError());
    }

    // --- main ---

    @Test
    void mainDoesNotExist() {
        config("src/index.js");

        assertEquals("wrangler.toml: key \"main\" names " + project.path("src/index.js") + ", which does not exist; "
                + "set \"main\" to the path of the Worker's entry module, relative to " + project.directory,
                project.loadError());
    }

    @Test
    void mainOutsideProject() throws Exception {
        Files.writeString(temporaryDirectory.resolve("outside.js"), "export default {};");
        ProjectFixture nested = new ProjectFixture(Files.createDirectory(temporaryDirectory.resolve("app")));
        nested.toml("name = \"app\"", "main = \"../outside.js\"");

        assertEquals("wrangler.toml: key \"main\" names " + project.path("outside.js") + ", which is outside the "
                + "project directory " + nested.directory + "; move the entry module into the project",
                nested.loadError());
    }

    @Test
    void mainLinksOutsideProject() throws Exception {
        Path target = Files.writeString(temporaryDirectory.resolve("outside.js"), "export default {};");
        ProjectFixture nested = new ProjectFixture(Files.createDirectory(temporaryDirectory.resolve("app")));
        nested.toml("name = \"app\"", "main = \"worker.js\"");
        Files.createSymbolicLink(nested.path("worker.js"), target);

        assertEquals("wrangler.toml: key \"main\" names " + nested.path("worker.js") + ", which links to "
                + target.toRealPath() + ", outside the project directory " + nested.directory
                + "; move the entry module into the project", nested.loadError());
    }

    @Test
    void mainIsDirectory() throws Exception {
        config("src");
        Files.createDirectory(project.path("src"));

        assertEquals("wrangler.toml: key \"main\" names " + project.path("src") + ", which is not a file; set "
                + "\"main\" to the path of the Worker's entry module, relative to " + project.directory,
                project.loadError());
    }

    @Test
    void mainTypeScript() {
        config("src/index.ts").file("src/index.ts", "export default {} satisfies ExportedHandler;");

        assertEquals("wrangler.toml: key \"main\" names " + project.path("src/index.ts") + ", which is not an ES "
                + "module file; Mooring runs .js and .mjs files as they are, without bundling or compiling, so build "
                + "TypeScript or JSX first and point \"main\" at the output", project.loadError());
    }

    @Test
    void mainCommonJs() {
        config("index.cjs").file("index.cjs", "module.exports = {};");

        assertEquals("wrangler.toml: key \"main\" names " + project.path("index.cjs") + ", which is a CommonJS "
                + "module; Mooring supports only ES modules, Text and Data modules, so point \"main\" at an ES module",
                project.loadError());
    }

    // --- Symbolic links ---

    @Test
    void linkToFileInsideProjectIsModule() throws Exception {
        config("src/index.js")
                .file("src/index.js", "export default {};")
                .file("shared/util.js", "export const shared = true;");
        Files.createSymbolicLink(project.path("src/util.js"), project.path("shared/util.js"));

        ModuleBundle bundle = project.load().bundle();

        assertEquals("export const shared = true;", bundle.modules().get("util.js").text());
    }

    @Test
    void linkToFileOutsideProjectRejected() throws Exception {
        Path target = Files.writeString(temporaryDirectory.resolve("secret.txt"), "not part of the project");
        ProjectFixture nested = new ProjectFixture(Files.createDirectory(temporaryDirectory.resolve("app")));
        nested.toml("name = \"app\"", "main = \"worker.js\"").file("worker.js", "export default {};");
        Files.createSymbolicLink(nested.path("notes.txt"), target);

        assertEquals(nested.path("notes.txt") + " is a symbolic link to " + target.toRealPath() + ", outside the "
                + "project directory " + nested.directory + "; Mooring loads only files inside the project, so copy "
                + "the file in or remove the link", nested.loadError());
    }

    @Test
    void linkToDirectoryNotFollowed() throws Exception {
        config("worker.js")
                .file("worker.js", "export default {};")
                .file("real/util.js", "export {};");
        Files.createSymbolicLink(project.path("linked"), project.path("real"));

        ModuleBundle bundle = project.load().bundle();

        assertEquals(List.of("worker.js", "real/util.js"), List.copyOf(bundle.modules().keySet()));
        assertEquals(List.of(project.path("linked") + " is a symbolic link to a directory; Mooring does not follow "
                + "it, so no module is loaded from it"), project.warnings);
    }

    // --- Limits ---

    @Test
    void moduleCountAtLimit() throws Exception {
        config("worker.js").file("worker.js", "export default {};");
        for (int i = 1; i < ProjectLoader.MAX_MODULES; i++) {
            project.file("parts/" + (i % 100) + "/" + i + ".txt", "x");
        }

        assertEquals(ProjectLoader.MAX_MODULES, project.load().bundle().modules().size());
    }

    @Test
    void moduleCountOverLimit() {
        config("worker.js").file("worker.js", "export default {};");
        for (int i = 0; i < ProjectLoader.MAX_MODULES; i++) {
            project.file("parts/" + (i % 100) + "/" + i + ".txt", "x");
        }

        assertEquals("The project in " + project.directory + " has more than 10000 modules under " + project.directory
                + ", the maximum Mooring loads for one project; move files that the Worker does not import out of "
                + project.directory + ", or narrow the module rules in wrangler.toml", project.loadError());
    }

    @Test
    void totalSizeOverLimit() throws Exception {
        config("worker.js").file("worker.js", "export default {};");
        // A sparse file: its size is checked before it is read, so the test writes no 64 MiB.
        try (RandomAccessFile file = new RandomAccessFile(project.path("big.bin").toFile(), "rw")) {
            file.setLength(ProjectLoader.MAX_TOTAL_MODULE_BYTES);
        }

        assertEquals("The modules under " + project.directory + " add up to more than 67108864 bytes (64 MiB), the "
                + "maximum Mooring loads for one project; move files that the Worker does not import out of "
                + project.directory + ", or narrow the module rules in wrangler.toml", project.loadError());
    }

    @Test
    void totalSizeAtLimit() throws Exception {
        String main = "export default {};";
        config("worker.js").file("worker.js", main);
        try (RandomAccessFile file = new RandomAccessFile(project.path("big.bin").toFile(), "rw")) {
            file.setLength(ProjectLoader.MAX_TOTAL_MODULE_BYTES - main.length());
        }

        ModuleBundle bundle = project.load().bundle();

        assertEquals(ProjectLoader.MAX_TOTAL_MODULE_BYTES - main.length(), bundle.modules().get("big.bin").content().length);
    }

    // --- Names the bundle rejects ---

    @Test
    void fileNameWithBackslashRejected() {
        config("worker.js").file("worker.js", "export default {};").file("odd\\name.txt", "x");

        assertEquals(project.path("odd\\name.txt") + " cannot be a module: Module name odd\\name.txt contains a "
                + "backslash or NUL character; rename the file", project.loadError());
    }
}
