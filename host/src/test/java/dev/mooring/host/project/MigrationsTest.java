package dev.mooring.host.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migrations: how they are read, which storage backend each class ends up with, and which histories are rejected. */
class MigrationsTest {

    @TempDir
    Path temporaryDirectory;

    private ProjectFixture project;

    @BeforeEach
    void createFixture() {
        project = new ProjectFixture(temporaryDirectory).file("worker.js", "export default {};");
    }

    /** Writes a wrangler.toml with name and main set, followed by {@code lines}. */
    private ProjectFixture config(String... lines) {
        String[] all = new String[lines.length + 2];
        all[0] = "name = \"app\"";
        all[1] = "main = \"worker.js\"";
        System.arraycopy(lines, 0, all, 2, lines.length);
        return project.toml(all);
    }

    @Test
    void historyWithRenameAndDelete() throws Exception {
        config(
                "[durable_objects]",
                "bindings = [ { name = \"ROOMS\", class_name = \"Room\" }, { name = \"LOGS\", class_name = \"Log\" } ]",
                "[[migrations]]",
                "tag = \"v1\"",
                "new_classes = [\"ChatRoom\", \"Old\"]",
                "new_sqlite_classes = [\"Log\"]",
                "[[migrations]]",
                "tag = \"v2\"",
                "renamed_classes = [ { from = \"ChatRoom\", to = \"Room\" } ]",
                "deleted_classes = [\"Old\"]");

        Project loaded = project.load();

        assertEquals(List.of(
                new Migration("v1", List.of("ChatRoom", "Old"), List.of("Log"), List.of(), List.of()),
                new Migration("v2", List.of(), List.of(), List.of(new Migration.RenamedClass("ChatRoom", "Room")),
                        List.of("Old"))), loaded.migrations());
        assertEquals(Map.of("Room", StorageKind.KEY_VALUE, "Log", StorageKind.SQLITE), loaded.classStorageKinds());
        assertEquals(List.of(), project.warnings);
    }

    @Test
    void unboundClassesAreListed() throws Exception {
        config("[[migrations]]", "tag = \"v1\"", "new_sqlite_classes = [\"Unbound\"]");

        assertEquals(Map.of("Unbound", StorageKind.SQLITE), project.load().classStorageKinds());
    }

    @Test
    void boundClassWithoutMigration() throws Exception {
        config("[durable_objects]", "bindings = [ { name = \"COUNTER\", class_name = \"Counter\" } ]");

        Project loaded = project.load();

        assertEquals(Map.of("Counter", StorageKind.KEY_VALUE), loaded.classStorageKinds());
        assertEquals(List.of("wrangler.toml: class \"Counter\" of durable object binding \"COUNTER\" is not created by "
                + "any migration, which Cloudflare requires. To create it, add it to a migration, e.g. new_sqlite_classes = "
                + "[\"Counter\"] (Mooring serves the key-value storage API for such a class, not the SQL API). mooring dev "
                + "uses the key-value backend for it meanwhile. mooring deploy fails for it, as Cloudflare does, unless an "
                + "earlier deploy of the script created the class"), project.warnings);
    }

    @Test
    void boundClassMisspelledInMigrationGetsSuggestion() throws Exception {
        config("[durable_objects]", "bindings = [ { name = \"DOCS\", class_name = \"DocRoom\" } ]",
                "[[migrations]]", "tag = \"v1\"", "new_classes = [\"DocRooms\"]");

        Project loaded = project.load();

        assertEquals(1, project.warnings.size(), String.valueOf(project.warnings));
        assertTrue(project.warnings.getFirst().contains("which Cloudflare requires. Did you mean \"DocRooms\" (migration "
                + "\"v1\" creates it)? To create it"), project.warnings.getFirst());
        assertEquals(Map.of("DocRooms", StorageKind.KEY_VALUE, "DocRoom", StorageKind.KEY_VALUE), loaded.classStorageKinds());
    }

