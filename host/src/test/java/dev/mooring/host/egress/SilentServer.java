package dev.mooring.host.egress;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A server on a free port of 127.0.0.1 that accepts one connection, reads what the client sends
 * and never responds, so that a test can see when the client closes the connection.
 */
public final class SilentServer implements AutoCloseable {

    private final ServerSocket socket;
    private final CountDownLatch requestRead = new CountDownLatch(1);
    private final CountDownLatch connectionClosed = new CountDownLatch(1);

    private SilentServer(ServerSocket socket) {
        this.socket = socket;
    }

    public static SilentServer start() throws IOException {
        SilentServer server = new SilentServer(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        Thread.ofVirtual().name("silent-server").start(server::serveOneConnection);
        return server;
    }

    private void serveOneConnection() {
        try (Socket connection = socket.accept()) {
            InputStream in = connection.getInputStream();
            if (in.read() >= 0) {
                requestRead.countDown();
            }
            while (in.read() >= 0) {
                // Reads until the client closes its end.
            }
        } catch (IOException e) {
            // A reset by the client, or close() of this server, also ends the connection.
        } finally {
            connectionClosed.countDown();
        }
    }

    /** Returns an http: URL of this server with {@code path}. */
    public String url(String path) {
        return "http://127.0.0.1:" + socket.getLocalPort() + path;
    }

    /** Waits until the first bytes of a request have arrived; returns false after {@code timeout}. */
    public boolean awaitRequest(Duration timeout) throws InterruptedException {
        return requestRead.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Waits until the client has closed the connection; returns false after {@code timeout}. */
    public boolean awaitConnectionClosed(Duration timeout) throws InterruptedException {
        return connectionClosed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
