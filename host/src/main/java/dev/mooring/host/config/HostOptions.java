package dev.mooring.host.config;

import dev.mooring.host.egress.EgressPolicy;
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

    public static final Option<EgressPolicy> ALLOW_FETCH = new Option<>("--allow-fetch", "HOST[,HOST...]", null, "",
            "Comma-separated hosts that guest code may reach with fetch(): host names (api.example.com), wildcards"
                    + " (*.example.com matches the names below example.com), * for every host name, IP addresses and"
                    + " CIDR ranges (10.0.0.0/8). A loopback, private, link-local or other non-public address, whether"
                    + " in the URL or resolved from an allowed name, must be listed by address. Without this option"
                    + " every fetch() is rejected.", EgressPolicy::parse);

    public static final Option<Duration> FETCH_TIMEOUT = new Option<>("--fetch-timeout", "DURATION", "30s", "duration",
            "How long one fetch() from guest code may take, redirects and the whole response body included,"
                    + " before it fails.", Values::positiveDuration);

    public static final Option<Long> FETCH_MAX_RESPONSE = new Option<>("--fetch-max-response", "SIZE", "32MiB", "bytes",
            "Largest response body a fetch() from guest code reads; a larger one fails the call.", Values::bytes);

    /** Options of {@code mooring dev}. */
    public static final List<Option<?>> DEV = List.of(PORT, HTTPS_PORT, HOST, TRUSTED_PROXY, DATA, CPU_LIMIT, IDLE_TIMEOUT,
            EVENT_LOOPS, IO_THREADS, MAX_REQUEST_BODY, STORAGE_MAP_SIZE, WARMUP, WEBSOCKET_MAX_MESSAGE, WEBSOCKET_SEND_BUFFER,
            WEBSOCKET_IDLE_TIMEOUT, ALLOW_FETCH, FETCH_TIMEOUT, FETCH_MAX_RESPONSE);

    private HostOptions() {}
}
