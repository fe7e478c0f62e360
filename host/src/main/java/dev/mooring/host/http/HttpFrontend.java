package dev.mooring.host.http;

import dev.mooring.host.config.WebSocketSettings;
import dev.mooring.host.objects.ClientEvents;
import dev.mooring.host.objects.ClientSocket;
import dev.mooring.host.objects.EventFailure;
import dev.mooring.host.objects.BodyChannel;
import dev.mooring.host.objects.ResponseSink;
import dev.mooring.host.objects.WebSocketDirectory;
import dev.mooring.runtime.fetch.RequestData;
import dev.mooring.runtime.fetch.ResponseData;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.HttpContinueReadHandler;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;
import org.xnio.Sequence;
import org.xnio.XnioIoThread;

/**
 * The public HTTP listener: turns Undertow exchanges into {@link RequestData}, hands them to a
 * {@link RequestHandler}, and writes the outcome back.
 *
 * <p>An I/O thread reads the whole request body without blocking, then the request is queued on
 * an event loop; the I/O thread never waits for guest code. The response is written from the
 * exchange's own I/O thread. Failures are answered by kind: a guest error as a 500 that names
 * the JS error (without {@link Settings#guestErrorDetails}, a 500 that only states that the script
 * threw, while its log gets the stack), a reset as a 503, and Mooring's own fault as a 500 that
 * shows only an incident reference, the detail being in the log.
 *
 * <p>An optional HTTPS listener on the same address serves the same handler, with the
 * self-signed {@link DevCertificate} loaded (or created) by {@link #start}. It accepts TLS 1.2 and
 * 1.3 and speaks HTTP/1.1 only.
 *
 * <p>Every request gets a {@code CF-Connecting-IP} header with the client's address, replacing one
 * the client sent, as Cloudflare's edge does. Only for a connection from one of the {@link
 * TrustedProxies} is the address that the proxy reports kept instead.
 *
 * <p>Stopping takes two steps, so that clients see a clean close: after {@link
 * #rejectNewRequests} new requests get a 503 while open connections keep working, the host then
 * closes its scripts (which send 1001 to their WebSocket clients), and {@link #close} waits up to
 * {@link #CLOSE_GRACE} for those connections to finish their close handshakes before it stops
 * Undertow, which drops whatever is still open. (Undertow's own way to stop accepting, suspending
 * a listener, also closes the listener's open connections.)
 *
 * <p>{@link #start}, {@link #rejectNewRequests} and {@link #close} are called once each, by the
 * thread that starts and stops the host; the request path runs on Undertow's I/O threads and the
 * event loops.
 */
