package dev.mooring.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * A context with the runtime installed, for tests: the same sandbox policy and language options as
 * production, the pure intrinsics, a console that records lines, timers on a virtual clock that
 * only moves when {@link #await} runs out of other work, and a fake network for {@code fetch()}
 * ({@link FakeFetchHost}) that responds when {@link #await} runs its queued host tasks. Each fetch
 * is recorded as a console line {@code "fetch <method> <url> redirect=<mode>"}, and each call of
 * the cancel function that the fake host returns for it as {@code "fetch cancelled <url>"}; a
 * cancelled fetch gets no response. Single-threaded:
 * use it from the thread that created it.
 */
public final class RuntimeTestContext implements AutoCloseable {

    private static final Engine ENGINE = Engine.newBuilder("js")
            .sandbox(SandboxPolicy.CONSTRAINED)
            .out(new ForwardingStream())
            .err(new ForwardingStream())
            .option("engine.WarnInterpreterOnly", "false")
            .build();

    private static final Source TEST_SUPPORT = Source.newBuilder("js", resource("/js-test-support/test-support.js"), "test-support.js")
            .cached(true)
            .buildLiteral();

    private final Context context;
    private final Value internals;
    private final List<String> logLines = new ArrayList<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    /** Host completions waiting to run as tasks of their own, as the real host posts them to the event loop. */
    private final ArrayDeque<Runnable> hostTasks = new ArrayDeque<>();
    private long virtualNowMs;
    private long timerSequence;

    private record Timer(long dueMs, long sequence, double id) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer other) {
            int byDue = Long.compare(dueMs, other.dueMs);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }

    private RuntimeTestContext(Map<String, ProxyExecutable> extraHostFunctions) {
        Context.Builder builder = Context.newBuilder("js")
                .engine(ENGINE)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(new ForwardingStream())
                .err(new ForwardingStream())
                .allowHostAccess(HostAccess.newBuilder(HostAccess.CONSTRAINED).allowBufferAccess(true).build())
                .options(RuntimeOptions.LANGUAGE_OPTIONS)
                .timeZone(RuntimeOptions.TIME_ZONE);
        this.context = builder.build();

        Map<String, Object> host = new java.util.HashMap<>(RuntimeIntrinsics.functions());
        host.put(HostFunctions.LOG, (ProxyExecutable) arguments -> {
            logLines.add(arguments[0].asString() + " " + arguments[1].asString());
            return null;
        });
        host.put(HostFunctions.SCHEDULE_TIMER, (ProxyExecutable) arguments -> {
            long delay = Math.max(0, (long) arguments[1].asDouble());
            timers.add(new Timer(virtualNowMs + delay, timerSequence++, arguments[0].asDouble()));
            return true;
        });
        host.put(HostFunctions.CANCEL_TIMER, (ProxyExecutable) arguments -> {
            double id = arguments[0].asDouble();
            timers.removeIf(timer -> timer.id() == id);
            return null;
        });
        // WebSocket ends with no host behind them: pairs get fresh ids, sends and closes are
        // recorded as console lines, attachments are kept by id.
        Map<Double, Object> attachments = new java.util.HashMap<>();
        double[] nextSocketId = {1};
        host.put("wsNewPair", (ProxyExecutable) arguments -> {
            double first = nextSocketId[0]++;
            double second = nextSocketId[0]++;
            return org.graalvm.polyglot.proxy.ProxyArray.fromArray(first, second);
        });
        host.put("wsAccept", (ProxyExecutable) arguments -> null);
        host.put("wsSend", (ProxyExecutable) arguments -> {
            logLines.add("ws " + (long) arguments[0].asDouble() + " send binary");
            return null;
        });
        host.put("wsSender", (ProxyExecutable) arguments -> new RecordingSender((long) arguments[0].asDouble(), logLines));
        host.put("wsClose", (ProxyExecutable) arguments -> {
            logLines.add("ws " + (long) arguments[0].asDouble() + " close " + arguments[1] + " " + arguments[2].asString());
            return null;
        });
        host.put("wsSetAttachment", (ProxyExecutable) arguments -> {
            attachments.put(arguments[0].asDouble(), arguments[1].isNull() ? null : RuntimeIntrinsics.bufferFor(RuntimeIntrinsics.bytesOf(arguments[1])));
            return null;
        });
        host.put("wsGetAttachment", (ProxyExecutable) arguments -> attachments.get(arguments[0].asDouble()));
        host.put(HostFunctions.OUTBOUND_FETCH, (ProxyExecutable) arguments -> {
            String method = arguments[0].asString();
            String url = arguments[1].asString();
            List<String> headers = new ArrayList<>();
            for (long i = 0; i < arguments[2].getArraySize(); i++) {
                headers.add(arguments[2].getArrayElement(i).asString());
            }
            byte[] body = arguments[3].isNull() ? null : RuntimeIntrinsics.bytesOf(arguments[3]);
            String redirect = arguments[4].asString();
            Value settle = arguments[6];
            logLines.add("fetch " + method + " " + url + " redirect=" + redirect);
            boolean[] cancelled = {false};
            hostTasks.add(() -> {
                if (!cancelled[0]) {
                    FakeFetchHost.respond(method, url, headers, body, redirect, settle);
                }
            });
            return (ProxyExecutable) cancelArguments -> {
                logLines.add("fetch cancelled " + url);
                cancelled[0] = true;
                return null;
            };
        });
        host.putAll(extraHostFunctions);
        this.internals = RuntimeScripts.install(context, host);

        context.eval(TEST_SUPPORT).execute(ProxyObject.fromMap(Map.of(
                // A ProxyArray, because HostAccess.CONSTRAINED hides the elements of a Java List.
                "logLines", (ProxyExecutable) arguments -> ProxyArray.fromArray(logLines.toArray()),
                "clearLog", (ProxyExecutable) arguments -> {
                    logLines.clear();
                    return null;
                },
                "virtualNow", (ProxyExecutable) arguments -> virtualNowMs)), internals);
    }

    /** Creates a context with the pure intrinsics, a recording console and virtual timers. */
    public static RuntimeTestContext create() {
        return new RuntimeTestContext(Map.of());
    }

    /** Creates a context whose host bridge also has {@code extraHostFunctions}. */
    public static RuntimeTestContext create(Map<String, ProxyExecutable> extraHostFunctions) {
        return new RuntimeTestContext(extraHostFunctions);
    }

    public Context context() {
        return context;
    }

    public Value internals() {
        return internals;
    }

    /** Console lines so far, each as {@code "<level> <message>"}. */
    public List<String> logLines() {
        return Collections.unmodifiableList(logLines);
    }

    public Value eval(String code) {
        return context.eval("js", code);
    }

    public Value eval(String name, String code) {
        return context.eval(Source.newBuilder("js", code, name).buildLiteral());
    }

    /**
     * Waits for a JS promise (or returns any other value as it is), running queued host tasks and
     * then firing virtual timers in due order while it is pending. Throws {@link JsAssertionError}
     * when it rejects.
     */
    public Value await(Value maybePromise) {
        if (maybePromise == null || !maybePromise.hasMember("then")) {
            return maybePromise;
        }
        Value[] outcome = new Value[2];
        boolean[] settled = new boolean[1];
        maybePromise.invokeMember("then",
                (ProxyExecutable) arguments -> {
                    outcome[0] = arguments.length > 0 ? arguments[0] : null;
                    settled[0] = true;
                    return null;
                },
                (ProxyExecutable) arguments -> {
                    outcome[1] = arguments.length > 0 ? arguments[0] : context.eval("js", "undefined");
                    settled[0] = true;
                    return null;
                });
        while (!settled[0]) {
            Runnable hostTask = hostTasks.poll();
            if (hostTask != null) {
                hostTask.run();
                continue;
            }
            Timer next = timers.poll();
            if (next == null) {
                throw new AssertionError("The promise never settles: no timers are left to fire");
            }
            virtualNowMs = Math.max(virtualNowMs, next.dueMs());
            internals.getMember("fireTimer").execute(next.id());
        }
        if (outcome[1] != null) {
            throw JsAssertionError.from(outcome[1]);
        }
        return outcome[0];
    }

    /** Runs every test registered with {@code test(name, fn)} by a JS test file; see {@link JsFileTests}. */
    List<JsTest> loadTests(String fileName, String code) {
        context.eval("js", "globalThis.__registeredTests.length = 0");
        try {
            eval(fileName, code);
        } catch (PolyglotException e) {
            throw new AssertionError("Failed to evaluate " + fileName + ": " + e.getMessage(), e);
        }
        Value registered = context.eval("js", "globalThis.__registeredTests.slice()");
        List<JsTest> tests = new ArrayList<>();
        for (long i = 0; i < registered.getArraySize(); i++) {
            Value entry = registered.getArrayElement(i);
            tests.add(new JsTest(entry.getMember("name").asString(), entry.getMember("fn")));
        }
        return tests;
    }

    record JsTest(String name, Value function) {}

    @Override
    public void close() {
        context.close();
    }

    static String resource(String path) {
        try (InputStream in = RuntimeTestContext.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends guest stdout and stderr to the test's standard output, line by line. */
    private static final class ForwardingStream extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                System.out.println("[guest] " + line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }

    /** The test host's sender for text: records each send as the wsSend function does. */
    public static final class RecordingSender {
        private final long id;
        private final List<String> lines;

        RecordingSender(long id, List<String> lines) {
            this.id = id;
            this.lines = lines;
        }

        @HostAccess.Export
        public void sendText(String text) {
            lines.add("ws " + id + " send " + text);
        }
    }
}
