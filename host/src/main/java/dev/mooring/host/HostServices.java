package dev.mooring.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.host.config.HostOptions;
import dev.mooring.host.config.OptionParser;
import dev.mooring.host.config.Values;
import dev.mooring.host.config.WebSocketSettings;
import dev.mooring.host.egress.EgressClient;
import dev.mooring.host.egress.EgressPolicy;
import dev.mooring.host.egress.EgressSettings;
import dev.mooring.host.http.DevCertificate;
import dev.mooring.host.http.HttpFrontend;
import dev.mooring.host.http.TrustedProxies;
import dev.mooring.host.objects.ObjectNamespace;
import dev.mooring.host.objects.ScriptRuntime;
import dev.mooring.host.objects.WebSocketDirectory;
import dev.mooring.host.project.DurableObjectBinding;
import dev.mooring.host.project.Project;
import dev.mooring.host.project.ScriptDefinition;
import dev.mooring.host.project.StorageKind;
import dev.mooring.host.storage.DataFolderException;
import dev.mooring.host.storage.LmdbStore;
import dev.mooring.sandbox.CpuWatchdog;
import dev.mooring.sandbox.EventLoop;
import dev.mooring.sandbox.SandboxEngine;
import dev.mooring.sandbox.ThreadPriority;
import dev.mooring.sandbox.Ticker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide parts every script runs on: the GraalJS engine, the CPU watchdog, the LMDB
 * store and the client for guest code's outbound {@code fetch()}, plus the event loops it starts
 * for each script. Started once; closed in reverse order.
 *
 * <p>Every script gets event-loop threads of its own ({@link #startLoops}), shared by all of its
 * versions. A script whose guest code spins therefore occupies only its own threads, and the
 * operating system's scheduler keeps other scripts' loops running; no script ever waits for
 * another's event to end.
 */
public final class HostServices implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HostServices.class);

    /** Stack size of event-loop threads; deep guest recursion needs several MiB. */
    private static final long EVENT_LOOP_STACK_BYTES = 16L << 20;

    /** How often the CPU watchdog reads the event loops' CPU clocks. */
    private static final long WATCHDOG_POLL_MILLIS = 50;

    /** How often each shard looks for idle objects to evict. */
    private static final Duration EVICTION_SWEEP = Duration.ofSeconds(1);

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Limits every script gets besides the CPU limit and the idle timeout; the options of the same
     * names in {@link HostOptions} describe each one.
     */
    public record ScriptLimits(long allocationLimitBytes, int maxLiveObjects, long storageQuotaPerObjectBytes,
            long storageQuotaPerScriptBytes, int maxWebSocketsPerObject, long maxQueuedResponseBytes) {

        /** Returns the declared defaults of the options. */
        public static ScriptLimits defaults() {
            return new ScriptLimits(HostOptions.defaultOf(HostOptions.ALLOCATION_LIMIT), HostOptions.defaultOf(HostOptions.MAX_LIVE_OBJECTS),
                    HostOptions.defaultOf(HostOptions.STORAGE_QUOTA_PER_OBJECT), HostOptions.defaultOf(HostOptions.STORAGE_QUOTA_PER_SCRIPT),
                    HostOptions.defaultOf(HostOptions.MAX_WEBSOCKETS_PER_OBJECT), HostOptions.defaultOf(HostOptions.MAX_QUEUED_RESPONSE_BODY));
        }

        static ScriptLimits from(OptionParser.Parsed options) {
            return new ScriptLimits(options.get(HostOptions.ALLOCATION_LIMIT), options.get(HostOptions.MAX_LIVE_OBJECTS),
                    options.get(HostOptions.STORAGE_QUOTA_PER_OBJECT), options.get(HostOptions.STORAGE_QUOTA_PER_SCRIPT),
                    options.get(HostOptions.MAX_WEBSOCKETS_PER_OBJECT), options.get(HostOptions.MAX_QUEUED_RESPONSE_BODY));
        }
    }

    /**
     * Settings of the host's services.
     *
     * @param ticker the clock for timers and eviction; tests pass a manual one
     * @param egress what guest code may reach with {@code fetch()}
     * @param scriptLimits the limits each script's runtime gets
     */
    public record Settings(Path dataDirectory, int eventLoops, Duration cpuLimit, Duration idleTimeout, LmdbStore.Options storage,
            HttpFrontend.Settings http, Ticker ticker, EgressSettings egress, ScriptLimits scriptLimits) {

        /** Settings with every script limit at its option's default. */
        public Settings(Path dataDirectory, int eventLoops, Duration cpuLimit, Duration idleTimeout, LmdbStore.Options storage,
                HttpFrontend.Settings http, Ticker ticker, EgressSettings egress) {
            this(dataDirectory, eventLoops, cpuLimit, idleTimeout, storage, http, ticker, egress, ScriptLimits.defaults());
        }

        /**
         * Reads the settings of {@code mooring dev} or {@code serve} from parsed options.
         *
         * @param guestErrorDetails whether HTTP clients see the text of the script's uncaught
         *     exceptions ({@link HttpFrontend.Settings#guestErrorDetails})
         * @throws IllegalArgumentException when the options contradict each other, such as the
         *     same port for HTTP and HTTPS
         */
        public static Settings from(OptionParser.Parsed options, Path dataDirectory, boolean guestErrorDetails) {
            Optional<HttpFrontend.Https> https = options.has(HostOptions.HTTPS_PORT)
                    ? Optional.of(new HttpFrontend.Https(options.get(HostOptions.HTTPS_PORT),
                            DevCertificate.defaultKeystoreFile(dataDirectory)))
                    : Optional.empty();
            TrustedProxies trustedProxies = options.has(HostOptions.TRUSTED_PROXY)
                    ? options.get(HostOptions.TRUSTED_PROXY)
                    : TrustedProxies.NONE;
            EgressSettings egress = new EgressSettings(
                    options.has(HostOptions.ALLOW_FETCH) ? options.get(HostOptions.ALLOW_FETCH) : EgressPolicy.DENY_ALL,
                    options.get(HostOptions.FETCH_TIMEOUT), options.get(HostOptions.FETCH_MAX_RESPONSE),
                    WebSocketSettings.from(options));
            return new Settings(dataDirectory, options.get(HostOptions.EVENT_LOOPS), options.get(HostOptions.CPU_LIMIT),
                    options.get(HostOptions.IDLE_TIMEOUT),
                    LmdbStore.Options.defaults().withInitialMapSizeBytes(options.get(HostOptions.STORAGE_MAP_SIZE)),
                    new HttpFrontend.Settings(options.get(HostOptions.HOST), options.get(HostOptions.PORT),
                            options.get(HostOptions.IO_THREADS), options.get(HostOptions.MAX_REQUEST_BODY), https,
                            trustedProxies, guestErrorDetails),
                    Ticker.SYSTEM, egress, ScriptLimits.from(options));
        }
    }

    private final Settings settings;
    private final SandboxEngine engine;
    private final CpuWatchdog watchdog;
    /** Every loop started and not yet stopped; guarded by itself. */
    private final List<EventLoop> loops = new ArrayList<>();
    /** Every loop ever started, for the checks of tests. */
    private final List<EventLoop> startedLoops = new ArrayList<>();
    private final LmdbStore store;
    private final WebSocketDirectory webSocketDirectory = new WebSocketDirectory();
    private final EgressClient egress;

    private HostServices(Settings settings) {
        this.settings = settings;
        try {
            this.store = LmdbStore.open(settings.dataDirectory(), settings.storage());
        } catch (IOException e) {
            throw new DataFolderException(settings.dataDirectory(), e);
        }
        try {
            this.engine = new SandboxEngine();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        this.watchdog = new CpuWatchdog(WATCHDOG_POLL_MILLIS, ThreadPriority.detect());
        this.egress = new EgressClient(settings.egress());
    }

    /** Opens storage and starts the engine, the watchdog and the event loops. */
    public static HostServices start(Settings settings) {
        HostServices services = new HostServices(settings);
        log.info("Started the host services: {} per script; Truffle runtime {}; {};"
                + " CPU limit {} per event; idle objects evicted after {}", Values.formatCount(settings.eventLoops(), "event loop"),
                services.engine.runtimeName(),
                GarbageCollectors.describeThisJvm(), Values.format(settings.cpuLimit()), Values.format(settings.idleTimeout()));
        return services;
    }

    public Settings settings() {
        return settings;
    }

    public SandboxEngine engine() {
        return engine;
    }

    public CpuWatchdog watchdog() {
        return watchdog;
    }

    public LmdbStore store() {
        return store;
    }

    /** Finds the runtime of a WebSocket end that a response handed to the HTTP frontend. */
    public WebSocketDirectory webSocketDirectory() {
        return webSocketDirectory;
    }

    /** Returns every event loop started so far, stopped ones included. */
    public List<EventLoop> loops() {
        synchronized (loops) {
            return List.copyOf(startedLoops);
        }
    }

    /**
     * Starts {@link Settings#eventLoops} event-loop threads for the script {@code scriptName},
     * watched by the CPU watchdog. They run until {@link #stopLoops} or {@link #close}.
     */
    public List<EventLoop> startLoops(String scriptName) {
        List<EventLoop> started = new ArrayList<>();
        for (int i = 0; i < settings.eventLoops(); i++) {
            EventLoop loop = new EventLoop("mooring-" + scriptName + "-" + i, EVENT_LOOP_STACK_BYTES, settings.ticker());
            watchdog.watch(loop);
            started.add(loop);
        }
        synchronized (loops) {
            loops.addAll(started);
            startedLoops.addAll(started);
        }
        return List.copyOf(started);
    }

    /** Stops loops from {@link #startLoops} once the tasks already queued on them have run. */
    public void stopLoops(List<EventLoop> stopping) {
        for (EventLoop loop : stopping) {
            try {
                loop.shutdown(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            watchdog.unwatch(loop);
            synchronized (loops) {
                loops.remove(loop);
            }
        }
    }

    /** The client that sends guest code's outbound {@code fetch()} requests. */
    public EgressClient egress() {
        return egress;
    }

    /** Builds (but does not start) the runtime of a project's script, as {@link #newRuntime(ScriptDefinition)}. */
    public ScriptRuntime newRuntime(Project project) {
        return newRuntime(project.definition());
    }

    /**
     * Builds (but does not start) the runtime of a script on event loops of its own, which run
     * until the host stops. Each namespace's storage is keyed by script and class name.
     */
    public ScriptRuntime newRuntime(ScriptDefinition script) {
        return newRuntime(script, startLoops(script.name()), className -> script.name() + "-" + className);
    }

    /**
     * Builds (but does not start) the runtime of one script version.
     *
     * @param loops the script's event loops, from {@link #startLoops}
     * @param namespaceKeys the storage namespace key of each class: every version of a script maps
     *     a class to the same key, and a renamed class keeps the key it had
     */
    public ScriptRuntime newRuntime(ScriptDefinition script, List<EventLoop> loops, Function<String, String> namespaceKeys) {
        List<ScriptRuntime.BindingSpec> bindings = new ArrayList<>();
        for (DurableObjectBinding binding : script.durableObjectBindings()) {
            ObjectNamespace.StorageLimits limits = script.storageKindOf(binding.className()) == StorageKind.SQLITE
                    ? ObjectNamespace.StorageLimits.SQLITE
                    : ObjectNamespace.StorageLimits.KEY_VALUE;
            bindings.add(new ScriptRuntime.BindingSpec(binding.bindingName(), binding.className(),
                    namespaceKeys.apply(binding.className()), limits));
        }
        String varsJson;
        try {
            varsJson = JSON.writeValueAsString(script.vars());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The vars of script " + script.name() + " cannot be written as JSON", e);
        }
        ScriptLimits scriptLimits = settings.scriptLimits();
        ScriptRuntime.Limits limits = new ScriptRuntime.Limits(settings.cpuLimit().toNanos(), settings.idleTimeout().toNanos(),
                EVICTION_SWEEP.toNanos(), scriptLimits.allocationLimitBytes(), scriptLimits.maxLiveObjects(),
                scriptLimits.storageQuotaPerObjectBytes(), scriptLimits.storageQuotaPerScriptBytes(),
                scriptLimits.maxWebSocketsPerObject(), scriptLimits.maxQueuedResponseBytes());
        return new ScriptRuntime(script.name(), script.bundle(), script.moduleRootPrefix(), bindings, varsJson, limits,
                new ScriptRuntime.Services(engine, watchdog, loops, store, webSocketDirectory, egress));
    }

    /**
     * Stops everything. Outbound requests stop first, and the store next: it finishes the commits
     * already queued and reports them to the event loops, which must still run to take those
     * reports, as they take the failures of the stopped requests.
     */
    @Override
    public void close() {
        egress.close();
        store.close();
        List<EventLoop> running;
        synchronized (loops) {
            running = List.copyOf(loops);
        }
        stopLoops(running);
        watchdog.close();
        engine.close();
        log.info("Stopped the host services");
    }
}
