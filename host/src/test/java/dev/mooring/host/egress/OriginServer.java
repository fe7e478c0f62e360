package dev.mooring.host.egress;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A JDK HTTP server on a free port of 127.0.0.1 that plays the origin of outbound requests in
 * tests. Each path gets a scripted answer; every request is recorded. Paths without an answer get
 * 404. {@link #close} also releases the requests held by {@link #hang}.
 */
public final class OriginServer implements AutoCloseable {

    /** A request as the server received it. */
    public record Received(String method, String pathAndQuery, Headers headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** How the server answers one path. */
    @FunctionalInterface
    public interface Answer {
        void answer(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch released = new CountDownLatch(1);

    private OriginServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            try (exchange) {
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                        exchange.getRequestHeaders(), exchange.getRequestBody().readAllBytes()));
                Answer answer = answers.get(exchange.getRequestURI().getPath());
                if (answer == null) {
                    respond(exchange, 404, "no answer for this path");
                } else {
                    answer.answer(exchange);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    /** Starts a server on 127.0.0.1 and a free port. */
    public static OriginServer start() throws IOException {
        return new OriginServer();
    }

    /** Returns {@code http://127.0.0.1:PORT} followed by {@code path}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Answers {@code path} with {@code answer}. */
    public OriginServer on(String path, Answer answer) {
        answers.put(path, answer);
        return this;
    }

    /** Answers {@code path} with a status, one header and a text body. */
    public OriginServer text(String path, int status, String headerName, String headerValue, String body) {
        return on(path, exchange -> {
            exchange.getResponseHeaders().add(headerName, headerValue);
            respond(exchange, status, body);
        });
    }

    /** Answers {@code path} with a redirect to {@code location}. */
    public OriginServer redirect(String path, int status, String location) {
        return on(path, exchange -> {
            exchange.getResponseHeaders().add("Location", location);
            respond(exchange, status, "redirecting");
        });
    }

    /** Answers {@code path} with {@code size} bytes, sent chunked, so no length is declared up front. */
    public OriginServer chunked(String path, int size) {
        return on(path, exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] chunk = new byte[1024];
                for (int sent = 0; sent < size; sent += chunk.length) {
                    out.write(chunk, 0, Math.min(chunk.length, size - sent));
                }
            }
        });
    }

    /** Never answers {@code path}: the request is held until the server is closed. */
    public OriginServer hang(String path) {
        return on(path, exchange -> released.await());
    }

    /** Returns the requests received so far, in order. */
    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Sends a status and a text body with a declared length. */
    public static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        released.countDown();
        server.stop(0);
        threads.shutdown();
        if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The origin server's handlers did not finish within 10 s");
        }
    }
}