    @Test
    void tagRepeated() {
        config("[[migrations]]", "tag = \"v1\"", "new_classes = [\"A\"]",
                "[[migrations]]", "tag = \"v1\"", "new_classes = [\"B\"]");

        assertEquals("wrangler.toml: key \"migrations[1].tag\" repeats the tag \"v1\" of migrations[0]; give each "
                + "migration a unique tag", project.loadError());
    }

    @Test
    void tagMissing() {
        config("[[migrations]]", "new_classes = [\"A\"]");

        assertEquals("wrangler.toml: key \"migrations[0].tag\" is missing; give each migration a unique tag, "
                + "e.g. \"v1\"", project.loadError());
    }

    @Test
    void transferredClassesUnsupported() {
        config("[[migrations]]", "tag = \"v1\"",
                "transferred_classes = [ { from = \"A\", from_script = \"other\", to = \"A\" } ]");

        assertEquals("wrangler.toml: migration \"v1\" sets migrations[0].transferred_classes, which moves classes "
                + "from another Worker; Mooring runs each project as one Worker and does not support that. "
                + "Remove \"transferred_classes\"", project.loadError());
    }

    @Test
    void createdAndDeletedInOneMigration() {
        config("[[migrations]]", "tag = \"v1\"", "new_sqlite_classes = [\"A\"]", "deleted_classes = [\"A\"]");

        assertEquals("wrangler.toml: key \"migrations[0].deleted_classes\" lists \"A\", which the same migration "
                + "creates; a class cannot be created and deleted in one migration. To replace a class, delete it in "
                + "one migration and create it again in a later one", project.loadError());
    }

    @Test
    void createdWithBothBackends() {
        config("[[migrations]]", "tag = \"v1\"", "new_classes = [\"A\"]", "new_sqlite_classes = [\"A\"]");

        assertEquals("wrangler.toml: key \"migrations[0].new_sqlite_classes\" lists \"A\", which "
                + "migrations[0].new_classes also lists; a class has one storage backend, so keep it in "
                + "new_sqlite_classes or in new_classes", project.loadError());
    }

    @Test
    void createdTwice() {
        config("[[migrations]]", "tag = \"v1\"", "new_classes = [\"A\"]",
                "[[migrations]]", "tag = \"v2\"", "new_sqlite_classes = [\"A\"]");

        assertEquals("wrangler.toml: key \"migrations[1].new_sqlite_classes\" lists \"A\", which already exists "
                + "(migration \"v1\" creates it); list each class once, or delete it in an earlier migration first",
                project.loadError());
    }

    @Test
    void listedTwiceInOneMigration() {
        config("[[migrations]]", "tag = \"v1\"", "new_classes = [\"A\", \"A\"]");

        assertEquals("wrangler.toml: key \"migrations[0].new_classes\" lists \"A\", which already exists "
                + "(migration \"v1\" creates it); list each class once, or delete it in an earlier migration first",
                project.loadError());
    }

    @Test
    void recreatedAfterDelete() throws Exception {
        config("[[migrations]]", "tag = \"v1\"", "new_classes = [\"A\"]",
                "[[migrations]]", "tag = \"v2\"", "deleted_classes = [\"A\"]",
                "[[migrations]]", "tag = \"v3\"", "new_sqlite_classes = [\"A\"]");

        assertEquals(Map.of("A", StorageKind.SQLITE), project.load().classStorageKinds());
    }

    @Test
    void renameThenCreateOldNameInOneMigration() throws Exception {
        // Renames come before creations, so the old name is free again within the same migration.
        config("[[migrations]]", "tag = \"v1\"", "new_classes = [\"A\"]",
                "[[migrations]]", "tag = \"v2\"", "renamed_classes = [ { from = \"A\", to = \"B\" } ]",
                "new_sqlite_classes = [\"A\"]");

        assertEquals(Map.of("B", StorageKind.KEY_VALUE, "A", StorageKind.SQLITE), project.load().classStorageKinds());
    }