public final class HttpFrontend implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpFrontend.class);

    /** How long {@link #close} waits for open WebSocket connections to finish closing. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    /** The option that sets the request body limit, named in the 413 response. */
    private static final String MAX_REQUEST_BODY_OPTION = "--max-request-body";

    private static final HttpString CONTENT_LENGTH = new HttpString("content-length");
    private static final HttpString CF_CONNECTING_IP = new HttpString("cf-connecting-ip");
    private static final HttpString X_FORWARDED_FOR = new HttpString("x-forwarded-for");

    /** Receives each request; implementations must not block. */
    @FunctionalInterface
    public interface RequestHandler {
        void handle(RequestData request, ResponseSink sink);
    }

    /**
     * Connects client connections to the WebSocket ends that 101 responses hand out: {@code bind}
     * returns where the connection reports its frames, or null when the end cannot be bound.
     */
    public interface WebSocketBinder {
        ClientEvents bind(long endId, ClientSocket socket);

        /** The end's client connection never came about; the end's holder sees it close. */
        void reject(long endId, String reason);

        /** Binds upgrades to the ends of every runtime in {@code directory}. */
        static WebSocketBinder of(WebSocketDirectory directory) {
            return new WebSocketBinder() {
                @Override
                public ClientEvents bind(long endId, ClientSocket socket) {
                    return directory.bindClientSocket(endId, socket);
                }

                @Override
                public void reject(long endId, String reason) {
                    directory.rejectClientSocket(endId, reason);
                }
            };
        }
    }

    /**
     * Listener settings.
     *
     * @param host address to bind, such as 127.0.0.1
     * @param port TCP port for HTTP; 0 picks a free one
     * @param ioThreads Undertow I/O threads
     * @param maxRequestBodyBytes largest request body accepted; larger ones get 413
     * @param https the HTTPS listener, if there is one
     * @param trustedProxies peers whose {@code CF-Connecting-IP} or {@code X-Forwarded-For} is believed
     * @param guestErrorDetails whether a response shows the name and message of an exception that
     *     the script did not catch, as in wrangler's local development. With false, the response
     *     only states that the script threw, as on Cloudflare's edge, so that error text meant for
     *     the script's log does not reach public clients
     * @throws IllegalArgumentException when HTTP and HTTPS are given the same non-zero port
     */
    public record Settings(String host, int port, int ioThreads, long maxRequestBodyBytes, Optional<Https> https,
            TrustedProxies trustedProxies, boolean guestErrorDetails) {

        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(https, "https");
            Objects.requireNonNull(trustedProxies, "trustedProxies");
            if (https.isPresent() && port != 0 && https.get().port() == port) {
                throw new IllegalArgumentException("HTTP and HTTPS cannot share port " + port
                        + "; give --https-port a different port than --port");
            }
        }

        /** Settings for HTTP only, with no trusted proxy, that show clients the script's uncaught errors. */
        public Settings(String host, int port, int ioThreads, long maxRequestBodyBytes) {
            this(host, port, ioThreads, maxRequestBodyBytes, Optional.empty(), TrustedProxies.NONE, true);
        }
    }

    /**
     * HTTPS listener settings.
     *
     * @param port TCP port for HTTPS; 0 picks a free one
     * @param keystoreFile where the development certificate is kept, usually {@link
     *     DevCertificate#defaultKeystoreFile}; created on first use
     */
    public record Https(int port, Path keystoreFile) {
        public Https {
            Objects.requireNonNull(keystoreFile, "keystoreFile");
        }
    }

    private final RequestHandler handler;
    private final WebSocketBinder webSockets;
    private final WebSocketSettings webSocketSettings;
    /** One per I/O thread that serves WebSocket connections; see {@link FrameFlusher}. */
    private final Map<XnioIoThread, FrameFlusher> frameFlushers = new ConcurrentHashMap<>();
    /** WebSocket connections from their upgrade until Undertow closes them. */
    private final Set<WebSocketChannel> openWebSockets = ConcurrentHashMap.newKeySet();
    private final Settings settings;

    /** Set by {@link #start}; null before. */
    private volatile Undertow server;

    /** Set by {@link #rejectNewRequests}. */
    private volatile boolean rejectingRequests;

    /** Set when {@link #startSilently} bound the listeners, so that {@link #close} logs nothing either. */
    private volatile boolean silent;

    public HttpFrontend(Settings settings, RequestHandler handler) {
        this(settings, handler, null, WebSocketSettings.DEFAULTS);
    }

    /** @param webSockets binds WebSocket responses to their connections; null to answer them with 500 */
    public HttpFrontend(Settings settings, RequestHandler handler, WebSocketBinder webSockets, WebSocketSettings webSocketSettings) {
        this.settings = settings;
        this.handler = handler;
        this.webSockets = webSockets;
        this.webSocketSettings = webSocketSettings;
    }

    /**
     * Loads or creates the development certificate when HTTPS is configured, then binds the
     * listeners.
     *
     * @throws DevCertificateException when the certificate cannot be created or read
     * @throws RuntimeException from Undertow when a port cannot be bound
     */
    public void start() {
        DevCertificate certificate = bind();
        log.info("Listening for HTTP on http://{}/", authority(port()));
        if (certificate != null) {
            log.info("Listening for HTTPS on https://{}/ with a self-signed development certificate (SHA-256 fingerprint {})"
                    + " kept in {}. Browsers will warn about it until you trust it, for example by importing {};"
                    + " curl takes that file as --cacert.", authority(httpsPort()), certificate.sha256Fingerprint(),
                    certificate.keystoreFile(), certificate.certificateFile());
        }
        if (!settings.trustedProxies().isEmpty()) {
            log.info("Keeping the client address that these trusted proxies report: {}", settings.trustedProxies());
        }
    }

    /**
     * Binds the listeners like {@link #start} without logging them, for a listener that only the
     * host itself talks to, such as the warm-up's. {@link #close} then logs nothing either.
     */
    public void startSilently() {
        bind();
        silent = true;
    }

    /** Builds and starts Undertow; returns the certificate of the HTTPS listener, or null without one. */
    private DevCertificate bind() {
        if (server != null) {
            throw new IllegalStateException("The HTTP frontend is already started");
        }
        Undertow.Builder builder = Undertow.builder()
                .addHttpListener(settings.port(), settings.host())
                .setIoThreads(settings.ioThreads())
                .setWorkerThreads(2)
                .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
                .setServerOption(UndertowOptions.ALWAYS_SET_DATE, false)
                .setServerOption(UndertowOptions.RECORD_REQUEST_START_TIME, false)
                // Undertow's own cap (2 MiB unless set) would cut bodies below --max-request-body with a
                // bare 400 or a reset.
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, undertowEntityLimit(settings.maxRequestBodyBytes()))
                .setSocketOption(Options.REUSE_ADDRESSES, true)
                // Sends 100 Continue for "Expect: 100-continue" when the body is first read, so curl
                // sends a large body at once instead of after a one-second wait. A request rejected
                // before its body is read (413) gets no 100, so its client never sends the body.
                .setHandler(new HttpContinueReadHandler(this::handleExchange));
        DevCertificate certificate = null;
        if (settings.https().isPresent()) {
            Https https = settings.https().get();
            certificate = DevCertificate.loadOrCreate(https.keystoreFile());
            builder.addHttpsListener(https.port(), settings.host(), certificate.sslContext())
                    .setSocketOption(Options.SSL_ENABLED_PROTOCOLS, Sequence.of(DevCertificate.PROTOCOLS));
        }
        Undertow started = builder.build();
        started.start();
        server = started;
        return certificate;
    }

    /** Returns the bound HTTP port, which differs from the settings' port when that is 0. */
    public int port() {
        return boundPort("http");
    }

    /** Returns the bound HTTPS port, which differs from the settings' port when that is 0. */
    public int httpsPort() {
        if (settings.https().isEmpty()) {
            throw new IllegalStateException("This frontend has no HTTPS listener; it is enabled by --https-port");
        }
        return boundPort("https");
    }

    private int boundPort(String protocol) {
        Undertow started = server;
        if (started == null) {
            throw new IllegalStateException("The HTTP frontend is not started");
        }
        for (Undertow.ListenerInfo listener : started.getListenerInfo()) {
            // getProtcol is Undertow's spelling of the method.
            if (listener.getProtcol().equals(protocol)) {
                return ((InetSocketAddress) listener.getAddress()).getPort();
            }
        }
        throw new IllegalStateException("No " + protocol + " listener is bound");
    }

    private String authority(int port) {
        return settings.host().contains(":") ? "[" + settings.host() + "]:" + port : settings.host() + ":" + port;
    }

    /**
     * Returns the cap on a request body to give Undertow for a listener that rejects bodies over
     * {@code maxBodyBytes} itself: twice that plus 1 MiB. The listener so rejects first, and after
     * its 413 Undertow can read and drop the rest of a body of up to about twice the limit. Closing
     * with a body still arriving would reset the connection, and the reset can destroy the 413
     * before the client reads it.
     */
    public static long undertowEntityLimit(long maxBodyBytes) {
        long headroom = 1 << 20;
        return maxBodyBytes >= (Long.MAX_VALUE - headroom) / 2 ? Long.MAX_VALUE : 2 * maxBodyBytes + headroom;
    }

    /**
     * Prepares the 413 for a body whose declared length is over {@code maxBodyBytes}, on a listener
     * whose Undertow cap is {@link #undertowEntityLimit}. Undertow reads and drops a body within that
     * cap after the response, so the connection stays open. A larger body is not read, and the
     * connection closes after the response, where a client still sending may lose the 413 to the
     * connection's reset.
     */
    public static void closeUnlessDrainable(HttpServerExchange exchange, long maxBodyBytes) {
        if (exchange.getRequestContentLength() > undertowEntityLimit(maxBodyBytes)) {
            exchange.setPersistent(false);
        }
    }

    /**
     * Reads the request body within --max-request-body and forwards the request. The limit is
     * enforced here rather than with Undertow's MAX_ENTITY_SIZE, which fails a chunked body past it
     * by closing the connection without a response.
     */
    private void handleExchange(HttpServerExchange exchange) {
        HttpDate.stampOnCommit(exchange);
        if (rejectingRequests) {
            exchange.setPersistent(false);
            exchange.setStatusCode(503);
            exchange.getResponseSender().send("Mooring is stopping; try again once it has restarted\n");
            return;
        }
        if (exchange.getRequestContentLength() > settings.maxRequestBodyBytes()) {
            closeUnlessDrainable(exchange, settings.maxRequestBodyBytes());
            rejectTooLarge(exchange);
            return;
        }
        if (exchange.isRequestComplete() || exchange.getRequestContentLength() >= 0) {
            exchange.getRequestReceiver().receiveFullBytes(
                    (ex, body) -> ex.dispatch(SameThreadExecutor.INSTANCE, () -> forward(ex, body)),
                    this::bodyFailed);
        } else {
            receiveChunked(exchange);
        }
    }

    /** Reads a body of unknown length and counts it. Past the limit, responds 413 and closes the connection. */
    private void receiveChunked(HttpServerExchange exchange) {
        long limit = settings.maxRequestBodyBytes();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        exchange.getRequestReceiver().receivePartialBytes((ex, part, last) -> {
            if (ex.isResponseStarted()) {
                return;
            }
            if (body.size() + (long) part.length > limit) {
                log.debug("A chunked request body from {} passed the limit of {} bytes", ex.getSourceAddress(), limit);
                // The connection stays open while Undertow reads and drops the rest of the body (up to its
                // entity limit). Closing at once would reset the connection with the body still unread, and
                // the reset can destroy the 413 before the client reads it.
                rejectTooLarge(ex);
                return;
            }
            body.writeBytes(part);
            if (last) {
                ex.dispatch(SameThreadExecutor.INSTANCE, () -> forward(ex, body.toByteArray()));
            }
        }, this::bodyFailed);
    }

    private void bodyFailed(HttpServerExchange exchange, Exception error) {
        log.debug("Reading a request body from {} failed: {}", exchange.getSourceAddress(), error.toString());
        if (exchange.isResponseStarted()) {
            return;
        }
        exchange.setStatusCode(400);
        exchange.getResponseSender().send("Failed to read the request body\n");
    }

    private void rejectTooLarge(HttpServerExchange exchange) {
        log.info("Refused a request body from {} for {} {}: larger than {} ({} bytes)", exchange.getSourceAddress(),
                exchange.getRequestMethod(), exchange.getRequestURI(), MAX_REQUEST_BODY_OPTION, settings.maxRequestBodyBytes());
        exchange.setStatusCode(413);
        exchange.getResponseSender().send("Request body too large; the limit is " + settings.maxRequestBodyBytes() + " bytes ("
                + MAX_REQUEST_BODY_OPTION + ")\n");
    }

    private void forward(HttpServerExchange exchange, byte[] body) {
        RequestData request = toRequestData(exchange, body);
        handler.handle(request, new ResponseSink() {
            @Override
            public void complete(ResponseData response) {
                if (response.webSocketId() != null) {
                    exchange.getIoThread().execute(() -> upgrade(exchange, response));
                } else {
                    exchange.getIoThread().execute(() -> send(exchange, response));
                }
            }

            @Override
            public void stream(ResponseData head, BodyChannel body) {
                exchange.getIoThread().execute(() -> StreamedResponse.start(exchange, head, body));
            }

            @Override
            public void fail(EventFailure failure) {
                exchange.getIoThread().execute(() -> send(exchange, responseFor(failure, settings.guestErrorDetails())));
            }
        });
    }

    /**
     * Completes a WebSocket upgrade for a 101 response that carries a WebSocket end: runs
     * Undertow's handshake on the exchange and binds the new connection to the end. A request
     * that was not a WebSocket upgrade gets 400, and the end's holder sees it close. Runs on the
     * exchange's I/O thread.
     */
    private void upgrade(HttpServerExchange exchange, ResponseData response) {
        long endId = response.webSocketId();
        if (response.status() != 101 || webSockets == null) {
            send(exchange, ResponseData.text(500, "A response with a WebSocket must have status 101\n"));
            return;
        }
        WebSocketProtocolHandshakeHandler handshake = new WebSocketProtocolHandshakeHandler(
                (WebSocketConnectionCallback) (httpExchange, channel) -> {
                    openWebSockets.add(channel);
                    channel.addCloseTask(closed -> openWebSockets.remove(closed));
                    FrameFlusher flusher = frameFlushers.computeIfAbsent(channel.getIoThread(), FrameFlusher::new);
                    NetworkSocket socket = new NetworkSocket(channel, webSocketSettings, flusher);
                    ClientEvents events = webSockets.bind(endId, socket);
                    if (events == null) {
                        WebSockets.sendClose(1011, "WebSocket unavailable", channel, null);
                        return;
                    }
                    socket.start(events);
                },
                (io.undertow.server.HttpHandler) notUpgrade -> {
                    webSockets.reject(endId, "The request was not a WebSocket upgrade.");
                    notUpgrade.setStatusCode(400);
                    notUpgrade.getResponseSender().send("Expected a WebSocket upgrade request\n");
                });
        try {
            Connectors.executeRootHandler(handshake, exchange);
        } catch (RuntimeException e) {
            String incident = UUID.randomUUID().toString();
            log.error("The WebSocket handshake failed; incident {}", incident, e);
        }
    }

    private RequestData toRequestData(HttpServerExchange exchange, byte[] body) {
        String query = exchange.getQueryString();
        String url = exchange.getRequestURL() + (query == null || query.isEmpty() ? "" : "?" + query);
        List<String> headers = new ArrayList<>();
        for (HeaderValues values : exchange.getRequestHeaders()) {
            String name = values.getHeaderName().toString().toLowerCase(Locale.ROOT);
            if (name.equals("cf-connecting-ip")) {
                continue;
            }
            for (String value : values) {
                headers.add(name);
                headers.add(value);
            }
        }
        HeaderMap requestHeaders = exchange.getRequestHeaders();
        headers.add("cf-connecting-ip");
        headers.add(settings.trustedProxies().clientAddress(exchange.getSourceAddress().getAddress(),
                requestHeaders.getFirst(CF_CONNECTING_IP), requestHeaders.getFirst(X_FORWARDED_FOR)));
        boolean hasBody = body.length > 0 || exchange.getRequestHeaders().contains(CONTENT_LENGTH);
        String method = exchange.getRequestMethod().toString();
        return new RequestData(method, url, headers, hasBody && !method.equals("GET") && !method.equals("HEAD") ? body : null);
    }

    private static void send(HttpServerExchange exchange, ResponseData response) {
        try {
            exchange.setStatusCode(response.status());
            if (response.statusText() != null && !response.statusText().isEmpty()) {
                exchange.setReasonPhrase(response.statusText());
            }
            HeaderMap headers = exchange.getResponseHeaders();
            byte[] body = response.body() == null ? new byte[0] : response.body();
            List<String> pairs = response.headers();
            if (response.body() != null && ResponseEncoding.gzips(response)) {
                body = ResponseEncoding.gzip(body);
                pairs = ResponseEncoding.withoutContentLength(pairs);
            }
            for (int i = 0; i < pairs.size(); i += 2) {
                headers.add(HttpString.tryFromString(pairs.get(i)), pairs.get(i + 1));
            }
            exchange.getResponseSender().send(ByteBuffer.wrap(body));
        } catch (RuntimeException e) {
            String incident = UUID.randomUUID().toString();
            log.error("Writing a response failed; incident {}", incident, e);
            if (!exchange.isResponseStarted()) {
                exchange.setStatusCode(500);
                exchange.getResponseHeaders().clear();
                exchange.getResponseSender().send("internal error; reference = " + incident + "\n");
            } else {
                exchange.endExchange();
            }
        }
    }

    /**
     * Returns the HTTP response for an event that failed, by kind of failure.
     *
     * @param guestErrorDetails whether a guest error's name and message are shown
     */
    static ResponseData responseFor(EventFailure failure, boolean guestErrorDetails) {
        return switch (failure.kind()) {
            case GUEST -> {
                String thrower = Boolean.TRUE.equals(failure.flags().get("remote")) ? "Durable Object" : "Worker";
                yield ResponseData.text(500, guestErrorDetails
                        ? thrower + " threw exception: " + failure.name() + ": " + failure.message() + "\n"
                        : thrower + " threw exception\n");
            }
            case RESET, OVERLOADED -> ResponseData.text(503, failure.name() + ": " + failure.message() + "\n");
            case INTERNAL -> ResponseData.text(500, failure.message() + "\n");
        };
    }

    /**
     * Responds to new requests with 503 from now on, while open connections, WebSockets among them,
     * keep working until {@link #close}. Does nothing when {@link #start} did not succeed.
     */
    public void rejectNewRequests() {
        if (server == null) {
            return;
        }
        rejectingRequests = true;
        if (!silent) {
            log.info("Rejecting new requests on {} with 503 while the scripts stop", listeners());
        }
    }

    /**
     * Stops the listeners once open WebSocket connections have finished closing, or after {@link
     * #CLOSE_GRACE}. Does nothing when {@link #start} did not succeed.
     */
    @Override
    public void close() {
        Undertow started = server;
        if (started == null) {
            return;
        }

        long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
        while (!openWebSockets.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int dropped = openWebSockets.size();
        if (dropped > 0) {
            log.info("Dropping {} WebSocket connection{} that did not finish closing within {} s", dropped,
                    dropped == 1 ? "" : "s", CLOSE_GRACE.toSeconds());
        }

        String listeners = listeners();
        started.stop();
        if (!silent) {
            log.info("Stopped listening on {}", listeners);
        }
    }

    private String listeners() {
        return "http://" + authority(port()) + "/"
                + (settings.https().isPresent() ? " and https://" + authority(httpsPort()) + "/" : "");
    }
}
