package dev.mooring.host;

import dev.mooring.host.config.Values;
import dev.mooring.host.http.HttpFrontend;
import dev.mooring.host.http.WebSocketSettings;
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

    /** Maximum wait for the JS compiler to finish what the warm-up gave it. */
    private static final Duration MAX_COMPILER_WAIT = Duration.ofSeconds(20);

    /** The compiler counts as idle when its threads used less than this share of one CPU in a sample. */
    private static final double COMPILER_IDLE_SHARE = 0.05;

    private static final Duration COMPILER_SAMPLE = Duration.ofMillis(500);

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
    }

    /**
     * Drives the warm-up script for {@code duration}, then waits until the JS compiler is idle.
     * Does nothing for a zero duration.
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
                + " then up to {} more until the compiler is idle (--warmup 0s skips both)", Values.format(duration),
                SCRIPT_LOG_NAME, directory, Values.format(MAX_COMPILER_WAIT));

        Outcome outcome = Outcome.NONE;
        long trafficMillis = -1;
        long compilerWaitMillis = -1;
        try (LmdbStore store = LmdbStore.open(directory, LmdbStore.Options.defaults().withInitialMapSizeBytes(64L << 20))) {
            outcome = driveScript(services, store, duration);
            long trafficEnded = System.nanoTime();
            trafficMillis = (trafficEnded - started) / 1_000_000;
            awaitIdleCompiler();
            compilerWaitMillis = (System.nanoTime() - trafficEnded) / 1_000_000;
        } catch (IOException | RuntimeException e) {
            log.warn("The warm-up failed after {} ms; serving anyway, with guest code slower until it is compiled",
                    (System.nanoTime() - started) / 1_000_000, e);
        } finally {
            deleteRecursively(directory);
        }
        if (compilerWaitMillis >= 0) {
            log.info("Warm-up done in {} ms: {} ms loading and driving the warm-up script ({} and {}),"
                    + " then {} ms waiting for the JS compiler to go idle", (System.nanoTime() - started) / 1_000_000,
                    trafficMillis, Values.formatCount(outcome.requests(), "request"),
                    Values.formatCount(outcome.chatMessages(), "chat message"), compilerWaitMillis);
        }
        if (outcome.failures() > 0) {
            log.warn("The built-in warm-up script failed {} times (the first failure of each kind is logged above), so part of the"
                    + " runtime may still run uncompiled at first; please report this as a bug in Mooring", outcome.failures());
        }
        return outcome;
    }

    /**
     * Loads the warm-up script on event loops of its own, serves it on a silent loopback listener
     * and sends it traffic for {@code duration}, then stops all three.
     */
    private static Outcome driveScript(HostServices services, LmdbStore store, Duration duration) {
        List<EventLoop> loops = services.startLoops(SCRIPT_NAME);
        ScriptRuntime runtime = new ScriptRuntime(SCRIPT_LOG_NAME, SCRIPT_NAME, bundle(), "",
                List.of(binding("ROOMS", "Room"), binding("CHATS", "HibernatingChat"),
                        binding("LISTENING_CHATS", "ListeningChat"), binding("LIMITERS", "Limiter")), "{}",
                new ScriptRuntime.Limits(services.settings().cpuLimit().toNanos(), Duration.ofMinutes(1).toNanos(),
                        Duration.ofSeconds(1).toNanos()),
                new ScriptRuntime.Services(services.engine(), services.watchdog(), loops, store,
                        services.webSocketDirectory(), services.egress()));
        HttpFrontend listener = new HttpFrontend(
                new HttpFrontend.Settings("127.0.0.1", 0, services.settings().http().ioThreads(), 1L << 20),
                runtime::handle, HttpFrontend.WebSocketBinder.of(services.webSocketDirectory()), WebSocketSettings.DEFAULTS);
        try {
            runtime.start();
            listener.startSilently();
            return drive(URI.create("http://127.0.0.1:" + listener.port()), duration);
        } finally {
            listener.close();
            runtime.close();
            services.stopLoops(loops);
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
                                if (response.statusCode() >= 500 && failed.incrementAndGet() == 1) {
                                    log.warn("The built-in warm-up script returned status {} for {} {}: {}", response.statusCode(),
                                            response.request().method(), response.request().uri(), response.body());
                                }
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

    /**
     * Waits until the JS compiler threads are nearly idle, or {@link #MAX_COMPILER_WAIT} has passed.
     * The warm-up leaves a queue of functions to compile; serving before it drains would make the
     * script's own functions wait behind it.
     */
    private static void awaitIdleCompiler() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long deadline = System.nanoTime() + MAX_COMPILER_WAIT.toNanos();
        long previous = compilerCpuNanos(threads);
        try {
            while (System.nanoTime() < deadline) {
                Thread.sleep(COMPILER_SAMPLE.toMillis());
                long current = compilerCpuNanos(threads);
                if (current - previous < COMPILER_SAMPLE.toNanos() * COMPILER_IDLE_SHARE) {
                    return;
                }
                previous = current;
            }
            log.info("The JS compiler is still busy after {}; serving anyway", Values.format(MAX_COMPILER_WAIT));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    /** Builds the n-th request of the workload: mostly increments, with messages, histories and object values mixed in. */
    private static HttpRequest request(URI listener, long n) {
        String room = listener + "/room/room-" + (n % 24);
        String user = "user-" + (n % 7);
        return switch ((int) (n % 8)) {
            case 0, 1 -> get(room + "/increment", user);
            case 2, 3 -> get(room + "/add", user);
            case 4 -> HttpRequest.newBuilder(URI.create(room + "/message?n=" + n))
                    .header("content-type", "application/json")
                    .header("x-user", user)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + user + "\",\"message\":\"hello " + n + "\"}"))
                    .build();
            case 5 -> get(room + "/history?copy=1", user);
            case 6 -> get(room + "/object", user);
            default -> get(listener + "/room/fresh-" + n + "/increment", user);
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
