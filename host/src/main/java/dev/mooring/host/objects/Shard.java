package dev.mooring.host.objects;

import dev.mooring.host.egress.EgressClient;
import dev.mooring.host.egress.EgressException;
import dev.mooring.host.storage.Entry;
import dev.mooring.host.storage.ListOptions;
import dev.mooring.host.storage.ObjectStorage;
import dev.mooring.runtime.HostFunctions;
import dev.mooring.runtime.RuntimeIntrinsics;
import dev.mooring.runtime.StoredValues;
import dev.mooring.runtime.fetch.RequestData;
import dev.mooring.runtime.fetch.ResponseData;
import dev.mooring.host.config.HostOptions;
import dev.mooring.host.config.Values;
import dev.mooring.host.storage.StorageQuotaExceededException;
import dev.mooring.sandbox.EventAccount;
import dev.mooring.sandbox.EventLoop;
import dev.mooring.sandbox.ResourceExhaustedException;
import dev.mooring.sandbox.ScriptContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One context of a script on one event loop, with the objects that live in it: workerd's isolate,
 * holding many instances. Objects are assigned to shards by ID, so every event of an object runs
 * on the same loop and in the same context.
 *
 * <p>The shard owns its object directory (at most one {@link ObjectActor} per object, kept in
 * least-recently-used order), the bridge functions that guest code calls for storage, IDs and
 * stubs, the end-of-task hook that submits each object's writes as one batch, the sweep that
 * evicts idle objects, and the early eviction that keeps the script within its live object limit
 * (see {@link LiveObjects}). It also runs the Worker's default export for requests assigned to it.
 *
 * <p>If its context closes by itself (the heap ran out during a call, or the watchdog closed it
 * after a stop timed out), the shard resets every object in it and builds a new context, so the
 * loop keeps serving the script.
 *
 * <p>When a new version of the script takes over, the shard retires (see {@link #retire}): new
 * events go to the successor shard on the same loop, each object is reset once its in-flight events
 * have finished, and the successor makes an object's new instance only after the old one is gone
 * and its writes have settled. So there is never more than one instance of an object, even across
 * versions.
 *
 * <p>Threads: everything runs on {@link #loop()}; other threads reach a shard only by posting
 * tasks to that loop. A shard and its predecessor or successor share that loop.
 */
final class Shard {

    /** How long an object stopped at its CPU or allocation limit runs its later events at idle priority. */
    static final Duration PENALTY = Duration.ofSeconds(60);

    /**
     * Most {@code fetch()} calls, and separately most Durable Object stub calls, that one event
     * may make: the 1,000 of Cloudflare's paid plans. Past it a call fails with Cloudflare's
     * message, which keeps a runaway loop from queueing calls without bound.
     */
    static final int MAX_CALLS_PER_EVENT = 1000;

    private static final Logger log = LoggerFactory.getLogger(Shard.class);

    /** How a guest's {@code settle(kind, ...)} call is reported to Java. */
    interface Settle {
        void ok(ResponseData response);

        /**
         * The handler returned a Response whose body is a stream; its chunks follow through {@code
         * body}. {@code producedHere} is false for the unread body of a stub's response passed on.
         */
        void stream(ResponseData head, BodyChannel body, boolean producedHere);

        /** The producer of a streamed body, for logs: the script, and the object's namespace and ID. */
        String producer();

        /** Reports that the handler threw {@code error} and did not catch it. */
        void error(ThrownError error);
    }

    /** The end of an alarm() call: the handler returned, the class has none, or the handler threw. */
    interface AlarmSettle {
        /** Reports that the handler returned, or that the class has no alarm() handler ({@code handled} false). */
        void returned(boolean handled);

        /** Reports that the handler threw {@code error} and did not catch it. */
        void threw(ThrownError error);
    }

    private final ScriptRuntime runtime;
    private final EventLoop loop;
    private final Logger scriptLog;
    /** Live actors in access order: iteration starts at the least recently used. */
    private final Map<ObjectKey, ObjectActor> actors = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<ObjectKey, CompletableFuture<Void>> settlingWrites = new HashMap<>();
    /** Objects stopped at a limit lately, with the ticker time until which they run at idle priority. */
    private final Map<ObjectKey, Long> penalizedUntil = new HashMap<>();
    private final List<ObjectActor> dirty = new ArrayList<>();
    /** Open hibernatable WebSockets by object, whether or not the object is in memory. */
    private final Map<ObjectKey, List<WebSocketEnd>> hibernatable = new HashMap<>();
    /** Auto-response rules by object; read on network I/O threads. */
    private final Map<ObjectKey, WebSocketEnd.AutoResponse> autoResponses = new java.util.concurrent.ConcurrentHashMap<>();
    private final Runnable endTurnsHook = this::endTurns;
    private EventLoop.Timer evictionSweep;
    private boolean closed;

    /** Streamed bodies whose guest code runs in this shard and has not finished them; failed when it closes. */
    private final java.util.Set<BodyChannel> openBodies = new java.util.HashSet<>();
    /** Worker invocations that have not responded yet; a retiring shard waits for them. */
    private final java.util.Set<WorkerInvocation> workers = new java.util.HashSet<>();
    /** The same-index shard of the version this shard's script replaced, while that one retires. */
    private Shard predecessor;
    /** The same-index shard of the version that replaced this one; set when retirement starts. */
    private Shard successor;
    /** The objects' alarms, waiting on this loop. */
    private final AlarmTimers alarms = new AlarmTimers(this);
    /** The shard of the version that follows this one, which takes over its alarms; null while none does. */
    private Shard alarmsMovedTo;
    private String retireReason;
    private EventLoop.Timer retireDeadline;
    private CompletableFuture<Void> retired;
    private boolean closing;
    /** Completed when an object of this retiring shard is gone and its writes have settled. */
    private final Map<ObjectKey, CompletableFuture<Void>> releases = new HashMap<>();
    /** Written on the loop; volatile because {@link #stopRunningCode} reads it from other threads. */
    private volatile ScriptContext context;
    private Value dispatcher;
    private Value constructFunction;
    private Value objectFetchFunction;
    private Value objectCallFunction;
    private Value workerFetchFunction;
    private Value webSocketEventFunction;
    private Value alarmEventFunction;
    private Value dispatchAcceptedFunction;
    private Value env;
    private Value defaultExport;

    Shard(ScriptRuntime runtime, EventLoop loop) {
        this.runtime = runtime;
        this.loop = loop;
        this.scriptLog = LoggerFactory.getLogger("mooring.script." + runtime.name());
    }

    ScriptRuntime runtime() {
        return runtime;
    }

    AlarmTimers alarms() {
        return alarms;
    }

    EventLoop loop() {
        return loop;
    }

    ScriptContext context() {
        return context;
    }

    /**
     * Stops this shard's guest code that runs on its loop now, with {@code reason} as the error its
     * event gets, and returns whether there was such code. Any thread but the loop's.
     */
    boolean stopRunningCode(String reason) {
        ScriptContext current = context;
        return current != null && current.stopRunningCode(reason);
    }

    String scriptName() {
        return runtime.name();
    }

    Logger scriptLog() {
        return scriptLog;
    }

    long nowNanos() {
        return loop.ticker().nanoTime();
    }

    int liveObjects() {
        return actors.size();
    }

    // ---- Startup --------------------------------------------------------------------------------

    /** Creates the context and evaluates the script. Must run on the loop. */
    void start() {
        createContext();
        loop.addAfterTaskHook(endTurnsHook);
        scheduleEvictionSweep();
    }

    /** Creates an account for one event, with the script's CPU and allocation limits. */
    EventAccount newAccount() {
        return new EventAccount(runtime.limits().cpuLimitNanos(), runtime.limits().allocationLimitBytes());
    }

    /** Creates the account of a new instance of {@code key}, demoted from the start while the object is penalized. */
    private EventAccount newAccount(ObjectKey key) {
        EventAccount account = newAccount();
        Long until = penalizedUntil.get(key);
        if (until != null && until - nowNanos() > 0) {
            account.demoteFromStart();
        }
        return account;
    }

    /**
     * Makes the object's next instances run at idle priority for {@link #PENALTY}. Called when an
     * event of the object was stopped at its CPU or allocation limit.
     */
    void penalize(ObjectKey key) {
        if (penalizedUntil.put(key, nowNanos() + PENALTY.toNanos()) == null) {
            scriptLog.info("[{}] Runs at idle priority for {} s after it was stopped at a limit", key.describe(),
                    PENALTY.toSeconds());
        }
    }

    private void createContext() {
        ScriptContext created = ScriptContext.create(runtime.engine(), runtime.watchdog(), loop, runtime.script(), bridge(),
                newAccount());
        created.onLost(failure -> replaceLostContext(created, failure));
        context = created;
        dispatcher = context.internals().getMember("dispatcher");
        constructFunction = dispatcher.getMember("construct");
        objectFetchFunction = dispatcher.getMember("objectFetch");
        objectCallFunction = dispatcher.getMember("objectCall");
        workerFetchFunction = dispatcher.getMember("workerFetch");
        webSocketEventFunction = dispatcher.getMember("webSocketEvent");
        alarmEventFunction = dispatcher.getMember("alarmEvent");
        dispatchAcceptedFunction = context.internals().getMember("dispatchWebSocketEvent");
        defaultExport = context.exports().getMember("default");

        List<Object> namespaces = new ArrayList<>();
        runtime.bindings().forEach((bindingName, namespace) -> namespaces.add(ProxyArray.fromArray(bindingName, namespace)));
        env = dispatcher.getMember("createEnv").execute(ProxyArray.fromList(namespaces), runtime.varsJson());
    }

    /**
     * Resets every object that lived in a context that closed by itself and builds a new context
     * for the objects and requests that come next. Runs on the loop after the failed call returned.
     */
    private void replaceLostContext(ScriptContext lost, RuntimeException failure) {
        if (closed || context != lost) {
            return;
        }
        String reason = failure instanceof ResourceExhaustedException
                ? ObjectActor.MEMORY_RESET_MESSAGE
                : "The object's context was closed.";
        List<ObjectActor> inMemory = new ArrayList<>(actors.values());
        log.warn("The context of script {} on event loop {} was lost ({}); resetting its {} and building a new one",
                runtime.name(), loop.name(), failure.getMessage(), Values.formatCount(inMemory.size(), "object"));
        for (ObjectActor actor : inMemory) {
            actor.reset(reason);
        }
        lost.close();
        try {
            createContext();
        } catch (RuntimeException e) {
            log.error("Building a new context for script {} on event loop {} failed; its events there fail until the"
                    + " script is restarted", runtime.name(), loop.name(), e);
        }
    }

    /**
     * Stops the shard: no more sweeps or end-of-task work, its objects dropped, its context closed.
     * Writes already submitted still complete in the store. Must run on the loop.
     */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        alarms.stop();
        loop.removeAfterTaskHook(endTurnsHook);
        if (evictionSweep != null) {
            evictionSweep.cancel();
        }
        runtime.liveObjectCount().removed(actors.size());
        actors.clear();
        for (BodyChannel body : List.copyOf(openBodies)) {
            log.info("Ended the open response stream of {}: the script's code on event loop {} stopped", body.label(), loop.name());
            body.fail("the script was stopped");
        }
        openBodies.clear();
        dirty.clear();
        if (context != null) {
            context.close();
        }
    }

    /**
     * Returns whether the main module's default export handles requests: an object with a callable
     * {@code fetch}, or a class (such as one that extends {@code WorkerEntrypoint}) whose instances have one.
     */
    boolean hasWorkerEntry() {
        if (defaultExport == null || defaultExport.isNull()) {
            return false;
        }
        Value handlers = defaultExport.canInstantiate() ? defaultExport.getMember("prototype") : defaultExport;
        return handlers != null && handlers.hasMember("fetch") && handlers.getMember("fetch").canExecute();
    }

    /** Whether the main module exports {@code className} as a class. */
    boolean exportsClass(String className) {
        Value exported = context.exports().getMember(className);
        return exported != null && exported.canInstantiate();
    }

    /** Returns the names under which the main module exports a class, the default export left out, sorted. */
    List<String> exportedClassNames() {
        Value exports = context.exports();
        return exports.getMemberKeys().stream()
                .filter(name -> !name.equals("default") && exportsClass(name))
                .sorted()
                .toList();
    }

    // ---- Objects --------------------------------------------------------------------------------

    /** Delivers a fetch to an object of this shard, creating its instance if needed. */
    void deliver(ObjectKey key, String name, FetchEvent event) {
        Shard next = runtime.successorShardOf(this);
        if (next != null) {
            ObjectKey nextKey = next.runtime.sameObject(key);
            if (nextKey == null) {
                event.sink().fail(EventFailure.reset(runtime.successorReason() + " The new version has no class "
                        + key.namespace().className() + "."));
            } else {
                next.deliver(nextKey, name, event);
            }
            return;
        }
        if (closed) {
            event.sink().fail(EventFailure.reset("The script was stopped while the request was queued."));
            return;
        }
        ObjectActor existing = actors.get(key);
        StubHandle stub = event.stub();
        if (stub != null && stub.boundActor != null && stub.boundActor != existing && stub.boundActor.isReset()) {
            event.sink().fail(stub.boundActor.resetFailure());
            return;
        }
        ObjectActor actor = actorFor(key, name);
        if (stub != null) {
            stub.boundActor = actor;
        }
        actor.deliver(event);
    }

    /** Returns the object's live actor, making one (not yet constructed) if there is none. */
    private ObjectActor actorFor(ObjectKey key, String name) {
        ObjectActor actor = actors.get(key);
        if (actor == null) {
            CompletableFuture<Void> previous = settlingWrites.getOrDefault(key, CompletableFuture.completedFuture(null));
            if (predecessor != null) {
                previous = CompletableFuture.allOf(previous, predecessor.releaseOf(key));
            }
            ObjectStorage storage = runtime.store().objectStorage(key.namespace().storageNamespaceId(), key.id().bytes(),
                    runtime.storageQuota());
            actor = new ObjectActor(this, key, name, storage, newAccount(key), previous);
            actors.put(key, actor);
            LiveObjects live = runtime.liveObjectCount();
            live.added();
            if (live.excess() > 0) {
                evictForLimit(actor);
                live.stillOverLimit(this);
            }
        }
        return actor;
    }

    /**
     * Evicts this shard's least recently used quiet objects, other than {@code keep}, while the
     * script has more objects in memory than its limit. Returns how many it evicted. Runs on the loop.
     */
    int evictForLimit(ObjectActor keep) {
        LiveObjects live = runtime.liveObjectCount();
        int evicted = 0;
        for (Iterator<ObjectActor> it = actors.values().iterator(); it.hasNext() && live.excess() > 0; ) {
            ObjectActor actor = it.next();
            if (actor != keep && actor.isQuiet()) {
                actor.evict();
                it.remove();
                live.removed(1);
                objectGone(actor.key());
                evicted++;
            }
        }
        if (evicted > 0) {
            log.info("Evicted {} of script {} from event loop {} to stay within {} live objects",
                    Values.formatCount(evicted, "least recently used object"), runtime.name(), loop.name(), live.limit());
        }
        return evicted;
    }

    // ---- WebSockets -----------------------------------------------------------------------------

    /**
     * Hands an event of a WebSocket end held in this shard to its holder: through the accepting
     * code's callback for accept(), or into the object's mailbox for a hibernatable end, making the
     * object again if it was evicted. Runs on the loop.
     */
    void deliverWebSocketEvent(WebSocketEnd end, WebSocketEnd.Event event) {
        if (closed) {
            event.markHandled();
            return;
        }
        boolean ends = event.kind() != WebSocketEnd.Kind.MESSAGE;
        if (ends) {
            runtime.forgetWebSocket(end);
        }
        CallbackOwner acceptor = end.acceptor();
        if (acceptor != null) {
            if (acceptor instanceof ObjectActor actor) {
                if (ends) {
                    actor.closedSocket(end);
                }
                actor.account().reset();
            }
            // An owner that drops the completion is being reset, which closes the connection.
            acceptor.completeIo(false, () -> {
                event.markHandled();
                dispatchAcceptedFunction.execute((double) end.id(), kindName(event), dataToGuest(event.data()), event.code(),
                        event.reason(), event.wasClean(), ends ? finalStateOf(end) : null);
            });
            return;
        }
        ObjectKey key = end.objectKey();
        if (successor != null) {
            event.markHandled();
            return;
        }
        if (ends) {
            List<WebSocketEnd> open = hibernatable.get(key);
            if (open != null) {
                open.remove(end);
                if (open.isEmpty()) {
                    hibernatable.remove(key);
                }
            }
        }
        actorFor(key, end.objectName()).deliver(new SocketEvent(end, event));
    }

    /** Runs an object's handler for a hibernatable WebSocket event; {@code done} runs when it settles. */
    void dispatchWebSocketEvent(Value instance, Value state, SocketEvent socket, Runnable done) {
        WebSocketEnd.Event event = socket.event();
        Object finalState = event.kind() == WebSocketEnd.Kind.MESSAGE ? null : finalStateOf(socket.end());
        webSocketEventFunction.execute(instance, state, (double) socket.end().id(), kindName(event), dataToGuest(event.data()),
                event.code(), event.reason(), event.wasClean(), finalState, (ProxyExecutable) arguments -> {
                    if ("error".equals(arguments[0].asString())) {
                        scriptLog.warn("[{}] Uncaught exception in a WebSocket handler: {}", socket.end().objectKey().describe(),
                                ThrownError.fromSettle(arguments).logText());
                    }
                    done.run();
                    return null;
                });
    }

    /**
     * Returns what the guest may still read of a WebSocket whose close or error it is about to
     * handle: its attachment and, for a hibernatable one, its tags. The host has already forgotten
     * the connection, so the guest keeps these itself, and a close handler can tell who left.
     */
    private static Object finalStateOf(WebSocketEnd end) {
        Object tags = end.objectKey() == null ? null : ProxyArray.fromList(new ArrayList<>(end.tags()));
        return ProxyArray.fromArray(toGuestValue(end.attachment()), tags);
    }

    /** Removes and returns an object's hibernatable WebSockets, for example when it is reset. */
    List<WebSocketEnd> removeHibernatableSockets(ObjectKey key) {
        autoResponses.remove(key);
        List<WebSocketEnd> open = hibernatable.remove(key);
        return open == null ? List.of() : open;
    }

    /** The auto-response rule of an object, or null. Any thread. */
    WebSocketEnd.AutoResponse autoResponseFor(ObjectKey key) {
        return key == null ? null : autoResponses.get(key);
    }

    private static String kindName(WebSocketEnd.Event event) {
        return switch (event.kind()) {
            case MESSAGE -> "message";
            case CLOSE -> "close";
            case ERROR -> "error";
        };
    }

    private static Object dataToGuest(Object data) {
        return data instanceof byte[] bytes ? RuntimeIntrinsics.bufferFor(bytes) : data;
    }

    /** Runs an object's alarm() handler and reports how it ended to {@code settle}. */
    void dispatchAlarm(Value instance, AlarmEvent alarm, AlarmSettle settle) {
        alarmEventFunction.execute(instance, alarm.retryCount(), (double) alarm.scheduledTime(), (ProxyExecutable) arguments -> {
            switch (arguments[0].asString()) {
                case "error" -> settle.threw(ThrownError.fromSettle(arguments));
                case "missing" -> settle.returned(false);
                default -> settle.returned(true);
            }
            return null;
        });
    }

    /** Delivers a due alarm to an object of this shard, making its instance again if it was evicted. */
    void deliverAlarm(ObjectKey key, String name, AlarmEvent alarm) {
        if (closed || successor != null) {
            alarm.outcome().failed("The script version that scheduled the alarm was replaced or stopped.");
            return;
        }
        actorFor(key, name).deliver(alarm);
    }

    /** Builds the JS instance of an object; called by its actor inside a guest call. */
    Value construct(ObjectActor actor, ObjectKey key, String name) {
        Value cls = context.exports().getMember(key.namespace().className());
        ObjectNamespace.StorageLimits limits = key.namespace().limits();
        return constructFunction.execute(cls, actor, key.id().hex(), name, key.namespace(), env,
                limits.maxValueBytes(), limits.maxKeysPerCall());
    }

    /** Runs a request in the object's fetch() handler, or an RPC call in the method it names. */
    void dispatchObjectFetch(Value instance, FetchEvent event, Settle settle) {
        RequestData request = event.request();
        if (event.isRpcCall()) {
            objectCallFunction.execute(instance, event.rpcMethod(), bodyToGuest(request.body()), settleFunction(settle),
                    event.callbacks());
            return;
        }
        objectFetchFunction.execute(instance, request.method(), request.url(), headersToGuest(request.headers()),
                bodyToGuest(request.body()), settleFunction(settle));
    }

    /** Removes a reset actor; its successor waits until the writes it submitted have settled. */
    void forget(ObjectActor actor) {
        if (actors.get(actor.key()) == actor) {
            actors.remove(actor.key());
            runtime.liveObjectCount().removed(1);
        }
        CompletableFuture<Void> writes = actor.lastCommit();
        if (!writes.isDone()) {
            settlingWrites.put(actor.key(), writes);
            writes.handle((ignored, error) -> null).thenRunAsync(() -> {
                settlingWrites.remove(actor.key(), writes);
                objectGone(actor.key());
            }, loop);
        } else {
            objectGone(actor.key());
        }
    }

    void markDirty(ObjectActor actor) {
        dirty.add(actor);
    }

    private void endTurns() {
        if (!dirty.isEmpty()) {
            for (int i = 0; i < dirty.size(); i++) {
                dirty.get(i).endTurn();
            }
            dirty.clear();
        }
        if (successor != null) {
            resetFinishedObjects();
        }
    }

    // ---- Retirement -----------------------------------------------------------------------------

    /** Whether a new version of the script has taken over from this shard. */
    boolean retiring() {
        return successor != null;
    }

    /** Makes this shard wait, for each object, until {@code previous} has let go of it. */
    void follow(Shard previous) {
        predecessor = previous;
        if (previous != null) {
            // The old version stops its alarms now, and this one schedules the stored alarms once it
            // serves (ScriptRuntime.startAlarms), so each alarm runs once.
            previous.alarms.stop();
            previous.alarmsMovedTo = this;
        }
    }

    /**
     * Schedules an object's alarm, or cancels it when {@code scheduledTime} is null, once the batch
     * that changed it is durable. After a new version started, its shard takes the change instead.
     * Runs on the loop.
     */
    void alarmCommitted(ObjectKey key, String name, Long scheduledTime) {
        if (alarmsMovedTo != null) {
            ObjectKey nextKey = alarmsMovedTo.runtime.sameObject(key);
            if (nextKey != null) {
                alarmsMovedTo.alarmCommitted(nextKey, name, scheduledTime);
            }
            return;
        }
        if (closed) {
            return;
        }
        if (scheduledTime != null) {
            alarms.schedule(key, name, scheduledTime);
        } else {
            alarms.cancel(key);
        }
    }

    /**
     * Starts handing this shard's objects over to {@code next}: hibernatable WebSockets are closed
     * (a new version does not inherit them), every object without in-flight work is reset now and
     * every other one as soon as its work is done, and whatever is left after {@code graceNanos}
     * is reset with its events failed. {@code done} completes once nothing is left and the context
     * is closed. Runs on the loop.
     */
    void retire(Shard next, String reason, long graceNanos, CompletableFuture<Void> done) {
        successor = next;
        retireReason = reason;
        retired = done;

        List<WebSocketEnd> sockets = new ArrayList<>();
        hibernatable.values().forEach(sockets::addAll);
        hibernatable.clear();
        autoResponses.clear();
        for (WebSocketEnd socket : sockets) {
            socket.closeFromGuest(1012, reason);
            socket.abandon();
            runtime.forgetWebSocket(socket);
        }

        retireDeadline = loop.schedule(graceNanos, this::retireNow);
        resetFinishedObjects();
    }

    /** Resets every object of a retiring shard that has no in-flight work left. */
    private void resetFinishedObjects() {
        for (ObjectActor actor : new ArrayList<>(actors.values())) {
            if (!actor.hasInFlightWork()) {
                actor.reset(retireReason);
            }
        }
        finishRetirementIfDone();
    }

    /** The grace period is over: resets what is left, failing its events, and fails pending Worker responses. */
    private void retireNow() {
        if (!actors.isEmpty() || !workers.isEmpty()) {
            log.warn("Script {} on event loop {}: {} and {} still busy after the grace period; resetting them",
                    runtime.name(), loop.name(), Values.formatCount(actors.size(), "object"),
                    Values.formatCount(workers.size(), "Worker request"));
        }
        for (ObjectActor actor : new ArrayList<>(actors.values())) {
            actor.reset(retireReason);
        }
        for (WorkerInvocation invocation : new ArrayList<>(workers)) {
            invocation.fail(EventFailure.reset(retireReason));
        }
        finishRetirementIfDone();
    }

    /**
     * Closes a retiring shard once nothing is left. The close runs as a task of its own, because
     * this may be called from inside guest code, whose context cannot close under it.
     */
    private void finishRetirementIfDone() {
        if (!retirementDone() || closing) {
            return;
        }
        closing = true;
        loop.execute(() -> {
            closing = false;
            if (retirementDone()) {
                retireDeadline.cancel();
                close();
                retired.complete(null);
            }
        });
    }

    private boolean retirementDone() {
        return retired != null && !retired.isDone() && actors.isEmpty() && workers.isEmpty() && settlingWrites.isEmpty();
    }

    /**
     * Returns a future that completes once this shard holds no instance of the object that {@code
     * successorKey} names in the successor and the writes of its last instance have settled.
     */
    private CompletableFuture<Void> releaseOf(ObjectKey successorKey) {
        ObjectKey key = runtime.sameObject(successorKey);
        if (key == null || closed) {
            return CompletableFuture.completedFuture(null);
        }
        if (actors.containsKey(key)) {
            return releases.computeIfAbsent(key, ignored -> new CompletableFuture<>());
        }
        CompletableFuture<Void> writes = settlingWrites.get(key);
        return writes == null ? CompletableFuture.completedFuture(null) : writes.handle((ignored, error) -> null);
    }

    /** Called when an object has no instance left here and its writes have settled. */
    private void objectGone(ObjectKey key) {
        CompletableFuture<Void> release = releases.remove(key);
        if (release != null) {
            release.complete(null);
        }
        if (successor != null) {
            finishRetirementIfDone();
        }
    }

    /** Counts a Worker invocation as in flight until it responds. */
    void workerStarted(WorkerInvocation invocation) {
        workers.add(invocation);
    }

    void workerResponded(WorkerInvocation invocation) {
        if (workers.remove(invocation) && successor != null) {
            finishRetirementIfDone();
        }
    }

    private void scheduleEvictionSweep() {
        evictionSweep = loop.schedule(runtime.limits().evictionSweepNanos(), () -> {
            evictIdleObjects();
            scheduleEvictionSweep();
        });
    }

    /** Evicts every object that has been quiet for the idle timeout. Runs on the loop. */
    int evictIdleObjects() {
        long now = nowNanos();
        penalizedUntil.values().removeIf(until -> until - now <= 0);
        int evicted = 0;
        for (Iterator<ObjectActor> it = actors.values().iterator(); it.hasNext(); ) {
            ObjectActor actor = it.next();
            if (actor.isQuiet() && actor.idleNanos(now) >= runtime.limits().idleTimeoutNanos()) {
                actor.evict();
                it.remove();
                runtime.liveObjectCount().removed(1);
                objectGone(actor.key());
                evicted++;
                log.debug("Evicted idle {} in script {}", actor.key().describe(), runtime.name());
            }
        }
        if (evicted > 0) {
            log.info("Evicted {} of script {} from event loop {}; {} still in memory",
                    Values.formatCount(evicted, "idle object"), runtime.name(), loop.name(),
                    Values.formatCount(actors.size(), "object"));
        }
        return evicted;
    }

    // ---- Worker entry ---------------------------------------------------------------------------

    /** Runs the Worker's default {@code fetch} for one request. */
    void runWorkerFetch(RequestData request, String routeKey, ResponseSink sink) {
        Shard next = runtime.successorShardOf(this);
        if (next != null) {
            next.runWorkerFetch(request, routeKey, sink);
            return;
        }
        if (closed) {
            sink.fail(EventFailure.reset("The script was stopped while the request was queued."));
            return;
        }
        WorkerInvocation invocation = new WorkerInvocation(this, newAccount(), routeKey, sink);
        workerStarted(invocation);
        Settle settle = new Settle() {
            @Override
            public void ok(ResponseData response) {
                invocation.respond(response);
            }

            @Override
            public void stream(ResponseData head, BodyChannel body, boolean producedHere) {
                invocation.respond(head, body, producedHere);
            }

            @Override
            public String producer() {
                return "script " + runtime.name() + ", Worker fetch() for " + routeKey;
            }

            @Override
            public void error(ThrownError error) {
                scriptLog.warn("Uncaught exception in the Worker's fetch(): {}", error.logText());
                invocation.fail(EventFailure.thrownByWorker(error.name(), error.message()));
            }
        };
        invocation.run(() -> workerFetchFunction.execute(defaultExport, env, request.method(), request.url(),
                headersToGuest(request.headers()), bodyToGuest(request.body()), null, settleFunction(settle)));
    }

    // ---- Conversions ----------------------------------------------------------------------------

    private static ProxyArray headersToGuest(List<String> headers) {
        return new HeaderList(headers);
    }

    /**
     * A read-only view of a flat header list for guest code. The runtime keeps it unread until a
     * handler looks at the headers, and hands back the same object otherwise, so headers that pass
     * through a handler are never copied.
     */
    private record HeaderList(List<String> items) implements ProxyArray {
        @Override
        public Object get(long index) {
            return items.get((int) index);
        }

        @Override
        public void set(long index, Value value) {
            throw new UnsupportedOperationException("Header lists from the host are read-only");
        }

        @Override
        public long getSize() {
            return items.size();
        }
    }

    private static Object bodyToGuest(byte[] body) {
        return body == null ? null : RuntimeIntrinsics.bufferFor(body);
    }

    private static List<String> headersFromGuest(Value headers) {
        if (headers.isProxyObject() && headers.asProxyObject() instanceof HeaderList list) {
            return list.items();
        }
        int size = (int) headers.getArraySize();
        List<String> result = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            result.add(headers.getArrayElement(i).asString());
        }
        return result;
    }

    private static byte[] bodyFromGuest(Value body) {
        return body == null || body.isNull() ? null : RuntimeIntrinsics.bytesOf(body);
    }

    private ProxyExecutable settleFunction(Settle settle) {
        return arguments -> {
            String kind = arguments[0].asString();
            if (kind.equals("stream") || kind.equals("forward")) {
                String statusText = arguments[2].isNull() ? "" : arguments[2].asString();
                int manualIndex = kind.equals("forward") ? 5 : 4;
                boolean manualEncoding = arguments.length > manualIndex && arguments[manualIndex].isBoolean()
                        && arguments[manualIndex].asBoolean();
                ResponseData head = new ResponseData(arguments[1].asInt(), statusText, headersFromGuest(arguments[3]), null, null,
                        manualEncoding);
                BodyChannel body;
                if (kind.equals("forward")) {
                    // The body of a stub's response, passed on untouched: its producer stays where it is.
                    body = arguments[4].asHostObject();
                } else {
                    body = new BodyChannel(runtime.limits().maxQueuedResponseBytes(), settle.producer());
                    produced(body);
                }
                settle.stream(head, body, kind.equals("stream"));
                return body;
            }
            if ("ok".equals(kind)) {
                String statusText = arguments[2].isNull() ? "" : arguments[2].asString();
                Value webSocket = arguments.length > 5 ? arguments[5] : null;
                Long webSocketId = webSocket == null || webSocket.isNull() ? null : (long) webSocket.asDouble();
                boolean manualEncoding = arguments.length > 6 && arguments[6].isBoolean() && arguments[6].asBoolean();
                settle.ok(new ResponseData(arguments[1].asInt(), statusText, headersFromGuest(arguments[3]),
                        bodyFromGuest(arguments[4]), webSocketId, manualEncoding));
            } else {
                settle.error(ThrownError.fromSettle(arguments));
            }
            return null;
        };
    }

    // ---- Bridge functions -----------------------------------------------------------------------

    private Map<String, Object> bridge() {
        Map<String, Object> bridge = new HashMap<>();
        bridge.put("idFromName", (ProxyExecutable) a -> namespace(a[0]).identity().idFromName(a[1].asString()).hex());
        bridge.put("idIsValid", (ProxyExecutable) a -> namespace(a[0]).identity().isValid(ObjectId.parse(a[1].asString())));
        bridge.put("newUniqueId", (ProxyExecutable) a -> namespace(a[0]).identity().newUniqueId().hex());
        bridge.put("newStub", (ProxyExecutable) a -> new StubHandle(new ObjectKey(namespace(a[0]), ObjectId.parse(a[1].asString())),
                stringOrNull(a[2])));
        bridge.put("stubReference", (ProxyExecutable) a -> {
            StubHandle stub = a[0].asHostObject();
            return ProxyArray.fromArray(stub.target.namespace().storageNamespaceId(), stub.target.id().hex(), stub.objectName);
        });
        bridge.put("stubFromReference", (ProxyExecutable) a -> stubFromReference(a[0].asInt(), a[1].asString(), stringOrNull(a[2])));
        bridge.put("stubFetch", (ProxyExecutable) a -> {
            StubHandle stub = a[0].asHostObject();
            RequestData request = new RequestData(a[1].asString(), a[2].asString(), headersFromGuest(a[3]), bodyFromGuest(a[4]));
            sendThroughStub(stub, (sink, callbacks) -> new FetchEvent(request, sink, stub), a[5], null);
            return null;
        });
        bridge.put("bodyWrite", (ProxyExecutable) a -> {
            BodyChannel body = a[0].asHostObject();
            return switch (body.offer(RuntimeIntrinsics.bytesOf(a[1]))) {
                case QUEUED -> 0;
                case OVER_CAP -> {
                    scriptLog.warn("Aborted the streamed response of {}: {}", body.label(), body.failure());
                    yield 1;
                }
                case CLOSED -> 2;
            };
        });
        bridge.put("bodyEnd", (ProxyExecutable) a -> {
            ((BodyChannel) a[0].asHostObject()).end();
            return null;
        });
        bridge.put("bodyFail", (ProxyExecutable) a -> {
            BodyChannel body = a[0].asHostObject();
            if (body.state() == BodyChannel.State.OPEN) {
                scriptLog.warn("The response stream of {} failed, so the response was aborted: {}", body.label(), a[1].asString());
            }
            body.fail(a[1].asString());
            return null;
        });
        bridge.put("bodyOnCancel", (ProxyExecutable) a -> {
            BodyChannel body = a[0].asHostObject();
            CallbackOwner owner = (CallbackOwner) context.currentOwner();
            Value cancel = a[1];
            body.onCancel(reason -> loop.execute(() -> owner.completeIo(null, () -> cancel.execute(reason))));
            return null;
        });
        bridge.put("bodyReader", (ProxyExecutable) a -> new StubBodyReader(a[0].asHostObject()));
        bridge.put("bodyRead", (ProxyExecutable) a -> {
            StubBodyReader reader = a[0].asHostObject();
            reader.read((CallbackOwner) context.currentOwner(), a[1]);
            return null;
        });
        bridge.put("bodyCancel", (ProxyExecutable) a -> {
            ((StubBodyReader) a[0].asHostObject()).body.cancel(a[1].asString());
            return null;
        });
        bridge.put("stubCall", (ProxyExecutable) a -> {
            StubHandle stub = a[0].asHostObject();
            String method = a[1].asString();
            byte[] arguments = RuntimeIntrinsics.bytesOf(a[2]);
            Value invoker = a.length > 4 && !a[4].isNull() ? a[4] : null;
            sendThroughStub(stub, (sink, callbacks) -> FetchEvent.rpcCall(method, arguments, sink, stub, callbacks), a[3], invoker);
            return null;
        });
        bridge.put("callbackCall", (ProxyExecutable) a -> {
            CallbackChannel channel = a[0].asHostObject();
            callBack(channel, a[1].asInt(), stringOrNull(a[2]), RuntimeIntrinsics.bytesOf(a[3]), a[4]);
            return null;
        });
        bridge.put(HostFunctions.OUTBOUND_FETCH, (ProxyExecutable) a -> outboundFetch(
                new RequestData(a[0].asString(), a[1].asString(), headersFromGuest(a[2]), bodyFromGuest(a[3])),
                a[4].asString(), a[5].asString().equals("manual"), a[6]));
        bridge.put(HostFunctions.OUTBOUND_WEB_SOCKET, (ProxyExecutable) a -> outboundWebSocket(
                new RequestData("GET", a[0].asString(), headersFromGuest(a[1]), null), stringsFromGuest(a[2]), a[3]));

        bridge.put("storageGet", (ProxyExecutable) a -> toGuestValue(actor(a[0]).storage().get(a[1].asString())));
        bridge.put("storageGetMany", (ProxyExecutable) a -> entriesToGuest(actor(a[0]).storage().get(stringsFromGuest(a[1]))));
        bridge.put("storagePut", (ProxyExecutable) a -> {
            ObjectActor actor = actor(a[0]);
            withinQuota(() -> actor.storage().put(a[1].asString(), RuntimeIntrinsics.bytesOf(a[2])));
            actor.wrote(!a[3].asBoolean());
            return null;
        });
        bridge.put("storagePutPrimitive", (ProxyExecutable) a -> {
            ObjectActor actor = actor(a[0]);
            byte[] encoded = StoredValues.encode(primitiveOf(a[2]));
            if (encoded.length > actor.key().namespace().limits().maxValueBytes()) {
                return -encoded.length;
            }
            withinQuota(() -> actor.storage().put(a[1].asString(), encoded));
            actor.wrote(!a[3].asBoolean());
            return encoded.length;
        });
        bridge.put("storagePutMany", (ProxyExecutable) a -> {
            ObjectActor actor = actor(a[0]);
            Value flat = a[1];
            List<Entry> entries = new ArrayList<>();
            for (long i = 0; i < flat.getArraySize(); i += 2) {
                Value value = flat.getArrayElement(i + 1);
                byte[] encoded = value.hasBufferElements() ? RuntimeIntrinsics.bytesOf(value) : StoredValues.encode(primitiveOf(value));
                if (encoded.length > actor.key().namespace().limits().maxValueBytes()) {
                    return encoded.length;
                }
                entries.add(new Entry(flat.getArrayElement(i).asString(), encoded));
            }
            if (!entries.isEmpty()) {
                withinQuota(() -> actor.storage().put(entries));
                actor.wrote(!a[2].asBoolean());
            }
            return 0;
        });
        bridge.put("storageDelete", (ProxyExecutable) a -> {
            ObjectActor actor = actor(a[0]);
            boolean existed = actor.storage().delete(a[1].asString());
            actor.wrote(!a[2].asBoolean());
            return existed;
        });
        bridge.put("storageDeleteMany", (ProxyExecutable) a -> {
            ObjectActor actor = actor(a[0]);
            int deleted = actor.storage().delete(stringsFromGuest(a[1]));
            actor.wrote(!a[2].asBoolean());
            return deleted;
        });
        bridge.put("storageDeleteAll", (ProxyExecutable) a -> {
            ObjectActor actor = actor(a[0]);
            actor.storage().deleteAll();
            actor.wrote(!a[1].asBoolean());
            return null;
        });
        bridge.put("storageGetAlarm", (ProxyExecutable) a -> {
            Long alarm = actor(a[0]).visibleAlarm();
            return alarm == null ? null : (double) alarm;
        });
        bridge.put("storageSetAlarm", (ProxyExecutable) a -> {
            actor(a[0]).setAlarm((long) a[1].asDouble(), !a[2].asBoolean());
            return null;
        });
        bridge.put("storageDeleteAlarm", (ProxyExecutable) a -> {
            actor(a[0]).setAlarm(null, !a[1].asBoolean());
            return null;
        });
        bridge.put("storageList", (ProxyExecutable) a -> entriesToGuest(actor(a[0]).storage().list(new ListOptions(
                stringOrNull(a[1]), stringOrNull(a[2]), stringOrNull(a[3]), stringOrNull(a[4]), a[5].asBoolean(), a[6].asInt()))));
        bridge.put("storageSync", (ProxyExecutable) a -> {
            ObjectActor actor = actor(a[0]);
            Value callback = a[1];
            Object tag = actor.ioStarted();
            actor.emit(() -> loop.execute(() -> actor.completeIo(tag, () -> callback.execute((Object) null))), () -> {});
            return null;
        });

        bridge.put("wsNewPair", (ProxyExecutable) a -> {
            WebSocketEnd[] ends = runtime.newWebSocketPair();
            return ProxyArray.fromArray((double) ends[0].id(), (double) ends[1].id());
        });
        bridge.put("wsAccept", (ProxyExecutable) a -> {
            WebSocketEnd end = webSocket(a[0]);
            CallbackOwner owner = (CallbackOwner) context.currentOwner();
            if (owner instanceof ObjectActor actor && !hasRoomForWebSocket(actor)) {
                throw context.guestError("Error", rejectWebSocket(end));
            }
            end.bindAccepted(this, owner);
            if (owner instanceof ObjectActor actor) {
                actor.acceptedSocket(end);
            } else if (owner instanceof WorkerInvocation invocation) {
                invocation.acceptedSocket();
            }
            return null;
        });
        bridge.put("wsAcceptHibernatable", (ProxyExecutable) a -> {
            ObjectActor actor = actor(a[0]);
            WebSocketEnd end = webSocket(a[1]);
            if (!hasRoomForWebSocket(actor)) {
                return rejectWebSocket(end);
            }
            end.bindHibernatable(this, actor.key(), actor.name(), stringsFromGuest(a[2]));
            hibernatable.computeIfAbsent(actor.key(), key -> new ArrayList<>()).add(end);
            return null;
        });
        bridge.put("wsSend", (ProxyExecutable) a -> {
            // Text goes through a WebSocketSender, so this takes binary messages only.
            sendFromGuest(webSocket(a[0]), RuntimeIntrinsics.bytesOf(a[1]));
            return null;
        });
        bridge.put("wsSender", (ProxyExecutable) a -> new WebSocketSender(this, webSocket(a[0])));
        bridge.put("wsClose", (ProxyExecutable) a -> {
            WebSocketEnd end = webSocket(a[0]);
            Integer code = a[1].isNull() ? null : a[1].asInt();
            String reason = a[2].asString();
            whenOutputAllowed(() -> end.closeFromGuest(code, reason));
            return null;
        });
        bridge.put("wsSetAttachment", (ProxyExecutable) a -> {
            webSocket(a[0]).attachment(a[1].isNull() ? null : RuntimeIntrinsics.bytesOf(a[1]));
            return null;
        });
        bridge.put("wsGetAttachment", (ProxyExecutable) a -> toGuestValue(webSocket(a[0]).attachment()));
        bridge.put("wsGetWebSockets", (ProxyExecutable) a -> {
            ObjectActor actor = actor(a[0]);
            String tag = stringOrNull(a[1]);
            List<Object> ids = new ArrayList<>();
            for (WebSocketEnd end : hibernatable.getOrDefault(actor.key(), List.of())) {
                if (tag == null || end.tags().contains(tag)) {
                    ids.add((double) end.id());
                }
            }
            return ProxyArray.fromList(ids);
        });
        bridge.put("wsGetTags", (ProxyExecutable) a -> {
            WebSocketEnd end = webSocket(a[0]);
            return end.objectKey() == null ? null : ProxyArray.fromList(new ArrayList<>(end.tags()));
        });
        bridge.put("wsSetAutoResponse", (ProxyExecutable) a -> {
            ObjectActor actor = actor(a[0]);
            if (a[1].isNull()) {
                autoResponses.remove(actor.key());
            } else {
                autoResponses.put(actor.key(), new WebSocketEnd.AutoResponse(a[1].asString(), a[2].asString()));
            }
            return null;
        });
        bridge.put("wsGetAutoResponse", (ProxyExecutable) a -> {
            WebSocketEnd.AutoResponse rule = autoResponses.get(actor(a[0]).key());
            return rule == null ? null : ProxyArray.fromArray(rule.request(), rule.response());
        });
        bridge.put("wsAutoResponseTimestamp", (ProxyExecutable) a -> {
            long millis = webSocket(a[0]).autoResponseMillis();
            return millis < 0 ? null : (Object) (double) millis;
        });

        bridge.put("gateEnter", (ProxyExecutable) a -> {
            actor(a[0]).gateEnter();
            return null;
        });
        bridge.put("gateExit", (ProxyExecutable) a -> {
            actor(a[0]).gateExit(a[1].isNull() ? null : a[1].asString(), a[2].isNull() ? null : a[2].asString());
            return null;
        });
        bridge.put("abortObject", (ProxyExecutable) a -> {
            // Reset at once, before this task ends, so the writes of this turn are never committed.
            ObjectActor actor = actor(a[0]);
            if (a.length > 2 && a[2].isBoolean() && !a[2].asBoolean()) {
                actor.giveUpRunningAlarms();
            }
            actor.reset(a[1].asString());
            return null;
        });
        return bridge;
    }

    /** Returns whether an object has fewer open WebSockets, of both kinds, than its limit. */
    private boolean hasRoomForWebSocket(ObjectActor actor) {
        int open = hibernatable.getOrDefault(actor.key(), List.of()).size() + actor.standardSocketCount();
        return open < runtime.limits().maxWebSocketsPerObject();
    }

    /**
     * Closes both ends of a WebSocket that an object may not accept, so that a client handed the
     * other end gets a close frame (1013, try again later) instead of a silent socket. Returns the
     * error message for the guest, in workerd's wording for its hibernatable limit.
     */
    private String rejectWebSocket(WebSocketEnd end) {
        int limit = runtime.limits().maxWebSocketsPerObject();
        scriptLog.warn("[{}] Rejected a WebSocket: the object already has {} open WebSockets, the limit set by {}",
                context.currentOwner() == null ? "?" : context.currentOwner().describe(), limit,
                HostOptions.MAX_WEBSOCKETS_PER_OBJECT.name());
        end.closeFromGuest(1013, "Too many WebSockets on this Durable Object");
        end.abandon();
        return "only " + limit + " websockets can be accepted on a single Durable Object instance (limit set by "
                + HostOptions.MAX_WEBSOCKETS_PER_OBJECT.name() + ")";
    }

    /** Runs a storage write, turning a quota breach into the JS error the guest's put() throws. */
    private void withinQuota(Runnable write) {
        try {
            write.run();
        } catch (StorageQuotaExceededException e) {
            String message = quotaMessage(e);
            scriptLog.warn("[{}] Rejected a storage write: {}", context.currentOwner() == null ? "?" : context.currentOwner().describe(),
                    message);
            throw context.guestError("Error", message);
        }
    }

    /**
     * Words a quota breach for the guest. It starts with the error Cloudflare reports for a
     * SQLite-backed object at its storage limit, so code that matches on it keeps working.
     */
    private String quotaMessage(StorageQuotaExceededException e) {
        boolean perObject = e.scope() == StorageQuotaExceededException.Scope.OBJECT;
        String whose = perObject ? "this Durable Object" : "all Durable Objects of script " + runtime.name();
        String option = perObject ? HostOptions.STORAGE_QUOTA_PER_OBJECT.name() : HostOptions.STORAGE_QUOTA_PER_SCRIPT.name();
        return "database or disk is full: SQLITE_FULL. This write would raise the data stored by " + whose + " to "
                + e.resultingBytes() + " bytes, over the quota of " + Values.formatBytes(e.limitBytes()) + " (" + option
                + "), so nothing was written. Delete data, or raise " + option + ".";
    }

    private WebSocketEnd webSocket(Value id) {
        WebSocketEnd end = runtime.webSocket((long) id.asDouble());
        if (end == null) {
            throw closedWebSocket();
        }
        return end;
    }

    /** Returns the error for a guest WebSocket that outlived its connection, which the host drops once it closes. */
    private RuntimeException closedWebSocket() {
        return context.guestError("Error", "This WebSocket is closed, so it can no longer be changed.");
    }

    /** Sends a text ({@code String}) or binary ({@code byte[]}) message from guest code once the output gate allows it. */
    void sendFromGuest(WebSocketEnd end, Object payload) {
        if (end.forgotten()) {
            throw closedWebSocket();
        }
        whenOutputAllowed(end.sendTask(payload));
    }

    /** Runs an output now, or, for guest code of an object, once the object's earlier writes are durable. */
    private void whenOutputAllowed(Runnable output) {
        if (context.currentOwner() instanceof ObjectActor actor) {
            actor.emit(output, () -> {});
        } else {
            output.run();
        }
    }

    private static ObjectNamespace namespace(Value handle) {
        return handle.asHostObject();
    }

    private static ObjectActor actor(Value handle) {
        return handle.asHostObject();
    }

    private static String stringOrNull(Value value) {
        return value == null || value.isNull() ? null : value.asString();
    }

    private static List<String> stringsFromGuest(Value array) {
        int size = (int) array.getArraySize();
        List<String> result = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            result.add(array.getArrayElement(i).asString());
        }
        return result;
    }

    private static ProxyArray entriesToGuest(List<Entry> entries) {
        Object[] flat = new Object[entries.size() * 2];
        int i = 0;
        for (Entry entry : entries) {
            flat[i++] = entry.key();
            flat[i++] = toGuestValue(entry.value());
        }
        return ProxyArray.fromArray(flat);
    }

    /** A stored value for guest code: a primitive as it is, anything else as bytes for the JS deserializer. */
    private static Object toGuestValue(byte[] stored) {
        if (stored == null) {
            return null;
        }
        Object primitive = StoredValues.decodePrimitive(stored);
        return primitive != StoredValues.NOT_PRIMITIVE ? primitive : RuntimeIntrinsics.bufferFor(stored);
    }

    private static Object primitiveOf(Value value) {
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return value.isNumber() ? (Object) value.asDouble() : value.asString();
    }

    // ---- Stubs ----------------------------------------------------------------------------------

    /**
     * Sends a request or an RPC call through a stub. The send is queued with the target at once, in
     * call order. If the caller is an object, the send waits until the caller's earlier writes are
     * durable. The outcome comes back to this shard and settles the caller's promise as a task of
     * its own. With an {@code invoker}, the guest's function that runs the callbacks among an RPC
     * call's arguments, the call gets a {@link CallbackChannel}, disposed once the call has an outcome.
     */
    private void sendThroughStub(StubHandle stub, BiFunction<ResponseSink, CallbackChannel, FetchEvent> eventFor, Value settle,
            Value invoker) {
        CallbackOwner caller = (CallbackOwner) context.currentOwner();
        if (!caller.account().countStubCall(MAX_CALLS_PER_EVENT)) {
            throw context.guestError("Error", "Too many API requests by single Worker invocation. One event may make at most "
                    + MAX_CALLS_PER_EVENT + " Durable Object calls; spread the work over several requests.");
        }
        Object tag = caller.ioStarted();
        CallbackChannel callbacks = invoker == null ? null
                : new CallbackChannel(loop, caller, caller instanceof ObjectActor ? tag : null, invoker);
        ResponseSink sink = new ResponseSink() {
            @Override
            public void complete(ResponseData response) {
                disposeCallbacks();
                loop.execute(() -> caller.completeIo(tag, () -> settleStubCall(settle, response, null)));
            }

            @Override
            public void stream(ResponseData head, BodyChannel body) {
                disposeCallbacks();
                loop.execute(() -> {
                    if (caller instanceof ObjectActor actor && actor.gone()) {
                        body.cancel("the calling object was reset before the response arrived");
                    }
                    caller.completeIo(tag, () -> settle.execute("stream", head.status(), head.statusText(),
                            headersToGuest(head.headers()), body, head.manualEncoding()));
                });
            }

            @Override
            public void fail(EventFailure failure) {
                disposeCallbacks();
                loop.execute(() -> caller.completeIo(tag, () -> settleStubCall(settle, null, failure)));
            }

            private void disposeCallbacks() {
                if (callbacks != null) {
                    callbacks.dispose();
                }
            }
        };
        FetchEvent call = eventFor.apply(sink, callbacks);
        Runnable send = () -> runtime.deliver(stub.target, stub.objectName, call);
        if (caller instanceof WorkerInvocation invocation && invocation.firstStubCall()) {
            runtime.learnWorkerAffinity(invocation.routeKey(), stub.target);
        }
        if (caller instanceof ObjectActor actor) {
            actor.emit(send, () -> {});
        } else {
            send.run();
        }
    }

    /**
     * Returns a new stub of the object that a stub passed over RPC names, by the storage namespace
     * of its class, or null when no class of this version has that storage. The sender may run an
     * older version of the script, so the namespace is looked up by storage, as {@link
     * ScriptRuntime#sameObject} does.
     */
    private StubHandle stubFromReference(int storageNamespaceId, String idHex, String objectName) {
        for (ObjectNamespace namespace : runtime.bindings().values()) {
            if (namespace.storageNamespaceId() == storageNamespaceId) {
                return new StubHandle(new ObjectKey(namespace, ObjectId.parse(idHex)), objectName);
            }
        }
        return null;
    }

    /**
     * Calls a function or RpcTarget that the caller of the running RPC call passed, through {@code
     * channel}: the export {@code index}, and its member {@code member} unless that is null. As
     * with a stub call, an object's invocation waits until its earlier writes are durable, and the
     * outcome settles the guest's promise as a task of its own:
     * {@code settle('ok', resultBytes)} or {@code settle('error', name, message, flags)}.
     */
    private void callBack(CallbackChannel channel, int index, String member, byte[] arguments, Value settle) {
        CallbackOwner owner = (CallbackOwner) context.currentOwner();
        Object tag = owner.ioStarted();
        CallbackChannel.Reply reply = new CallbackChannel.Reply() {
            @Override
            public void ok(byte[] result) {
                loop.execute(() -> owner.completeIo(tag, () -> settle.execute("ok", RuntimeIntrinsics.bufferFor(result))));
            }

            @Override
            public void error(String name, String message, Map<String, Object> flags) {
                loop.execute(() -> owner.completeIo(tag, () -> settle.execute("error", name, message,
                        ProxyObject.fromMap(new HashMap<>(flags)))));
            }
        };
        Runnable send = () -> channel.invoke(index, member, arguments, reply);
        if (owner instanceof ObjectActor actor) {
            actor.emit(send, () -> {});
        } else {
            send.run();
        }
    }

    /** Records a body that guest code of this shard produces, until it is finished with it. */
    private void produced(BodyChannel body) {
        openBodies.add(body);
        body.producerDone().thenRunAsync(() -> openBodies.remove(body), loop);
    }

    /**
     * The reading end of a stub response's streamed body, in the caller's context: each read
     * waits for the next chunk, or the end, and hands it to the guest as an I/O completion of the
     * caller. Confined to this shard's loop.
     */
    private final class StubBodyReader {
        private final BodyChannel body;
        private Value pending;
        private CallbackOwner owner;
        private Object tag;

        StubBodyReader(BodyChannel body) {
            this.body = body;
        }

        void read(CallbackOwner reader, Value callback) {
            if (pending != null) {
                throw new IllegalStateException("A read of the body of " + body.label() + " is already waiting");
            }
            owner = reader;
            tag = reader.ioStarted();
            pending = callback;
            if (body.attached()) {
                deliver();
            } else {
                body.attach(() -> loop.execute(this::deliver));
            }
        }

        private void deliver() {
            if (pending == null) {
                return;
            }
            if (owner instanceof ObjectActor actor && actor.gone()) {
                pending = null;
                body.cancel("the reading object was reset");
                return;
            }
            byte[] chunk = body.poll();
            BodyChannel.State state = body.state();
            if (chunk == null && state == BodyChannel.State.OPEN) {
                return;
            }
            Value callback = pending;
            pending = null;
            if (chunk != null) {
                owner.completeIo(tag, () -> callback.execute("chunk", RuntimeIntrinsics.bufferFor(chunk)));
            } else if (state == BodyChannel.State.FAILED) {
                owner.completeIo(tag, () -> callback.execute("error", body.failure()));
            } else {
                owner.completeIo(tag, () -> callback.execute("end"));
            }
        }
    }

    /** Settles a stub call's promise; runs inside a guest call of the caller. */
    private static void settleStubCall(Value settle, ResponseData response, EventFailure failure) {
        if (response != null) {
            Object webSocketId = response.webSocketId() == null ? null : (Object) (double) response.webSocketId();
            settle.execute("ok", response.status(), response.statusText(), headersToGuest(response.headers()),
                    bodyToGuest(response.body()), webSocketId, response.manualEncoding());
        } else {
            settle.execute("error", failure.name(), failure.message(), ProxyObject.fromMap(new HashMap<>(failure.flags())),
                    failure.thrownBy());
        }
    }

    // ---- Outbound fetch -------------------------------------------------------------------------

    /**
     * Sends guest code's {@code fetch()} through the egress client. As with a stub call, an
     * object's request waits until the object's earlier writes are durable, and the outcome
     * settles the promise as a task of the caller's own. Outside any event (top-level module
     * code) the promise is rejected at once, because workerd does not allow I/O in the global scope.
     *
     * <p>Returns the guest's cancel function, for an aborted signal: it stops the request, or
     * keeps it from being sent while it still waits for the object's writes, and {@code settle}
     * is then never called. Returns null when {@code settle} was called at once.
     */
    private ProxyExecutable outboundFetch(RequestData request, String redirect, boolean manualEncoding, Value settle) {
        EgressClient.RedirectMode redirectMode = EgressClient.RedirectMode.of(redirect);
        return outboundCall("fetch()", settle, () -> runtime.egress().fetch(runtime.name(), request, redirectMode, !manualEncoding),
                (fetched, error) -> settleOutboundFetch(settle, fetched, error), fetched -> {});
    }

    /**
     * Opens a WebSocket for guest code's {@code fetch()} with {@code Upgrade: websocket} or {@code
     * new WebSocket()}, through the egress client, with the rules of {@link #outboundFetch}: it
     * counts as a subrequest, and an object's handshake waits for its earlier writes, as in workerd.
     *
     * <p>On a 101 the connection becomes the network side of a new {@code WebSocketPair}, bound
     * as a client connection is (see {@link OutboundSocket}), and {@code settle("open", endId,
     * protocol)} hands the guest the other end. A refusal settles as {@code fetch()} does.
     */
    private ProxyExecutable outboundWebSocket(RequestData request, List<String> protocols, Value settle) {
        CallbackOwner owner = context == null ? null : (CallbackOwner) context.currentOwner();
        String description = "script " + runtime.name() + ", " + (owner instanceof ObjectActor actor
                ? "object " + actor.key().describe() : "worker") + ", to " + request.url();
        OutboundSocket socket = new OutboundSocket(runtime.egress().settings().webSockets(), description, loop);
        return outboundCall("new WebSocket() or fetch()", settle,
                () -> runtime.egress().openWebSocket(runtime.name(), request, protocols, socket),
                (upgraded, error) -> settleOutboundWebSocket(settle, socket, upgraded, error),
                upgraded -> socket.abort("its caller went away before the connection opened"));
    }

    /**
     * The shared path of {@link #outboundFetch} and {@link #outboundWebSocket}: checks that an
     * event is running and under its subrequest limit, starts the call once the object's writes
     * are durable, and runs {@code deliver} as a completion of the caller. {@code drop} gets an
     * outcome that no guest code will see (the guest cancelled, or its object went away).
     */
    private <T> ProxyExecutable outboundCall(String api, Value settle, Supplier<CompletableFuture<T>> start,
            BiConsumer<T, Throwable> deliver, Consumer<T> drop) {
        // The context is still null while top-level module code runs, inside ScriptContext.create.
        if (context == null || !(context.currentOwner() instanceof CallbackOwner caller)) {
            settle.execute("error", "Error", "Disallowed operation called within global scope: " + api + " can only be"
                    + " called while handling an event, such as in a fetch handler or an object's method.");
            return null;
        }
        if (!caller.account().countOutboundFetch(MAX_CALLS_PER_EVENT)) {
            settle.execute("error", "Error", "Too many subrequests. One event may make at most " + MAX_CALLS_PER_EVENT
                    + " fetch() calls; spread the work over several requests.");
            return null;
        }
        Object tag = caller.ioStarted();
        // Completes with the egress client's outcome, or is cancelled by the guest.
        CompletableFuture<T> outcome = new CompletableFuture<>();
        // Set on the loop by the guest's cancel, which may come after the outcome but before its delivery.
        boolean[] cancelled = {false};
        outcome.whenComplete((value, error) -> {
            if (!outcome.isCancelled()) {
                loop.execute(() -> {
                    boolean[] delivered = {false};
                    caller.completeIo(tag, () -> {
                        if (!cancelled[0]) {
                            delivered[0] = true;
                            deliver.accept(value, error);
                        }
                    });
                    boolean nobodyWaits = cancelled[0] || (caller instanceof ObjectActor actor && actor.gone());
                    if (!delivered[0] && value != null && nobodyWaits) {
                        drop.accept(value);
                    }
                });
            }
        });
        Runnable send = () -> {
            if (outcome.isDone()) {
                return;
            }
            CompletableFuture<T> sending = start.get();
            // Runs at once when the guest cancelled in the meantime.
            outcome.whenComplete((value, error) -> {
                if (outcome.isCancelled()) {
                    sending.cancel(true);
                }
            });
            sending.whenComplete((value, error) -> {
                if (error != null) {
                    outcome.completeExceptionally(error);
                } else if (!outcome.complete(value) && value != null) {
                    drop.accept(value);
                }
            });
        };
        if (caller instanceof ObjectActor actor) {
            actor.emit(send, () -> {});
        } else {
            send.run();
        }
        return arguments -> {
            cancelled[0] = true;
            outcome.cancel(false);
            return null;
        };
    }

    /** Settles a WebSocket handshake's promise; runs inside a guest call of the caller. */
    private void settleOutboundWebSocket(Value settle, OutboundSocket socket, EgressClient.Upgraded upgraded, Throwable error) {
        if (upgraded == null || upgraded.webSocket() == null) {
            settleOutboundFetch(settle, upgraded == null ? null : upgraded.refused(), error);
            return;
        }
        // NOTE: an end that guest code never accepts is closed only when the script stops, not
        // when its object is reset or evicted.
        WebSocketEnd[] ends = runtime.newWebSocketPair();
        ClientEvents events = runtime.bindClientSocket(ends[0].id(), socket);
        socket.start(events);
        settle.execute("open", (double) ends[1].id(), upgraded.protocol());
    }

    /** Settles a {@code fetch()} promise; runs inside a guest call of the caller. */
    private void settleOutboundFetch(Value settle, EgressClient.Fetched fetched, Throwable error) {
        if (fetched != null) {
            ResponseData response = fetched.response();
            settle.execute("ok", response.status(), response.statusText(), headersToGuest(response.headers()),
                    bodyToGuest(response.body()), fetched.url(), fetched.redirected());
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof EgressException egress) {
            settle.execute("error", egress.jsErrorName(), egress.getMessage());
        } else {
            log.error("Outbound fetch() of script {} failed inside the host", runtime.name(), cause);
            settle.execute("error", "Error", "fetch() failed because of an internal error in the host; its log has the details.");
        }
    }
}
