package dev.mooring.host;

import dev.mooring.host.config.Values;
import dev.mooring.host.config.WebSocketSettings;
import dev.mooring.host.http.HttpFrontend;
import dev.mooring.host.objects.ObjectNamespace;
import dev.mooring.host.objects.ScriptRuntime;
import dev.mooring.host.storage.LmdbStore;
import dev.mooring.sandbox.EventLoop;
import dev.mooring.sandbox.ModuleBundle;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a built-in script through the runtime for a while before the host serves traffic.
 *
 * <p>GraalJS compiles hot JS to machine code only after it has run many times, and on a small
 * machine the compiler itself needs tens of seconds of CPU to get there; until then guest code
 * runs interpreted, 10 to 100 times slower. The runtime's own JS (URL, Request, Response, Headers,
 * storage, stubs) is the same for every script, and contexts of one engine share its compiled
 * code. So exercising it once with a typical Worker and Durable Object makes every script start
 * fast. The warm-up uses its own temporary store, which it deletes; it never touches user data.
 *
 * <p>The traffic goes through a real listener of its own on a free loopback port, from an HTTP and
 * WebSocket client in this JVM, so that the JVM compiles Undertow's request path and the host's
 * request and WebSocket handling as well as the guest JS. Nothing else can reach that listener
 * before it closes: it is bound to 127.0.0.1, and the host's own port opens only after the warm-up.
 */
public final class Warmup {

    private static final Logger log = LoggerFactory.getLogger(Warmup.class);

    private static final String SCRIPT_NAME = "mooring-warmup";

    /** The warm-up script's name in log lines, so that no one takes it for the user's script. */
    private static final String SCRIPT_LOG_NAME = "the built-in warm-up script " + SCRIPT_NAME;

    private static final String RESOURCE = "/dev/mooring/host/warmup/worker.js";

    /** Requests kept in flight at once, enough to keep every event loop busy. */
    private static final int CONCURRENCY = 16;

    /** Maximum time after the traffic for the compiler waits and the quiet passes together. */
    private static final Duration MAX_COMPILER_WAIT = Duration.ofSeconds(20);

    /** The compiler counts as idle when its threads used less than this share of one CPU in a sample. */
    private static final double COMPILER_IDLE_SHARE = 0.05;

    private static final Duration COMPILER_SAMPLE = Duration.ofMillis(500);

    /** The quiet passes stop after one that gave the compiler less than this much CPU work. */
    private static final Duration QUIET_PASS_COMPILER_WORK = Duration.ofMillis(200);

    private static final int MAX_QUIET_PASSES = 3;

    /** How long the chat clients of a quiet pass keep talking. */
    private static final Duration QUIET_PASS_CHAT = Duration.ofMillis(300);

    /** The number of request kinds in {@link #request}. */
    private static final int REQUEST_KINDS = 10;

    private Warmup() {}

    /**
     * Counts of the work a warm-up did.
     *
     * @param requests HTTP requests that got a response
     * @param chatMessages messages that reached the warm-up's chat clients
     * @param failures responses with a 5xx status plus chat replies that reported an error. Any
     *     failure means that the warm-up script is broken, so part of the runtime stays uncompiled.
     */
    public record Outcome(long requests, long chatMessages, long failures) {
        static final Outcome NONE = new Outcome(0, 0, 0);

        Outcome plus(Outcome other) {
            return new Outcome(requests + other.requests, chatMessages + other.chatMessages, failures + other.failures);
        }
    }

    /**
     * Drives the warm-up script for {@code duration}, waits until the JS compiler is idle, then
     * sends quiet passes of light traffic until one leaves the compiler nearly nothing to do (see
     * {@link #runQuietPasses}). Does nothing for a zero duration.
     */
    public static Outcome run(HostServices services, Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return Outcome.NONE;
        }
        long started = System.nanoTime();
        Path directory;
        try {
            directory = Files.createTempDirectory("mooring-warmup");
        } catch (IOException e) {
            log.warn("Skipping the warm-up: no temporary directory could be created", e);
            return Outcome.NONE;
        }
        log.info("Warming up the JavaScript compiler before serving: {} of traffic to {} with a temporary store in {},"
                + " then up to {} more until the compiler is idle after up to {} quiet passes of light traffic (--warmup 0s skips"
                + " all of it)", Values.format(duration), SCRIPT_LOG_NAME, directory, Values.format(MAX_COMPILER_WAIT), MAX_QUIET_PASSES);

