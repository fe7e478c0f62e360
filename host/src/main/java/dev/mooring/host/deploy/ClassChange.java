package dev.mooring.host.deploy;

import dev.mooring.host.project.StorageKind;
import java.util.Objects;

/**
 * One change an upload's migrations make to the deployed classes, in the order the host must
 * apply it to storage: within each migration step, deletions first, then renames, then creations.
 */
public sealed interface ClassChange {

    /** The class and all its objects' storage are gone; only a migration step deletes storage. */
    record Deleted(String className) implements ClassChange {
        public Deleted {
            Objects.requireNonNull(className, "className");
        }
    }

    /** The class {@code from} is now called {@code to}; its objects and their storage move with it. */
    record Renamed(String from, String to) implements ClassChange {
        public Renamed {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /** A new class with no objects yet, created with {@code storageKind}. */
    record Created(String className, StorageKind storageKind) implements ClassChange {
        public Created {
            Objects.requireNonNull(className, "className");
            Objects.requireNonNull(storageKind, "storageKind");
        }
    }
}
