package dev.mooring.host.objects;

import dev.mooring.host.storage.ObjectStorage;
import dev.mooring.host.storage.WriteBatch;
import dev.mooring.runtime.fetch.ResponseData;
import dev.mooring.host.config.HostOptions;
import dev.mooring.sandbox.AllocationLimitExceededException;
import dev.mooring.sandbox.ContextClosedException;
import dev.mooring.sandbox.CpuLimitExceededException;
import dev.mooring.sandbox.EventAccount;
import dev.mooring.sandbox.EventLoop;
import dev.mooring.sandbox.GuestCodeStoppedException;
import dev.mooring.sandbox.GuestException;
import dev.mooring.sandbox.ResourceExhaustedException;
import dev.mooring.sandbox.ScriptContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live instance of a Durable Object: its JS instance, its mailbox, its storage and its gates.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li><b>One instance per ID.</b> Its {@link Shard} keeps at most one actor per object, and a new
 *       actor for an ID starts only after the previous one's submitted writes have settled.
 *   <li><b>Ordered, non-overlapping events.</b> Events start in arrival order, one task at a time
 *       on the shard's loop; they may interleave only where a handler awaits something other than
 *       storage, as in workerd.
 *   <li><b>Input gate.</b> Storage reads are synchronous, so an await on storage lets nothing in.
 *       Inside {@code blockConcurrencyWhile} no new event starts and no timer set outside it fires.
 *   <li><b>Output gate.</b> All writes of one task form one batch, committed by the store's writer
 *       at the end of the task. A response, or a call to another object, made after a confirmed
 *       write is held until that write is durable; held outputs leave in the order they were made.
 *       If a commit fails, held outputs are discarded and the object is reset.
 * </ul>
 *
 * <h2>Lifecycle</h2>
 *
 * {@link State#WAITING} (the previous instance's writes are still settling) → {@link State#IDLE}
 * (no JS instance yet; the constructor runs on the first event) → {@link State#ACTIVE} → either
 * {@link State#RESET} (broken: in-flight events fail, the instance is dropped) or {@link
 * State#EVICTED} (idle long enough; nothing pending). A constructor that throws returns the actor
 * to IDLE and fails only the event that triggered it. RESET and EVICTED are final: the shard makes
 * a new actor for the next event.
 *
 * <h2>Threads</h2>
 *
 * Everything here runs on the shard's event loop and is unsynchronized, except {@link #isReset},
 * which is written there and only read elsewhere for logging and tests.
 */
final class ObjectActor implements CallbackOwner {

    private static final Logger log = LoggerFactory.getLogger(ObjectActor.class);

    /**
     * Reason given when objects are reset because the heap ran out while their context ran guest
     * code. The first sentence is Cloudflare's wording for an isolate over its memory limit.
     */
    static final String MEMORY_RESET_MESSAGE = "Durable Object's isolate exceeded its memory limit and was reset."
            + " The host ran out of heap while this script ran, so every object of the script on the same event loop"
            + " was reset.";

    /** Maximum time a {@code blockConcurrencyWhile()} critical section may keep the input gate closed, as in workerd. */
    static final Duration CRITICAL_SECTION_TIMEOUT = Duration.ofSeconds(30);

    /** workerd's error text for a critical section that ran past {@link #CRITICAL_SECTION_TIMEOUT}. */
    static final String CRITICAL_SECTION_TIMED_OUT = "A call to blockConcurrencyWhile() in a Durable Object waited for too long."
            + " The call was canceled and the Durable Object was reset.";

    /** Lifecycle states; see the class comment for the transitions. */
    enum State {
        WAITING,
        IDLE,
        ACTIVE,
        RESET,
        EVICTED
    }

    /** An output waiting for the writes that precede it to become durable. */
    private record HeldOutput(long barrier, Runnable release, Runnable discard) {}

    private final Shard shard;
    private final ObjectKey key;
    private final String name;
    private final ObjectStorage storage;
    private final EventAccount account;
    private final ArrayDeque<ActorEvent> mailbox = new ArrayDeque<>();
    private final Set<ActorEvent> running = new HashSet<>();
    /** WebSockets this instance accepted with accept(); they keep it in memory while open. */
    private final List<WebSocketEnd> standardSockets = new ArrayList<>();
    private final ArrayDeque<HeldOutput> held = new ArrayDeque<>();
    private final List<Runnable> deferredCompletions = new ArrayList<>();
    /**
     * Bodies of responses this instance returned that are still streaming. They keep it in memory,
     * as an in-flight request does, but do not hold up a version change: a reset ends them.
     */
    private final Set<BodyChannel> openBodies = new HashSet<>();
    /**
     * Callbacks of this instance that another object called over RPC and that have not replied. A
     * reset or an eviction fails them. They do not keep the instance in memory, because a callback
     * whose promise never settles would then keep it forever.
     */
    private final RunningCallbacks runningCallbacks = new RunningCallbacks();

    private State lifecycle;
    private volatile boolean resetFlag;
    /** The failure that the events of a reset instance get; null until it is reset. */
    private EventFailure resetFailure;
    private Value instance;
    private Value state;
    private int gateDepth;
    /** Resets the object when the outermost critical section outlasts {@link #CRITICAL_SECTION_TIMEOUT}; null outside one. */
    private EventLoop.Timer criticalSectionTimer;
    private int activeTimers;
    private long lastActiveNanos;

    // Output gate bookkeeping: sequence numbers of this object's batches.
    private long submittedSeq;
    private long durableSeq;
    private long lastConfirmedSeq;
    private boolean turnHasConfirmedWrites;
    private boolean registeredDirty;
    private CompletableFuture<Void> lastCommit = CompletableFuture.completedFuture(null);

    // While an alarm runs, getAlarm() returns null for it, unless the object changed the alarm since.
    private Long runningAlarm;
    private boolean alarmChangedDuringRun;

    /** @param account the account every event of this instance is charged to, reset as each event starts */
    ObjectActor(Shard shard, ObjectKey key, String name, ObjectStorage storage, EventAccount account,
            CompletableFuture<Void> previousWrites) {
        this.shard = shard;
        this.key = key;
        this.name = name;
        this.storage = storage;
        this.account = account;
        this.lastActiveNanos = shard.nowNanos();
        if (previousWrites.isDone()) {
            this.lifecycle = State.IDLE;
        } else {
            this.lifecycle = State.WAITING;
            previousWrites.handle((ignored, error) -> null).thenRunAsync(this::previousWritesSettled, shard.loop());
        }
    }

    ObjectKey key() {
        return key;
    }

    /** The name of the object's ID, or null for IDs not made from a name. */
    String name() {
        return name;
    }

    State state() {
        return lifecycle;
    }

    boolean isReset() {
        return resetFlag;
    }

    EventFailure resetFailure() {
        return resetFailure;
    }

    ObjectStorage storage() {
        return storage;
    }

    /** The future of the last batch submitted, which completes (normally or not) once it settles. */
    CompletableFuture<Void> lastCommit() {
        return lastCommit;
    }

    // ---- Events ---------------------------------------------------------------------------------

    /** Queues an event and starts whatever the gates allow. */
    void deliver(ActorEvent event) {
        lastActiveNanos = shard.nowNanos();
        mailbox.add(event);
        pump();
    }

    /** Starts queued events while the object is constructed and its input gate is open. */
    void pump() {
        while (!mailbox.isEmpty()) {
            if (lifecycle == State.WAITING || lifecycle == State.RESET || lifecycle == State.EVICTED) {
                return;
            }
            if (lifecycle == State.IDLE && !construct()) {
                continue;
            }
            if (gateDepth > 0 || lifecycle != State.ACTIVE) {
                return;
            }
            start(mailbox.poll());
        }
    }

    private void previousWritesSettled() {
        if (lifecycle == State.WAITING) {
            lifecycle = State.IDLE;
            pump();
        }
    }

    /** Runs the constructor; on failure fails the event at the head of the mailbox and returns false. */
    private boolean construct() {
        account.reset();
        try {
            Value constructed = shard.context().call(this, () -> shard.construct(this, key, name));
            instance = constructed.getArrayElement(0);
            state = constructed.getArrayElement(1);
            if (lifecycle == State.IDLE) {
                lifecycle = State.ACTIVE;
                log.debug("Constructed {} in script {}", key.describe(), shard.scriptName());
            }
            return lifecycle == State.ACTIVE;
        } catch (GuestException e) {
            instance = null;
            ActorEvent head = mailbox.poll();
            markHandled(head);
            shard.scriptLog().warn("[{}] The constructor threw; failing the event that needed it: {}", key.describe(), e.jsStack());
            if (head instanceof FetchEvent fetch) {
                fetch.sink().fail(EventFailure.thrownByObject(e.errorName(), e.errorMessage(), key.describe()));
            } else if (head instanceof AlarmEvent alarm) {
                alarm.outcome().failed("the constructor threw: " + e.errorName() + ": " + e.errorMessage());
            }
            return false;
        } catch (CpuLimitExceededException | AllocationLimitExceededException | ResourceExhaustedException
                | ContextClosedException | GuestCodeStoppedException e) {
            stoppedAtLimit(e);
            return false;
        }
    }

    private void start(ActorEvent event) {
        markHandled(event);
        running.add(event);
        account.reset();
        lastActiveNanos = shard.nowNanos();
        try {
            shard.context().call(this, () -> {
                switch (event) {
                    case FetchEvent fetch -> shard.dispatchObjectFetch(instance, fetch, settleCallback(fetch));
                    case SocketEvent socket -> shard.dispatchWebSocketEvent(instance, state, socket, () -> finish(socket));
                    case AlarmEvent alarm -> {
                        runningAlarm = alarm.scheduledTime();
                        alarmChangedDuringRun = false;
                        shard.dispatchAlarm(instance, alarm, new Shard.AlarmSettle() {
                            @Override
                            public void returned(boolean handled) {
                                alarmReturned(alarm, handled);
                            }

                            @Override
                            public void threw(ThrownError error) {
                                alarmThrew(alarm, error);
                            }
                        });
                    }
                }
                return null;
            });
        } catch (CpuLimitExceededException | AllocationLimitExceededException | ResourceExhaustedException
                | ContextClosedException | GuestCodeStoppedException e) {
            stoppedAtLimit(e);
        } catch (RuntimeException e) {
            String incident = UUID.randomUUID().toString();
            log.error("Delivering an event to {} in script {} failed; incident {}", key.describe(), shard.scriptName(), incident, e);
            finish(event);
            switch (event) {
                case FetchEvent fetch -> fetch.sink().fail(EventFailure.internal(incident));
                case AlarmEvent alarm -> alarmFailed(alarm, "internal error " + incident);
                case SocketEvent socket -> { }
            }
        }
    }

    /**
     * Ends an alarm run whose handler returned. As in workerd, this deletes the alarm, unless the
     * handler set or deleted it itself. The deletion commits with the handler's own writes.
     */
    private void alarmReturned(AlarmEvent alarm, boolean handled) {
        if (!finish(alarm)) {
            return;
        }
        boolean changed = alarmChangedDuringRun;
        runningAlarm = null;
        if (!changed && Objects.equals(storage.getAlarm(), alarm.scheduledTime())) {
            storage.setAlarm(null, name);
            wrote(false);
        }
        alarm.outcome().succeeded(handled);
    }

    /** Ends an alarm run whose handler threw, so that the alarm runs again. */
    private void alarmThrew(AlarmEvent alarm, ThrownError error) {
        if (!finish(alarm)) {
            return;
        }
        runningAlarm = null;
        shard.scriptLog().warn("[{}] Uncaught exception in alarm(): {}", key.describe(), error.logText());
        alarmFailed(alarm, "alarm() threw: " + error.firstLine());
    }

    /**
     * Gives up the alarm that is running, for {@code ctx.abort(reason, { retryAlarm: false })}:
     * the reset that follows does not run it again.
     */
    void giveUpRunningAlarms() {
        for (ActorEvent event : List.copyOf(running)) {
            if (event instanceof AlarmEvent alarm && running.remove(alarm)) {
                runningAlarm = null;
                alarm.outcome().abandoned("ctx.abort() was called with retryAlarm: false");
            }
        }
    }

    private void alarmFailed(AlarmEvent alarm, String reason) {
        if (runningAlarm != null && runningAlarm == alarm.scheduledTime()) {
            runningAlarm = null;
        }
        alarm.outcome().failed(reason);
    }

    /** Returns the alarm that getAlarm() reports: none while the alarm that is running is the one set. */
    Long visibleAlarm() {
        Long stored = storage.getAlarm();
        if (runningAlarm != null && !alarmChangedDuringRun && Objects.equals(stored, runningAlarm)) {
            return null;
        }
        return stored;
    }

    /** Sets the object's alarm, or deletes it when {@code scheduledTime} is null, in the current turn. */
    void setAlarm(Long scheduledTime, boolean confirmed) {
        storage.setAlarm(scheduledTime, name);
        alarmChangedDuringRun = true;
        wrote(confirmed);
    }

    /**
     * Stops counting an event as waiting: a WebSocket message's connection may read again, and a
     * request no longer counts against its object's queue.
     */
    private static void markHandled(ActorEvent event) {
        switch (event) {
            case SocketEvent socket -> socket.event().markHandled();
            case FetchEvent fetch -> fetch.started().run();
            case AlarmEvent alarm -> { }
        }
    }

    /**
     * Resets the object after its guest code was stopped or its context lost. An object stopped
     * at its CPU or allocation limit also runs its next events at idle priority for a while (see
     * {@link Shard#penalize}), so that a client that keeps calling a runaway cannot win back a
     * normal priority with each new event.
     */
    private void stoppedAtLimit(RuntimeException e) {
        if (e instanceof CpuLimitExceededException || e instanceof AllocationLimitExceededException) {
            shard.penalize(key);
        }
        reset(limitMessage(e));
    }

    /** Returns the reason, shown to the caller, for a reset after guest code was stopped or its context lost. */
    private static String limitMessage(RuntimeException e) {
        return switch (e) {
            case CpuLimitExceededException cpu -> "Durable Object exceeded its CPU time limit of " + cpu.limitNanos() / 1_000_000
                    + " ms (" + HostOptions.CPU_LIMIT.name() + ") and was reset.";
            case AllocationLimitExceededException allocation -> "Durable Object exceeded its allocation limit of "
                    + AllocationLimitExceededException.mebibytes(allocation.limitBytes()) + " for one event ("
                    + HostOptions.ALLOCATION_LIMIT.name() + ") and was reset; the event had allocated "
                    + AllocationLimitExceededException.mebibytes(allocation.allocatedBytes()) + ".";
            case ResourceExhaustedException exhausted -> MEMORY_RESET_MESSAGE;
            case GuestCodeStoppedException stopped -> stopped.reason();
            default -> "The object's context was closed.";
        };
    }

    private Shard.Settle settleCallback(FetchEvent event) {
        return new Shard.Settle() {
            @Override
            public void ok(ResponseData response) {
                if (finish(event)) {
                    emit(() -> event.sink().complete(response),
                            () -> event.sink().fail(resetFailure));
                }
            }

            @Override
            public void stream(ResponseData head, BodyChannel body, boolean producedHere) {
                if (!finish(event)) {
                    body.cancel("the request had already failed");
                    return;
                }
                openBodies.add(body);
                body.producerDone().thenRunAsync(() -> {
                    openBodies.remove(body);
                    lastActiveNanos = shard.nowNanos();
                }, shard.loop());
                // NOTE: the output gate holds only the status and headers. Chunks written after a
                // later storage write go out without waiting for that write to be durable.
                emit(() -> event.sink().stream(head, body), () -> {
                    body.fail("the object was reset before its response left");
                    event.sink().fail(resetFailure);
                });
            }

            @Override
            public String producer() {
                return "script " + shard.scriptName() + ", " + key.describe();
            }

            @Override
            public void error(ThrownError error) {
                if (finish(event)) {
                    if (event.isRpcCall()) {
                        // The caller receives the error as the call's result, which it may well expect.
                        shard.scriptLog().info("[{}] The RPC method {}() threw; the caller receives the error: {}", key.describe(),
                                event.rpcMethod(), error.logText());
                    } else {
                        shard.scriptLog().warn("[{}] Uncaught exception in fetch(): {}", key.describe(), error.logText());
                    }
                    // An error passed on from another object keeps naming that object, whose line has the stack.
                    String thrownBy = error.thrownBy() != null ? error.thrownBy() : key.describe();
                    EventFailure failure = error.domException()
                            ? EventFailure.domExceptionThrownByObject(error.name(), error.message(), thrownBy)
                            : EventFailure.thrownByObject(error.name(), error.message(), thrownBy);
                    emit(() -> event.sink().fail(failure), () -> event.sink().fail(resetFailure));
                }
            }
        };
    }

    /** Marks an event finished; false when it already was (for example failed by a reset). */
    boolean finish(ActorEvent event) {
        lastActiveNanos = shard.nowNanos();
        return running.remove(event);
    }

    // ---- Output gate ----------------------------------------------------------------------------

    /**
     * Releases an output once every confirmed write made before it is durable. {@code discard}
     * runs instead if the object is reset first.
     */
    void emit(Runnable release, Runnable discard) {
        if (lifecycle == State.RESET) {
            discard.run();
            return;
        }
        long barrier = turnHasConfirmedWrites ? submittedSeq + 1 : lastConfirmedSeq;
        if (held.isEmpty() && barrier <= durableSeq) {
            release.run();
        } else {
            held.add(new HeldOutput(barrier, release, discard));
        }
    }

    /** Records that the current task wrote to storage; its batch is submitted when the task ends. */
    void wrote(boolean confirmed) {
        if (confirmed) {
            turnHasConfirmedWrites = true;
        }
        if (!registeredDirty) {
            registeredDirty = true;
            shard.markDirty(this);
        }
    }

    /** Ends the current task's turn: submits its writes as one batch. Called by the shard after every task. */
    void endTurn() {
        registeredDirty = false;
        if (lifecycle == State.RESET || !storage.hasPendingWrites()) {
            turnHasConfirmedWrites = false;
            return;
        }
        long sequence = ++submittedSeq;
        if (turnHasConfirmedWrites) {
            lastConfirmedSeq = sequence;
        }
        turnHasConfirmedWrites = false;
        WriteBatch.SetAlarm alarmChange = storage.turnAlarmChange();
        CompletableFuture<Void> commit = storage.commitPending(shard.loop());
        lastCommit = commit;
        commit.whenComplete((ignored, error) -> {
            batchSettled(sequence, error);
            if (error == null && alarmChange != null) {
                shard.alarmCommitted(key, name, alarmChange.scheduledTime());
            }
        });
    }

    private void batchSettled(long sequence, Throwable error) {
        if (error != null) {
            String incident = UUID.randomUUID().toString();
            log.error("Committing the writes of {} in script {} failed; resetting it; incident {}",
                    key.describe(), shard.scriptName(), incident, error);
            reset("Durable Object storage failed to commit a write and the object was reset; reference = " + incident);
            return;
        }
        durableSeq = Math.max(durableSeq, sequence);
        while (!held.isEmpty() && held.peek().barrier() <= durableSeq) {
            held.poll().release().run();
        }
    }

    // ---- Input gate -----------------------------------------------------------------------------

    /** Enters a critical section; the outermost one starts the {@link #CRITICAL_SECTION_TIMEOUT} clock. */
    void gateEnter() {
        if (gateDepth++ == 0) {
            criticalSectionTimer = shard.loop().schedule(CRITICAL_SECTION_TIMEOUT.toNanos(), () -> {
                if (gateDepth > 0) {
                    reset(CRITICAL_SECTION_TIMED_OUT);
                }
            });
        }
    }

    /**
     * Leaves a critical section. A failed one resets the object, and, as in workerd, its events
     * fail with the callback's error, marked as a reset.
     *
     * @param errorName the callback's error name, or null when it succeeded
     */
    void gateExit(String errorName, String errorMessage) {
        gateDepth = Math.max(0, gateDepth - 1);
        if (gateDepth == 0) {
            cancelCriticalSectionTimer();
        }
        if (errorName != null) {
            reset(EventFailure.resetBy(errorName, errorMessage),
                    "a blockConcurrencyWhile() callback failed: " + errorName + ": " + errorMessage);
            return;
        }
        if (gateDepth == 0) {
            // Called from inside guest code: start the held work as a task of its own.
            shard.loop().execute(this::openGate);
        }
    }

    private void cancelCriticalSectionTimer() {
        if (criticalSectionTimer != null) {
            criticalSectionTimer.cancel();
            criticalSectionTimer = null;
        }
    }

    private void openGate() {
        if (gateDepth > 0 || lifecycle == State.RESET || lifecycle == State.EVICTED) {
            return;
        }
        List<Runnable> completions = new ArrayList<>(deferredCompletions);
        deferredCompletions.clear();
        completions.forEach(Runnable::run);
        pump();
    }

    // ---- GuestTaskOwner -------------------------------------------------------------------------

    @Override
    public EventAccount account() {
        return account;
    }

    @Override
    public String describe() {
        return key.describe();
    }

    @Override
    public Object timerScheduled() {
        activeTimers++;
        return ioStarted();
    }

    @Override
    public void timerEnded() {
        activeTimers--;
    }

    @Override
    public void runTimer(ScriptContext context, Object tag, Runnable fire) {
        completeIo(tag, fire);
    }

    /** The tag says whether the I/O started inside a critical section, where it may complete. */
    @Override
    public Object ioStarted() {
        return gateDepth > 0;
    }

    @Override
    public void completeIo(Object startedInsideCriticalSection, Runnable guestCode) {
        if (lifecycle != State.ACTIVE) {
            return;
        }
        boolean heldByGate = gateDepth > 0 && !Boolean.TRUE.equals(startedInsideCriticalSection);
        // Once the gate opens, completions held before run in openGate, a task of its own. One
        // that arrives in between waits behind them, so that they run in arrival order.
        boolean heldCompletionsFirst = gateDepth == 0 && !deferredCompletions.isEmpty();
        if (heldByGate || heldCompletionsFirst) {
            deferredCompletions.add(() -> completeIo(false, guestCode));
            return;
        }
        lastActiveNanos = shard.nowNanos();
        try {
            shard.context().call(this, () -> {
                guestCode.run();
                return null;
            });
        } catch (GuestException e) {
            shard.scriptLog().warn("[{}] Uncaught exception in a callback: {}", key.describe(), e.jsStack());
        } catch (CpuLimitExceededException | AllocationLimitExceededException | ResourceExhaustedException
                | ContextClosedException | GuestCodeStoppedException e) {
            stoppedAtLimit(e);
        }
    }

    // ---- Reset and eviction ---------------------------------------------------------------------

    /**
     * Breaks this instance: drops the JS instance and its uncommitted writes, discards held
     * outputs, fails every running and queued event with {@code reason}, and cancels its timers.
     * The shard makes a new instance for the next event, once this one's submitted writes settle.
     */
    void reset(String reason) {
        reset(EventFailure.reset(reason), reason);
    }

    /** Resets like {@link #reset(String)}, but fails the events with {@code failure}, and logs {@code reason}. */
    private void reset(EventFailure failure, String reason) {
        if (lifecycle == State.RESET || lifecycle == State.EVICTED) {
            return;
        }
        lifecycle = State.RESET;
        resetFlag = true;
        resetFailure = failure;
        instance = null;
        if (shard.retiring()) {
            // Expected after a deploy; the registry logs the version change.
            log.info("Reset {} in script {}: {}", key.describe(), shard.scriptName(), reason);
        } else {
            log.warn("Reset {} in script {}: {}", key.describe(), shard.scriptName(), reason);
        }

        shard.context().cancelTimersOf(this);
        cancelCriticalSectionTimer();
        deferredCompletions.clear();
        List<HeldOutput> outputs = new ArrayList<>(held);
        held.clear();
        outputs.forEach(output -> output.discard().run());
        List<ActorEvent> failed = new ArrayList<>(running);
        failed.addAll(mailbox);
        running.clear();
        mailbox.clear();
        runningAlarm = null;
        for (ActorEvent event : failed) {
            markHandled(event);
            if (event instanceof FetchEvent fetch) {
                fetch.sink().fail(failure);
            } else if (event instanceof AlarmEvent alarm) {
                alarm.outcome().failed("the object was reset: " + reason);
            }
        }
        // A reset disconnects the object's WebSockets, hibernatable ones included, as in workerd.
        List<WebSocketEnd> sockets = new ArrayList<>(standardSockets);
        standardSockets.clear();
        sockets.addAll(shard.removeHibernatableSockets(key));
        for (WebSocketEnd socket : sockets) {
            socket.closeFromGuest(1011, "Durable Object reset");
            socket.abandon();
        }
        endOpenBodies("the object was reset: " + reason);
        runningCallbacks.failAll(failure);
        shard.forget(this);
    }

    /**
     * Whether nothing is running, queued, held, scheduled or being committed, and no WebSocket
     * accepted with accept() or streamed response body is open. Hibernatable WebSockets do not count:
     * they outlive eviction.
     */
    boolean isQuiet() {
        return running.isEmpty() && mailbox.isEmpty() && held.isEmpty() && activeTimers == 0 && gateDepth == 0
                && standardSockets.isEmpty() && openBodies.isEmpty() && !storage.hasPendingWrites() && lastCommit.isDone();
    }

    /**
     * Whether an event is running or queued, an output is held for a commit, or a critical
     * section is open: work that a version change lets finish before it resets the object.
     */
    boolean hasInFlightWork() {
        return !running.isEmpty() || !mailbox.isEmpty() || !held.isEmpty() || gateDepth > 0;
    }

    /** Returns whether this instance was reset or evicted, after which its I/O completions no longer run. */
    boolean gone() {
        return lifecycle == State.RESET || lifecycle == State.EVICTED;
    }

    /** Records a WebSocket this instance accepted with accept(). */
    void acceptedSocket(WebSocketEnd end) {
        standardSockets.add(end);
    }

    /** Returns how many WebSockets this instance accepted with accept() and still has open. */
    int standardSocketCount() {
        return standardSockets.size();
    }

    /** Forgets a WebSocket accepted with accept() once it closed. */
    void closedSocket(WebSocketEnd end) {
        standardSockets.remove(end);
    }

    long idleNanos(long now) {
        return now - lastActiveNanos;
    }

    /** Drops the JS instance of a quiet object; the next event constructs a new one from storage. */
    void evict() {
        lifecycle = State.EVICTED;
        instance = null;
        // A quiet object has none; this covers an eviction that does not ask whether it is quiet.
        endOpenBodies("the object was evicted");
        runningCallbacks.failAll(EventFailure.reset("The object was evicted."));
    }

    @Override
    public void callbackStarted(Consumer<EventFailure> fail) {
        runningCallbacks.started(fail);
    }

    @Override
    public void callbackReplied(Consumer<EventFailure> fail) {
        runningCallbacks.replied(fail);
    }

    /** Ends the streamed responses this instance still writes: their clients see the connection close. */
    private void endOpenBodies(String reason) {
        for (BodyChannel body : List.copyOf(openBodies)) {
            log.info("Ended the open response stream of script {}, {}: {}", shard.scriptName(), key.describe(), reason);
            body.fail(reason);
        }
        openBodies.clear();
    }
}
