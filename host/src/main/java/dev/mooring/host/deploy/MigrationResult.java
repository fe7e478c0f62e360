package dev.mooring.host.deploy;

import java.util.List;
import java.util.Objects;

/**
 * The effect of an upload's migrations on the deployed classes.
 *
 * @param classes the classes and migration tag after the upload; unchanged when it has no migrations
 * @param changes the changes to apply to storage, in order
 */
public record MigrationResult(DeployedClasses classes, List<ClassChange> changes) {

    public MigrationResult {
        Objects.requireNonNull(classes, "classes");
        changes = List.copyOf(changes);
    }
}