    @Test
    void createdOverRenameTarget() {
        config("[[migrations]]", "tag = \"v1\"", "new_classes = [\"A\"]",
                "[[migrations]]", "tag = \"v2\"", "renamed_classes = [ { from = \"A\", to = \"B\" } ]",
                "new_classes = [\"B\"]");

        assertEquals("wrangler.toml: key \"migrations[1].new_classes\" lists \"B\", which already exists "
                + "(migration \"v2\" renames \"A\" to it); list each class once, or delete it in an earlier migration "
                + "first", project.loadError());
    }

    @Test
    void deletedWithoutCreation() {
        config("[[migrations]]", "tag = \"v1\"", "deleted_classes = [\"A\"]");

        assertEquals("wrangler.toml: key \"migrations[0].deleted_classes\" lists \"A\", which does not exist at "
                + "that point: no earlier migration creates it, or one already deleted or renamed it. Remove it from "
                + "the list", project.loadError());
    }

    @Test
    void renamedWithoutCreation() {
        config("[[migrations]]", "tag = \"v1\"", "renamed_classes = [ { from = \"A\", to = \"B\" } ]");

        assertEquals("wrangler.toml: key \"migrations[0].renamed_classes\" renames \"A\", which does not exist at "
                + "that point: no earlier migration creates it, or one deleted or renamed it. Rename only a class that "
                + "exists", project.loadError());
    }

    @Test
    void renamedOntoExistingClass() {
        config("[[migrations]]", "tag = \"v1\"", "new_classes = [\"A\", \"B\"]",
                "[[migrations]]", "tag = \"v2\"", "renamed_classes = [ { from = \"A\", to = \"B\" } ]");

        assertEquals("wrangler.toml: key \"migrations[1].renamed_classes\" renames \"A\" to \"B\", but a class \"B\" "
                + "already exists (migration \"v1\" creates it); choose a new name that no other class has",
                project.loadError());
    }

    @Test
    void renameMissingTo() {
        config("[[migrations]]", "tag = \"v1\"", "renamed_classes = [ { from = \"A\" } ]");

        assertEquals("wrangler.toml: key \"migrations[0].renamed_classes[0].to\" is missing; set it to the class's "
                + "new name", project.loadError());
    }

    @Test
    void bindingToDeletedClass() {
        config("[durable_objects]", "bindings = [ { name = \"ROOMS\", class_name = \"Room\" } ]",
                "[[migrations]]", "tag = \"v1\"", "new_classes = [\"Room\"]",
                "[[migrations]]", "tag = \"v2\"", "deleted_classes = [\"Room\"]");

        assertEquals("wrangler.toml: key \"durable_objects.bindings[0].class_name\" names \"Room\", but migration "
                + "\"v2\" deletes it; bind a class that exists after the last migration, or remove the binding",
                project.loadError());
    }

    @Test
    void bindingToRenamedClass() {
        config("[durable_objects]", "bindings = [ { name = \"ROOMS\", class_name = \"Room\" } ]",
                "[[migrations]]", "tag = \"v1\"", "new_classes = [\"Room\"]",
                "[[migrations]]", "tag = \"v2\"", "renamed_classes = [ { from = \"Room\", to = \"ChatRoom\" } ]");

        assertEquals("wrangler.toml: key \"durable_objects.bindings[0].class_name\" names \"Room\", but migration "
                + "\"v2\" renames it to \"ChatRoom\"; bind a class that exists after the last migration, or remove "
                + "the binding", project.loadError());
    }

    @Test
    void classListWrongType() {
        config("[[migrations]]", "tag = \"v1\"", "new_classes = \"A\"");

        assertEquals("wrangler.toml: key \"migrations[0].new_classes\" must be a list of strings, not \"A\"",
                project.loadError());
    }

    @Test
    void migrationsNotList() {
        config("migrations = \"v1\"");

        assertEquals("wrangler.toml: key \"migrations\" must be a list of tables (objects in JSON), not \"v1\"",
                project.loadError());
    }
}
