package dev.mooring.host.cli;

import dev.mooring.host.config.HostOptions;
import dev.mooring.host.config.OptionParser;
import dev.mooring.host.http.DevCertificateException;
import dev.mooring.host.http.HttpFrontend;
import dev.mooring.host.http.WebSocketSettings;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps {@code dev} and {@code serve} share: the public listener and waiting for a stop signal. */
final class ServerLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ServerLifecycle.class);

    private ServerLifecycle() {}

    /** The WebSocket limits the options set. */
    static WebSocketSettings webSocketSettings(OptionParser.Parsed options) {
        return new WebSocketSettings(options.get(HostOptions.WEBSOCKET_MAX_MESSAGE),
                options.get(HostOptions.WEBSOCKET_SEND_BUFFER), options.get(HostOptions.WEBSOCKET_IDLE_TIMEOUT).toMillis());
    }

    /**
     * Starts the public listener. On failure it prints why to {@code err}, closes the listener and
     * returns false.
     */
    static boolean startFrontend(HttpFrontend frontend, HttpFrontend.Settings http, PrintStream err) {
        try {
            frontend.start();
            return true;
        } catch (DevCertificateException e) {
            err.println("mooring: " + e.getMessage());
        } catch (RuntimeException e) {
            String ports = http.port() + http.https().map(https -> " (HTTPS: " + https.port() + ")").orElse("");
            err.println("mooring: cannot listen on " + http.host() + ":" + ports + ": " + e.getMessage());
        }
        frontend.close();
        return false;
    }

    /** Blocks until the JVM is asked to stop (SIGTERM, SIGINT), then runs {@code stop} once. */
    static void runUntilStopped(Runnable stop) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping");
            stop.run();
            stopped.countDown();
        }, "mooring-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
