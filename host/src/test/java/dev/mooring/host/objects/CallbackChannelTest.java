package dev.mooring.host.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mooring.sandbox.EventAccount;
import dev.mooring.sandbox.EventLoop;
import dev.mooring.sandbox.ScriptContext;
import dev.mooring.sandbox.Ticker;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What a {@link CallbackChannel} keeps and returns once the call it belongs to has returned. */
class CallbackChannelTest {

    /** A caller whose guest code never runs: the channel is disposed before any invocation. */
    private static final class IdleCaller implements CallbackOwner {
        @Override
        public EventAccount account() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String describe() {
            return "idle caller";
        }

        @Override
        public Object timerScheduled() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void timerEnded() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void runTimer(ScriptContext context, Object tag, Runnable fire) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object ioStarted() {
            return null;
        }

        @Override
        public void completeIo(Object tag, Runnable guestCode) {
            throw new AssertionError("a disposed channel ran the caller's code");
        }

        @Override
        public void callbackStarted(Consumer<EventFailure> fail) {
            throw new AssertionError("a disposed channel started an invocation");
        }

        @Override
        public void callbackReplied(Consumer<EventFailure> fail) {
            throw new AssertionError("a disposed channel passed on a reply");
        }
    }

    @Test
    void disposedChannelReleasesCaller() throws Exception {
        try (EventLoop loop = new EventLoop("callback-channel-test", 1 << 20, Ticker.SYSTEM)) {
            IdleCaller caller = new IdleCaller();
            WeakReference<IdleCaller> callerReference = new WeakReference<>(caller);
            CallbackChannel channel = new CallbackChannel(loop, caller, null, null);
            caller = null;

            channel.dispose();
            for (int attempt = 0; attempt < 20 && callerReference.get() != null; attempt++) {
                System.gc();
            }

            // A receiver may keep a callback, and so the channel, for as long as it likes.
            assertNull(callerReference.get(), "the disposed channel still references its caller");
            assertEquals(CallbackChannel.DISPOSED, invokeAndReadError(channel));
        }
    }

    private static String invokeAndReadError(CallbackChannel channel) throws Exception {
        CompletableFuture<String> error = new CompletableFuture<>();
        channel.invoke(0, null, new byte[0], new CallbackChannel.Reply() {
            @Override
            public void ok(byte[] result) {
                error.complete("no error");
            }

            @Override
            public void error(String name, String message, Map<String, Object> flags) {
                error.complete(message);
            }
        });
        return error.get(10, TimeUnit.SECONDS);
    }
}
