package dev.mooring.host.project;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A project directory written file by file in a test's temporary directory, and the warnings of loading it. */
final class ProjectFixture {

    final Path directory;
    final List<String> warnings = new ArrayList<>();

    ProjectFixture(Path temporaryDirectory) {
        try {
            this.directory = temporaryDirectory.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code content} to {@code relativePath}, creating parent directories. */
    ProjectFixture file(String relativePath, String content) {
        return file(relativePath, content.getBytes(StandardCharsets.UTF_8));
    }

    ProjectFixture file(String relativePath, byte[] content) {
        Path path = path(relativePath);
        try {
            Files.createDirectories(path.getParent());
            Files.write(path, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Writes a wrangler.toml whose lines are {@code lines}. */
    ProjectFixture toml(String... lines) {
        return file("wrangler.toml", String.join("\n", lines) + "\n");
    }

    Path path(String relativePath) {
        return directory.resolve(relativePath);
    }

    Project load() throws ProjectException {
        return new ProjectLoader(warnings::add).load(directory);
    }

    /** Loads the project, expects a ProjectException and returns its message. */
    String loadError() {
        return assertThrows(ProjectException.class, this::load).getMessage();
    }
}
