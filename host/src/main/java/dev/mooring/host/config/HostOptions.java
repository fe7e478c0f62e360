package dev.mooring.host.config;

import dev.mooring.host.http.TrustedProxies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every option of the host, declared once. {@code --help} prints this list, and {@link
 * OptionParser} accepts exactly these.
 */
public final class HostOptions {

    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    public static final Option<Integer> PORT = new Option<>("--port", "PORT", "8787", "",
            "TCP port for HTTP traffic; 0 picks a free port.", Values::port);

    public static final Option<Integer> HTTPS_PORT = new Option<>("--https-port", "PORT", null, "",
            "TCP port for HTTPS on the --host address, serving the same requests as HTTP; 0 picks a free port."
                    + " The listener presents a self-signed development certificate for localhost, 127.0.0.1 and ::1,"
                    + " created on first use in DATA/tls/dev-certificate.p12 and reused, so browsers warn until you trust"
                    + " it. Without this option there is no HTTPS listener.", Values::port);

    public static final Option<TrustedProxies> TRUSTED_PROXY = new Option<>("--trusted-proxy", "ADDRESS[,...]", null, "",
            "Comma-separated IP addresses of reverse proxies in front of Mooring. For a connection from one of these"
                    + " exact addresses, the CF-Connecting-IP header it sends is kept, or without one the first address"
                    + " of X-Forwarded-For is used. For any other connection, CF-Connecting-IP is set to the peer's address.",
            TrustedProxies::parse);

    public static final Option<String> HOST = new Option<>("--host", "ADDRESS", "127.0.0.1", "",
            "Address to listen on; use 0.0.0.0 to accept connections from other machines.", text -> text);

    public static final Option<Path> DATA = new Option<>("--data", "DIR", "DIR/.mooring", "",
            "Folder for durable storage (LMDB files); created when missing.", Path::of);

    public static final Option<Duration> CPU_LIMIT = new Option<>("--cpu-limit", "DURATION", "30s", "duration",
            "CPU time one event (request, message, timer callback chain) may use before it is stopped"
                    + " and its object is reset.", Values::positiveDuration);

    public static final Option<Duration> IDLE_TIMEOUT = new Option<>("--idle-timeout", "DURATION", "10s", "duration",
            "How long an object with nothing to do stays in memory before it is evicted; its storage stays.",
            Values::positiveDuration);

    public static final Option<Integer> EVENT_LOOPS = new Option<>("--event-loops", "COUNT", String.valueOf(CPUS), "threads",
            "Event-loop threads that run guest code; each holds one context per script. Default: the number of CPUs.",
            Values::positiveCount);

    public static final Option<Integer> IO_THREADS = new Option<>("--io-threads", "COUNT", String.valueOf(Math.max(1, CPUS / 2)),
            "threads", "Undertow I/O threads that parse and write HTTP. Default: half the CPUs, at least 1.",
            Values::positiveCount);

    public static final Option<Long> MAX_REQUEST_BODY = new Option<>("--max-request-body", "SIZE", "100MiB", "bytes",
            "Largest request body accepted; larger requests get 413.", Values::bytes);

    public static final Option<Long> STORAGE_MAP_SIZE = new Option<>("--storage-map-size", "SIZE", "1GiB", "bytes",
            "Initial LMDB map size; the map grows by itself when full, so this only sets the first step.", Values::bytes);

    public static final Option<Duration> WARMUP = new Option<>("--warmup", "DURATION", "5s", "duration",
            "How long to run a built-in script before serving, so that the JS compiler has compiled the runtime's"
                    + " request path; serving then also waits (at most 20s) until the compiler is idle."
                    + " 0s starts serving at once, with guest code slower for the first tens of seconds.",
            Values::duration);

    public static final Option<Long> WEBSOCKET_MAX_MESSAGE = new Option<>("--websocket-max-message", "SIZE", "1MiB", "bytes",
            "Largest WebSocket message a client may send; a larger one closes the connection with code 1009.",
            Values::bytes);

