package dev.mooring.host.scripts;

import dev.mooring.host.project.StorageKind;
import java.util.Objects;

/**
 * A Durable Object class as a deployed version has it: its storage backend and the key of its
 * storage namespace. The key is chosen when a migration creates the class and never changes, so a
 * renamed class keeps its objects' IDs and data.
 */
public record DeployedClass(StorageKind storage, String namespaceKey) {

    public DeployedClass {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(namespaceKey, "namespaceKey");
    }
}
