package dev.mooring.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The output of {@code ./mooring --version}: Mooring's, GraalJS's and Java's versions, one a line. */
class VersionsTest {

    /** A Maven version such as 0.1.0 or 0.1.0-SNAPSHOT; an unfiltered "${project.version}" does not match. */
    private static final String MAVEN_VERSION = "[0-9]+\\.[0-9]+\\.[0-9]+(-[A-Za-z0-9.]+)?";

    @Test
    void mooringVersionFilledInByBuild() {
        Versions versions = Versions.current();

        assertTrue(versions.mooring().matches(MAVEN_VERSION), versions.mooring());
    }

    @Test
    void graalJsVersionReadFromItsJar() {
        Versions versions = Versions.current();

        assertTrue(versions.graalJs().matches(MAVEN_VERSION), versions.graalJs());
        assertTrue(versions.polyglot().matches(MAVEN_VERSION), versions.polyglot());
    }

    @Test
    void printsThreeLines() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Versions versions = new Versions("1.2.3", "25.0.3", "25.0.4", "25.0.3+9-LTS (Temurin-25.0.3+9, OpenJDK 64-Bit Server VM)");

        versions.print(new PrintStream(out, true, StandardCharsets.UTF_8));

        assertEquals(List.of("Mooring 1.2.3", "GraalJS 25.0.3 (polyglot API 25.0.4)",
                "Java 25.0.3+9-LTS (Temurin-25.0.3+9, OpenJDK 64-Bit Server VM)"),
                out.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void javaLineNamesRuntimeVersion() {
        String java = Versions.current().lines().get(2);

        assertTrue(java.startsWith("Java " + Runtime.version() + " ("), java);
    }

    @Test
    void misspelledVersionGetsSuggestion() {
        assertTrue(Main.unknownCommand("versoin").contains("Did you mean version?"), Main.unknownCommand("versoin"));
    }
}
