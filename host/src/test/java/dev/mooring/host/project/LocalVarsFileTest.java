package dev.mooring.host.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local variables of {@code ./mooring dev}: the dotenv format and how they join a project's vars. */
class LocalVarsFileTest {

    @TempDir
    Path temporaryDirectory;

    private ProjectFixture project;

    @BeforeEach
    void createFixture() {
        project = new ProjectFixture(temporaryDirectory);
        project.file("worker.js", "export default { fetch() { return new Response('ok'); } };\n");
    }

    @Test
    void parsesNamesQuotesCommentsAndExports() throws Exception {
        Map<String, String> vars = LocalVarsFile.parse(".dev.vars", """
                # a comment line
                PLAIN=value with spaces   # a trailing comment
                export EXPORTED=yes
                EMPTY=
                HASH=abc#def
                DOUBLE="line one\\nline two"
                SINGLE='kept \\n as written'
                BACK=`back # quoted`
                MULTI="first
                second"
                  INDENTED = spaced out\r
                """);

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("PLAIN", "value with spaces");
        expected.put("EXPORTED", "yes");
        expected.put("EMPTY", "");
        expected.put("HASH", "abc#def");
        expected.put("DOUBLE", "line one\nline two");
        expected.put("SINGLE", "kept \\n as written");
        expected.put("BACK", "back # quoted");
        expected.put("MULTI", "first\nsecond");
        expected.put("INDENTED", "spaced out");
        assertEquals(expected, vars);
    }

    @Test
    void malformedLinesNameTheFileAndLine() {
        ProjectException noEquals = assertThrows(ProjectException.class, () -> LocalVarsFile.parse(".dev.vars", "A=1\nJUST_A_NAME\n"));
        assertEquals(".dev.vars line 2: expected NAME=value, found \"JUST_A_NAME\". Write each variable as NAME=value,"
                + " or start the line with # for a comment", noEquals.getMessage());

        ProjectException badName = assertThrows(ProjectException.class, () -> LocalVarsFile.parse(".env", "1ST=x\n"));
        assertEquals(".env line 1: \"1ST\" is not a variable name; use letters, digits and _, starting with a letter or _",
                badName.getMessage());

        ProjectException unclosed = assertThrows(ProjectException.class, () -> LocalVarsFile.parse(".env", "A=1\nKEY=\"open\nmore\n"));
        assertEquals(".env line 2: the value opened with \" is never closed; end it with \"", unclosed.getMessage());
    }

    @Test
    void devVarsOverrideVarsOfTheSameName() throws Exception {
        project.toml("name = \"local\"", "main = \"worker.js\"", "[vars]", "GREETING = \"hello\"", "LIMIT = 5");
        project.file(".dev.vars", "GREETING=local hello\nSECRET=s3cret\n");

        Project loaded = new ProjectLoader(project.warnings::add).loadForDev(project.directory);

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("GREETING", "local hello");
        expected.put("LIMIT", 5L);
        expected.put("SECRET", "s3cret");
        assertEquals(expected, loaded.vars());
        assertEquals(Map.of("GREETING", "hello", "LIMIT", 5L), project.load().vars(), "load() leaves local files out");
    }

    @Test
    void dotEnvIsReadOnlyWithoutDevVars() throws Exception {
        project.toml("name = \"local\"", "main = \"worker.js\"");
        project.file(".env", "FROM=env\n");

        assertEquals(Map.of("FROM", "env"), new ProjectLoader(project.warnings::add).loadForDev(project.directory).vars());

        project.file(".dev.vars", "FROM=dev.vars\n");
        assertEquals(Map.of("FROM", "dev.vars"), new ProjectLoader(project.warnings::add).loadForDev(project.directory).vars());
    }

    @Test
    void localVarNamedLikeABindingIsRejected() {
        project.toml("name = \"local\"", "main = \"worker.js\"", "[durable_objects]",
                "bindings = [ { name = \"COUNTER\", class_name = \"Counter\" } ]",
                "[[migrations]]", "tag = \"v1\"", "new_classes = [\"Counter\"]");
        project.file("worker.js", "export class Counter {}\nexport default { fetch() { return new Response('ok'); } };\n");
        project.file(".dev.vars", "COUNTER=1\n");

        ProjectException error = assertThrows(ProjectException.class,
                () -> new ProjectLoader(project.warnings::add).loadForDev(project.directory));

        assertEquals(project.path(".dev.vars") + " sets \"COUNTER\", which is also the name of a Durable Object binding;"
                + " rename the variable, because both would become env.COUNTER", error.getMessage());
    }
}
