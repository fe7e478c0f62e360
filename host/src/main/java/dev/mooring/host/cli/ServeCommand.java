package dev.mooring.host.cli;

import dev.mooring.host.HostServices;
import dev.mooring.host.Warmup;
import dev.mooring.host.admin.AdminServer;
import dev.mooring.host.admin.AdminToken;
import dev.mooring.host.config.HostOptions;
import dev.mooring.host.config.OptionParser;
import dev.mooring.host.config.WebSocketSettings;
import dev.mooring.host.deploy.UploadLimits;
import dev.mooring.host.http.HttpFrontend;
import dev.mooring.host.scripts.ScriptRegistry;
import dev.mooring.host.scripts.ScriptRouter;
import dev.mooring.host.storage.DataFolderException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mooring serve}: the multi-tenant host. It serves every script deployed through the
 * admin API, keeps them in the data directory, and serves them again after a restart.
 *
 * <p>Steps: parse options, find the admin token, start the host services, warm up, restore the
 * archived scripts, listen for traffic and for the admin API, then wait for a stop signal.
 */
final class ServeCommand {

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    private ServeCommand() {}

    static int run(List<String> arguments) {
        Optional<Running> running = start(arguments);
        if (running.isEmpty()) {
            return Main.EXIT_USAGE;
        }
        ServerLifecycle.runUntilStopped(running.get()::close);
        return 0;
    }

    /** Starts the host with this process's environment, standard output and standard error. */
    static Optional<Running> start(List<String> arguments) {
        return start(arguments, System.getenv(), System.out, System.err);
    }

    /**
     * Starts the host and returns it running. On a usage error or a port that cannot be bound, it
     * prints the cause to {@code err}, closes what it started and returns empty. A newly generated
     * admin token is printed to {@code out} as soon as it is stored, so even a start that fails
     * later shows it.
     */
    static Optional<Running> start(List<String> arguments, Map<String, String> environment, PrintStream out,
            PrintStream err) {
        OptionParser.Parsed options;
        try {
            options = OptionParser.parse(arguments, HostOptions.SERVE, "serve");
        } catch (IllegalArgumentException e) {
            err.println("mooring: " + e.getMessage());
            return Optional.empty();
        }
        if (!options.positional().isEmpty()) {
            err.println("mooring: 'serve' takes no folder; deploy projects with ./mooring deploy DIR --to URL");
            return Optional.empty();
        }

        Path dataDirectory = options.get(HostOptions.SERVE_DATA).toAbsolutePath().normalize();
        AdminToken token;
        HostServices.Settings settings;
        try {
            createDataFolder(dataDirectory);
            // Like Cloudflare's edge: public clients learn only that the script threw; its log has the text.
            settings = HostServices.Settings.from(options, dataDirectory, false);
            token = AdminToken.resolve(environment.get(AdminToken.ENVIRONMENT_VARIABLE),
                    options.has(HostOptions.ADMIN_TOKEN_FILE) ? options.get(HostOptions.ADMIN_TOKEN_FILE) : null, dataDirectory);
        } catch (IllegalArgumentException | DataFolderException e) {
            err.println("mooring: " + e.getMessage());
            return Optional.empty();
        }
        // A generated token is stored now, and later starts only name its file, so print it before
        // anything else can fail.
        announceToken(token, out);

        List<ServerLifecycle.Listener> listeners = new ArrayList<>(ServerLifecycle.listenersOf(settings.http()));
        listeners.add(new ServerLifecycle.Listener(HostOptions.ADMIN_PORT.name(), options.get(HostOptions.ADMIN_HOST),
                options.get(HostOptions.ADMIN_PORT)));
        if (!ServerLifecycle.portsAreFree(listeners, err)) {
            return Optional.empty();
        }
        Optional<HostServices> started = ServerLifecycle.startServices(settings, err);
        if (started.isEmpty()) {
            return Optional.empty();
        }
        HostServices services = started.get();
        Warmup.run(services, options.get(HostOptions.WARMUP));
        ScriptRegistry registry = ScriptRegistry.open(services, dataDirectory, options.get(HostOptions.HANDOVER_GRACE));

        ScriptRouter router = new ScriptRouter(registry,
                options.has(HostOptions.BASE_DOMAIN) ? options.get(HostOptions.BASE_DOMAIN) : null,
                options.get(HostOptions.ROUTE_BY_PATH));
        HttpFrontend frontend = new HttpFrontend(settings.http(), router::handle,
                HttpFrontend.WebSocketBinder.of(services.webSocketDirectory()), WebSocketSettings.from(options));
        AdminServer admin = new AdminServer(new AdminServer.Settings(options.get(HostOptions.ADMIN_HOST),
                options.get(HostOptions.ADMIN_PORT), UploadLimits.from(options)), token, registry);
        if (!ServerLifecycle.startFrontend(frontend, settings.http(), err)) {
            registry.close();
            services.close();
            return Optional.empty();
        }
        router.listeningOn(frontend.port(),
                settings.http().https().isPresent() ? OptionalInt.of(frontend.httpsPort()) : OptionalInt.empty());
        try {
            admin.start();
        } catch (RuntimeException e) {
            err.println("mooring: cannot listen for the admin API on " + options.get(HostOptions.ADMIN_HOST) + ":"
                    + options.get(HostOptions.ADMIN_PORT) + ": " + e.getMessage());
            frontend.close();
            registry.close();
            services.close();
            return Optional.empty();
        }
        List<String> addresses = new ArrayList<>(router.scriptAddresses("http", localHostOf(settings.http().host()), frontend.port()));
        if (settings.http().https().isPresent()) {
            addresses.addAll(router.scriptAddresses("https", localHostOf(settings.http().host()), frontend.httpsPort()));
        }
        String last = addresses.getLast();
        String listed = addresses.size() == 1 ? last : String.join(", ", addresses.subList(0, addresses.size() - 1)) + " and " + last;
        log.info("Serving deployed scripts at {}; data in {}", listed, dataDirectory);
        return Optional.of(new Running(services, registry, frontend, admin));
    }

