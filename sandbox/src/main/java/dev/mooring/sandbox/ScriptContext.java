package dev.mooring.sandbox;

import dev.mooring.runtime.HostFunctions;
import dev.mooring.runtime.RuntimeIntrinsics;
import dev.mooring.runtime.RuntimeScripts;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One GraalJS context running one script version, owned by one event loop: the unit that
 * workerd calls an isolate. The objects of a script share a few of these (one per shard), as
 * workerd's objects share an isolate; different scripts never share one.
 *
 * <p>Lifecycle: created on its loop, which installs the runtime and evaluates the main module;
 * then guest code runs only through {@link #call}, which records the {@link GuestTaskOwner} that
 * timers and console lines are attributed to, charges CPU time and allocation, and translates
 * polyglot exceptions into {@link GuestException}, {@link CpuLimitExceededException}, {@link
 * AllocationLimitExceededException}, {@link ResourceExhaustedException} or {@link
 * ContextClosedException}. Closed by its owner, forcibly by the watchdog when a stop times out,
 * or by itself when the heap runs out during a call; the last two call the listener set with
 * {@link #onLost}, so the owner can replace the context.
 *
 * <p>Guest code has no {@code SharedArrayBuffer}: as in workerd, which does not support it and
 * disallows {@code Atomics.wait}, no guest can block its event loop on shared memory.
 * {@code Atomics.wait} on an ordinary typed array throws a TypeError.
 *
 * <p>Threads: every method must be called on {@link #loop()}; nothing here is synchronized.
 */
public final class ScriptContext implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScriptContext.class);

    /** GraalJS's message for an import that names no module of the bundle, with both paths from the root. */
    /** GraalJS's message for an import that names no module: a project path, or a bare package name. */
    private static final Pattern MISSING_MODULE = Pattern.compile("Cannot find module '([^']*)' imported from (/\\S+)");

    private final GuestScript script;
    private final EventLoop loop;
    private final CpuWatchdog watchdog;
    private final Context context;
    private final Logger scriptLog;
    private final OutputBudget outputBudget;
    private final Map<Double, TimerEntry> timers = new HashMap<>();
    private final Value internals;
    private final Value fireTimer;
    private final Value errorThrower;
    private Value exports;
    private GuestTaskOwner currentOwner;
    private boolean closed;
    private Consumer<RuntimeException> lostListener = failure -> {};

    private record TimerEntry(EventLoop.Timer timer, GuestTaskOwner owner) {}

    /** Removes SharedArrayBuffer before any other code runs; see the class comment. */
    private static final Source REMOVE_SHARED_MEMORY = Source.newBuilder("js", "delete globalThis.SharedArrayBuffer;",
            "mooring:sandbox/shared-memory.js").cached(true).buildLiteral();

    /**
     * A function that throws a JS error of a given name. It captures the error constructors
     * before guest code runs, so a guest that replaces {@code globalThis.Error} still gets a real
     * Error from the host.
     */
    private static final Source ERROR_THROWER = Source.newBuilder("js", """
            ((Error, TypeError, RangeError) => (name, message) => {
              const constructor = name === 'TypeError' ? TypeError : name === 'RangeError' ? RangeError : Error;
              throw new constructor(message);
            })(Error, TypeError, RangeError)
            """, "mooring:sandbox/errors.js").cached(true).buildLiteral();

    private ScriptContext(SandboxEngine engine, CpuWatchdog watchdog, EventLoop loop, GuestScript script,
            Map<String, Object> extraHostMembers) {
        this.script = script;
        this.loop = loop;
        this.watchdog = watchdog;
        this.scriptLog = LoggerFactory.getLogger("mooring.script." + script.name());
        this.outputBudget = new OutputBudget(loop.ticker(), this::scheduleOutputReport, scriptLog);
        this.context = engine.newContext(script.fileSystem(), new LogOutputStream(scriptLog, true, "[stdout] ", outputBudget));
        context.eval(REMOVE_SHARED_MEMORY);
        this.errorThrower = context.eval(ERROR_THROWER);

        Map<String, Object> host = new HashMap<>(RuntimeIntrinsics.functions());
        host.put(HostFunctions.LOG, (ProxyExecutable) arguments -> {
            writeConsoleLine(arguments[0].asString(), arguments[1].asString());
            return null;
        });
        host.put(HostFunctions.SCHEDULE_TIMER, (ProxyExecutable) arguments ->
                scheduleTimer(arguments[0].asDouble(), arguments[1].asDouble()));
        host.put(HostFunctions.CANCEL_TIMER, (ProxyExecutable) arguments -> {
            cancelTimer(arguments[0].asDouble());
            return null;
        });
        host.putAll(extraHostMembers);
        this.internals = RuntimeScripts.install(context, host);
        this.fireTimer = internals.getMember("fireTimer");
    }

    /**
     * Creates a context on the current thread, which must be {@code loop}'s, installs the runtime
     * with {@code extraHostMembers} added to the host bridge, and evaluates the main module,
     * charging its top-level code to {@code loadAccount}.
     *
     * @throws ScriptLoadException when a module has a syntax error, an import cannot be resolved,
     *     or top-level code throws or runs past the CPU limit
     */
    public static ScriptContext create(SandboxEngine engine, CpuWatchdog watchdog, EventLoop loop, GuestScript script,
            Map<String, Object> extraHostMembers, EventAccount loadAccount) {
        if (!loop.inLoop()) {
            throw new IllegalStateException("A context must be created on its own event loop " + loop.name());
        }
        ScriptContext scriptContext = new ScriptContext(engine, watchdog, loop, script, extraHostMembers);
        try {
            scriptContext.exports = scriptContext.loadMainModule(new ModuleLoadOwner(loadAccount));
        } catch (RuntimeException e) {
            scriptContext.close();
            throw e;
        }
        return scriptContext;
    }

    public GuestScript script() {
        return script;
    }

    public EventLoop loop() {
        return loop;
    }

    /** The main module's namespace object: its named exports and {@code default}. */
    public Value exports() {
        return exports;
    }

    /** The runtime's private {@code internals} object (see {@link RuntimeScripts}). */
    public Value internals() {
        return internals;
    }

    /** The polyglot context, for callers in the sandbox that build guest values. */
    public Context polyglotContext() {
        return context;
    }

    /** The owner of the guest code running now, or null outside {@link #call}. */
    public GuestTaskOwner currentOwner() {
        return currentOwner;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Sets what runs, once, when this context closes by itself: after the watchdog closed it
     * forcibly ({@link ContextClosedException}), or after the heap ran out during a call ({@link
     * ResourceExhaustedException}). It runs on the loop, after the failed call returned, so the
     * owner can reset what lived in the context and build a new one.
     */
    public void onLost(Consumer<RuntimeException> listener) {
        lostListener = listener;
    }

    /**
     * Returns an exception that, thrown by a host function that guest code called, reaches the
     * guest as a JS error of {@code errorName} ("Error", "TypeError" or "RangeError") with {@code
     * message}, catchable like any JS error. Call it on the loop, inside {@link #call}.
     */
    public RuntimeException guestError(String errorName, String message) {
        try {
            errorThrower.execute(errorName, message);
        } catch (PolyglotException thrown) {
            // GraalJS rethrows a guest exception that passes back through host code as the original JS error.
            return thrown;
        }
        throw new IllegalStateException("The error thrower of script " + script.name() + " returned instead of throwing");
    }

    /**
     * Runs guest code on behalf of {@code owner}, charging its CPU time and allocation to the
     * owner's account. Microtasks that the code queues run before this returns.
     *
     * @throws GuestException when the guest code throws
     * @throws CpuLimitExceededException when the owner's CPU budget ran out
     * @throws AllocationLimitExceededException when the owner's allocation budget ran out
     * @throws ResourceExhaustedException when the heap ran out; the context is closed afterwards
     * @throws ContextClosedException when the context was closed, possibly during this call
     * @throws GuestCodeStoppedException when {@link #stopRunningCode} stopped the code
     */
    public <T> T call(GuestTaskOwner owner, CpuWatchdog.GuestCall<T> call) {
        if (closed) {
            throw new ContextClosedException(script.name());
        }
        GuestTaskOwner previous = currentOwner;
        currentOwner = owner;
        try {
            return watchdog.run(loop, context, owner.account(), () -> {
                try {
                    return call.call();
                } catch (PolyglotException e) {
                    throw translate(e);
                } catch (OutOfMemoryError e) {
                    // GraalJS reports a guest's OutOfMemoryError as a resource exhaustion; this
                    // catches one thrown by host code that the guest called, outside GraalJS.
                    return exhausted(e);
                }
            });
        } finally {
            currentOwner = previous;
        }
    }

    private RuntimeException translate(PolyglotException e) {
        if (e.isCancelled()) {
            ContextClosedException closedException = new ContextClosedException(script.name());
            lose(closedException);
            return closedException;
        }
        if (e.isResourceExhausted()) {
            return exhausted(e);
        }
        if (e.isHostException()) {
            Throwable hostException = e.asHostException();
            return hostException instanceof RuntimeException runtime ? runtime : new IllegalStateException(hostException);
        }
        if (e.isInterrupted()) {
            // Only the watchdog interrupts contexts; CpuWatchdog.run turns this into the limit error.
            return new IllegalStateException("Guest execution was interrupted", e);
        }
        if (e.isInternalError()) {
            return new IllegalStateException("GraalJS internal error in script " + script.name(), e);
        }
        return GuestException.from(e);
    }

    /** Closes the context after the heap ran out in it, so the guest's data in it can be collected. */
    private <T> T exhausted(Throwable cause) {
        log.error("The JVM ran out of resources while script {} ran guest code for {}; closing its context",
                script.name(), currentOwner == null ? "nobody" : currentOwner.describe(), cause);
        ResourceExhaustedException exception = new ResourceExhaustedException(script.name(), cause);
        close();
        lose(exception);
        throw exception;
    }

    /** Marks the context closed by itself and notifies the owner once the failed call has returned. */
    private void lose(RuntimeException failure) {
        closed = true;
        Consumer<RuntimeException> listener = lostListener;
        lostListener = ignored -> {};
        try {
            loop.execute(() -> listener.accept(failure));
        } catch (RejectedExecutionException stopping) {
            // The loop is shutting down, so no replacement context is needed.
            log.debug("Context of {} lost while its event loop {} shuts down: {}", script.name(), loop.name(),
                    failure.getMessage());
        }
    }

    private Value loadMainModule(GuestTaskOwner loadOwner) {
        // A source with a path (its content given, so nothing is read) lets relative imports resolve
        // against the main module's folder; a name alone would resolve them against the root.
        String mainPath = BundleFileSystem.pathOf(script.bundle().mainModule());
        Source source;
        try {
            source = Source.newBuilder("js", new File(mainPath))
                    .content(script.bundle().modules().get(script.bundle().mainModule()).text())
                    .mimeType("application/javascript+module")
                    .cached(true)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("Building the source of " + mainPath + " failed", e);
        }
        try {
            return call(loadOwner, () -> context.eval(source));
        } catch (GuestException e) {
            throw new ScriptLoadException(describeLoadFailure(e), e);
        } catch (CpuLimitExceededException e) {
            throw new ScriptLoadException("Top-level code of script " + script.name() + " ran past the CPU limit of "
                    + e.limitNanos() / 1_000_000 + " ms", e);
        } catch (AllocationLimitExceededException e) {
            throw new ScriptLoadException("Top-level code of script " + script.name() + " allocated past the limit of "
                    + AllocationLimitExceededException.mebibytes(e.limitBytes()) + " for one event", e);
        }
    }

    /** Turns a load failure into a message that names the module, line and column. */
    private String describeLoadFailure(GuestException e) {
        PolyglotException polyglot = e.getCause() instanceof PolyglotException p ? p : null;
        if (polyglot != null && polyglot.isSyntaxError() && polyglot.getSourceLocation() != null) {
            SourceSection location = polyglot.getSourceLocation();
            String detail = e.errorMessage();
            // GraalJS prefixes the message with "path:line:column"; drop it, the location is given below.
            int firstLineEnd = detail.indexOf('\n');
            String firstLine = firstLineEnd < 0 ? detail : detail.substring(0, firstLineEnd);
            int prefixEnd = firstLine.indexOf(' ');
            if (prefixEnd > 0 && firstLine.substring(0, prefixEnd).matches(".*:\\d+:\\d+")) {
                firstLine = firstLine.substring(prefixEnd + 1);
            }
            return "Syntax error in " + script.displayPath(moduleName(location.getSource().getName())) + " at line "
                    + location.getStartLine()
                    + ", column " + location.getStartColumn() + ": " + firstLine;
        }
        String message = e.errorMessage();
        if (message.startsWith("Error: Cannot find module")) {
            message = message.substring("Error: ".length());
        }
        if (message.startsWith("Cannot find module '/node:")) {
            String module = message.substring("Cannot find module '/".length(), message.indexOf('\'', "Cannot find module '/".length()));
            return "Cannot import " + module + " in script " + script.name() + ": Mooring does not provide Node.js built-in"
                    + " modules. Remove the import, or bundle a replacement that is plain JavaScript into the project.";
        }
        Matcher missing = MISSING_MODULE.matcher(message);
        if (missing.matches()) {
            String module = script.displayPath(moduleName(missing.group(1)));
            String importer = script.displayPath(moduleName(missing.group(2)));
            return "Cannot find module " + module + ", imported from " + importer + ": the project has no such module (no file"
                    + " of that name, or no module rule includes it). A relative import (\"./util.js\") names a file from the"
                    + " importing module's folder, and a bare name (\"util.js\") one from " + rootDescription()
                    + ". Mooring does not bundle packages from node_modules.";
        }
        String stack = e.jsStack();
        if (!stack.contains("\n") && polyglot != null) {
            // An error that a built-in such as JSON.parse throws while a module loads has no frames in
            // its stack, so the location comes from the polyglot stack trace.
            String location = firstModuleFrame(polyglot);
            if (location != null) {
                stack = stack + "\n    at " + location;
            }
        }
        return "Loading script " + script.name() + " failed: " + stack;
    }

    /** Returns "path:line:column" of the innermost stack frame in one of the script's modules, or null. */
    private String firstModuleFrame(PolyglotException e) {
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            SourceSection location = frame.isGuestFrame() ? frame.getSourceLocation() : null;
            if (location == null || location.getSource().getName() == null) {
                continue;
            }
            String module = moduleName(location.getSource().getName());
            if (script.bundle().modules().containsKey(module)) {
                return script.displayPath(module) + ":" + location.getStartLine() + ":" + location.getStartColumn();
            }
        }
        return null;
    }

    /** Returns the folder that bare module names start from, in the form the script's author uses. */
    private String rootDescription() {
        String root = script.displayPath("");
        return root.isEmpty() ? "the module root" : root + ", the module root (base_dir, or the main module's folder)";
    }

    /** Turns a source name such as "/src/worker.js" or "./util.js" into the module's name in the bundle. */
    private static String moduleName(String sourceName) {
        String normalized = Path.of("/").resolve(sourceName).normalize().toString();
        return normalized.startsWith("/") ? normalized.substring(1) : normalized;
    }

    private boolean scheduleTimer(double id, double delayMs) {
        GuestTaskOwner owner = currentOwner;
        if (owner == null || owner instanceof ModuleLoadOwner) {
            return false;
        }
        long delayNanos = (long) (Math.max(0, delayMs) * 1_000_000);
        Object tag = owner.timerScheduled();
        EventLoop.Timer timer = loop.schedule(delayNanos, () -> {
            if (timers.remove(id) == null) {
                return;
            }
            owner.timerEnded();
            if (!closed) {
                owner.runTimer(this, tag, () -> fireTimer.execute(id));
            }
        });
        TimerEntry previous = timers.put(id, new TimerEntry(timer, owner));
        if (previous != null) {
            previous.timer().cancel();
            previous.owner().timerEnded();
        }
        return true;
    }

    private void cancelTimer(double id) {
        TimerEntry entry = timers.remove(id);
        if (entry != null) {
            entry.timer().cancel();
            entry.owner().timerEnded();
        }
    }

    /** Cancels every timer attributed to {@code owner}, for example when its object is reset. */
    public void cancelTimersOf(GuestTaskOwner owner) {
        timers.values().removeIf(entry -> {
            if (entry.owner() != owner) {
                return false;
            }
            entry.timer().cancel();
            entry.owner().timerEnded();
            return true;
        });
    }

    /**
     * Schedules the budget's report of dropped lines. The loop's timer queue belongs to its thread,
     * and the engine may write from others. A loop that has stopped drops the report.
     */
    private void scheduleOutputReport(long delayNanos, Runnable report) {
        try {
            loop.execute(() -> loop.schedule(delayNanos, report));
        } catch (RejectedExecutionException stopped) {
            scriptLog.debug("Not reporting dropped output lines: event loop {} has stopped", loop.name());
        }
    }

    private void writeConsoleLine(String level, String message) {
        if (!outputBudget.tryTakeLine()) {
            return;
        }
        GuestTaskOwner owner = currentOwner;
        String origin = owner == null ? "" : "[" + owner.describe() + "] ";
        switch (level) {
            case "error" -> scriptLog.error("{}{}", origin, message);
            case "warn" -> scriptLog.warn("{}{}", origin, message);
            case "debug" -> scriptLog.debug("{}{}", origin, message);
            default -> scriptLog.info("{}{}", origin, message);
        }
    }

    /** The owner of top-level module code, which may not set timers, as in Workers. */
    private record ModuleLoadOwner(EventAccount account) implements GuestTaskOwner {
        @Override
        public String describe() {
            return "module load";
        }

        @Override
        public Object timerScheduled() {
            throw new IllegalStateException("Timers are rejected during module load");
        }

        @Override
        public void timerEnded() {}

        @Override
        public void runTimer(ScriptContext context, Object tag, Runnable fire) {}
    }

    /**
     * Stops guest code of this context that runs on its loop now, with {@code reason} as the
     * message of the error that its caller gets, and returns whether there was such code. Blocks
     * until the code has stopped. Any thread but the loop's.
     */
    public boolean stopRunningCode(String reason) {
        return watchdog.stopRunningCode(loop, context, reason);
    }

    @Override
    public void close() {
        if (closed && timers.isEmpty()) {
            return;
        }
        closed = true;
        timers.values().forEach(entry -> {
            entry.timer().cancel();
            entry.owner().timerEnded();
        });
        timers.clear();
        try {
            context.close(true);
        } catch (PolyglotException e) {
            // A context stopped by the watchdog rethrows its cancellation on close; it is closed regardless.
            log.debug("Context of script {} reported {} while closing", script.name(), e.getMessage());
        }
    }
}
