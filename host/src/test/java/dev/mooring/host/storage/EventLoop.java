package dev.mooring.host.storage;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A single-threaded executor standing in for an object's event loop in tests. */
final class EventLoop implements Executor, AutoCloseable {

    private final ExecutorService executor;

    EventLoop(String name) {
        executor = Executors.newSingleThreadExecutor(task -> Thread.ofPlatform().name(name).daemon(true).unstarted(task));
    }

    @Override
    public void execute(Runnable command) {
        executor.execute(command);
    }

    /** Runs {@code task} on the loop thread and returns its result, rethrowing its failure. */
    <T> T call(Callable<T> task) {
        try {
            return executor.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Runs {@code task} on the loop thread and waits for it. */
    void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("Event loop did not stop within a minute");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the event loop", e);
        }
    }
}
