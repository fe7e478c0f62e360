package dev.mooring.host.objects;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * One end of a {@code WebSocketPair}. What one end sends, its peer receives: a message or close
 * that guest code sends on the server end goes to the client connection the other end was handed
 * to, and what the client sends arrives as an event for whoever accepted the server end.
 *
 * <h2>Lifecycle</h2>
 *
 * {@link Mode#NEW} (created; what arrives is buffered, up to {@link #MAX_PENDING_BYTES}) →
 * {@link Mode#NETWORK} (bound to a client connection), {@link Mode#ACCEPTED} (accepted with
 * {@code accept()}: events go to the accepting context) or {@link Mode#HIBERNATABLE} (accepted
 * with {@code state.acceptWebSocket()}: events go to the object's handlers, whether or not the
 * object is in memory) → {@link Mode#CLOSED} once a close or error reached its holder. Binding
 * replays the buffer in order.
 *
 * <h2>Threads</h2>
 *
 * Events arrive from event loops (guest sends) and from network I/O threads (client frames);
 * {@link #deliver} and the bind methods synchronize on the end, and hand JS-bound events to the
 * holder's event loop as tasks, so delivery per end stays in arrival order. The attachment,
 * tags and auto-response time are read and written on the holder's loop, except that the
 * auto-response path writes the time from an I/O thread (volatile).
 */
public final class WebSocketEnd {

    /** Most bytes buffered for an end before it is bound; beyond that the pair is closed. */
    static final int MAX_PENDING_BYTES = 16 << 20;

    /** Lifecycle states; see the class comment. */
    enum Mode {
        NEW,
        NETWORK,
        ACCEPTED,
        HIBERNATABLE,
        CLOSED
    }

    /** What arrives at an end. */
    enum Kind {
        MESSAGE,
        CLOSE,
        ERROR
    }

    /**
     * One arrival: a text ({@code String}) or binary ({@code byte[]}) message, a close, or an
     * error. {@code handled} reports to a client connection that a message it read reached the
     * guest's handler or was dropped (see {@link ClientEvents}). For other events it does nothing.
     */
    record Event(Kind kind, Object data, int code, String reason, boolean wasClean, Runnable handled) {
        private static final Runnable NOTHING_TO_RELEASE = () -> {};

        static Event message(Object data) {
            return new Event(Kind.MESSAGE, data, 0, "", false, NOTHING_TO_RELEASE);
        }

        /** Creates a message read from a client connection, which stops reading until enough of them are handled. */
        static Event fromClient(Object data, Runnable handled) {
            return new Event(Kind.MESSAGE, data, 0, "", false, handled);
        }

        static Event close(int code, String reason, boolean wasClean) {
            return new Event(Kind.CLOSE, null, code, reason, wasClean, NOTHING_TO_RELEASE);
        }

        static Event error(String message) {
            return new Event(Kind.ERROR, message, 0, "", false, NOTHING_TO_RELEASE);
        }

        /** Reports that this event reached its handler or was dropped. */
        void markHandled() {
            handled.run();
        }

        int size() {
            if (data instanceof String text) {
                return text.length() * 2;
            }
            return data instanceof byte[] bytes ? bytes.length : 0;
        }
    }

    private final long id;
    private WebSocketEnd peer;
    private Mode mode = Mode.NEW;
    private final List<Event> pending = new ArrayList<>();
    private int pendingBytes;

    private ClientSocket client;
    private Shard shard;
    private CallbackOwner acceptor;
    private ObjectKey objectKey;
    private String objectName;
    private List<String> tags = List.of();
    private byte[] attachment;
    private volatile long autoResponseMillis = -1;
    private boolean closeSent;
    /** Set once the script runtime dropped this end, after which guest code can no longer use it. */
    private volatile boolean forgotten;

    WebSocketEnd(long id) {
        this.id = id;
    }

    /** Creates two linked ends with the given ids. */
    static WebSocketEnd[] pair(long firstId, long secondId) {
        WebSocketEnd first = new WebSocketEnd(firstId);
        WebSocketEnd second = new WebSocketEnd(secondId);
        first.peer = second;
        second.peer = first;
        return new WebSocketEnd[] {first, second};
    }

    public long id() {
        return id;
    }

    /** Records that the script runtime dropped this end; a {@link WebSocketSender} then fails as an unknown id does. */
    void forget() {
        forgotten = true;
    }

    boolean forgotten() {
        return forgotten;
    }

    WebSocketEnd peer() {
        return peer;
    }

    synchronized Mode mode() {
        return mode;
    }

    ObjectKey objectKey() {
        return objectKey;
    }

    /** The name of the holding object's ID, or null; a re-created object gets it back as ctx.id.name. */
    String objectName() {
        return objectName;
    }

    List<String> tags() {
        return tags;
    }

    byte[] attachment() {
        return attachment;
    }

    void attachment(byte[] bytes) {
        attachment = bytes;
    }

    long autoResponseMillis() {
        return autoResponseMillis;
    }

    CallbackOwner acceptor() {
        return acceptor;
    }

    /** Whether guest code already closed this end (its close went to the peer). */
    synchronized boolean closeSent() {
        return closeSent;
    }

    /**
     * Passes on what a client sent on this network-bound end. A text message that matches the
     * auto-response rule of the object holding the peer is answered here, on the I/O thread,
     * without waking the object.
     */
    void receiveFromClient(Event event) {
        WebSocketEnd target = peer;
        if (event.kind() == Kind.MESSAGE && event.data() instanceof String text && target.mode() == Mode.HIBERNATABLE) {
            AutoResponse rule = target.shard.autoResponseFor(target.objectKey);
            if (target.tryAutoResponse(text, rule, System.currentTimeMillis())) {
                event.markHandled();
                return;
            }
        }
        target.deliver(event);
    }

    /** Sends from this end: the peer receives it. */
    void send(Object data) {
        peer.deliver(Event.message(data));
    }

    /**
     * Returns a task that sends {@code data} from this end, for output that waits for the output
     * gate. It is a plain class because a room calls it once per client and message. The launcher
     * compiles Java code with C1 only, and in a profile C1 created capturing lambdas through a slow
     * runtime call.
     */
    Runnable sendTask(Object data) {
        return new SendTask(this, data);
    }

    private record SendTask(WebSocketEnd end, Object data) implements Runnable {
        @Override
        public void run() {
            end.send(data);
        }
    }

    /** Closes this end from the guest side: the peer receives the close. */
    void closeFromGuest(Integer code, String reason) {
        synchronized (this) {
            if (closeSent) {
                return;
            }
            closeSent = true;
        }
        peer.deliver(Event.close(code == null ? 1005 : code, reason, true));
    }

    /** Binds this end to a client connection and passes on what was buffered. */
    synchronized void bindNetwork(ClientSocket socket) {
        requireNew("hand it to a client");
        client = socket;
        mode = Mode.NETWORK;
        replayPending();
    }

    /** Binds this end to guest code that called {@code accept()}. */
    synchronized void bindAccepted(Shard owningShard, CallbackOwner owner) {
        requireNew("accept() it");
        shard = owningShard;
        acceptor = owner;
        mode = Mode.ACCEPTED;
        replayPending();
    }

    /** Binds this end to an object that called {@code state.acceptWebSocket()}. */
    synchronized void bindHibernatable(Shard owningShard, ObjectKey key, String name, List<String> socketTags) {
        requireNew("accept it for hibernation");
        shard = owningShard;
        objectKey = key;
        objectName = name;
        tags = List.copyOf(socketTags);
        mode = Mode.HIBERNATABLE;
        replayPending();
    }

    private void requireNew(String action) {
        if (mode != Mode.NEW) {
            throw new IllegalStateException("Cannot " + action + ": WebSocket end " + id + " is already " + mode);
        }
    }

    private void replayPending() {
        List<Event> buffered = new ArrayList<>(pending);
        pending.clear();
        pendingBytes = 0;
        buffered.forEach(this::route);
    }

    /** Hands an arrival to this end's holder, or buffers it until the end is bound. */
    synchronized void deliver(Event event) {
        if (mode == Mode.NEW) {
            pendingBytes += event.size();
            if (pendingBytes > MAX_PENDING_BYTES) {
                event.markHandled();
                dropPending();
                mode = Mode.CLOSED;
                peer.deliver(Event.close(1009, "Too much data was sent before the WebSocket was accepted.", false));
                return;
            }
            pending.add(event);
            return;
        }
        route(event);
    }

    /** Must hold the lock: keeps routing in arrival order. */
    private void route(Event event) {
        switch (mode) {
            case NETWORK -> toClient(event);
            case ACCEPTED, HIBERNATABLE -> {
                if (event.kind() != Kind.MESSAGE) {
                    mode = Mode.CLOSED;
                }
                Shard target = shard;
                try {
                    target.loop().execute(() -> target.deliverWebSocketEvent(this, event));
                } catch (RejectedExecutionException stopped) {
                    // The host is shutting down; the event has nobody left to handle it.
                    mode = Mode.CLOSED;
                    event.markHandled();
                }
            }
            case CLOSED, NEW -> {
                // A closed end drops what still arrives; NEW never routes.
                event.markHandled();
            }
        }
    }

    /** Must hold the lock: drops the buffered events, releasing what their connections counted. */
    private void dropPending() {
        pending.forEach(Event::markHandled);
        pending.clear();
        pendingBytes = 0;
    }

    private void toClient(Event event) {
        switch (event.kind()) {
            case MESSAGE -> {
                if (event.data() instanceof String text) {
                    client.sendText(text);
                } else {
                    client.sendBinary((byte[]) event.data());
                }
                // The receiving client's send buffer bounds it from here.
                event.markHandled();
            }
            case CLOSE -> {
                mode = Mode.CLOSED;
                client.close(event.code() == 1005 ? null : event.code(), event.reason());
            }
            case ERROR -> {
                mode = Mode.CLOSED;
                client.close(1011, "");
            }
        }
    }

    /**
     * Answers a text message with the object's auto-response if it matches, without waking the
     * object, and records when. Called on the client's I/O thread for the peer of a hibernatable end.
     */
    boolean tryAutoResponse(String text, AutoResponse rule, long nowMillis) {
        if (rule == null || !rule.request().equals(text)) {
            return false;
        }
        autoResponseMillis = nowMillis;
        peer.deliver(Event.message(rule.response()));
        return true;
    }

    /** An object's auto-response rule: a text request answered with a text response. */
    record AutoResponse(String request, String response) {}

    /** Marks the end closed without delivering anything, for example when its object was reset. */
    synchronized void abandon() {
        mode = Mode.CLOSED;
        dropPending();
    }

    @Override
    public String toString() {
        return "WebSocketEnd " + id;
    }
}
