package dev.mooring.host.cli;

import dev.mooring.host.HostServices;
import dev.mooring.host.Warmup;
import dev.mooring.host.config.HostOptions;
import dev.mooring.host.config.OptionParser;
import dev.mooring.host.config.WebSocketSettings;
import dev.mooring.host.http.HttpFrontend;
import dev.mooring.host.objects.ScriptRuntime;
import dev.mooring.host.project.Project;
import dev.mooring.host.project.ProjectException;
import dev.mooring.host.project.ProjectLoader;
import dev.mooring.sandbox.ScriptLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mooring dev DIR}: serves one project from disk until the process is stopped.
 *
 * <p>Steps: parse options, load the project, open storage, start the event loops, load the
 * script into them, listen for HTTP, then wait. A project that cannot run (bad configuration,
 * syntax error, missing class) stops startup with a message for its author and exit status 2.
 */
public final class DevCommand {

    private static final Logger log = LoggerFactory.getLogger(DevCommand.class);

    private DevCommand() {}

    static int run(List<String> arguments) {
        OptionParser.Parsed options;
        try {
            options = OptionParser.parse(arguments, HostOptions.DEV, "dev");
        } catch (IllegalArgumentException e) {
            System.err.println("mooring: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        if (options.positional().size() != 1) {
            System.err.println("mooring: 'dev' takes one project folder, for example: ./mooring dev samples/counter");
            return Main.EXIT_USAGE;
        }
        Path directory = Path.of(options.positional().get(0)).toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            System.err.println("mooring: project folder not found: " + directory);
            return Main.EXIT_USAGE;
        }

        Project project;
        try {
            project = new ProjectLoader(warning -> {}).loadForDev(directory);
        } catch (ProjectException e) {
            System.err.println("mooring: " + e.getMessage());
            return Main.EXIT_USAGE;
        }

        Path dataDirectory = options.has(HostOptions.DATA) ? options.get(HostOptions.DATA) : directory.resolve(".mooring");
        HostServices.Settings settings;
        try {
            // Like wrangler dev: the response shows the developer what the script threw.
            settings = HostServices.Settings.from(options, dataDirectory, true);
        } catch (IllegalArgumentException e) {
            System.err.println("mooring: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        if (!ServerLifecycle.portsAreFree(ServerLifecycle.listenersOf(settings.http()), System.err)) {
            return Main.EXIT_USAGE;
        }
        Optional<HostServices> started = ServerLifecycle.startServices(settings, System.err);
        if (started.isEmpty()) {
            return Main.EXIT_USAGE;
        }
        HostServices services = started.get();
        ScriptRuntime runtime;
        try {
            runtime = services.newRuntime(project);
            runtime.start();
        } catch (ScriptLoadException e) {
            System.err.println("mooring: " + e.getMessage());
            services.close();
            return Main.EXIT_USAGE;
        }

        Warmup.run(services, options.get(HostOptions.WARMUP));

        HttpFrontend frontend = new HttpFrontend(services.settings().http(), runtime::handle,
                HttpFrontend.WebSocketBinder.of(services.webSocketDirectory()), WebSocketSettings.from(options));
        if (!ServerLifecycle.startFrontend(frontend, services.settings().http(), System.err)) {
            runtime.close();
            services.close();
            return Main.EXIT_USAGE;
        }
        runtime.startAlarms();
        log.info("Serving project {} ({}) from {}; storage in {}", project.name(), project.configFile().getFileName(),
                directory, dataDirectory);

        ServerLifecycle.runUntilStopped(() -> {
            frontend.rejectNewRequests();
            runtime.close();
            frontend.close();
            services.close();
        });
        return 0;
    }
}
