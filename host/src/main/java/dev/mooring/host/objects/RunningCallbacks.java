package dev.mooring.host.objects;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The invocations of one caller's callbacks over RPC that have not replied, each as the action
 * that fails it. When the caller is reset, evicted or stopped, its guest code can no longer reply,
 * so {@link #failAll} fails them and the receivers' promises settle. Confined to the caller's loop.
 */
final class RunningCallbacks {

    private final Set<Consumer<EventFailure>> failures = new HashSet<>();

    void started(Consumer<EventFailure> fail) {
        failures.add(fail);
    }

    void replied(Consumer<EventFailure> fail) {
        failures.remove(fail);
    }

    /** Fails every invocation that has not replied with {@code failure}, and removes them. */
    void failAll(EventFailure failure) {
        List<Consumer<EventFailure>> unanswered = List.copyOf(failures);
        failures.clear();
        unanswered.forEach(fail -> fail.accept(failure));
    }
}
