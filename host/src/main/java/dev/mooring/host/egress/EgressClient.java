package dev.mooring.host.egress;

import dev.mooring.host.config.HostOptions;
import dev.mooring.host.config.Values;
import dev.mooring.host.logging.RepeatLimiter;
import dev.mooring.runtime.fetch.RequestData;
import dev.mooring.runtime.fetch.ResponseData;
import dev.mooring.runtime.url.UrlParser;
import dev.mooring.runtime.url.UrlRecord;
import dev.mooring.runtime.url.UrlSerializer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbound HTTP requests of guest code's {@code fetch()}, and opens its outgoing
 * WebSockets ({@link #openWebSocket}), within an {@link EgressPolicy}.
 *
 * <p>Each hop of a request, the first and every redirect, is checked before it is sent: the
 * URL's host against the allowlist before any DNS lookup, then every address the host name
 * resolves to (see {@link EgressPolicy}). The JDK client never follows redirects by itself; this
 * class follows at most {@value #MAX_REDIRECTS} of them for {@link RedirectMode#FOLLOW}, with the
 * Fetch Standard's rules for methods and bodies, as workerd does. A whole call, redirects and
 * response bodies included, ends after {@link EgressSettings#timeout()}; a response body larger
 * than {@link EgressSettings#maxResponseBytes()} fails it. Blocked requests are logged at INFO
 * with the script and host, at most once a minute per pair.
 *
 * <p>Threads: {@link #fetch} may be called from any thread and never blocks; DNS lookups run on
 * virtual threads. The returned future completes on one of this client's threads. Cancelling it
 * stops its request, and {@link #close} stops every request still under way.
 *
 * <p>DNS answers are pinned for the connection. The check resolves a host name with the JDK's
 * built-in resolver, past the JVM's address cache and the pin table, and checks every address.
 * Then it pins the name to those addresses in {@link AddressPins} until the hop has its response
 * headers or has failed. The JDK client resolves the name again when it connects: the JVM's
 * address cache returns its entry first, and otherwise {@link PinningResolver}, the JVM's resolver, returns
 * the pinned addresses. The check looks up the name that way too and checks what it gets, and it
 * checks the pinned addresses when an earlier check of the name set them. So a DNS answer that
 * changes between check and connect (DNS rebinding) cannot make the client connect to an address
 * that this policy rejects. When the JVM's resolver is not {@link PinningResolver}, requests to
 * host names are rejected and the host logs an error.
 *
 * <p>Limits: addresses are pinned, not names, so for https the client still sends SNI and checks
 * the certificate for the URL's host. Pins are shared by every client in the JVM and keyed by
 * name alone, so a request fails when its name is pinned, by another client's request under way,
 * to addresses that its own policy rejects. When a call is cancelled, its pin stays until it expires, {@link
 * EgressSettings#timeout()} plus the connect timeout after the check, because the client may
 * still be connecting; a connect attempt that the JDK client starts after that would resolve
 * the name unpinned.
 */
public final class EgressClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EgressClient.class);

    /** Most redirects one call follows, as the Fetch Standard and workerd allow. */
    public static final int MAX_REDIRECTS = 20;

    /** Maximum time to open one connection; the whole call's timeout applies when it is shorter. */
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Request headers that the JDK client sets itself and rejects from callers; guest values are dropped. */
    private static final Set<String> HEADERS_SET_BY_CLIENT = Set.of("connection", "content-length", "expect", "host", "upgrade");

    /** Handshake headers that the JDK's WebSocket client sets itself; guest values are dropped (protocols go through {@link #openWebSocket}). */
    private static final Set<String> HEADERS_SET_BY_WEBSOCKET_CLIENT = Set.of("sec-websocket-accept", "sec-websocket-extensions",
            "sec-websocket-key", "sec-websocket-protocol", "sec-websocket-version");

    /** Headers that describe a body; dropped when a redirect turns the request into a GET without one. */
    private static final Set<String> BODY_HEADERS = Set.of("content-encoding", "content-language", "content-location", "content-type");

    private static final String PINNING_MISSING = "The JVM's resolver is not " + PinningResolverProvider.class.getName()
            + ", so fetch() to host names is rejected: the DNS answer that the egress check approves could not be"
            + " pinned for the connection. Keep META-INF/services/java.net.spi.InetAddressResolverProvider of the host"
            + " jar on the class path, and do not set the jdk.net.hosts.file system property.";

    private static final String HEX_DIGITS = "0123456789ABCDEF";

    /** The redirect mode of a request, as guest code set it. */
    public enum RedirectMode {
        /** Follow redirects, checking each hop against the policy. */
        FOLLOW,
        /** Return a redirect response as it is. */
        MANUAL;

        /**
         * Reads the {@code redirect} member of a JS Request.
         *
         * @throws IllegalArgumentException for any other value than "follow" or "manual"
         */
        public static RedirectMode of(String redirect) {
            return switch (redirect) {
                case "follow" -> FOLLOW;
                case "manual" -> MANUAL;
                default -> throw new IllegalArgumentException("Unknown redirect mode '" + redirect + "'; expected follow or manual");
            };
        }
    }

    /**
     * The outcome of a successful call.
     *
     * @param response the last response; its status text is null because the JDK client does not
     *     report the reason phrase, so guest code sees the standard phrase for the status
     * @param url the URL of the last response, without fragment
     * @param redirected whether at least one redirect was followed
     */
    public record Fetched(ResponseData response, String url, boolean redirected) {}

    /**
     * The outcome of a WebSocket handshake that reached the server: either the server switched
     * protocols and {@code webSocket} is the open connection, or it refused and {@code refused} is
     * its response.
     *
     * @param webSocket the connection, delivering to the listener given to {@link #openWebSocket};
     *     null when the server refused
     * @param protocol the subprotocol the server chose, or "" for none
     * @param refused the server's response when it did not switch protocols; null otherwise
     */
    public record Upgraded(WebSocket webSocket, String protocol, Fetched refused) {}

    /** Resolves host names for the check; tests replace it to see which names were looked up. */
    interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    /** Resolves with the upstream of the JVM's {@link PinningResolver}; a hop checks that it is installed before. */
    private static final Resolver UPSTREAM_RESOLVER = host -> PinningResolverProvider.installed()
            .orElseThrow(() -> new IllegalStateException(PINNING_MISSING))
            .resolveUpstream(host);

    private final EgressSettings settings;
    private final Resolver resolver;
    private final ExecutorService threads;
    private final ScheduledExecutorService timers;
    private final HttpClient http;
    private final AddressPins pins = AddressPins.SHARED;
    /** How long a hop may hold the pin of its host name: the whole call, and one more connect that its end interrupts. */
    private final Duration pinLifetime;
    private final BlockedRequestLog blockedRequestLog = new BlockedRequestLog();
    private final RepeatLimiter problemLog = new RepeatLimiter();

    public EgressClient(EgressSettings settings) {
        this(settings, UPSTREAM_RESOLVER);
    }

    EgressClient(EgressSettings settings, Resolver resolver) {
        this.settings = settings;
        this.resolver = resolver;
        this.threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("mooring-egress-", 0).factory());
        this.timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("mooring-egress-timer").daemon().factory());
        Duration connectTimeout = settings.timeout().compareTo(MAX_CONNECT_TIMEOUT) < 0 ? settings.timeout() : MAX_CONNECT_TIMEOUT;
        this.pinLifetime = settings.timeout().plus(connectTimeout);
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(connectTimeout)
                .executor(threads)
                .build();
        if (!settings.policy().allowsNothing() && PinningResolverProvider.installed().isEmpty()) {
            log.error(PINNING_MISSING);
        }
        if (settings.policy().allowsNothing()) {
            log.info("Outbound fetch() from guest code is disabled; {} enables it for the hosts it lists",
                    HostOptions.ALLOW_FETCH.name());
        } else {
            log.info("Outbound fetch() and WebSockets from guest code may reach {}; timeout {}, responses up to {}",
                    settings.policy(), Values.format(settings.timeout()), Values.formatBytes(settings.maxResponseBytes()));
        }
    }

    public EgressSettings settings() {
        return settings;
    }

    /**
     * Sends {@code request} and returns its outcome. The future fails with an {@link
     * EgressException} that carries the JS error type and message for guest code; it never fails
     * with another exception type. Cancelling the future stops the request: a hop that has not
     * been sent is not sent, and the exchange under way is cancelled, which closes its HTTP/1.1
     * connection.
     *
     * @param scriptName the script that asked, for the log of blocked requests
     * @param request the request; its URL is the serialization of a parsed http: or https: URL
     */
    public CompletableFuture<Fetched> fetch(String scriptName, RequestData request, RedirectMode redirect) {
        return fetch(scriptName, request, redirect, true);
    }

    /**
     * Sends {@code request} as {@link #fetch(String, RequestData, RedirectMode)} does.
     *
     * @param decodeGzip whether a body whose Content-Encoding is exactly {@code gzip} is decoded,
     *     as workerd does unless the request has {@code encodeResponseBody: "manual"}. The headers
     *     stay as the server sent them, Content-Encoding and Content-Length included, as in workerd.
     */
    public CompletableFuture<Fetched> fetch(String scriptName, RequestData request, RedirectMode redirect, boolean decodeGzip) {
        Exchange exchange = new Exchange(scriptName, request, redirect);
        exchange.decodeGzip = decodeGzip;
        exchange.start();
        return exchange.result;
    }

    /**
     * Opens a WebSocket to {@code request}'s http: or https: URL within the policy, as {@code
     * fetch()} with {@code Upgrade: websocket} and {@code new WebSocket()} do. The handshake is
     * one hop: a redirect is a refusal, as the JDK client does not follow it. The call's timeout
     * covers the handshake only. The future fails with an {@link EgressException}, as {@link
     * #fetch} does; cancelling it stops the handshake, and a connection that opens after that is
     * aborted.
     *
     * @param listener receives the frames; it should not request any before the future completes
     * @param protocols the subprotocols to offer, in order of preference
     */
    public CompletableFuture<Upgraded> openWebSocket(String scriptName, RequestData request, List<String> protocols,
            WebSocket.Listener listener) {
        Exchange exchange = new Exchange(scriptName, request, RedirectMode.MANUAL);
        exchange.upgrade = new UpgradeRequest(protocols, listener, new CompletableFuture<>());
        exchange.start();
        exchange.result.whenComplete((fetched, error) -> {
            if (error != null) {
                exchange.upgrade.opened().completeExceptionally(error);
            } else if (!exchange.upgrade.opened().isDone()) {
                exchange.upgrade.opened().complete(new Upgraded(null, "", fetched));
            }
        });
        exchange.upgrade.opened().whenComplete((upgraded, error) -> {
            if (error instanceof CancellationException) {
                // Stops the handshake; a connection that still opens is aborted (see Exchange#upgraded).
                exchange.result.cancel(false);
            }
        });
        return exchange.upgrade.opened();
    }

    /** The parts of a WebSocket handshake that a plain exchange lacks: the frames' listener and the outcome. */
    private record UpgradeRequest(List<String> protocols, WebSocket.Listener listener, CompletableFuture<Upgraded> opened) {}

    /** Stops every request under way; their futures fail. */
    @Override
    public void close() {
        http.shutdownNow();
        threads.shutdownNow();
        timers.shutdownNow();
    }

    /**
     * One call: the current hop's method, URL, headers and body, changed by each redirect. The
     * fields are written by one hop at a time, and each hop starts only after the previous one
     * ended, so the hand-over through the executor publishes them.
     */
    private final class Exchange {
        final CompletableFuture<Fetched> result = new CompletableFuture<>();
        private final String scriptName;
        private final RedirectMode redirect;
        private final String requestUrl;
        private String method;
        /** Volatile because the timeout's message reads it on the timer thread. */
        private volatile UrlRecord url;
        private List<String> headers;
        private byte[] body;
        private int redirects;
        private volatile CompletableFuture<?> inFlight;
        /** Whether the final response's gzip body is decoded; set before {@link #start}. */
        private boolean decodeGzip;
        /** Set for a WebSocket handshake before {@link #start}; null for a plain request. */
        UpgradeRequest upgrade;

        Exchange(String scriptName, RequestData request, RedirectMode redirect) {
            this.scriptName = scriptName;
            this.redirect = redirect;
            this.requestUrl = request.url();
            this.method = request.method();
            this.headers = request.headers();
            this.body = request.body();
        }

        void start() {
            url = UrlParser.parse(requestUrl);
            if (url == null || !isHttp(url)) {
                result.completeExceptionally(EgressException.typeError("Fetch API cannot load: " + requestUrl));
                return;
            }
            ScheduledFuture<?> timer;
            try {
                timer = timers.schedule(this::timeOut, settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                result.completeExceptionally(stopped());
                return;
            }
            result.whenComplete((ignored, error) -> {
                timer.cancel(false);
                if (error != null) {
                    // A timeout or a cancel by the caller; otherwise the exchange has already ended.
                    cancelInFlight();
                }
            });
            startHop();
        }

        private void startHop() {
            try {
                threads.execute(this::hop);
            } catch (RejectedExecutionException e) {
                result.completeExceptionally(stopped());
            }
        }

        /** Checks the current URL against the policy, then sends it. Runs on a virtual thread, since a lookup blocks. */
        private void hop() {
            String host = url.host();
            Optional<EgressPolicy.Rejection> rejection = settings.policy().checkHost(host);
            if (rejection.isPresent()) {
                block(rejection.get());
                return;
            }
            if (EgressPolicy.literalAddress(host).isPresent()) {
                send();
                return;
            }
            AddressPins.Lease lease = checkAndPin(host);
            if (lease != null) {
                releaseWhenConnected(lease, send());
            }
        }

        /**
         * Resolves a host name with the check's resolver, checks every address, and pins the name
         * to them. Returns the pin's lease, or null after failing the call.
         */
        private AddressPins.Lease checkAndPin(String host) {
            if (PinningResolverProvider.installed().isEmpty()) {
                problemLog.admit("pinning-missing").ifPresent(suppressed -> log.error(PINNING_MISSING));
                result.completeExceptionally(EgressException.error("fetch() to " + href() + " failed because the host"
                        + " cannot pin DNS answers, so it rejects requests to host names; see the host's log."));
                return null;
            }
            List<InetAddress> addresses = resolveOrFail(host, resolver);
            if (addresses == null || !checkAddresses(addresses)) {
                return null;
            }
            Optional<AddressPins.Lease> pinned = pins.pin(host, addresses, pinLifetime);
            if (pinned.isEmpty()) {
                problemLog.admit("pin-table-full").ifPresent(suppressed -> log.warn("Rejected outbound fetch() of script {}"
                        + " to {} because the DNS pin table is full{}; each host name that a request is connecting to"
                        + " takes an entry", scriptName, host, suppressed > 0 ? " (and " + suppressed + " more since the"
                        + " last report)" : ""));
                result.completeExceptionally(EgressException.error("fetch() to " + href() + " failed because too many"
                        + " requests to other host names are connecting at this moment; try again."));
                return null;
            }
            AddressPins.Lease lease = pinned.get();
            // The client connects to an answer still in the JVM's address cache when there is one, and
            // otherwise to the pinned addresses, which an earlier check of this name may have set.
            // Both must pass this policy too.
            List<InetAddress> connectAddresses = resolveOrFail(host, name -> List.of(InetAddress.getAllByName(name)));
            if (connectAddresses == null || !checkAddresses(lease.addresses()) || !checkAddresses(connectAddresses)) {
                lease.close();
                return null;
            }
            return lease;
        }

        /** Returns the addresses of {@code host}, or null after failing the call when it has none. */
        private List<InetAddress> resolveOrFail(String host, Resolver lookup) {
            try {
                return lookup.resolve(host);
            } catch (UnknownHostException e) {
                result.completeExceptionally(EgressException.error("fetch() to " + href() + " failed because the host name "
                        + host + " could not be resolved."));
                return null;
            }
        }

        /** Checks resolved addresses against the policy; returns false after failing the call when one is blocked. */
        private boolean checkAddresses(List<InetAddress> addresses) {
            Optional<EgressPolicy.Rejection> rejection = settings.policy().checkResolved(url.host(), addresses);
            rejection.ifPresent(this::block);
            return rejection.isEmpty();
        }

        private void block(EgressPolicy.Rejection rejection) {
            String message = upgrade == null ? rejection.message() : rejection.messageFor("A WebSocket connection");
            blockedRequestLog.record(scriptName, rejection.host(), message);
            result.completeExceptionally(EgressException.error(message));
        }

        /** Sends the current hop; returns the exchange under way, or null after failing the call. */
        private CompletableFuture<?> send() {
            if (upgrade != null) {
                return sendUpgrade();
            }
            HttpRequest httpRequest;
            try {
                httpRequest = buildRequest();
            } catch (IllegalArgumentException e) {
                result.completeExceptionally(EgressException.typeError("fetch() cannot send this request to " + href() + ": "
                        + e.getMessage()));
                return null;
            }
            if (result.isDone()) {
                return null;
            }
            CompletableFuture<HttpResponse<byte[]>> sending;
            try {
                sending = http.sendAsync(httpRequest, info -> new CappedBodySubscriber(settings.maxResponseBytes(),
                        info.headers().firstValueAsLong("content-length").orElse(-1), this::tooLarge));
            } catch (RuntimeException e) {
                result.completeExceptionally(failure(e));
                return null;
            }
            // cancel(true) on this future cancels the exchange, which for HTTP/1.1 closes its connection
            // (see HttpClient#sendAsync).
            inFlight = sending;
            sending.whenComplete(this::received);
            if (result.isDone()) {
                // The timeout or a cancel came before inFlight was set, so it could not cancel this exchange.
                sending.cancel(true);
            }
            return sending;
        }

        /**
         * Sends the WebSocket handshake. A 101 completes {@link UpgradeRequest#opened} with the
         * connection before {@link #result}; any other response completes {@link #result} as a
         * plain response would.
         */
        private CompletableFuture<WebSocket> sendUpgrade() {
            CompletableFuture<WebSocket> opening;
            try {
                WebSocket.Builder builder = http.newWebSocketBuilder();
                for (int i = 0; i < headers.size(); i += 2) {
                    String name = headers.get(i).toLowerCase(Locale.ROOT);
                    if (!HEADERS_SET_BY_CLIENT.contains(name) && !HEADERS_SET_BY_WEBSOCKET_CLIENT.contains(name)) {
                        builder.header(headers.get(i), headers.get(i + 1));
                    }
                }
                if (!upgrade.protocols().isEmpty()) {
                    List<String> protocols = upgrade.protocols();
                    builder.subprotocols(protocols.getFirst(), protocols.subList(1, protocols.size()).toArray(String[]::new));
                }
                URI httpUri = javaUri(url);
                URI webSocketUri = URI.create((url.scheme().equals("https") ? "wss" : "ws") + httpUri.toString().substring(url.scheme().length()));
                opening = builder.buildAsync(webSocketUri, upgrade.listener());
            } catch (IllegalArgumentException e) {
                result.completeExceptionally(EgressException.typeError("Cannot open a WebSocket to " + href() + ": "
                        + e.getMessage()));
                return null;
            }
            inFlight = opening;
            opening.whenComplete(this::upgraded);
            if (result.isDone()) {
                opening.cancel(true);
            }
            return opening;
        }

        private void upgraded(WebSocket webSocket, Throwable error) {
            if (webSocket != null) {
                // The timeout or the caller may have ended the call while the handshake completed.
                if (result.isDone() || !upgrade.opened().complete(new Upgraded(webSocket, webSocket.getSubprotocol(), null))) {
                    webSocket.abort();
                    return;
                }
                result.complete(null);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof WebSocketHandshakeException refused && refused.getResponse() != null) {
                HttpResponse<?> response = refused.getResponse();
                // NOTE: the JDK's handshake reads a refusal's body whole, as a string, before this
                // method gets it, so --fetch-max-response does not apply and binary bodies arrive re-encoded.
                byte[] body = response.body() instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : new byte[0];
                result.complete(new Fetched(new ResponseData(response.statusCode(), null, flatHeaders(response), body),
                        UrlSerializer.serialize(url, true), false));
                return;
            }
            result.completeExceptionally(failure(error));
        }

        private HttpRequest buildRequest() {
            HttpRequest.Builder builder = HttpRequest.newBuilder(javaUri(url))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            if (url.scheme().equals("http")) {
                // Without this the JDK client asks an http: server to upgrade to HTTP/2 (h2c).
                builder.version(HttpClient.Version.HTTP_1_1);
            }
            for (int i = 0; i < headers.size(); i += 2) {
                String name = headers.get(i);
                if (!HEADERS_SET_BY_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                    builder.header(name, headers.get(i + 1));
                }
            }
            return builder.build();
        }

        private void received(HttpResponse<byte[]> response, Throwable error) {
            if (error != null) {
                result.completeExceptionally(failure(error));
                return;
            }
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("location");
            if (redirect == RedirectMode.FOLLOW && isRedirectStatus(status) && location.isPresent()) {
                follow(status, location.get());
                return;
            }
            byte[] body = response.body();
            if (decodeGzip && body.length > 0 && response.headers().firstValue("content-encoding").orElse("").equals("gzip")) {
                try {
                    body = GzipBody.decode(body, settings.maxResponseBytes(), this::tooLarge, this::invalidGzip);
                } catch (EgressException e) {
                    result.completeExceptionally(e);
                    return;
                }
            }
            result.complete(new Fetched(new ResponseData(status, null, flatHeaders(response), body),
                    UrlSerializer.serialize(url, true), redirects > 0));
        }

        /** Moves to the redirect target with the Fetch Standard's rules, and sends it through the policy again. */
        private void follow(int status, String location) {
            if (redirects >= MAX_REDIRECTS) {
                result.completeExceptionally(EgressException.typeError("Too many redirects."));
                return;
            }
            UrlRecord next = UrlParser.parse(location, url);
            if (next == null) {
                result.completeExceptionally(EgressException.typeError("Invalid Location header; unable to follow redirect."));
                return;
            }
            if (!isHttp(next)) {
                result.completeExceptionally(EgressException.typeError("Fetch API cannot load: "
                        + UrlSerializer.serialize(next, false)));
                return;
            }
            redirects++;
            boolean becomesGet = ((status == 301 || status == 302) && method.equals("POST"))
                    || (status == 303 && !method.equals("HEAD"));
            if (becomesGet) {
                method = "GET";
                body = null;
                headers = withoutHeaders(headers, BODY_HEADERS);
            }
            if (!UrlSerializer.serializeOrigin(next).equals(UrlSerializer.serializeOrigin(url))) {
                headers = withoutHeaders(headers, Set.of("authorization"));
            }
            url = next;
            startHop();
        }

        private void timeOut() {
            result.completeExceptionally(EgressException.error("fetch() to " + href() + " timed out after "
                    + Values.format(settings.timeout()) + "; the limit is set by the " + HostOptions.FETCH_TIMEOUT.name()
                    + " option of the host."));
        }

        private void cancelInFlight() {
            CompletableFuture<?> current = inFlight;
            if (current != null) {
                current.cancel(true);
            }
        }

        private EgressException tooLarge() {
            return EgressException.error("The response from " + href() + " is larger than " + settings.maxResponseBytes()
                    + " bytes, the limit set by the " + HostOptions.FETCH_MAX_RESPONSE.name() + " option of the host.");
        }

        private EgressException invalidGzip(String detail) {
            return EgressException.typeError("The response from " + href() + " has Content-Encoding gzip, but its body is not"
                    + " valid gzip data (" + detail + "). Pass encodeResponseBody: \"manual\" to fetch() to read the bytes as sent.");
        }

        private EgressException failure(Throwable error) {
            for (Throwable cause = error; cause != null; cause = cause.getCause()) {
                if (cause instanceof EgressException egress) {
                    return egress;
                }
                if (cause instanceof HttpConnectTimeoutException) {
                    return EgressException.error("fetch() to " + href() + " failed because connecting timed out.");
                }
                if (cause instanceof ConnectException) {
                    return EgressException.error("fetch() to " + href() + " failed because the connection was refused.");
                }
                if (cause instanceof CancellationException) {
                    return stopped();
                }
            }
            Throwable root = error;
            while ((root instanceof CompletionException || root instanceof ExecutionException) && root.getCause() != null) {
                root = root.getCause();
            }
            if (!(root instanceof IOException)) {
                log.warn("Outbound fetch() of script {} to {} failed unexpectedly", scriptName, href(), root);
            }
            String detail = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
            return EgressException.error("fetch() to " + href() + " failed: " + detail);
        }

        private EgressException stopped() {
            return EgressException.error("fetch() to " + href() + " was stopped because the host is shutting down.");
        }

        private String href() {
            return url == null ? requestUrl : UrlSerializer.serialize(url, true);
        }
    }

    private static boolean isHttp(UrlRecord url) {
        return url.scheme().equals("http") || url.scheme().equals("https");
    }

    private static boolean isRedirectStatus(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static List<String> flatHeaders(HttpResponse<?> response) {
        List<String> flat = new ArrayList<>();
        for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
            if (header.getKey().startsWith(":")) {
                continue;
            }
            for (String value : header.getValue()) {
                flat.add(header.getKey());
                flat.add(value);
            }
        }
        return flat;
    }

    private static List<String> withoutHeaders(List<String> headers, Set<String> lowercaseNames) {
        List<String> kept = new ArrayList<>(headers.size());
        for (int i = 0; i < headers.size(); i += 2) {
            if (!lowercaseNames.contains(headers.get(i).toLowerCase(Locale.ROOT))) {
                kept.add(headers.get(i));
                kept.add(headers.get(i + 1));
            }
        }
        return kept;
    }

    /**
     * Returns the URL as a {@link URI} for the JDK client, without credentials and fragment. The
     * URL Standard leaves some ASCII characters unescaped in paths and queries, such as {@code |}
     * and {@code ^}, that {@link URI} rejects; those are percent-encoded, as is a {@code %} that
     * starts no escape.
     */
    static URI javaUri(UrlRecord url) {
        StringBuilder out = new StringBuilder(url.scheme()).append("://").append(url.host());
        if (url.port() != UrlRecord.NO_PORT) {
            out.append(':').append(url.port());
        }
        String pathAndQuery = UrlSerializer.serializePath(url) + (url.query() == null ? "" : "?" + url.query());
        for (int i = 0; i < pathAndQuery.length(); i++) {
            char c = pathAndQuery.charAt(i);
            boolean escape = c == '%' && i + 2 < pathAndQuery.length()
                    && isHex(pathAndQuery.charAt(i + 1)) && isHex(pathAndQuery.charAt(i + 2));
            if (escape || isUriChar(c)) {
                out.append(c);
            } else {
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(HEX_DIGITS.charAt((b >> 4) & 0xf)).append(HEX_DIGITS.charAt(b & 0xf));
                }
            }
        }
        return URI.create(out.toString());
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Returns whether {@link URI} accepts {@code c} unescaped in a path or query; "%" escapes are checked apart. */
    private static boolean isUriChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-_.!~*'()/;:@&=+$,?".indexOf(c) >= 0;
    }

    /** Logs blocked requests, at most once a minute per script and host, with the count of those left out. */
    private static final class BlockedRequestLog {
        private final RepeatLimiter limiter = new RepeatLimiter();

        void record(String scriptName, String host, String message) {
            limiter.admit(scriptName + " " + host).ifPresent(suppressed -> log.info(
                    "Blocked an outbound request of script {} to host {}{}: {}", scriptName, host,
                    suppressed > 0 ? " (and " + suppressed + " more since the last report)" : "", message));
        }
    }

    /**
     * Closes {@code lease} once {@code sending} has its response headers or has failed, since the
     * client looks up the host name only before that. A cancelled exchange may still be connecting,
     * so its lease stays open until the pin expires.
     */
    private static void releaseWhenConnected(AddressPins.Lease lease, CompletableFuture<?> sending) {
        if (sending == null) {
            lease.close();
            return;
        }
        sending.whenComplete((response, error) -> {
            boolean cancelled = error instanceof CancellationException || (error != null
                    && error.getCause() instanceof CancellationException);
            if (!cancelled) {
                lease.close();
            }
        });
    }
}
