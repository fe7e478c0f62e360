package dev.mooring.host.scripts;

import dev.mooring.host.objects.ScriptRuntime;
import dev.mooring.sandbox.EventLoop;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One script of the registry: the version that serves, its runtime and its event loops.
 *
 * <p>Deploys and deletions of the script hold {@link #lock}, so they happen one at a time; the
 * router reads {@link #runtime} without a lock, and sees either the old or the new version.
 */
final class DeployedScript {

    final String name;
    final ReentrantLock lock = new ReentrantLock();

    /** The script's event loops, shared by all its versions; null before the first version starts. */
    List<EventLoop> loops;

    /** The version that serves; null before the first deploy. */
    volatile ScriptVersion version;

    /** The runtime of {@link #version}; null before the first deploy or when it failed to start. */
    volatile ScriptRuntime runtime;

    /** Why the archived version could not start after a restart; null when it serves. */
    volatile String startFailure;

    /** Set when the script was deleted; a deploy that waited for the lock starts over. */
    boolean removed;

    DeployedScript(String name) {
        this.name = name;
    }
}
