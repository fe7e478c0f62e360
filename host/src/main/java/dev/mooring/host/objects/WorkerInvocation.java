package dev.mooring.host.objects;

import dev.mooring.host.config.HostOptions;
import dev.mooring.runtime.fetch.ResponseData;
import dev.mooring.sandbox.AllocationLimitExceededException;
import dev.mooring.sandbox.ContextClosedException;
import dev.mooring.sandbox.CpuLimitExceededException;
import dev.mooring.sandbox.EventAccount;
import dev.mooring.sandbox.GuestCodeStoppedException;
import dev.mooring.sandbox.GuestException;
import dev.mooring.sandbox.ResourceExhaustedException;
import dev.mooring.sandbox.ScriptContext;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request handled by the Worker's default export: the owner of its guest code, its CPU and
 * allocation budget and its single response. Later callbacks of the invocation (timers, stub
 * responses) are charged to the same budget, and run in the context the invocation started in.
 * Timers it still has {@link #TIMERS_AFTER_RESPONSE} after it responded are cancelled. An
 * invocation that has not responded, and waits for no timer, fetch or stub call once its guest code
 * returns, can never respond, so it fails with workerd's error for that case. Confined to its
 * shard's loop.
 */
final class WorkerInvocation implements CallbackOwner {

    private static final Logger log = LoggerFactory.getLogger(WorkerInvocation.class);

    /**
     * How long timers of an invocation may keep running after its response. workerd cancels
     * whatever an invocation still runs once it has ended, except promises passed to waitUntil(),
     * which get 30 seconds. The runtime does not tell the host about waitUntil(), so every timer
     * gets those 30 seconds.
     */
    static final Duration TIMERS_AFTER_RESPONSE = Duration.ofSeconds(30);

    /** workerd's error for a request whose handler's promise can no longer settle (its wording since May 2025). */
    static final String NEVER_RESPONDS = "The Workers runtime canceled this request because it detected that your Worker's"
            + " code had hung and would never generate a response. Refer to:"
            + " https://developers.cloudflare.com/workers/observability/errors/";

    /** The tag of I/O this invocation started; WebSocket events come back with other tags and do not count. */
    private static final Object OWN_IO = new Object();

    private final Shard shard;
    private final ScriptContext context;
    private final EventAccount account;
    private final ResponseSink sink;
    private final String routeKey;
    private boolean responded;
    private boolean calledStub;
    private int pendingTimers;
    private int pendingIo;
    /** Whether it accepted a WebSocket. Its events may still settle the promise, so such an invocation is never treated as hung. */
    private boolean acceptedSocket;
    /** Invocations of this invocation's callbacks over RPC that have not replied. */
    private final RunningCallbacks runningCallbacks = new RunningCallbacks();
    /** The streamed body this invocation's own guest code writes, if it responded with one. */
    private BodyChannel streamedBody;

    /** @param routeKey the request's path, which the runtime uses to place later invocations */
    WorkerInvocation(Shard shard, EventAccount account, String routeKey, ResponseSink sink) {
        this.shard = shard;
        this.context = shard.context();
        this.account = account;
        this.routeKey = routeKey;
        this.sink = sink;
    }

    String routeKey() {
        return routeKey;
    }

    /** Returns true the first time it is called: when the invocation makes its first stub call. */
    boolean firstStubCall() {
        boolean first = !calledStub;
        calledStub = true;
        return first;
    }

    /** Sends the response, unless one was already sent. */
    void respond(ResponseData response) {
        if (!responded) {
            responded = true;
            shard.workerResponded(this);
            sink.complete(response);
            limitTimers();
        }
    }

    /** Sends a response whose body is streamed through {@code body}, unless one was already sent. */
    void respond(ResponseData head, BodyChannel body, boolean producedHere) {
        if (!responded) {
            responded = true;
            streamedBody = producedHere ? body : null;
            shard.workerResponded(this);
            sink.stream(head, body);
            // NOTE: timers still pending stop TIMERS_AFTER_RESPONSE after the response, so a Worker
            // that writes its stream from its own timers stops writing then. An object's stream goes on.
            limitTimers();
        } else {
            body.cancel("a response was already sent");
        }
    }

    /** Sends a failure, unless a response was already sent. */
    void fail(EventFailure failure) {
        if (!responded) {
            responded = true;
            shard.workerResponded(this);
            sink.fail(failure);
            limitTimers();
        }
    }

    /**
     * Fails the invocation after its guest code was stopped, and with it the invocations of its
     * callbacks that have not replied, as the guest can no longer reply to them.
     */
    private void stopped(EventFailure failure) {
        fail(failure);
        runningCallbacks.failAll(failure);
    }

    private void limitTimers() {
        shard.loop().schedule(TIMERS_AFTER_RESPONSE.toNanos(), () -> context.cancelTimersOf(this));
    }

    /** Runs guest code for this invocation, turning limit breaches and faults into the response. */
    void run(Runnable guestCode) {
        try {
            context.call(this, () -> {
                guestCode.run();
                return null;
            });
        } catch (GuestException e) {
            shard.scriptLog().warn("Uncaught exception in a Worker callback: {}", e.jsStack());
        } catch (CpuLimitExceededException e) {
            shard.scriptLog().warn("The Worker's fetch() exceeded its CPU time limit of {} ms ({}) and was stopped",
                    e.limitNanos() / 1_000_000, HostOptions.CPU_LIMIT.name());
            stopped(new EventFailure(EventFailure.Kind.GUEST, "Error", "Worker exceeded its CPU time limit of "
                    + e.limitNanos() / 1_000_000 + " ms (" + HostOptions.CPU_LIMIT.name() + ").", Map.of()));
        } catch (AllocationLimitExceededException e) {
            shard.scriptLog().warn("The Worker's fetch() allocated {} in one event, past its allocation limit of {} ({}), and was"
                    + " stopped", AllocationLimitExceededException.mebibytes(e.allocatedBytes()),
                    AllocationLimitExceededException.mebibytes(e.limitBytes()), HostOptions.ALLOCATION_LIMIT.name());
            stopped(new EventFailure(EventFailure.Kind.GUEST, "Error", "Worker exceeded its allocation limit of "
                    + AllocationLimitExceededException.mebibytes(e.limitBytes()) + " for one event ("
                    + HostOptions.ALLOCATION_LIMIT.name() + ").", Map.of()));
        } catch (ResourceExhaustedException e) {
            // Cloudflare's wording for a Worker over its memory limit.
            stopped(new EventFailure(EventFailure.Kind.GUEST, "Error", "Worker exceeded memory limit.", Map.of()));
        } catch (ContextClosedException e) {
            stopped(EventFailure.reset("The Worker's context was closed while it handled the request."));
        } catch (GuestCodeStoppedException e) {
            shard.scriptLog().warn("The Worker's fetch() for {} was stopped while it ran: {}", routeKey, e.reason());
            stopped(EventFailure.reset(e.reason()));
        } catch (RuntimeException e) {
            String incident = UUID.randomUUID().toString();
            log.error("Running the Worker of script {} failed; incident {}", shard.scriptName(), incident, e);
            stopped(EventFailure.internal(incident));
        }
        failIfHung();
    }

    /** Records that the invocation accepted a WebSocket with accept(). */
    void acceptedSocket() {
        acceptedSocket = true;
    }

    private void failIfHung() {
        if (pendingTimers > 0 || pendingIo > 0 || acceptedSocket) {
            return;
        }
        if (responded) {
            // A body that nothing can write to any more ends the response as workerd does: truncated.
            if (streamedBody != null && streamedBody.state() == BodyChannel.State.OPEN) {
                shard.scriptLog().warn("The response stream of the Worker's fetch() for {} can never end: it waits for no"
                        + " timer, fetch() or stub call, so the response was aborted", routeKey);
                streamedBody.fail(NEVER_RESPONDS);
            }
            return;
        }
        shard.scriptLog().warn("The Worker's fetch() for {} can never respond: its promise is still pending, and it waits"
                + " for no timer, fetch() or stub call", routeKey);
        fail(new EventFailure(EventFailure.Kind.GUEST, "Error", NEVER_RESPONDS, Map.of()));
    }

    @Override
    public EventAccount account() {
        return account;
    }

    @Override
    public String describe() {
        return "worker";
    }

    @Override
    public Object timerScheduled() {
        pendingTimers++;
        return null;
    }

    @Override
    public void timerEnded() {
        pendingTimers--;
    }

    @Override
    public void runTimer(ScriptContext context, Object tag, Runnable fire) {
        run(fire);
    }

    @Override
    public Object ioStarted() {
        pendingIo++;
        return OWN_IO;
    }

    @Override
    public void completeIo(Object tag, Runnable guestCode) {
        if (tag == OWN_IO) {
            pendingIo--;
        }
        run(guestCode);
    }

    @Override
    public void callbackStarted(Consumer<EventFailure> fail) {
        runningCallbacks.started(fail);
    }

    @Override
    public void callbackReplied(Consumer<EventFailure> fail) {
        runningCallbacks.replied(fail);
    }
}
