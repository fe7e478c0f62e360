package dev.mooring.host.objects;

import dev.mooring.host.config.HostOptions;
import dev.mooring.host.config.Spelling;
import dev.mooring.host.config.Values;
import dev.mooring.host.egress.EgressClient;
import dev.mooring.host.logging.RepeatLimiter;
import dev.mooring.host.storage.LmdbStore;
import dev.mooring.host.storage.StorageQuota;
import dev.mooring.host.storage.StoredAlarm;
import dev.mooring.runtime.fetch.RequestData;
import dev.mooring.runtime.fetch.ResponseData;
import dev.mooring.sandbox.AllocationLimitExceededException;
import dev.mooring.sandbox.CpuLimitExceededException;
import dev.mooring.sandbox.CpuWatchdog;
import dev.mooring.sandbox.EventLoop;
import dev.mooring.sandbox.GuestScript;
import dev.mooring.sandbox.ModuleBundle;
import dev.mooring.sandbox.SandboxEngine;
import dev.mooring.sandbox.ScriptLoadException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running version of one script: its shards (one context per event loop), its Durable Object
 * namespaces, and the entry point for requests.
 *
 * <p>Requests go to the Worker's default export when the main module has one, on the shards in
 * turn. Without one, {@code /<binding>/<name>/<rest>} reaches the object that {@code
 * env.<binding>.idFromName(name)} names, whose {@code fetch} sees {@code /<rest>}. Object events
 * always run on the shard that the object's ID hashes to.
 *
 * <p>Thread-safe: {@link #handle} and {@link #deliver} only post tasks to loops.
 */
public final class ScriptRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScriptRuntime.class);

    /** How long a script may take to load in each shard before startup fails. */
    private static final long LOAD_TIMEOUT_SECONDS = 120;

    /**
     * Limits applied to the script's guest code and objects. The options of the same names in
     * {@link HostOptions} describe each one.
     *
     * @param cpuLimitNanos CPU time one event may use
     * @param idleTimeoutNanos how long an object stays in memory with nothing to do
     * @param evictionSweepNanos how often each shard looks for idle objects
     * @param allocationLimitBytes heap one event may allocate, garbage included
     * @param maxLiveObjects most objects of the script in memory at once, over all shards
     * @param storageQuotaPerObjectBytes most bytes one object may store
     * @param storageQuotaPerScriptBytes most bytes all objects of the script may store together
     * @param maxWebSocketsPerObject most WebSockets one object may hold open
     * @param maxQueuedResponseBytes most bytes of one streamed response body waiting for its reader
     */
    public record Limits(long cpuLimitNanos, long idleTimeoutNanos, long evictionSweepNanos, long allocationLimitBytes,
            int maxLiveObjects, long storageQuotaPerObjectBytes, long storageQuotaPerScriptBytes, int maxWebSocketsPerObject,
            long maxQueuedResponseBytes) {

        public Limits {
            if (allocationLimitBytes <= 0 || maxLiveObjects <= 0 || storageQuotaPerObjectBytes <= 0
                    || storageQuotaPerScriptBytes <= 0 || maxWebSocketsPerObject <= 0 || maxQueuedResponseBytes <= 0) {
                throw new IllegalArgumentException("Limits must be positive: allocation " + allocationLimitBytes
                        + " bytes, live objects " + maxLiveObjects + ", storage " + storageQuotaPerObjectBytes + " bytes per object and "
                        + storageQuotaPerScriptBytes + " bytes per script, WebSockets " + maxWebSocketsPerObject + " per object, queued response body "
                        + maxQueuedResponseBytes + " bytes");
            }
        }

        /** Limits with the CPU limit, idle timeout and sweep given, and every other limit at its option's default. */
        public Limits(long cpuLimitNanos, long idleTimeoutNanos, long evictionSweepNanos) {
            this(cpuLimitNanos, idleTimeoutNanos, evictionSweepNanos, HostOptions.defaultOf(HostOptions.ALLOCATION_LIMIT),
                    HostOptions.defaultOf(HostOptions.MAX_LIVE_OBJECTS), HostOptions.defaultOf(HostOptions.STORAGE_QUOTA_PER_OBJECT),
                    HostOptions.defaultOf(HostOptions.STORAGE_QUOTA_PER_SCRIPT),
                    HostOptions.defaultOf(HostOptions.MAX_WEBSOCKETS_PER_OBJECT),
                    HostOptions.defaultOf(HostOptions.MAX_QUEUED_RESPONSE_BODY));
        }
    }

    /**
     * A namespace binding as the configuration declares it.
     *
     * @param namespaceKey the storage namespace's unique key; object IDs derive from it too, so a
     *     class keeps its IDs and data for as long as it keeps its key
     */
    public record BindingSpec(String bindingName, String className, String namespaceKey,
            ObjectNamespace.StorageLimits storageLimits) {}

    /** Time that closing waits for guest code running on a loop before it stops that code. */
    private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(1);

    /** The error of an event whose guest code was stopped because its script closed. */
    private static final String SCRIPT_STOPPED = "The script was stopped while the event ran.";

    /**
     * Process-wide services a runtime runs on.
     *
     * @param loops the script's own event loops, one shard on each
     * @param egress sends guest code's outbound {@code fetch()} requests
     */
    public record Services(SandboxEngine engine, CpuWatchdog watchdog, List<EventLoop> loops, LmdbStore store,
            WebSocketDirectory webSocketDirectory, EgressClient egress) {}

    private final String name;
    /** The script's name in this runtime's own log lines, such as "script counter". */
    private final String logName;
    private final GuestScript script;
    private final Map<String, ObjectNamespace> bindings = new LinkedHashMap<>();
    private final String varsJson;
    private final Limits limits;
    private final Services services;
    private final List<Shard> shards = new ArrayList<>();
    private final AtomicInteger nextWorkerShard = new AtomicInteger();
    private final StorageQuota storageQuota;
    private final LiveObjects liveObjects;

    /**
     * The shard each request path's Worker invocation last called an object on. A Worker usually
     * routes one path to one object, so running the next invocation for that path on the object's
     * shard keeps the whole request on one event loop instead of crossing between two. Only
     * placement depends on it, never correctness. Cleared when full.
     */
    private final Map<String, Integer> workerAffinity = new ConcurrentHashMap<>();

    private static final int WORKER_AFFINITY_SIZE = 4096;

    /** Every WebSocket end that is not closed on both sides, by id; ends of any shard. */
    private final Map<Long, WebSocketEnd> webSockets = new ConcurrentHashMap<>();

    /** Requests waiting for each object, capped. */
    private final RequestQueues requestQueues = new RequestQueues();

    /** Limits the log lines about requests turned away, per object. */
    private final RepeatLimiter overloadLog = new RepeatLimiter();
    private volatile boolean hasWorkerEntry;

    /** The version that replaced this one; set once by {@link #handOver}, read on every delivery. */
    private volatile ScriptRuntime successor;
    private volatile String successorReason;

    /**
     * @param modulePathPrefix prefixed to module names in messages, such as {@code "src/"}
     * @param varsJson the script's plain vars as one JSON object
     */
    public ScriptRuntime(String name, ModuleBundle bundle, String modulePathPrefix, List<BindingSpec> bindingSpecs,
            String varsJson, Limits limits, Services services) {
        this("script " + name, name, bundle, modulePathPrefix, bindingSpecs, varsJson, limits, services);
    }

    /**
     * Creates a runtime whose load and close lines name the script as {@code logName}, such as
     * "the built-in warm-up script mooring-warmup", so that a script the host runs for itself is
     * not taken for the user's.
     */
    public ScriptRuntime(String logName, String name, ModuleBundle bundle, String modulePathPrefix,
            List<BindingSpec> bindingSpecs, String varsJson, Limits limits, Services services) {
        this.logName = logName;
        this.name = name;
        this.script = new GuestScript(name, bundle, modulePathPrefix);
        this.varsJson = varsJson;
        this.limits = limits;
        this.services = services;
        Map<String, ObjectNamespace> byClass = new LinkedHashMap<>();
        for (BindingSpec spec : bindingSpecs) {
            ObjectNamespace namespace = byClass.computeIfAbsent(spec.className(), className -> new ObjectNamespace(className,
                    new NamespaceIdentity(spec.namespaceKey()), services.store().namespaceId(spec.namespaceKey()),
                    spec.storageLimits()));
            bindings.put(spec.bindingName(), namespace);
        }
        this.storageQuota = services.store().storageQuota(limits.storageQuotaPerObjectBytes(), limits.storageQuotaPerScriptBytes(),
                byClass.values().stream().map(ObjectNamespace::storageNamespaceId).toList());
        this.liveObjects = new LiveObjects(name, limits.maxLiveObjects(), shards);
    }

    public String name() {
        return name;
    }

    /** The script's event loops; every version of the script runs on the same ones. */
    public List<EventLoop> loops() {
        return services.loops();
    }

    GuestScript script() {
        return script;
    }

    SandboxEngine engine() {
        return services.engine();
    }

    CpuWatchdog watchdog() {
        return services.watchdog();
    }

    LmdbStore store() {
        return services.store();
    }

    EgressClient egress() {
        return services.egress();
    }

    Limits limits() {
        return limits;
    }

    /** Returns the storage quotas that every object storage of this script checks. */
    StorageQuota storageQuota() {
        return storageQuota;
    }

    /** Returns the count of this script's objects in memory, over all shards. */
    LiveObjects liveObjectCount() {
        return liveObjects;
    }

    Map<String, ObjectNamespace> bindings() {
        return bindings;
    }

    String varsJson() {
        return varsJson;
    }

    /** Whether requests go to a default export's {@code fetch} (true) or straight to objects by path. */
    public boolean hasWorkerEntry() {
        return hasWorkerEntry;
    }

    /**
     * Loads the script into one context per event loop and checks that every binding's class is
     * exported by the main module.
     *
     * @throws ScriptLoadException with a message for the script's author
     */
    public void start() {
        long started = System.nanoTime();
        List<CompletableFuture<Shard>> loading = new ArrayList<>();
        for (EventLoop loop : services.loops()) {
            Shard shard = new Shard(this, loop);
            shards.add(shard);
            CompletableFuture<Shard> loaded = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    shard.start();
                    loaded.complete(shard);
                } catch (Throwable t) {
                    loaded.completeExceptionally(t);
                }
            });
            loading.add(loaded);
        }
        for (CompletableFuture<Shard> loaded : loading) {
            await(loaded);
        }

        Shard first = shards.get(0);
        hasWorkerEntry = onLoop(first, first::hasWorkerEntry);
        for (Map.Entry<String, ObjectNamespace> binding : bindings.entrySet()) {
            String className = binding.getValue().className();
            if (!onLoop(first, () -> first.exportsClass(className))) {
                List<String> exported = onLoop(first, first::exportedClassNames);
                close();
                throw new ScriptLoadException(missingClassMessage(binding.getKey(), className, exported));
            }
        }
        log.info("Loaded {} on {} in {} ms: {}; bindings {}", logName, Values.formatCount(shards.size(), "event loop"),
                (System.nanoTime() - started) / 1_000_000,
                hasWorkerEntry ? "requests go to the default export's fetch()" : "requests go to objects by path /<binding>/<name>/",
                bindings.keySet());
    }

    /**
     * Explains a binding to a class that the main module does not export: a likely typo first,
     * then the classes it does export, then how to export a class kept in another file.
     */
    private String missingClassMessage(String bindingName, String className, List<String> exported) {
        StringBuilder message = new StringBuilder("Durable Object binding " + bindingName + " refers to class " + className
                + ", but the main module " + script.displayPath(script.bundle().mainModule())
                + " does not export a class of that name.");
        List<String> closest = Spelling.closest(className, exported);
        if (!closest.isEmpty()) {
            message.append(" Did you mean ").append(String.join(" or ", closest)).append("?");
        }
        message.append(switch (exported.size()) {
            case 0 -> " It exports no classes.";
            case 1 -> " It exports the class " + exported.getFirst() + ".";
            default -> " It exports the classes " + String.join(", ", exported) + ".";
        });
        message.append(" A class in another file must be exported from the main module too, for example: export { ")
                .append(className).append(" } from \"./").append(className.toLowerCase()).append(".js\";");
        return message.toString();
    }

    /**
     * Schedules the alarms that the objects of this script's namespaces have stored. Call once this
     * version is the one that serves, after {@link #follow} when it replaces another: an alarm that
     * is already due runs at once, and it must not make an object while the old version still has it.
     */
    public void startAlarms() {
        Map<Integer, ObjectNamespace> namespaces = new TreeMap<>();
        bindings.values().forEach(namespace -> namespaces.putIfAbsent(namespace.storageNamespaceId(), namespace));
        int scheduled = 0;
        for (ObjectNamespace namespace : namespaces.values()) {
            for (StoredAlarm alarm : services.store().alarmsOf(namespace.storageNamespaceId())) {
                ObjectKey key = new ObjectKey(namespace, ObjectId.of(alarm.objectId()));
                Shard shard = shardFor(key.id());
                shard.loop().execute(() -> shard.alarms().schedule(key, alarm.objectName(), alarm.scheduledTime()));
                scheduled++;
            }
        }
        if (scheduled > 0) {
            log.info("Scheduled {} of {}", Values.formatCount(scheduled, "stored alarm"), logName);
        }
    }

    private <T> T onLoop(Shard shard, java.util.concurrent.Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        shard.loop().execute(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return await(result);
    }

    private <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(LOAD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            close();
            if (e.getCause() instanceof ScriptLoadException failed) {
                throw withLimitOption(failed);
            }
            if (e.getCause() instanceof RuntimeException runtimeException) {
                throw runtimeException;
            }
            throw new IllegalStateException("Loading script " + name + " failed", e.getCause());
        } catch (TimeoutException e) {
            close();
            throw new ScriptLoadException("Loading script " + name + " took longer than " + LOAD_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while loading script " + name, e);
        }
    }

    /** Returns {@code failed} with the option of the limit it passed added, because the sandbox does not know option names. */
    private static ScriptLoadException withLimitOption(ScriptLoadException failed) {
        String option = switch (failed.getCause()) {
            case CpuLimitExceededException cpu -> HostOptions.CPU_LIMIT.name();
            case AllocationLimitExceededException allocation -> HostOptions.ALLOCATION_LIMIT.name();
            case null, default -> null;
        };
        return option == null ? failed : new ScriptLoadException(failed.getMessage() + " (" + option + ")", failed.getCause());
    }

    // ---- Requests -------------------------------------------------------------------------------

    /** Handles one incoming HTTP request; the outcome goes to {@code sink}. */
    public void handle(RequestData request, ResponseSink sink) {
        if (hasWorkerEntry) {
            String routeKey = routeKeyOf(request.url());
            Integer learned = workerAffinity.get(routeKey);
            int index = learned != null ? learned : Math.floorMod(nextWorkerShard.getAndIncrement(), shards.size());
            Shard shard = shards.get(index);
            shard.loop().execute(() -> shard.runWorkerFetch(request, routeKey, sink));
            return;
        }
        routeByPath(request, sink);
    }

    /** Routes {@code /<binding>/<name>/<rest>} to {@code env.<binding>.idFromName(name)}, which sees {@code /<rest>}. */
    private void routeByPath(RequestData request, ResponseSink sink) {
        URI uri;
        try {
            uri = new URI(request.url());
        } catch (URISyntaxException e) {
            sink.complete(ResponseData.text(400, "Invalid request URL: " + request.url() + "\n"));
            return;
        }
        String path = uri.getRawPath() == null ? "/" : uri.getRawPath();
        String[] segments = path.split("/", 4);
        if (segments.length < 3 || segments[1].isEmpty() || segments[2].isEmpty()) {
            sink.complete(ResponseData.text(404, "Not found. This script's main module has no default export with a fetch() handler, so requests go to objects at"
                    + " /<binding>/<name>/<path>; bindings: " + bindings.keySet() + "\n"));
            return;
        }
        ObjectNamespace namespace = bindings.get(segments[1]);
        if (namespace == null) {
            sink.complete(ResponseData.text(404, "No Durable Object binding named " + segments[1] + "; bindings: "
                    + bindings.keySet() + "\n"));
            return;
        }
        String objectName = java.net.URLDecoder.decode(segments[2].replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        String rest = "/" + (segments.length > 3 ? segments[3] : "");
        String objectUrl = uri.getScheme() + "://" + uri.getRawAuthority() + rest
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        ObjectKey key = keyForName(namespace, objectName);
        deliver(key, objectName, new FetchEvent(request.withUrl(objectUrl), sink, null));
    }

    /** The request path without query or fragment: the key of {@link #workerAffinity}. */
    private static String routeKeyOf(String url) {
        int schemeEnd = url.indexOf("://");
        int pathStart = schemeEnd < 0 ? 0 : url.indexOf('/', schemeEnd + 3);
        if (pathStart < 0) {
            return "/";
        }
        int end = url.length();
        for (int i = pathStart; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        return url.substring(pathStart, end);
    }

    /** Records that a Worker invocation for {@code routeKey} called an object on the shard of {@code target}. */
    void learnWorkerAffinity(String routeKey, ObjectKey target) {
        int index = shards.indexOf(shardFor(target.id()));
        if (workerAffinity.size() >= WORKER_AFFINITY_SIZE) {
            workerAffinity.clear();
        }
        workerAffinity.put(routeKey, index);
    }

    /** Creates a WebSocketPair's two ends and registers them. Any thread. */
    WebSocketEnd[] newWebSocketPair() {
        WebSocketDirectory directory = services.webSocketDirectory();
        WebSocketEnd[] ends = WebSocketEnd.pair(directory.register(this), directory.register(this));
        webSockets.put(ends[0].id(), ends[0]);
        webSockets.put(ends[1].id(), ends[1]);
        return ends;
    }

    /** Looks up a WebSocket end by id, or null when it is unknown or gone. */
    WebSocketEnd webSocket(long id) {
        return webSockets.get(id);
    }

    /** Forgets an end once it and its peer are closed. */
    void forgetWebSocket(WebSocketEnd end) {
        if (webSockets.remove(end.id(), end)) {
            end.forget();
            services.webSocketDirectory().forget(end.id());
        }
    }

    /**
     * Binds the WebSocket end that a 101 response handed out to the client connection that was
     * upgraded for it, and returns where the connection reports its frames; null when the end is
     * unknown or already bound.
     */
    public ClientEvents bindClientSocket(long endId, ClientSocket socket) {
        WebSocketEnd end = webSockets.get(endId);
        if (end == null) {
            return null;
        }
        try {
            end.bindNetwork(socket);
        } catch (IllegalStateException e) {
            log.warn("Script {} returned WebSocket {} in a response, but it was already in use: {}", name, endId, e.getMessage());
            return null;
        }
        return new ClientEvents() {
            @Override
            public void text(String text, Runnable handled) {
                end.receiveFromClient(WebSocketEnd.Event.fromClient(text, handled));
            }

            @Override
            public void binary(byte[] bytes, Runnable handled) {
                end.receiveFromClient(WebSocketEnd.Event.fromClient(bytes, handled));
            }

            @Override
            public void closed(int code, String reason, boolean wasClean) {
                end.receiveFromClient(WebSocketEnd.Event.close(code, reason, wasClean));
                forgetWebSocket(end);
            }

            @Override
            public void failed(String message) {
                end.receiveFromClient(WebSocketEnd.Event.error(message));
                forgetWebSocket(end);
            }

            @Override
            public String owner() {
                WebSocketEnd guestEnd = end.peer();
                ObjectKey key = guestEnd.objectKey();
                if (key == null && guestEnd.acceptor() instanceof ObjectActor actor) {
                    key = actor.key();
                }
                String holder = key != null ? key.describe() : guestEnd.acceptor() != null ? "the Worker" : "not accepted yet";
                return "script " + name + ", " + holder;
            }
        };
    }

    /** Closes the peer of an end whose client connection never came about. */
    public void rejectClientSocket(long endId, String reason) {
        WebSocketEnd end = webSockets.remove(endId);
        services.webSocketDirectory().forget(endId);
        if (end != null) {
            end.forget();
            end.abandon();
            end.peer().deliver(WebSocketEnd.Event.close(1006, reason, false));
        }
    }

    /**
     * Queues an event on the shard that owns {@code key}, or fails it at once when too many
     * requests or bytes already wait for that object (see {@link RequestQueues}). Any thread.
     */
    void deliver(ObjectKey key, String objectName, FetchEvent event) {
        byte[] body = event.request().body();
        RequestQueues.Ticket ticket = requestQueues.admit(key, body == null ? 0 : body.length, event.sink());
        if (ticket == null) {
            String message = requestQueues.overloadMessage(key);
            overloadLog.admit(key.describe()).ifPresent(suppressed -> log.warn("Turned a request away from {} in script {}{}: {}",
                    key.describe(), name, suppressed > 0 ? " (and " + suppressed + " more since the last report)" : "", message));
            event.sink().fail(EventFailure.overloaded(message));
            return;
        }

        FetchEvent counted = event.countedBy(ticket);
        Shard shard = shardFor(key.id());
        shard.loop().execute(() -> shard.deliver(key, objectName, counted));
    }

    private Shard shardFor(ObjectId id) {
        return shards.get(Math.floorMod(id.hashCode(), shards.size()));
    }

    /** Names the event loop that runs the object {@code env.<binding>.idFromName(objectName)}. */
    public String eventLoopOf(String binding, String objectName) {
        ObjectNamespace namespace = bindings.get(binding);
        if (namespace == null) {
            throw new IllegalArgumentException("No Durable Object binding named " + binding + "; bindings: " + bindings.keySet());
        }
        return shardFor(namespace.identity().idFromName(objectName)).loop().name();
    }

    /**
     * Returns how many requests wait for the object named {@code objectName} in the namespace bound
     * as {@code binding}, or 0 when there is no such binding. For tests.
     */
    public int requestsWaitingFor(String binding, String objectName) {
        ObjectNamespace namespace = bindings.get(binding);
        return namespace == null ? 0 : requestQueues.waitingFor(keyForName(namespace, objectName));
    }

    /** Returns the key of the object that {@code idFromName(objectName)} names in {@code namespace}. */
    private static ObjectKey keyForName(ObjectNamespace namespace, String objectName) {
        return new ObjectKey(namespace, namespace.identity().idFromName(objectName));
    }

    /**
     * Returns the number of object instances in memory without waiting for the event loops, so that
     * a loop busy with guest code does not hold up the caller. Work still queued on the loops is
     * not reflected yet.
     */
    public int liveObjectsWithoutWaiting() {
        return liveObjects.count();
    }

    /** Returns the number of object instances in memory, over all shards, after the work queued on each loop. For tests. */
    public int liveObjects() {
        int total = 0;
        for (Shard shard : shards) {
            total += onLoop(shard, shard::liveObjects);
        }
        return total;
    }

    /** Evicts every idle object now, as the periodic sweep would. For tests. */
    public int evictIdleObjects() {
        int total = 0;
        for (Shard shard : shards) {
            total += onLoop(shard, shard::evictIdleObjects);
        }
        return total;
    }

    // ---- Version changes ------------------------------------------------------------------------

    /**
     * Makes this new, started version wait for {@code previous} before it creates each object, so
     * an object never has an instance in both. Call before any request reaches this version.
     *
     * @throws IllegalArgumentException when the two versions do not run on the same event loops
     */
    public void follow(ScriptRuntime previous) {
        if (!previous.services.loops().equals(services.loops())) {
            throw new IllegalArgumentException("Versions of script " + name + " must share their event loops");
        }
        for (int i = 0; i < shards.size(); i++) {
            Shard shard = shards.get(i);
            Shard old = previous.shards.get(i);
            onLoop(shard, () -> {
                shard.follow(old);
                return null;
            });
        }
    }

    /**
     * Hands this version's traffic to {@code next}, which must {@link #follow} it: from now on new
     * events go to {@code next}; each object here is reset with {@code reason} once its in-flight
     * events finish, or when {@code grace} runs out. The future completes when every shard is
     * closed; storage stays as it is.
     */
    public CompletableFuture<Void> handOver(ScriptRuntime next, java.time.Duration grace, String reason) {
        successorReason = reason;
        successor = next;
        List<CompletableFuture<Void>> shardsDone = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            Shard shard = shards.get(i);
            Shard nextShard = next.shards.get(i);
            CompletableFuture<Void> done = new CompletableFuture<>();
            shardsDone.add(done);
            shard.loop().execute(() -> shard.retire(nextShard, reason, grace.toNanos(), done));
        }
        return CompletableFuture.allOf(shardsDone.toArray(CompletableFuture[]::new)).thenRun(() -> {
            log.info("Version of script {} retired: {}", name, reason);
            next.forgetPredecessor();
        });
    }

    private void forgetPredecessor() {
        for (Shard shard : shards) {
            shard.loop().execute(() -> shard.follow(null));
        }
    }

    /** The same-index shard of the version that replaced this one, or null while this one is current. */
    Shard successorShardOf(Shard shard) {
        ScriptRuntime next = successor;
        return next == null ? null : next.shards.get(shards.indexOf(shard));
    }

    String successorReason() {
        return successorReason;
    }

    /**
     * Returns this version's key for the object that {@code other}, a key of another version of
     * the script, names: the same ID in the namespace with the same storage. Null when no class
     * of this version has that storage.
     */
    ObjectKey sameObject(ObjectKey other) {
        for (ObjectNamespace namespace : bindings.values()) {
            if (namespace.storageNamespaceId() == other.namespace().storageNamespaceId()) {
                return namespace == other.namespace() ? other : new ObjectKey(namespace, other.id());
            }
        }
        return null;
    }

    /**
     * Stops this version: closes its contexts, failing what runs in them, and closes the WebSocket
     * connections still open, with code 1001. Storage stays. The event loops keep running; they
     * belong to the script.
     */
    @Override
    public void close() {
        for (WebSocketEnd end : List.copyOf(webSockets.values())) {
            if (end.mode() != WebSocketEnd.Mode.NETWORK) {
                // The close goes to the peer, which sends it to the client if it is bound to one.
                end.closeFromGuest(1001, "The script was stopped.");
                end.abandon();
            }
            forgetWebSocket(end);
        }
        for (Shard shard : shards) {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            if (shard.loop().inLoop()) {
                shard.close();
                continue;
            }
            try {
                shard.loop().execute(() -> {
                    shard.close();
                    closed.complete(null);
                });
                awaitClose(shard, closed);
            } catch (Exception e) {
                log.warn("Closing the context of {} on event loop {} failed", logName, shard.loop().name(), e);
            }
        }
        shards.clear();
    }

    /**
     * Waits for a shard's close task. Guest code that runs without yielding would hold it up until
     * the CPU limit, so after {@link #CLOSE_PATIENCE} that code is stopped.
     */
    private void awaitClose(Shard shard, CompletableFuture<Void> closed) throws Exception {
        try {
            closed.get(CLOSE_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (TimeoutException stillRunning) {
            if (shard.stopRunningCode(SCRIPT_STOPPED)) {
                log.warn("Stopped guest code of {} that was still running on event loop {}, so that the script can close",
                        logName, shard.loop().name());
            }
        }
        closed.get(10, TimeUnit.SECONDS);
    }

    /**
     * Stops this version's guest code that still runs once {@code patience} has passed, unless
     * {@code finished} completes first. A version that is being replaced keeps its in-flight events
     * for a grace period, but code that never yields would hold the script's shared loops, and so
     * the new version, until the CPU limit. Waits on a virtual thread of its own and returns at once.
     *
     * @param reason the error that the stopped events get
     */
    public void stopCodeStillRunningAfter(Duration patience, CompletableFuture<?> finished, String reason) {
        List<Shard> watched = List.copyOf(shards);
        Thread.ofVirtual().name("mooring-grace-" + name).start(() -> {
            try {
                finished.get(patience.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException graceOver) {
                for (Shard shard : watched) {
                    if (shard.stopRunningCode(reason)) {
                        log.warn("Stopped guest code of {} that was still running on event loop {} after {}: {}", logName,
                                shard.loop().name(), Values.format(patience), reason);
                    }
                }
            } catch (ExecutionException e) {
                // The awaited work failed, and its own caller reports that; nothing waits behind it.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
