package dev.mooring.host.config;

import dev.mooring.host.deploy.UploadLimits;
import dev.mooring.host.egress.EgressPolicy;
import dev.mooring.host.http.TrustedProxies;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

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

    /**
     * The storage folder of {@code dev}. NOTE: its default is only text for {@code --help}, in which
     * DIR is the project folder. DevCommand computes the real default, so read this option only
     * when {@code has} returns true.
     */
    public static final Option<Path> DATA = new Option<>("--data", "DATA", "DIR/.mooring", "",
            "Folder for durable storage (LMDB files); created when missing.", Path::of);

    public static final Option<Duration> CPU_LIMIT = new Option<>("--cpu-limit", "DURATION", "30s", "duration",
            "CPU time one event (request, message, timer callback chain) may use before it is stopped"
                    + " and its object is reset.", Values::positiveDuration);

    public static final Option<Duration> IDLE_TIMEOUT = new Option<>("--idle-timeout", "DURATION", "10s", "duration",
            "How long an object with nothing to do stays in memory before it is evicted; its storage stays.",
            Values::positiveDuration);

    public static final Option<Integer> EVENT_LOOPS = new Option<>("--event-loops", "COUNT", String.valueOf(CPUS),
            "the number of CPUs", "threads",
            "Event-loop threads per script that run its guest code, each with one context of the script. A script's"
                    + " runaway code occupies only its own loops.",
            Values::positiveCount);

    public static final Option<Integer> IO_THREADS = new Option<>("--io-threads", "COUNT", String.valueOf(Math.max(1, CPUS / 2)),
            "half the CPUs but at least 1", "threads", "Undertow I/O threads that parse and write HTTP.",
            Values::positiveCount);

    public static final Option<Long> MAX_REQUEST_BODY = new Option<>("--max-request-body", "SIZE", "100MiB", "bytes",
            "Largest request body accepted; larger requests get 413.", Values::bytes);

    public static final Option<Long> STORAGE_MAP_SIZE = new Option<>("--storage-map-size", "SIZE", "1GiB", "bytes",
            "Initial LMDB map size; the map grows by itself when full, so this only sets the first step.", Values::bytes);

    public static final Option<Duration> WARMUP = new Option<>("--warmup", "DURATION", "5s", "duration",
            "How long to run a built-in script before serving, so that the JS compiler has compiled the runtime's"
                    + " request path; serving then also waits (at most 20s) until the compiler is idle after up to 3 quiet passes of light traffic."
                    + " 0s starts serving at once, with guest code slower for the first tens of seconds.",
            Values::duration);

    public static final Option<Long> WEBSOCKET_MAX_MESSAGE = new Option<>("--websocket-max-message", "SIZE", "1MiB", "bytes",
            "Largest WebSocket message a client may send, and a server may send to a WebSocket that guest code opened;"
                    + " a larger one closes the connection with code 1009.",
            Values::bytes);

    public static final Option<Long> WEBSOCKET_SEND_BUFFER = new Option<>("--websocket-send-buffer", "SIZE", "16MiB", "bytes",
            "Most bytes queued for one WebSocket peer that is not reading (a client, or the server of a WebSocket that"
                    + " guest code opened); beyond that the connection is closed with code 1008, so a slow peer cannot"
                    + " exhaust memory.", Values::bytes);

    public static final Option<Long> WEBSOCKET_RECEIVE_BUFFER = new Option<>("--websocket-receive-buffer", "SIZE", "1MiB",
            "bytes", "Most bytes of one WebSocket peer's messages that wait for the object's handler; beyond that the"
                    + " host stops reading from that peer until the object catches up, so a peer that sends faster"
                    + " than its object handles messages cannot exhaust memory. 0 reads one message at a time.", Values::bytes);

    public static final Option<Duration> WEBSOCKET_IDLE_TIMEOUT = new Option<>("--websocket-idle-timeout", "DURATION", "0s",
            "duration", "How long a WebSocket connection may carry no frame before it is closed; 0s keeps idle"
                    + " connections open, as Cloudflare does.", Values::duration);

    public static final Option<Long> ALLOCATION_LIMIT = new Option<>("--allocation-limit", "SIZE", "128MiB", "bytes",
            "Heap one event (request, message, timer callback chain) may allocate, garbage included, before it is"
                    + " stopped and its object reset. It guards the host's heap against runaway allocation; it does not"
                    + " cap live memory. What a runaway keeps alive up to this limit lengthens the collector's pauses"
                    + " for every script, so the default is Cloudflare's 128 MB isolate limit. Raise it for"
                    + " events that handle large payloads: interpreted GraalJS allocates hundreds of MiB per second in"
                    + " busy loops, the optimizing compiler far less.",
            Values::positiveBytes);

    public static final Option<Integer> MAX_LIVE_OBJECTS = new Option<>("--max-live-objects", "COUNT", "10000", "objects",
            "Most Durable Objects of one script kept in memory. Past it, idle objects are evicted at once instead"
                    + " of after --idle-timeout, least recently used first on the event loop that needs room, then on"
                    + " the script's other loops; their storage stays. Objects with events"
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

    public static final Option<Long> MAX_QUEUED_RESPONSE_BODY = new Option<>("--max-queued-response-body", "SIZE", "1MiB",
            "bytes", "Most bytes of one streamed response body that may wait in the host for a slow client (or a slow"
                    + " reading Worker). When the script writes past it, the host aborts the response, errors the script's"
                    + " stream and logs why; it does not slow the writer down. Bodies that are not streams never wait here.",
            Values::positiveBytes);

    public static final Option<Path> SERVE_DATA = new Option<>("--data", "DATA", "mooring-data", "",
            "Folder for the deployed scripts, their versions, their storage (LMDB files) and the generated admin"
                    + " token; created when missing.", Path::of);

    public static final Option<Integer> ADMIN_PORT = new Option<>("--admin-port", "PORT", "8788", "",
            "TCP port of the admin API (upload, list, inspect and delete scripts); 0 picks a free port.", Values::port);

    public static final Option<String> ADMIN_HOST = new Option<>("--admin-host", "ADDRESS", "127.0.0.1", "",
            "Address the admin API listens on. Keep it on loopback unless a firewall or proxy guards it: the token is"
                    + " sent in clear text over HTTP.", text -> text);

    public static final Option<Path> ADMIN_TOKEN_FILE = new Option<>("--admin-token-file", "FILE", null, "",
            "File holding the admin API's bearer token. MOORING_ADMIN_TOKEN takes precedence; without either, the first"
                    + " start generates a token, stores it in DATA/admin-token with mode 0600 and prints it once.",
            Path::of);

    public static final Option<String> BASE_DOMAIN = new Option<>("--base-domain", "DOMAIN", null, "",
            "Domain whose subdomains name scripts: NAME.DOMAIN reaches script NAME. NAME.localhost always does.",
            Values::domain);

    public static final Option<Boolean> ROUTE_BY_PATH = new Option<>("--route-by-path", "true|false", "false", "",
            "Whether /NAME/... reaches script NAME when the host name names no script; the script then sees the path"
                    + " without /NAME. The prefix is not added to the URLs a page uses, so a page that calls an absolute"
                    + " path such as /api/room sends that request to a script named api; serve such a page at"
                    + " NAME.localhost instead.",
            Values::bool);

    public static final Option<Duration> HANDOVER_GRACE = new Option<>("--handover-grace", "DURATION", "10s", "duration",
            "After a new version of a script is deployed, how long objects of the old version may finish the events"
                    + " they are running; then they are reset and those events fail.", Values::positiveDuration);
    public static final Option<EgressPolicy> ALLOW_FETCH = new Option<>("--allow-fetch", "HOST[,HOST...]", null, "",
            "Comma-separated hosts that guest code may reach with fetch() and outgoing WebSockets: host names (api.example.com), wildcards"
                    + " (*.example.com matches the names below example.com), * for every host name, IP addresses and"
                    + " CIDR ranges (10.0.0.0/8). A loopback, private, link-local or other non-public address, whether"
                    + " in the URL or resolved from an allowed name, must be listed by address. Without this option"
                    + " every fetch() and outgoing WebSocket is rejected.", EgressPolicy::parse);

    public static final Option<Duration> FETCH_TIMEOUT = new Option<>("--fetch-timeout", "DURATION", "30s", "duration",
            "How long one fetch() from guest code may take, redirects and the whole response body included,"
                    + " before it fails; for an outgoing WebSocket, how long its handshake may take.", Values::positiveDuration);

    public static final Option<Long> FETCH_MAX_RESPONSE = new Option<>("--fetch-max-response", "SIZE", "32MiB", "bytes",
            "Largest response body a fetch() from guest code reads; a larger one fails the call.", Values::bytes);

    /** Options of {@code mooring dev}. */
    public static final List<Option<?>> DEV = List.of(PORT, HTTPS_PORT, HOST, TRUSTED_PROXY, DATA, CPU_LIMIT, IDLE_TIMEOUT,
            EVENT_LOOPS, IO_THREADS, MAX_REQUEST_BODY, STORAGE_MAP_SIZE, WARMUP, WEBSOCKET_MAX_MESSAGE, WEBSOCKET_SEND_BUFFER,
            WEBSOCKET_RECEIVE_BUFFER, WEBSOCKET_IDLE_TIMEOUT, ALLOW_FETCH, FETCH_TIMEOUT, FETCH_MAX_RESPONSE, ALLOCATION_LIMIT,
            MAX_LIVE_OBJECTS, STORAGE_QUOTA_PER_OBJECT, STORAGE_QUOTA_PER_SCRIPT, MAX_WEBSOCKETS_PER_OBJECT,
            MAX_QUEUED_RESPONSE_BODY);

    public static final Option<Long> MAX_UPLOAD_BODY = new Option<>("--max-upload-body", "SIZE",
            (UploadLimits.DEFAULT_MAX_BODY_BYTES >> 20) + "MiB", "bytes",
            "Largest script upload accepted by the admin API; a larger one gets 413.", Values::bytes);

    public static final Option<Integer> MAX_UPLOAD_MODULES = new Option<>("--max-upload-modules", "COUNT",
            String.valueOf(UploadLimits.DEFAULT_MAX_MODULES), "modules",
            "Most modules one script upload may contain; more get 413.", Values::positiveCount);

    public static final Option<Long> MAX_UPLOAD_MODULE_SIZE = new Option<>("--max-upload-module-size", "SIZE",
            (UploadLimits.DEFAULT_MAX_MODULE_BYTES >> 20) + "MiB", "bytes",
            "Largest single module in a script upload; a larger one gets 413.", Values::bytes);

    public static final Option<Long> MAX_UPLOAD_METADATA = new Option<>("--max-upload-metadata", "SIZE",
            (UploadLimits.DEFAULT_MAX_METADATA_BYTES >> 20) + "MiB", "bytes",
            "Largest metadata part (bindings, vars, migrations) in a script upload; a larger one gets 413.",
            Values::bytes);

    /** Limits on script uploads through the admin API; {@link UploadLimits#from} reads them. */
    public static final List<Option<?>> UPLOAD_LIMITS = List.of(MAX_UPLOAD_BODY, MAX_UPLOAD_MODULES,
            MAX_UPLOAD_MODULE_SIZE, MAX_UPLOAD_METADATA);

    public static final Option<URI> DEPLOY_TO = new Option<>("--to", "URL", null, "",
            "Base URL of the admin API of a server started with ./mooring serve, such as http://127.0.0.1:8788;"
                    + " the upload goes to URL/scripts/NAME. Required.", HostOptions::adminUrl);

    public static final Option<Path> TOKEN_FILE = new Option<>("--token-file", "FILE", null, "",
            "File that contains the admin API's bearer token; whitespace around it is ignored. Without this"
                    + " option the token comes from the MOORING_ADMIN_TOKEN environment variable.", Path::of);

    public static final Option<Duration> DEPLOY_TIMEOUT = new Option<>("--timeout", "DURATION", "60s", "duration",
            "How long to wait for the admin API to accept the connection and to answer each request.",
            Values::positiveDuration);

    /** Options of {@code mooring deploy}. */
    public static final List<Option<?>> DEPLOY = List.of(DEPLOY_TO, TOKEN_FILE, DEPLOY_TIMEOUT);

    /** Options of {@code mooring serve}. */
    public static final List<Option<?>> SERVE = List.of(PORT, HTTPS_PORT, HOST, TRUSTED_PROXY, ADMIN_PORT, ADMIN_HOST,
            ADMIN_TOKEN_FILE, SERVE_DATA, BASE_DOMAIN, ROUTE_BY_PATH, HANDOVER_GRACE, MAX_UPLOAD_BODY, MAX_UPLOAD_MODULES,
            MAX_UPLOAD_MODULE_SIZE, MAX_UPLOAD_METADATA, CPU_LIMIT, IDLE_TIMEOUT, EVENT_LOOPS, IO_THREADS, MAX_REQUEST_BODY,
            STORAGE_MAP_SIZE, WARMUP, WEBSOCKET_MAX_MESSAGE, WEBSOCKET_SEND_BUFFER, WEBSOCKET_RECEIVE_BUFFER,
            WEBSOCKET_IDLE_TIMEOUT, ALLOW_FETCH,
            FETCH_TIMEOUT, FETCH_MAX_RESPONSE, ALLOCATION_LIMIT, MAX_LIVE_OBJECTS, STORAGE_QUOTA_PER_OBJECT,
            STORAGE_QUOTA_PER_SCRIPT, MAX_WEBSOCKETS_PER_OBJECT, MAX_QUEUED_RESPONSE_BODY);

    /** Options of each command, by command name, in the order {@code --help} lists the commands. */
    public static final SequencedMap<String, List<Option<?>>> COMMANDS = commands();

    private HostOptions() {}

    private static SequencedMap<String, List<Option<?>>> commands() {
        SequencedMap<String, List<Option<?>>> commands = new LinkedHashMap<>();
        commands.put("dev", DEV);
        commands.put("serve", SERVE);
        commands.put("deploy", DEPLOY);
        return Collections.unmodifiableSequencedMap(commands);
    }

    /** Returns an option's declared default, parsed; for code that runs without a command line. */
    public static <T> T defaultOf(Option<T> option) {
        if (option.defaultValue() == null) {
            throw new IllegalArgumentException(option.name() + " has no default");
        }
        return option.parse(option.defaultValue());
    }

    /** Parses an absolute http or https URL without query or fragment; a trailing "/" is dropped. */
    private static URI adminUrl(String text) {
        URI uri;
        try {
            uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("expected a URL such as http://127.0.0.1:8788 (" + e.getMessage() + ")");
        }
        boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
        if (!http || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("expected an http:// or https:// URL with a host and without query or"
                    + " fragment, such as http://127.0.0.1:8788");
        }
        if (uri.getPath() != null && (uri.getPath().equals("/scripts") || uri.getPath().startsWith("/scripts/"))) {
            throw new IllegalArgumentException("give the admin API's base URL without " + uri.getPath() + ", such as "
                    + uri.getScheme() + "://" + uri.getRawAuthority() + "; deploy adds /scripts/NAME itself");
        }
        return uri;
    }
}
