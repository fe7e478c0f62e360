package dev.mooring.host;

import dev.mooring.host.objects.ClientEvents;
import dev.mooring.host.objects.ClientSocket;
import dev.mooring.host.objects.EventFailure;
import dev.mooring.host.objects.ResponseSink;
import dev.mooring.host.objects.ScriptRuntime;
import dev.mooring.runtime.fetch.RequestData;
import dev.mooring.runtime.fetch.ResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat sessions of the warm-up: in-process WebSocket clients of the warm-up script's chat rooms,
 * so that the runtime's WebSocket path is compiled before real clients connect.
 *
 * <p>Each client joins a room through a 101 response, as a browser would, and then sends its next
 * message as soon as it has seen its previous one broadcast back (or refused), until the deadline.
 * Clients are bound with {@link ScriptRuntime#bindClientSocket} like network connections; what the
 * runtime sends them arrives on event loops, and they send their next message from their own
 * thread, as an I/O thread would. Nothing here touches the network.
 */
final class WarmupChat {

    private static final Logger log = LoggerFactory.getLogger(WarmupChat.class);

    /** Rooms on the hibernation API and rooms on accept() with listeners. */
    private static final int HIBERNATING_ROOMS = 4;
    private static final int LISTENING_ROOMS = 2;
    private static final int CLIENTS_PER_ROOM = 5;

    private final ScriptRuntime runtime;
    private final long deadlineNanos;
    private final ExecutorService clientThread = Executors.newSingleThreadExecutor(
            runnable -> Thread.ofPlatform().name("mooring-warmup-clients").daemon().unstarted(runnable));
    private final List<Client> clients = new ArrayList<>();
    private final CountDownLatch finished;
    private final AtomicLong deliveries = new AtomicLong();

    private WarmupChat(ScriptRuntime runtime, long deadlineNanos) {
        this.runtime = runtime;
        this.deadlineNanos = deadlineNanos;
        this.finished = new CountDownLatch((HIBERNATING_ROOMS + LISTENING_ROOMS) * CLIENTS_PER_ROOM);
    }

    /** Connects every client; they chat on their own until {@code deadlineNanos} ({@link System#nanoTime}). */
    static WarmupChat start(ScriptRuntime runtime, long deadlineNanos) {
        WarmupChat chat = new WarmupChat(runtime, deadlineNanos);
        for (int room = 0; room < HIBERNATING_ROOMS + LISTENING_ROOMS; room++) {
            String path = room < HIBERNATING_ROOMS ? "/chat/room-" + room : "/listening-chat/room-" + room;
            for (int n = 0; n < CLIENTS_PER_ROOM; n++) {
                Client client = chat.new Client("user-" + room + "-" + n);
                chat.clients.add(client);
                client.connect(path + "/websocket");
            }
        }
        return chat;
    }

    /** Waits for every client to leave, at most {@code timeoutMillis}; returns the messages they received. */
    long awaitEnd(long timeoutMillis) {
        try {
            if (!finished.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
                log.debug("{} warm-up chat client(s) had not left when the warm-up ended", finished.getCount());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clientThread.shutdownNow();
        return deliveries.get();
    }

    /** Runs {@code step} on the client thread; once the warm-up is over there is none, and nothing runs. */
    private void onClientThread(Runnable step) {
        try {
            clientThread.execute(step);
        } catch (RejectedExecutionException e) {
            log.trace("A warm-up chat event arrived after the warm-up ended");
        }
    }

    /** One simulated browser tab. Its fields are confined to the client thread. */
    private final class Client implements ClientSocket {

        private final String name;
        private final String ownMarker;
        private ClientEvents events;
        private boolean left;
        private int sent;

        Client(String name) {
            this.name = name;
            this.ownMarker = "\"name\":\"" + name + "\"";
        }

        void connect(String path) {
            RequestData upgrade = new RequestData("GET", "http://warmup.mooring.local" + path,
                    List.of("host", "warmup.mooring.local", "upgrade", "websocket", "connection", "Upgrade"), null);
            runtime.handle(upgrade, new ResponseSink() {
                @Override
                public void complete(ResponseData response) {
                    onClientThread(() -> joined(response));
                }

                @Override
                public void fail(EventFailure failure) {
                    log.debug("A warm-up chat client could not join: {}: {}", failure.name(), failure.message());
                    onClientThread(Client.this::leave);
                }
            });
        }

        private void joined(ResponseData response) {
            events = response.webSocketId() == null ? null : runtime.bindClientSocket(response.webSocketId(), this);
            if (events == null) {
                log.debug("A warm-up chat join returned status {} without a WebSocket", response.status());
                leave();
                return;
            }
            events.text("{\"name\":\"" + name + "\"}");
        }

        @Override
        public void sendText(String text) {
            deliveries.incrementAndGet();
            onClientThread(() -> {
                boolean mine = text.contains(ownMarker) || text.contains("\"ready\":true") || text.contains("\"error\"");
                if (mine && !left) {
                    sendNext();
                }
            });
        }

        private void sendNext() {
            if (System.nanoTime() - deadlineNanos >= 0) {
                events.closed(1000, "warm-up over", true);
                leave();
                return;
            }
            events.text("{\"message\":\"hello " + sent++ + " from " + name + "\"}");
        }

        private void leave() {
            if (!left) {
                left = true;
                finished.countDown();
            }
        }

        @Override
        public void sendBinary(byte[] bytes) {
            deliveries.incrementAndGet();
        }

        @Override
        public void close(Integer code, String reason) {
            onClientThread(this::leave);
        }
    }
}
