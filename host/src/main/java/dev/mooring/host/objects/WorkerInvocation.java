package dev.mooring.host.objects;

import dev.mooring.runtime.fetch.ResponseData;
import dev.mooring.sandbox.ContextClosedException;
import dev.mooring.sandbox.CpuAccount;
import dev.mooring.sandbox.CpuLimitExceededException;
import dev.mooring.sandbox.GuestException;
import dev.mooring.sandbox.ScriptContext;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request handled by the Worker's default export: the owner of its guest code, its CPU
 * budget and its single response. Later callbacks of the invocation (timers, stub responses) are
 * charged to the same budget. Confined to its shard's loop.
 */
final class WorkerInvocation implements CallbackOwner {

    private static final Logger log = LoggerFactory.getLogger(WorkerInvocation.class);

    private final Shard shard;
    private final CpuAccount cpu;
    private final ResponseSink sink;
    private final String routeKey;
    private boolean responded;
    private boolean calledStub;

    /** @param routeKey the request's path, which the runtime uses to place later invocations */
    WorkerInvocation(Shard shard, long cpuLimitNanos, String routeKey, ResponseSink sink) {
        this.shard = shard;
        this.cpu = new CpuAccount(cpuLimitNanos);
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
        }
    }

    /** Sends a failure, unless a response was already sent. */
    void fail(EventFailure failure) {
        if (!responded) {
            responded = true;
            shard.workerResponded(this);
            sink.fail(failure);
        }
    }

    /** Runs guest code for this invocation, turning limit breaches and faults into the response. */
    void run(Runnable guestCode) {
        try {
            shard.context().call(this, () -> {
                guestCode.run();
                return null;
            });
        } catch (GuestException e) {
            shard.scriptLog().warn("Uncaught exception in a Worker callback: {}", e.jsStack());
        } catch (CpuLimitExceededException e) {
            shard.scriptLog().warn("The Worker's fetch() exceeded its CPU time limit of {} ms and was stopped",
                    e.limitNanos() / 1_000_000);
            fail(new EventFailure(EventFailure.Kind.GUEST, "Error",
                    "Worker exceeded its CPU time limit of " + e.limitNanos() / 1_000_000 + " ms.", java.util.Map.of()));
        } catch (ContextClosedException e) {
            fail(EventFailure.reset("The Worker's context was closed while it handled the request."));
        } catch (RuntimeException e) {
            String incident = UUID.randomUUID().toString();
            log.error("Running the Worker of script {} failed; incident {}", shard.scriptName(), incident, e);
            fail(EventFailure.internal(incident));
        }
    }

    @Override
    public CpuAccount cpu() {
        return cpu;
    }

    @Override
    public String describe() {
        return "worker";
    }

    @Override
    public Object timerScheduled() {
        return null;
    }

    @Override
    public void timerEnded() {}

    @Override
    public void runTimer(ScriptContext context, Object tag, Runnable fire) {
        run(fire);
    }

    @Override
    public Object ioStarted() {
        return null;
    }

    @Override
    public void completeIo(Object tag, Runnable guestCode) {
        run(guestCode);
    }
}
