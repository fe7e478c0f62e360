package dev.mooring.host.cli;

import dev.mooring.host.HostServices;
import dev.mooring.host.config.HostOptions;
import dev.mooring.host.http.DevCertificateException;
import dev.mooring.host.http.HttpFrontend;
import dev.mooring.host.storage.DataFolderException;
import dev.mooring.host.storage.StoreInUseException;
import dev.mooring.sandbox.EngineOptionsException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps {@code dev} and {@code serve} share: checks before the warm-up, the host services, the
 * public listener and waiting for a stop signal. A step that fails prints why to the command's error
 * stream and closes what it started, and the command then exits with a usage status.
 */
final class ServerLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ServerLifecycle.class);

    private ServerLifecycle() {}

    /**
     * A listener that a command is about to open.
     *
     * @param option the option that sets the port, named in the error
     */
    record Listener(String option, String host, int port) {

        String authority() {
            return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        }

        /** Returns the option that sets this listener's address. */
        String hostOption() {
            return option.equals(HostOptions.ADMIN_PORT.name()) ? HostOptions.ADMIN_HOST.name() : HostOptions.HOST.name();
        }
    }

    /**
     * Checks that every listener's address is free, so that a port in use fails the start at once
     * instead of after the warm-up. It binds all of them together, so two listeners that the
     * operating system would not let share a port fail here too, and so does an address that is not
     * this machine's. Port 0 passes on any of its addresses. Another process can still take a port
     * after this check, and {@link #startFrontend} reports that case.
     */
    static boolean portsAreFree(List<Listener> listeners, PrintStream err) {
        List<ServerSocket> probes = new ArrayList<>();
        try {
            for (int i = 0; i < listeners.size(); i++) {
                Listener listener = listeners.get(i);
                InetSocketAddress address = new InetSocketAddress(listener.host(), listener.port());
                if (address.isUnresolved()) {
                    err.println("mooring: " + listener.hostOption() + " " + listener.host() + " is neither an IP address nor a"
                            + " name this machine can resolve; give an address such as 127.0.0.1, ::1 or 0.0.0.0");
                    return false;
                }
                ServerSocket probe = new ServerSocket();
                probes.add(probe);
                probe.setReuseAddress(true);
                try {
                    probe.bind(address);
                } catch (BindException e) {
                    err.println("mooring: " + bindFailureMessage(listener, listeners.subList(0, i), e));
                    return false;
                } catch (IOException | IllegalArgumentException e) {
                    err.println("mooring: cannot listen on " + listener.authority() + ": " + e.getMessage());
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            err.println("mooring: checking the listen ports failed: " + e.getMessage());
            return false;
        } finally {
            for (ServerSocket probe : probes) {
                try {
                    probe.close();
                } catch (IOException e) {
                    log.debug("Closing a port probe failed", e);
                }
            }
        }
    }

    /**
     * Explains why {@code listener} cannot bind: its address is not one of this machine's, or the
     * port is taken, by an earlier listener of the same command or by another process.
     */
    private static String bindFailureMessage(Listener listener, List<Listener> earlier, BindException failure) {
        String reason = failure.getMessage() == null ? "" : failure.getMessage();
        if (reason.contains("Cannot assign requested address")) {
            return "cannot listen on " + listener.authority() + ": " + listener.host() + " is not an address of this machine;"
                    + " give one of its own addresses with " + listener.hostOption() + ", such as 127.0.0.1 or 0.0.0.0";
        }
        for (Listener other : earlier) {
            if (other.port() != 0 && other.port() == listener.port()) {
                return other.option() + " and " + listener.option() + " are both " + listener.port()
                        + "; give each listener its own port";
            }
        }
        if (!reason.contains("in use")) {
            return "cannot listen on " + listener.authority() + ": " + reason;
        }
        return "cannot listen on " + listener.authority() + ": the address is already in use; stop the process that uses it,"
                + " or pick another " + listener.option();
    }

    /** Returns the public listeners that {@code http} describes: HTTP, and HTTPS when it is on. */
    static List<Listener> listenersOf(HttpFrontend.Settings http) {
        List<Listener> listeners = new ArrayList<>();
        listeners.add(new Listener(HostOptions.PORT.name(), http.host(), http.port()));
        http.https().ifPresent(https -> listeners.add(new Listener(HostOptions.HTTPS_PORT.name(), http.host(), https.port())));
        return listeners;
    }

    /**
     * Starts the host services on the data folder. Returns empty, after printing why, when the folder
     * cannot be used, when another process has locked it, or when GraalJS rejects an engine option.
     */
    static Optional<HostServices> startServices(HostServices.Settings settings, PrintStream err) {
        try {
            return Optional.of(HostServices.start(settings));
        } catch (StoreInUseException e) {
            String holder = e.holderPid().isPresent() ? "process " + e.holderPid().getAsLong() : "another process";
            err.println("mooring: the storage folder " + e.directory() + " is in use by " + holder
                    + "; stop that host, or start this one with another --data folder");
            return Optional.empty();
        } catch (EngineOptionsException | DataFolderException e) {
            err.println("mooring: " + e.getMessage());
            return Optional.empty();
        }
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
            String reason = hasBindCause(e)
                    ? "the address is already in use; stop the process that uses it, or pick another "
                            + (http.https().isPresent() ? "--port or --https-port" : "--port")
                    : e.getMessage();
            err.println("mooring: cannot listen on " + http.host() + ":" + ports + ": " + reason);
        }
        frontend.close();
        return false;
    }

    private static boolean hasBindCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
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
