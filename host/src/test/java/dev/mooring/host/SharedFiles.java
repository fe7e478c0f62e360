package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared seed and test material beside the checkout; tests fail, never skip, without it. */
public final class SharedFiles {

    private SharedFiles() {}

    /** The shared folder, from the system property {@code mooring.shared.dir} that the build sets. */
    public static Path root() {
        String configured = System.getProperty("mooring.shared.dir");
        assertTrue(configured != null, "System property mooring.shared.dir is not set; run the tests through Maven");
        Path root = Path.of(configured).toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(root), "Shared folder not found at " + root + "; it holds the seed projects");
        return root;
    }

    /** The announcement's Counter behind its routing worker, unchanged. */
    public static Path seedCounterApp() {
        Path app = root().resolve("seed/counter-app");
        assertTrue(Files.isRegularFile(app.resolve("wrangler.toml")), "Seed counter app not found at " + app);
        return app;
    }
}