        Outcome outcome = Outcome.NONE;
        long trafficMillis = -1;
        long compilerWaitMillis = -1;
        long passMillis = -1;
        int passes = 0;
        try (LmdbStore store = LmdbStore.open(directory, LmdbStore.Options.defaults().withInitialMapSizeBytes(64L << 20));
                Server server = Server.start(services, store)) {
            outcome = drive(server.uri(), duration);
            long trafficEnded = System.nanoTime();
            trafficMillis = (trafficEnded - started) / 1_000_000;

            long compilerDeadline = trafficEnded + MAX_COMPILER_WAIT.toNanos();
            boolean idle = awaitIdleCompiler(compilerDeadline);
            long compilerIdle = System.nanoTime();
            compilerWaitMillis = (compilerIdle - trafficEnded) / 1_000_000;

            if (idle) {
                QuietPasses quiet = runQuietPasses(server.uri(), compilerDeadline);
                outcome = outcome.plus(quiet.outcome());
                passes = quiet.passes();
                idle = quiet.compilerIdle();
            }
            passMillis = (System.nanoTime() - compilerIdle) / 1_000_000;
            if (!idle) {
                log.info("The JS compiler is still busy {} after the warm-up traffic; serving anyway", Values.format(MAX_COMPILER_WAIT));
            }
        } catch (IOException | RuntimeException e) {
            log.warn("The warm-up failed after {} ms; serving anyway, with guest code slower until it is compiled",
                    (System.nanoTime() - started) / 1_000_000, e);
        } finally {
            deleteRecursively(directory);
        }
        if (passMillis >= 0) {
            log.info("Warm-up done in {} ms ({} and {}): {} ms loading and driving the warm-up script,"
                    + " then {} ms waiting for the JS compiler to go idle, then {} ms in {}", (System.nanoTime() - started) / 1_000_000,
                    Values.formatCount(outcome.requests(), "request"), Values.formatCount(outcome.chatMessages(), "chat message"),
                    trafficMillis, compilerWaitMillis, passMillis, Values.formatCount(passes, "quiet pass", "quiet passes"));
        }
        if (outcome.failures() > 0) {
            log.warn("The built-in warm-up script failed {} times (the first failure of each kind is logged above), so part of the"
                    + " runtime may still run uncompiled at first; please report this as a bug in Mooring", outcome.failures());
        }
        return outcome;
    }

    /**
     * The warm-up script, loaded on event loops of its own and served on a silent loopback
     * listener. Closing it stops the listener, the script and the loops, in that order.
     */
    private static final class Server implements AutoCloseable {

        private final HostServices services;
        private final List<EventLoop> loops;
        private final ScriptRuntime runtime;
        private final HttpFrontend listener;

        private Server(HostServices services, List<EventLoop> loops, ScriptRuntime runtime, HttpFrontend listener) {
            this.services = services;
            this.loops = loops;
            this.runtime = runtime;
            this.listener = listener;
        }

        static Server start(HostServices services, LmdbStore store) {
            List<EventLoop> loops = services.startLoops(SCRIPT_NAME);
            ScriptRuntime runtime = new ScriptRuntime(SCRIPT_LOG_NAME, SCRIPT_NAME, bundle(), "",
                    List.of(binding("ROOMS", "Room"), binding("CHATS", "HibernatingChat"),
                            binding("LISTENING_CHATS", "ListeningChat"), binding("LIMITERS", "Limiter"),
                            binding("ECHOES", "Echo"), binding("GREETERS", "Greeter")), "{}",
                    new ScriptRuntime.Limits(services.settings().cpuLimit().toNanos(), Duration.ofMinutes(1).toNanos(),
                            Duration.ofSeconds(1).toNanos()),
                    new ScriptRuntime.Services(services.engine(), services.watchdog(), loops, store,
                            services.webSocketDirectory(), services.egress()));
            HttpFrontend listener = new HttpFrontend(
                    new HttpFrontend.Settings("127.0.0.1", 0, services.settings().http().ioThreads(), 1L << 20),
                    runtime::handle, HttpFrontend.WebSocketBinder.of(services.webSocketDirectory()), WebSocketSettings.DEFAULTS);
            Server server = new Server(services, loops, runtime, listener);
            try {
                runtime.start();
                listener.startSilently();
                return server;
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + listener.port());
        }

        @Override
        public void close() {
            try {
                listener.close();
                runtime.close();
            } finally {
                services.stopLoops(loops);
            }
        }
    }

    private static ScriptRuntime.BindingSpec binding(String name, String className) {
        return new ScriptRuntime.BindingSpec(name, className, SCRIPT_NAME + "-" + className, ObjectNamespace.StorageLimits.KEY_VALUE);
    }

    /**
     * Keeps chat clients talking and sends requests round-robin over the workload, {@link
     * #CONCURRENCY} at a time, until the time is up.
     */
    private static Outcome drive(URI listener, Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            WarmupChat chat = WarmupChat.start(client, listener, deadline);
            RequestCounts requests = sendRequests(client, listener, deadline);
            long chatMessages = chat.awaitEnd(10_000);
            client.shutdownNow();
            return new Outcome(requests.answered(), chatMessages, requests.failed() + chat.errors());
        }
    }

    /** Counts of the warm-up's HTTP requests. */
    private record RequestCounts(long answered, long failed) {}

    /** Sends the request workload until {@code deadline} and counts the responses and the 5xx among them. */
    private static RequestCounts sendRequests(HttpClient client, URI listener, long deadline) {
        Semaphore inFlight = new Semaphore(CONCURRENCY);
        AtomicLong answered = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long sequence = 0;
        try {
            while (System.nanoTime() < deadline) {
                if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                client.sendAsync(request(listener, sequence++), HttpResponse.BodyHandlers.ofString())
                        .whenComplete((response, failure) -> {
                            if (failure != null) {
                                log.debug("A warm-up request failed", failure);
                            } else {
                                answered.incrementAndGet();
                                countFailure(response, failed);
                            }
                            inFlight.release();
                        });
            }
            inFlight.tryAcquire(CONCURRENCY, 10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new RequestCounts(answered.get(), failed.get());
    }

    /** Counts a 5xx response as a failure of the warm-up script, and logs the first one. */
    private static void countFailure(HttpResponse<String> response, AtomicLong failed) {
        if (response.statusCode() >= 500 && failed.incrementAndGet() == 1) {
            log.warn("The built-in warm-up script returned status {} for {} {}: {}", response.statusCode(),
                    response.request().method(), response.request().uri(), response.body());
        }
    }

    /** The result of the quiet passes: their traffic, how many ran, and whether the compiler was idle after the last. */
    private record QuietPasses(Outcome outcome, int passes, boolean compilerIdle) {}

    /**
     * Sends light traffic until a pass gives the compiler almost nothing to do.
     *
     * <p>While its queue is long, GraalJS raises the number of calls a function needs before it is
     * queued for compilation, and it compares the count only when the function runs. In one trace on 2
     * cores, about a hundred runtime functions had run 400 to 1,700 times when the busy traffic
     * ended, against a threshold of 400, and were still not queued. They were compiled during the
     * user's first requests instead, taking CPU from them. A pass with an idle compiler calls
     * each of them once more, which queues it.
     */
    private static QuietPasses runQuietPasses(URI listener, long deadline) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Outcome total = Outcome.NONE;
        int pass = 0;
        boolean idle = true;
        while (pass < MAX_QUIET_PASSES && System.nanoTime() < deadline) {
            pass++;
            long compilerBefore = compilerCpuNanos(threads);
            total = total.plus(quietPass(listener));
            idle = awaitIdleCompiler(deadline);
            if (!idle || compilerCpuNanos(threads) - compilerBefore < QUIET_PASS_COMPILER_WORK.toNanos()) {
                break;
            }
        }
        return new QuietPasses(total, pass, idle);
    }

    /** Sends two requests of each kind, one at a time, then lets the chat clients talk briefly. */
    private static Outcome quietPass(URI listener) {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            long answered = 0;
            AtomicLong failed = new AtomicLong();
            for (int n = 0; n < 2 * REQUEST_KINDS; n++) {
                HttpResponse<String> response = client.send(request(listener, n), HttpResponse.BodyHandlers.ofString());
                answered++;
                countFailure(response, failed);
            }
            WarmupChat chat = WarmupChat.start(client, listener, System.nanoTime() + QUIET_PASS_CHAT.toNanos());
            long chatMessages = chat.awaitEnd(10_000);
            client.shutdownNow();
            return new Outcome(answered, chatMessages, failed.get() + chat.errors());
        } catch (IOException e) {
            log.debug("A quiet pass of the warm-up failed", e);
            return Outcome.NONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.NONE;
        }
    }

    /**
     * Waits until the JS compiler threads are nearly idle, or until {@code deadline} ({@link
     * System#nanoTime}); returns whether they went idle. The warm-up leaves a queue of functions to compile; serving before it drains would make the
     * script's own functions wait behind it.
     */
    private static boolean awaitIdleCompiler(long deadline) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long previous = compilerCpuNanos(threads);
        try {
            while (System.nanoTime() < deadline) {
                Thread.sleep(COMPILER_SAMPLE.toMillis());
                long current = compilerCpuNanos(threads);
                if (current - previous < COMPILER_SAMPLE.toNanos() * COMPILER_IDLE_SHARE) {
                    return true;
                }
                previous = current;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** CPU time used so far by Truffle's compiler threads, summed. */
    private static long compilerCpuNanos(ThreadMXBean threads) {
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("TruffleCompilerThread")) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                total += Math.max(0, cpu);
            }
        }
        return total;
    }

    /** Builds the n-th request of the workload: increments and RPC calls, with messages, histories, object values and small objects mixed in. */
    private static HttpRequest request(URI listener, long n) {
        String room = listener + "/room/room-" + (n % 24);
        String user = "user-" + (n % 7);
        return switch ((int) (n % REQUEST_KINDS)) {
            case 0, 1 -> get(room + "/increment", user);
            case 2, 3 -> get(room + "/add", user);
            case 4 -> HttpRequest.newBuilder(URI.create(room + "/message?n=" + n))
                    .header("content-type", "application/json")
                    .header("x-user", user)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + user + "\",\"message\":\"hello " + n + "\"}"))
                    .build();
            case 5 -> get(room + "/history?copy=1", user);
            case 6 -> get(room + "/object", user);
            case 7 -> get(listener + "/room/fresh-" + n + "/increment", user);
            case 8 -> get(listener + "/echo/echo-" + (n % 3) + (n % 20 == 8 ? "?page" : ""), user);
            default -> get(listener + "/greet/greeter-" + (n % 3), user);
        };
    }

    private static HttpRequest get(String url, String user) {
        return HttpRequest.newBuilder(URI.create(url)).header("accept", "*/*").header("x-user", user).GET().build();
    }

    private static ModuleBundle bundle() {
        try (InputStream in = Warmup.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The warm-up script is missing from the class path: " + RESOURCE);
            }
            byte[] source = in.readAllBytes();
            return new ModuleBundle("worker.js",
                    Map.of("worker.js", new ModuleBundle.Module("worker.js", ModuleBundle.ModuleType.ES_MODULE, source)));
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the warm-up script failed", e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    log.warn("Could not delete warm-up file {}", path, e);
                }
            });
        } catch (IOException e) {
            log.warn("Could not delete the warm-up directory {}", directory, e);
        }
    }
}