    /**
     * Returns the host that reaches a listener on {@code listenAddress} from this machine, as
     * written in a URL: the loopback address for a wildcard address, IPv6 literals in brackets.
     */
    static String localHostOf(String listenAddress) {
        String address = listenAddress.startsWith("[") && listenAddress.endsWith("]")
                ? listenAddress.substring(1, listenAddress.length() - 1) : listenAddress;
        if (address.equals("0.0.0.0")) {
            return "127.0.0.1";
        }
        if (address.equals("::") || address.equals("::0")) {
            return "[::1]";
        }
        return address.contains(":") ? "[" + address + "]" : address;
    }

    /**
     * A started {@code mooring serve}; {@link #close} turns new requests away, stops the scripts
     * while open connections can still carry their close frames, then stops the listeners and
     * storage.
     */
    record Running(HostServices services, ScriptRegistry registry, HttpFrontend frontend, AdminServer admin)
            implements AutoCloseable {

        @Override
        public void close() {
            admin.close();
            frontend.rejectNewRequests();
            registry.close();
            frontend.close();
            services.close();
        }
    }

    /** Logs where the admin token comes from, or prints a token that this start generated, this once. */
    /** Creates the data folder and its parents when missing. */
    private static void createDataFolder(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new DataFolderException(dataDirectory, e);
        }
    }

    private static void announceToken(AdminToken token, PrintStream out) {
        switch (token.source()) {
            case ENVIRONMENT -> log.info("Admin API token: from {}", AdminToken.ENVIRONMENT_VARIABLE);
            case FILE, STORED -> log.info("Admin API token: from {}", token.file());
            case GENERATED -> {
                out.println("Generated the admin API token; it is shown only this once and stored in "
                        + token.file() + " (mode 0600):");
                out.println("  " + token.generatedValue());
                out.println("Send it as \"Authorization: Bearer TOKEN\", or let ./mooring deploy read it with"
                        + " --token-file " + token.file());
            }
        }
    }
}
