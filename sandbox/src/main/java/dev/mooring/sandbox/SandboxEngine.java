package dev.mooring.sandbox;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import dev.mooring.runtime.RuntimeOptions;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.Map;
import java.util.function.Supplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide GraalJS engine that every guest context shares, so that parsed and compiled
 * code is shared between contexts of the same script and a new context costs milliseconds.
 *
 * <p>Every context it creates runs under {@link SandboxPolicy#CONSTRAINED}: no host class lookup
 * or loading, no threads, no process or environment access, no native access, only the
 * members of proxy objects the sandbox hands in, buffer access for binary data, and a file system
 * that serves only the script's own modules, read-only. Contexts are not thread-safe; each is
 * entered only by the event loop that owns it.
 */
public final class SandboxEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SandboxEngine.class);

    /** The implementation name GraalVM reports when no optimizing compiler is available. */
    public static final String INTERPRETER_ONLY = "Interpreted";

    private static final HostAccess HOST_ACCESS = HostAccess.newBuilder(HostAccess.CONSTRAINED)
            .allowBufferAccess(true)
            .build();

    /** The name of the thread that spins in the interrupt warm-up's throwaway context. */
    static final String INTERRUPT_SPINNER = "mooring-interrupt-warmup-spinner";

    /** How long the interrupt warm-up keeps trying before it gives up. */
    private static final Duration INTERRUPT_WARM_UP_LIMIT = Duration.ofSeconds(30);

    private final Engine engine;
    /** Set before the engine closes, so that the interrupt warm-up it cuts short is not reported as a fault. */
    private volatile boolean closed;

    /**
     * Builds the engine.
     *
     * @throws EngineOptionsException when GraalJS rejects an engine option that a Java system property sets
     */
    public SandboxEngine() {
        OutputStream engineLog = new LogOutputStream(LoggerFactory.getLogger("mooring.graaljs"), false);
        try {
            this.engine = build(() -> Engine.newBuilder("js")
                    .sandbox(SandboxPolicy.CONSTRAINED)
                    .out(engineLog)
                    .err(engineLog)
                    // The launcher enables the optimizing runtime; tests may run without it on purpose.
                    .option("engine.WarnInterpreterOnly", "false"));
        } catch (IllegalArgumentException e) {
            throw new EngineOptionsException(e);
        }
        log.info("GraalJS engine ready: Truffle runtime {} ({})", engine.getImplementationName(),
                isOptimizing() ? "optimizing compiler enabled" : "interpreter only, guest code runs slowly");
        Thread.ofPlatform().daemon().name("mooring-interrupt-warmup").start(this::warmUpInterrupts);
    }

    /**
     * Builds the engine in latency mode unless the user chose a mode. "latency" compiles each hot
     * function once, quickly, instead of twice with heavy inlining; measured on 2 cores with the
     * Counter benchmark, a fresh host reached 6,000 requests/s about 15 s sooner, for a peak about
     * 15% lower. The interpreter-only runtime has no compilation modes, so there the option is left out.
     * Without JVMCI, Truffle falls back to that runtime, and the option is not tried at all. A build
     * that fails on it would print GraalJS's fallback warning before the warning is turned off.
     */
    private static Engine build(Supplier<Engine.Builder> builder) {
        if (System.getProperty("polyglot.engine.Mode") != null || !jvmciEnabled()) {
            return builder.get().build();
        }
        try {
            return builder.get().option("engine.Mode", "latency").build();
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || !e.getMessage().contains("engine.Mode")) {
                throw e;
            }
            return builder.get().build();
        }
    }

    /**
     * Returns whether the JVM runs with JVMCI, which GraalJS's optimizing runtime needs; true when
     * unknown. The flag is experimental, so the JVM lists it only once experimental options are
     * unlocked, which enabling JVMCI requires.
     */
    private static boolean jvmciEnabled() {
        try {
            VMOption option = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("EnableJVMCI");
            return Boolean.parseBoolean(option.getValue());
        } catch (IllegalArgumentException notListed) {
            return false;
        } catch (RuntimeException unknown) {
            return true;
        }
    }

    /**
     * Interrupts a throwaway context once. The first interrupt in a JVM takes hundreds of
     * milliseconds; paying that at startup keeps the CPU limit's reaction time short later.
     */
    private void warmUpInterrupts() {
        warmUpInterrupts(Duration.ZERO);
    }

    /**
     * Does the interrupt warm-up with a spinner that waits {@code spinnerDelay} before it enters
     * the context, as a busy machine may make it do; tests use the delay.
     *
     * <p>An interrupt that comes before the spinner entered finds nothing to stop, so this repeats
     * the interrupt until the spinner has stopped. In the end it closes the context with
     * cancellation, which also stops a spinner that outlasted the limit.
     */
    void warmUpInterrupts(Duration spinnerDelay) {
        OutputStream discard = OutputStream.nullOutputStream();
        Context context;
        try {
            context = Context.newBuilder("js").engine(engine).sandbox(SandboxPolicy.CONSTRAINED)
                    .allowHostAccess(HOST_ACCESS).out(discard).err(discard).build();
        } catch (RuntimeException e) {
            reportWarmUpFailure(e);
            return;
        }
        try {
            Value spin = context.eval("js", "(() => { while (true) {} })");
            Thread spinner = Thread.ofPlatform().daemon().name(INTERRUPT_SPINNER).start(() -> {
                try {
                    Thread.sleep(spinnerDelay);
                    spin.execute();
                } catch (PolyglotException | InterruptedException expected) {
                    // The interrupt ends the loop; that is the point.
                }
            });
            long deadline = System.nanoTime() + INTERRUPT_WARM_UP_LIMIT.toNanos();
            while (spinner.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                try {
                    context.interrupt(Duration.ofSeconds(1));
                } catch (TimeoutException stillRunning) {
                    // Try again until the deadline.
                }
            }
            if (spinner.isAlive()) {
                log.warn("Warming up context interrupts took over {} s; the first CPU limit stop may be slow",
                        INTERRUPT_WARM_UP_LIMIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            reportWarmUpFailure(e);
        } finally {
            closeCancelling(context);
        }
    }

    private void reportWarmUpFailure(RuntimeException e) {
        if (closed) {
            log.debug("The engine closed during the interrupt warm-up", e);
        } else {
            log.warn("Warming up context interrupts failed; the first CPU limit stop may be slow", e);
        }
    }

    private void closeCancelling(Context context) {
        try {
            context.close(true);
        } catch (RuntimeException e) {
            reportWarmUpFailure(e);
        }
    }

    /** The Truffle runtime's name: "GraalVM CE" with the optimizing compiler, {@value #INTERPRETER_ONLY} without. */
    public String runtimeName() {
        return engine.getImplementationName();
    }

    /** Whether guest code is compiled to machine code (false means the interpreter-only fallback). */
    public boolean isOptimizing() {
        return !INTERPRETER_ONLY.equals(engine.getImplementationName());
    }

    /**
     * Creates a context for one script's bundle. Must be called on the loop that will own it.
     *
     * @param guestOutput where the guest's standard output and error streams go (console is separate)
     */
    Context newContext(BundleFileSystem fileSystem, OutputStream guestOutput) {
        return Context.newBuilder("js")
                .engine(engine)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .allowHostAccess(HOST_ACCESS)
                .allowIO(IOAccess.newBuilder().fileSystem(fileSystem).build())
                .out(guestOutput)
                .err(guestOutput)
                .options(RuntimeOptions.LANGUAGE_OPTIONS)
                .timeZone(RuntimeOptions.TIME_ZONE)
                // NOTE: with "warn", GraalJS keeps rejected promises reachable after the event that
                // made them was stopped at its allocation limit. A Worker that called a stub past its
                // call limit in a loop until that limit stopped it left about 3,100 rejected promises
                // per request, about 90 MiB with their stacks, after a full collection. With "none" no
                // promise stayed, but the log would then lose every unhandled-rejection warning.
                .options(Map.of("js.unhandled-rejections", "warn"))
                .build();
    }

    /**
     * Closes the engine, cancelling guest code that still runs in any of its contexts, such as the
     * interrupt warm-up of a host that stops right after it started.
     */
    @Override
    public void close() {
        closed = true;
        engine.close(true);
    }
}
