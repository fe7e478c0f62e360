package dev.mooring.host.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.LogCapture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a store logs its sizes the way the size options read them, such as 64MiB, and names the
 * commit fault injector only when a test installed one.
 */
class StoreLogTest {

    @TempDir
    Path directory;

    @Test
    void openingLogsHumanSizesWithoutTestHook() throws Exception {
        LmdbStore.Options options = LmdbStore.Options.defaults().withInitialMapSizeBytes(64L << 20);
        try (LogCapture logs = LogCapture.of("dev.mooring.host.storage"); LmdbStore store = LmdbStore.open(directory, options)) {
            assertTrue(logs.contains(LmdbStore.class.getName(), "with initial map 64MiB, map growth factor 2.0, max map 1TiB,"
                    + " max readers 1024, at most 1000 operations and 4MiB per commit"), "store line: " + logs.lines());
            assertTrue(logs.contains(LmdbEnvironment.class.getName(), "with a map of 64MiB (requested 64MiB), max readers 1024"),
                    "environment line: " + logs.lines());
            assertFalse(logs.contains(LmdbStore.class.getName(), "injector"), "no test hook in the store line: " + logs.lines());
            assertFalse(logs.contains(LmdbStore.class.getName(), "bytes"), "no raw byte counts in the store line: " + logs.lines());
        }
    }

    @Test
    void openingNamesInstalledFaultInjector() throws Exception {
        LmdbStore.Options options = LmdbStore.Options.defaults().withInitialMapSizeBytes(64L << 20)
                .withCommitFaultInjector(batch -> false);
        try (LogCapture logs = LogCapture.of(LmdbStore.class.getName()); LmdbStore store = LmdbStore.open(directory, options)) {
            assertTrue(logs.contains(LmdbStore.class.getName(), "per commit, commit fault injector installed"),
                    "store line: " + logs.lines());
        }
    }
}
