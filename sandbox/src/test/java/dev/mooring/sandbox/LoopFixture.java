package dev.mooring.sandbox;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Event loops, a CPU watchdog and the shared engine for sandbox tests. Work is submitted to a
 * loop and awaited; {@link #close} shuts everything down and checks that no loop thread or
 * context outlives the test.
 */
final class LoopFixture implements AutoCloseable {

    static final SandboxEngine ENGINE = new SandboxEngine();

    final CpuWatchdog watchdog;
    final List<EventLoop> loops = new ArrayList<>();
    private final List<ScriptContext> contexts = new ArrayList<>();

    LoopFixture(int loopCount) {
        this(loopCount, ThreadPriority.NONE);
    }

    LoopFixture(int loopCount, ThreadPriority priority) {
        watchdog = new CpuWatchdog(20, priority);
        for (int i = 0; i < loopCount; i++) {
            EventLoop loop = new EventLoop("test-loop-" + i, 16 << 20, Ticker.SYSTEM);
            watchdog.watch(loop);
            loops.add(loop);
        }
    }

    EventLoop loop() {
        return loops.get(0);
    }

    /** Runs {@code work} on {@code loop} and returns its result, rethrowing what it threw. */
    static <T> T onLoop(EventLoop loop, Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    <T> T onLoop(Callable<T> work) throws Exception {
        return onLoop(loop(), work);
    }

    /** Creates a context for {@code modules} on the first loop; the first module is the main one. */
    ScriptContext load(Map<String, String> modules) throws Exception {
        return load(loop(), bundle(modules));
    }

    ScriptContext load(EventLoop loop, ModuleBundle bundle) throws Exception {
        ScriptContext context = onLoop(loop, () ->
                ScriptContext.create(ENGINE, watchdog, loop, new GuestScript("test-script", bundle), Map.of(), new EventAccount(5_000_000_000L)));
        contexts.add(context);
        return context;
    }

    static ModuleBundle bundle(Map<String, String> modules) {
        Map<String, ModuleBundle.Module> entries = new LinkedHashMap<>();
        String main = null;
        for (Map.Entry<String, String> entry : modules.entrySet()) {
            String name = entry.getKey();
            ModuleBundle.ModuleType type = name.endsWith(".js") || name.endsWith(".mjs")
                    ? ModuleBundle.ModuleType.ES_MODULE
                    : name.endsWith(".bin") ? ModuleBundle.ModuleType.DATA : ModuleBundle.ModuleType.TEXT;
            entries.put(name, new ModuleBundle.Module(name, type, entry.getValue().getBytes(StandardCharsets.UTF_8)));
            if (main == null) {
                main = name;
            }
        }
        return new ModuleBundle(main, entries);
    }

    @Override
    public void close() throws Exception {
        for (ScriptContext context : contexts) {
            onLoop(context.loop(), () -> {
                context.close();
                return null;
            });
        }
        for (EventLoop loop : loops) {
            loop.shutdown(10_000);
            assertTrue(loop.isTerminated(), "event loop thread " + loop.name() + " still running after shutdown");
        }
        watchdog.close();
    }
}
