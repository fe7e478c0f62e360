package dev.mooring.host.objects;

import dev.mooring.runtime.RuntimeIntrinsics;
import dev.mooring.sandbox.EventLoop;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The way back from a JS RPC call to its caller, for the functions and {@code RpcTarget} objects
 * that the caller passed as arguments. The receiver calls them through this channel while the
 * call runs. The call's outcome disposes the channel, as workerd disposes the stubs of a call's
 * arguments when the call returns, and later invocations fail with workerd's error.
 *
 * <p>An invocation runs the caller's guest code as an I/O completion of the caller, on the
 * caller's loop. So it waits behind a closed input gate of a calling object, unless the call was
 * made inside the critical section, and the reply waits for the caller's earlier writes (the
 * output gate) before it leaves. A caller that is reset or stopped before an invocation replies
 * fails the invocation, so the receiver's promise settles.
 *
 * <p>Thread-safe: invocations and disposal arrive from other loops. The caller's invoker is
 * called only on {@link #loop}.
 */
final class CallbackChannel {

    /** workerd's message for a call through a stub that was disposed. */
    static final String DISPOSED = "RPC stub used after being disposed.";

    /** The receiver of an invocation's outcome, called on the caller's loop. */
    interface Reply {
        /** Reports the serialized result. */
        void ok(byte[] result);

        /** Reports that the callback threw; {@code flags} become properties of the rebuilt error. */
        void error(String name, String message, Map<String, Object> flags);
    }

    /**
     * The caller, and its JS function {@code (index, member, argumentBytes, reply)} that runs the
     * callbacks. Disposal drops both, because a receiver may keep a callback stub, and with it this
     * channel, long after the caller is gone.
     */
    private record Target(CallbackOwner caller, Value invoker) {}

    private final EventLoop loop;
    private final Object completionTag;
    /** Null once disposed. */
    private volatile Target target;

    /**
     * @param completionTag the tag that the caller's {@link CallbackOwner#completeIo} gets for each
     *     invocation: what {@link CallbackOwner#ioStarted} returned for an object, null for a Worker
     *     invocation, whose count of pending I/O the channel must not change
     */
    CallbackChannel(EventLoop loop, CallbackOwner caller, Object completionTag, Value invoker) {
        this.loop = loop;
        this.completionTag = completionTag;
        this.target = new Target(caller, invoker);
    }

    /** Ends the channel: the call it belongs to has an outcome. */
    void dispose() {
        target = null;
    }

    /**
     * Calls the export {@code index} of the caller: the function itself when {@code member} is
     * null, else that member of the RpcTarget. {@code arguments} is the serialized argument array,
     * or undefined for a property read. Any thread.
     */
    void invoke(int index, String member, byte[] arguments, Reply reply) {
        loop.execute(() -> {
            Target current = target;
            if (current == null) {
                reply.error("Error", DISPOSED, Map.of());
                return;
            }
            CallbackOwner caller = current.caller();
            if (caller instanceof ObjectActor actor && actor.gone()) {
                reply.error("Error", "The object that passed this callback was reset, so it cannot be called.", Map.of());
                return;
            }
            Reply once = new OnceReply(reply);
            // A caller that is reset or stopped before the callback replies fails the invocation
            // through this, as its own events fail.
            String stoppedCaller = caller instanceof ObjectActor ? "The object that passed this callback was reset or evicted"
                    : "The Worker invocation that passed this callback was stopped";
            Consumer<EventFailure> failOnReset = failure -> once.error("Error",
                    stoppedCaller + " while the callback ran: " + failure.message(), Map.of());
            caller.callbackStarted(failOnReset);
            caller.completeIo(completionTag, () -> current.invoker().execute(index, member,
                    RuntimeIntrinsics.bufferFor(arguments), replyFunction(caller, once, failOnReset)));
        });
    }

    /** Passes on the first outcome of an invocation and drops later ones. */
    private static final class OnceReply implements Reply {
        private final Reply reply;
        private final AtomicBoolean replied = new AtomicBoolean();

        OnceReply(Reply reply) {
            this.reply = reply;
        }

        @Override
        public void ok(byte[] result) {
            if (replied.compareAndSet(false, true)) {
                reply.ok(result);
            }
        }

        @Override
        public void error(String name, String message, Map<String, Object> flags) {
            if (replied.compareAndSet(false, true)) {
                reply.error(name, message, flags);
            }
        }
    }

    /**
     * Builds the guest's {@code reply('ok', resultBytes)} or {@code reply('error', name, message,
     * isDOMException)}, which passes the outcome on once the caller's earlier writes are durable.
     */
    private static ProxyExecutable replyFunction(CallbackOwner caller, Reply reply, Consumer<EventFailure> failOnReset) {
        return arguments -> {
            caller.callbackReplied(failOnReset);
            Runnable release;
            if (arguments[0].asString().equals("ok")) {
                byte[] result = RuntimeIntrinsics.bytesOf(arguments[1]);
                release = () -> reply.ok(result);
            } else {
                Map<String, Object> flags = new HashMap<>();
                flags.put("remote", true);
                if (arguments[3].asBoolean()) {
                    flags.put("domException", true);
                }
                String name = arguments[1].asString();
                String message = arguments[2].asString();
                release = () -> reply.error(name, message, flags);
            }
            if (caller instanceof ObjectActor actor) {
                actor.emit(release, () -> reply.error("Error", "The object that passed this callback was reset before it replied.",
                        Map.of()));
            } else {
                release.run();
            }
            return null;
        };
    }
}
