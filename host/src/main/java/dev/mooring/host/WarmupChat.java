package dev.mooring.host;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat sessions of the warm-up: WebSocket clients of the warm-up script's chat rooms, connected
 * through the warm-up's own listener, so that the WebSocket path from Undertow to the runtime is
 * compiled before real clients connect.
 *
 * <p>Each client joins a room with an upgrade request, as a browser would, and then sends its next
 * message as soon as it has seen its previous one broadcast back (or refused), until the deadline.
 * The JDK's WebSocket client calls the methods of one listener one after another, so a client's
 * fields need no lock. The counters that all clients share are atomic.
 */
final class WarmupChat {

    private static final Logger log = LoggerFactory.getLogger(WarmupChat.class);

    /** Rooms on the hibernation API and rooms on accept() with listeners. */
    private static final int HIBERNATING_ROOMS = 4;
    private static final int LISTENING_ROOMS = 2;
    private static final int CLIENTS_PER_ROOM = 5;

    private final long deadlineNanos;
    private final CountDownLatch finished;
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    private WarmupChat(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
        this.finished = new CountDownLatch((HIBERNATING_ROOMS + LISTENING_ROOMS) * CLIENTS_PER_ROOM);
    }

    /**
     * Connects every client to the listener at {@code http://HOST:PORT}; they chat on their own
     * until {@code deadlineNanos} ({@link System#nanoTime}).
     */
    static WarmupChat start(HttpClient client, URI listener, long deadlineNanos) {
        WarmupChat chat = new WarmupChat(deadlineNanos);
        String base = "ws://" + listener.getAuthority();
        for (int room = 0; room < HIBERNATING_ROOMS + LISTENING_ROOMS; room++) {
            String path = room < HIBERNATING_ROOMS ? "/chat/room-" + room : "/listening-chat/room-" + room;
            for (int n = 0; n < CLIENTS_PER_ROOM; n++) {
                Client member = chat.new Client("user-" + room + "-" + n);
                client.newWebSocketBuilder()
                        .buildAsync(URI.create(base + path + "/websocket"), member)
                        .whenComplete((socket, failure) -> {
                            if (failure != null) {
                                log.debug("A warm-up chat client could not join", failure);
                                member.leave();
                            }
                        });
            }
        }
        return chat;
    }

    /** Waits for every client to leave, at most {@code timeoutMillis}; returns the messages they received. */
    long awaitEnd(long timeoutMillis) {
        try {
            if (!finished.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
                log.debug("Warm-up chat clients still connected when the warm-up ended: {}", finished.getCount());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return deliveries.get();
    }

    /** Returns how many replies reported an error from the warm-up script's chat code. */
    long errors() {
        return errors.get();
    }

    /** One simulated browser tab. */
    private final class Client implements WebSocket.Listener {

        private final String name;
        private final String ownMarker;
        private final StringBuilder partial = new StringBuilder();

        /** The last send; the JDK client takes one outstanding send per socket, so each waits for it. */
        private CompletableFuture<WebSocket> lastSend;
        private boolean left;
        private int sent;

        Client(String name) {
            this.name = name;
            this.ownMarker = "\"name\":\"" + name + "\"";
        }

        @Override
        public void onOpen(WebSocket socket) {
            lastSend = socket.sendText("{\"name\":\"" + name + "\"}", true);
            socket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            socket.request(1);
            if (!last) {
                return null;
            }
            String text = partial.toString();
            partial.setLength(0);
            deliveries.incrementAndGet();
            boolean error = text.contains("\"error\"");
            if (error && errors.incrementAndGet() == 1) {
                log.warn("A chat room of the built-in warm-up script replied with an error: {}", text);
            }
            boolean mine = text.contains(ownMarker) || text.contains("\"ready\":true") || error;
            if (mine && !left) {
                sendNext(socket);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            if (last) {
                deliveries.incrementAndGet();
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            leave();
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            log.debug("A warm-up chat client failed", error);
            leave();
        }

        private void sendNext(WebSocket socket) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                lastSend = lastSend.thenCompose(ws -> ws.sendClose(1000, "warm-up over"));
                leave();
                return;
            }
            String message = "{\"message\":\"hello " + sent++ + " from " + name + "\"}";
            lastSend = lastSend.thenCompose(ws -> ws.sendText(message, true));
        }

        private void leave() {
            if (!left) {
                left = true;
                finished.countDown();
            }
        }
    }
}
