package dev.mooring.host.scripts;

import dev.mooring.host.project.Migration;
import java.util.List;

/**
 * An upload's migrations, in the shape of Cloudflare's script upload: the steps to apply, with
 * the tag the uploader believes is deployed and the tag to record afterwards.
 *
 * @param oldTag the tag that must be deployed for the steps to apply, or null to skip that check
 * @param newTag the tag to record after the steps, or null to keep the current one
 * @param steps  applied in order; each step's deletions first, then renames, then creations
 */
public record MigrationSteps(String oldTag, String newTag, List<Migration> steps) {

    /** No migrations: the classes stay as they are. */
    public static final MigrationSteps NONE = new MigrationSteps(null, null, List.of());

    public MigrationSteps {
        steps = List.copyOf(steps);
    }
}
