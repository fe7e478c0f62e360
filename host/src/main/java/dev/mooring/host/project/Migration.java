package dev.mooring.host.project;

import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code [[migrations]]}, as declared. {@link Project#classStorageKinds()} contains the
 * result of applying all of them in order.
 *
 * @param tag              the migration's unique tag
 * @param newClasses       classes created with the key-value backend
 * @param newSqliteClasses classes created with the SQLite backend
 * @param renamedClasses   classes renamed, keeping their objects and storage backend
 * @param deletedClasses   classes deleted together with their objects
 */
public record Migration(
        String tag,
        List<String> newClasses,
        List<String> newSqliteClasses,
        List<RenamedClass> renamedClasses,
        List<String> deletedClasses) {

    /** One entry of {@code renamed_classes}. */
    public record RenamedClass(String from, String to) {
        public RenamedClass {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    public Migration {
        Objects.requireNonNull(tag, "tag");
        newClasses = List.copyOf(newClasses);
        newSqliteClasses = List.copyOf(newSqliteClasses);
        renamedClasses = List.copyOf(renamedClasses);
        deletedClasses = List.copyOf(deletedClasses);
    }
}
