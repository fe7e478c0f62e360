package dev.mooring.host.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.LogCapture;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening and closing a store each log one INFO line, with sizes the way the size options read
 * them, such as 64MiB. The options and the steps of the open go to DEBUG, and the commit fault
 * injector appears there only when a test installed one.
 */
class StoreLogTest {

    private static final String STORAGE = "dev.mooring.host.storage";

    @TempDir
    Path directory;

    @Test
    void openAndCloseLogOneInfoLineEach() throws Exception {
        LmdbStore.Options options = LmdbStore.Options.defaults().withInitialMapSizeBytes(64L << 20);
        try (LogCapture logs = LogCapture.withDebug(STORAGE)) {
            LmdbStore store = LmdbStore.open(directory, options);
            List<String> opened = infoLines(logs);
            store.close();
            List<String> closed = infoLines(logs).subList(opened.size(), infoLines(logs).size());

            String prefix = LmdbStore.class.getName() + " INFO ";
            assertEquals(1, opened.size(), "INFO lines of the open: " + opened);
            assertTrue(opened.get(0).matches(Pattern.quote(prefix + "Opened LMDB store " + store.directory())
                    + ": data file [0-9.]+KiB, 0 namespaces, map 64MiB \\(grows up to 1TiB\\)"), opened.get(0));
            assertEquals(List.of(prefix + "Closed LMDB store " + store.directory() + " after 0 commits of 0 batches"), closed);
        }
    }

    @Test
    void openDetailsGoToDebug() throws Exception {
        LmdbStore.Options options = LmdbStore.Options.defaults().withInitialMapSizeBytes(64L << 20);
        try (LogCapture logs = LogCapture.withDebug(STORAGE); LmdbStore store = LmdbStore.open(directory, options)) {
            List<String> debug = logs.messages(LmdbStore.class.getName(), "DEBUG");

            assertTrue(debug.stream().anyMatch(line -> line.contains("with initial map 64MiB, map growth factor 2.0, max map 1TiB,"
                    + " max readers 1024, at most 1000 operations and 4MiB per commit")), "store lines: " + debug);
            assertTrue(debug.stream().anyMatch(line -> line.startsWith("Built the storage usage records of 0 objects")),
                    "store lines: " + debug);
            assertTrue(logs.messages(LmdbEnvironment.class.getName(), "DEBUG").stream()
                    .anyMatch(line -> line.contains("with a map of 64MiB (requested 64MiB), max readers 1024")), "environment lines: "
                    + logs.lines());
            assertTrue(logs.messages(CommitWriter.class.getName(), "DEBUG").stream().anyMatch(line -> line.endsWith(" started")),
                    "commit writer lines: " + logs.lines());
            assertFalse(logs.contains(LmdbStore.class.getName(), "injector"), "no test hook in the store lines: " + logs.lines());
            assertFalse(logs.contains(LmdbStore.class.getName(), "bytes"), "no raw byte counts in the store lines: " + logs.lines());
        }
    }

    @Test
    void openingNamesInstalledFaultInjector() throws Exception {
        LmdbStore.Options options = LmdbStore.Options.defaults().withInitialMapSizeBytes(64L << 20)
                .withCommitFaultInjector(batch -> false);
        try (LogCapture logs = LogCapture.withDebug(LmdbStore.class.getName()); LmdbStore store = LmdbStore.open(directory, options)) {
            assertTrue(logs.contains(LmdbStore.class.getName(), "per commit, commit fault injector installed"),
                    "store line: " + logs.lines());
        }
    }

    /** Returns the lines that loggers of the storage package wrote at INFO, as "logger INFO message". */
    private static List<String> infoLines(LogCapture logs) {
        return logs.lines().stream().filter(line -> line.startsWith(STORAGE + ".") && line.contains(" INFO ")).toList();
    }
}