    public static final Option<Long> WEBSOCKET_SEND_BUFFER = new Option<>("--websocket-send-buffer", "SIZE", "16MiB", "bytes",
            "Most bytes queued for one WebSocket client that is not reading; beyond that the connection is closed"
                    + " with code 1008, so a slow client cannot exhaust memory.", Values::bytes);

    public static final Option<Duration> WEBSOCKET_IDLE_TIMEOUT = new Option<>("--websocket-idle-timeout", "DURATION", "0s",
            "duration", "How long a WebSocket connection may carry no frame before it is closed; 0s keeps idle"
                    + " connections open, as Cloudflare does.", Values::duration);

    public static final Option<Long> ALLOCATION_LIMIT = new Option<>("--allocation-limit", "SIZE", "1GiB", "bytes",
            "Heap one event (request, message, timer callback chain) may allocate, garbage included, before it is"
                    + " stopped and its object reset. It guards the host's heap against runaway allocation; it does not"
                    + " cap live memory. Keep it well above what a legitimate event allocates: interpreted GraalJS"
                    + " allocates hundreds of MiB per second in busy loops, the optimizing compiler far less.",
            Values::positiveBytes);

    public static final Option<Integer> MAX_LIVE_OBJECTS = new Option<>("--max-live-objects", "COUNT", "10000", "objects",
            "Most Durable Objects of one script kept in memory. Past it, the least recently used idle objects are"
                    + " evicted at once instead of after --idle-timeout; their storage stays. Objects with events"
                    + " running or queued, timers, or WebSockets open through accept() are never evicted for this."
                    + " The default bounds a script that touches many objects in a burst to about what 10,000 small"
                    + " objects hold (each costs a few KiB plus what its code keeps in memory).",
            Values::positiveCount);

    public static final Option<Long> STORAGE_QUOTA_PER_OBJECT = new Option<>("--storage-quota-per-object", "SIZE", "1GiB",
            "bytes", "Most bytes one Durable Object may store, counted as the UTF-8 length of each key plus its value."
                    + " A put() that would pass it throws and writes nothing; deletes always work. Cloudflare allows"
                    + " 10 GB per SQLite-backed object; the lower default keeps one runaway object from filling the"
                    + " disk of a single host, where all objects share one LMDB file.", Values::positiveBytes);

    public static final Option<Long> STORAGE_QUOTA_PER_SCRIPT = new Option<>("--storage-quota-per-script", "SIZE", "10GiB",
            "bytes", "Most bytes all Durable Objects of one script may store together, counted like"
                    + " --storage-quota-per-object. A put() that would pass it throws and writes nothing.",
            Values::positiveBytes);

    public static final Option<Integer> MAX_WEBSOCKETS_PER_OBJECT = new Option<>("--max-websockets-per-object", "COUNT",
            "32768", "sockets", "Most WebSockets one Durable Object may hold open, accepted with accept() or"
                    + " ctx.acceptWebSocket(); accepting one more throws, and that connection is closed. 32,768 is"
                    + " workerd's limit for hibernatable WebSockets.", Values::positiveCount);

    /** Options of {@code mooring dev}. */
    public static final List<Option<?>> DEV = List.of(PORT, HTTPS_PORT, HOST, TRUSTED_PROXY, DATA, CPU_LIMIT, IDLE_TIMEOUT,
            EVENT_LOOPS, IO_THREADS, MAX_REQUEST_BODY, STORAGE_MAP_SIZE, WARMUP, WEBSOCKET_MAX_MESSAGE, WEBSOCKET_SEND_BUFFER,
            WEBSOCKET_IDLE_TIMEOUT, ALLOCATION_LIMIT, MAX_LIVE_OBJECTS, STORAGE_QUOTA_PER_OBJECT, STORAGE_QUOTA_PER_SCRIPT,
            MAX_WEBSOCKETS_PER_OBJECT);

    private HostOptions() {}

    /** Returns an option's declared default, parsed; for code that runs without a command line. */
    public static <T> T defaultOf(Option<T> option) {
        if (option.defaultValue() == null) {
            throw new IllegalArgumentException(option.name() + " has no default");
        }
        return option.parse(option.defaultValue());
    }
}
