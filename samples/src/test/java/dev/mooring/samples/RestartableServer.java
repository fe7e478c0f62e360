package dev.mooring.samples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code ./mooring dev} server that another process can restart on the same port and data folder.
 *
 * <p>The first start picks a free port; every restart stops the running launcher with SIGTERM and
 * starts a new one with the same project, {@code --port} and {@code --data}. A restart is requested
 * over HTTP: {@code POST http://127.0.0.1:<control port>/restart} returns 200 once the new server
 * responds to {@code GET /}, and 500 with the reason when it does not. {@link #restartCommand}
 * is a shell command that sends this request with Node.js, for scripts that take a restart command.
 * Keeping the launcher in this JVM means its output is collected, and {@link #close()} ends it
 * however the test ends.
 *
 * <p>Restarts run on the control server's single dispatcher thread, one at a time; the methods that
 * touch the current launcher synchronize on this object.
 */
final class RestartableServer implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Duration FIRST_ANSWER = Duration.ofSeconds(30);

    private final Path project;
    private final Path data;
    private final HttpServer control;
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<LauncherProcess> stopped = new ArrayList<>();
    private LauncherProcess current;
    private int port;

    private RestartableServer(Path project, Path data) throws IOException {
        this.project = project;
        this.data = data;
        this.control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.control.createContext("/restart", this::handleRestart);
    }

    /** Starts {@code ./mooring dev project} on a free port, and the control endpoint. */
    static RestartableServer start(Path project, Path data) throws Exception {
        RestartableServer server = new RestartableServer(project, data);
        try {
            synchronized (server) {
                server.current = server.launch("0");
                server.port = server.current.awaitPort(STARTUP);
                server.awaitFirstAnswer();
            }
            server.control.start();
            return server;
        } catch (Exception | AssertionError e) {
            server.close();
            throw e;
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** Returns a shell command that restarts this server and exits with status 0 once it responds again. */
    String restartCommand(Path node) {
        if (node.toString().contains("'")) {
            throw new IllegalArgumentException("The Node.js path " + node + " contains a single quote, which the shell command cannot quote");
        }
        String url = "http://127.0.0.1:" + control.getAddress().getPort() + "/restart";
        String script = "fetch(\"" + url + "\", {method: \"POST\"})"
                + ".then(async (response) => { console.log(await response.text()); process.exitCode = response.ok ? 0 : 1; })";
        return "'" + node + "' -e '" + script + "'";
    }

    /** Stops the running launcher and starts a new one on the same port and data folder. */
    synchronized String restart() throws Exception {
        long started = System.nanoTime();
        int exitStatus = current.stop();
        stopped.add(current);
        current = launch(String.valueOf(port));
        int newPort = current.awaitPort(STARTUP);
        if (newPort != port) {
            throw new IllegalStateException("The restarted server listens on port " + newPort + " instead of " + port);
        }
        awaitFirstAnswer();
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        return "Restarted the server on port " + port + " in " + millis + " ms (the old one exited with status " + exitStatus + ")";
    }

    /** Returns the output of every launcher run so far, oldest first, each under a heading. */
    synchronized String output() {
        List<LauncherProcess> runs = new ArrayList<>(stopped);
        if (current != null) {
            runs.add(current);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < runs.size(); i++) {
            text.append("--- server run ").append(i + 1).append(" of ").append(runs.size()).append(" ---\n");
            text.append(runs.get(i).output()).append('\n');
        }
        return text.toString();
    }

    @Override
    public synchronized void close() throws InterruptedException {
        control.stop(0);
        if (current != null) {
            current.close();
        }
    }

    private LauncherProcess launch(String portArgument) throws IOException {
        return LauncherProcess.start("dev", project.toString(), "--port", portArgument, "--data", data.toString(), "--warmup", "0s");
    }

    /** Polls {@code GET /} until the server returns any HTTP response. */
    private void awaitFirstAnswer() throws InterruptedException {
        long deadline = System.nanoTime() + FIRST_ANSWER.toNanos();
        IOException lastFailure = null;
        while (System.nanoTime() < deadline) {
            try {
                client.send(HttpRequest.newBuilder(URI.create(baseUrl())).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                lastFailure = e;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("The server did not respond to GET / within " + FIRST_ANSWER + ": " + lastFailure);
    }

    private void handleRestart(HttpExchange exchange) throws IOException {
        int status;
        String body;
        if (!exchange.getRequestMethod().equals("POST")) {
            status = 405;
            body = "Use POST to restart the server";
        } else {
            try {
                body = restart();
                status = 200;
            } catch (Exception | AssertionError e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                status = 500;
                body = "Restarting the server failed: " + e;
            }
        }
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
