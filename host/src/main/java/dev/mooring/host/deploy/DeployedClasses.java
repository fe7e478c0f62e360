package dev.mooring.host.deploy;

import dev.mooring.host.project.StorageKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Durable Object classes of a deployed script version and the migration tag they were reached
 * with: what the next upload's migrations start from. A script that has never been uploaded, or
 * was only uploaded without migrations, has no tag and no classes ({@link #NONE}).
 *
 * @param migrationTag the {@code new_tag} of the last upload that had migrations, or null
 * @param classes      every class that exists, with its storage backend, in creation order
 */
public record DeployedClasses(String migrationTag, Map<String, StorageKind> classes) {

    /** The state of a script that has no migrations yet. */
    public static final DeployedClasses NONE = new DeployedClasses(null, Map.of());

    public DeployedClasses {
        classes = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(classes, "classes")));
    }
}
