package dev.mooring.host.http;

import dev.mooring.host.objects.ClientEvents;
import dev.mooring.host.objects.ClientSocket;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * A client's WebSocket connection, bound to the end of a {@code WebSocketPair} that a 101
 * response handed out. Frames from the client go to {@link ClientEvents}; frames for the client
 * are queued with Undertow, which sends them in order. Data frames are flushed in batches by the
 * I/O thread's {@link FrameFlusher}.
 *
 * <p>Undertow queues sends without bound, so this class counts the bytes queued and not yet
 * written; when a client stops reading and the count passes {@link
 * WebSocketSettings#sendBufferBytes()}, the connection is closed with 1008 and the memory is
 * freed.
 *
 * <p>Inbound, it counts the bytes of messages read but not yet handled by the object (see {@link
 * ClientEvents}). While that count is above {@link WebSocketSettings#receiveBufferBytes()}, it
 * stops reading from the connection, and TCP flow control slows the client down to its object's
 * pace. It reads again once the count is back to half the buffer. A message that alone exceeds
 * the buffer is still read, so any message up to the maximum size gets through.
 *
 * <p>Threads: sends come from event loops and frames arrive on the connection's I/O thread.
 * Handled messages are reported from event loops and I/O threads. Reads are suspended and
 * resumed only on the I/O thread, which alone writes {@link #readsSuspended}.
 */
final class NetworkSocket implements ClientSocket {

    private static final Logger log = LoggerFactory.getLogger(NetworkSocket.class);

    /** The close code reported when a close frame carries no status code (RFC 6455). */
    private static final int NO_STATUS_CODE = 1005;

    private final WebSocketChannel channel;
    private final WebSocketSettings settings;
    private final FrameFlusher flusher;
    private final AtomicBoolean flushRequested = new AtomicBoolean();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean closeReported = new AtomicBoolean();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final AtomicLong unhandledBytes = new AtomicLong();
    private volatile boolean readsSuspended;
    private ClientEvents events;

    NetworkSocket(WebSocketChannel channel, WebSocketSettings settings, FrameFlusher flusher) {
        this.channel = channel;
        this.settings = settings;
        this.flusher = flusher;
    }

    /** Starts reading frames and reporting them to {@code clientEvents}. Call on the channel's I/O thread. */
    void start(ClientEvents clientEvents) {
        this.events = clientEvents;
        if (settings.idleTimeoutMillis() > 0) {
            channel.setIdleTimeout(settings.idleTimeoutMillis());
        }
        channel.addCloseTask(closed -> reportClose(1006, "WebSocket disconnected without sending Close frame.", false));
        channel.getReceiveSetter().set(new Listener());
        channel.resumeReceives();
    }

    private void reportClose(int code, String reason, boolean wasClean) {
        if (closeReported.compareAndSet(false, true)) {
            events.closed(code, reason, wasClean);
        }
    }

    @Override
    public void sendText(String text) {
        long size = (long) text.length() * 2;
        if (writable() && reserve(size)) {
            queue(TextPayloads.utf8(text), true, size);
        }
    }

    @Override
    public void sendBinary(byte[] bytes) {
        if (writable() && reserve(bytes.length)) {
            queue(ByteBuffer.wrap(bytes), false, bytes.length);
        }
    }

    /** Queues a data frame with Undertow without flushing it, and requests a flush. */
    private void queue(ByteBuffer payload, boolean text, long size) {
        channel.setRequireExplicitFlush(true);
        try {
            if (text) {
                WebSockets.sendText(payload, channel, new Release(size));
            } else {
                WebSockets.sendBinary(payload, channel, new Release(size));
            }
        } finally {
            channel.setRequireExplicitFlush(false);
        }
        requestFlush();
    }

    /**
     * Has the I/O thread flush what this socket queued (see {@link FrameFlusher}). Sends queue
     * their frames with Undertow's explicit-flush mode switched on for the call. A frame that
     * another thread queues while the mode is on, such as a pong from the I/O thread, is flushed
     * by the flush requested here, which always runs after it.
     */
    private void requestFlush() {
        if (flushRequested.compareAndSet(false, true)) {
            flusher.request(this);
        }
    }

    /** Writes the frames queued since the last flush. Called by the flusher on the I/O thread. */
    void flushQueuedFrames() {
        // Cleared first: a frame queued after this point requests a new flush.
        flushRequested.set(false);
        channel.flush();
    }

    /**
     * Returns whether a data frame can still go out. A room that broadcasts to a client that has
     * just left sends to a closed channel until the close reaches the guest. Undertow would fail
     * each of those sends with a new exception and its stack trace, on the event loop.
     */
    private boolean writable() {
        return channel.isOpen() && !channel.isCloseFrameSent();
    }

    /** Counts a send against the buffer, closing the connection when the client is too far behind. */
    private boolean reserve(long size) {
        if (overflowed.get()) {
            return false;
        }
        if (queuedBytes.addAndGet(size) > settings.sendBufferBytes()) {
            if (overflowed.compareAndSet(false, true)) {
                log.info("Closing WebSocket client {}: it stopped reading and {} bytes are queued for it (the limit is {})",
                        channel.getSourceAddress(), queuedBytes.get(), settings.sendBufferBytes());
                reportClose(1008, "The client did not read its messages fast enough.", false);
                WebSockets.sendClose(1008, "Client is not reading fast enough", channel, null);
                IoUtils.safeClose(channel);
            }
            return false;
        }
        return true;
    }

    @Override
    public void close(Integer code, String reason) {
        if (code == null) {
            WebSockets.sendClose(new CloseMessage(CloseMessage.NORMAL_CLOSURE, "").toByteBuffer(), channel, null);
        } else {
            WebSockets.sendClose(code, reason, channel, null);
        }
    }

    /** Counts a message read from the client and returns its release. Call on the I/O thread. */
    private Runnable received(long size) {
        InboundMessage message = new InboundMessage(size);
        if (unhandledBytes.addAndGet(size) > settings.receiveBufferBytes() && !readsSuspended) {
            readsSuspended = true;
            channel.suspendReceives();
            log.debug("Paused reading from WebSocket client {}: {} bytes of its messages wait for the object",
                    channel.getSourceAddress(), unhandledBytes.get());
            // A release that ran before the flag was set saw no suspension to undo.
            resumeReadsIfDrained();
        }
        return message;
    }

    /** Reads from the client again once enough of its messages were handled. Call on the I/O thread. */
    private void resumeReadsIfDrained() {
        if (readsSuspended && unhandledBytes.get() <= settings.receiveBufferBytes() / 2 && channel.isOpen()) {
            readsSuspended = false;
            channel.resumeReceives();
        }
    }

    /** One message read from the client, released once when the object handled or dropped it. */
    private final class InboundMessage extends AtomicBoolean implements Runnable {
        private final long size;

        InboundMessage(long size) {
            this.size = size;
        }

        @Override
        public void run() {
            if (!compareAndSet(false, true)) {
                return;
            }
            long left = unhandledBytes.addAndGet(-size);
            if (readsSuspended && left <= settings.receiveBufferBytes() / 2) {
                channel.getIoThread().execute(NetworkSocket.this::resumeReadsIfDrained);
            }
        }
    }

    /** Frees the counted bytes of one send once Undertow wrote or dropped it. */
    private final class Release implements WebSocketCallback<Void> {
        private final long size;

        Release(long size) {
            this.size = size;
        }

        @Override
        public void complete(WebSocketChannel completed, Void context) {
            queuedBytes.addAndGet(-size);
        }

        @Override
        public void onError(WebSocketChannel failed, Void context, Throwable throwable) {
            queuedBytes.addAndGet(-size);
            log.debug("Sending to WebSocket client {} failed: {}", failed.getSourceAddress(), throwable.toString());
        }
    }

    private final class Listener extends AbstractReceiveListener {
        @Override
        protected long getMaxTextBufferSize() {
            return settings.maxMessageBytes();
        }

        @Override
        protected long getMaxBinaryBufferSize() {
            return settings.maxMessageBytes();
        }

        @Override
        protected void onFullTextMessage(WebSocketChannel source, BufferedTextMessage message) {
            String text = message.getData();
            events.text(text, received((long) text.length() * 2));
        }

        @Override
        protected void onFullBinaryMessage(WebSocketChannel source, BufferedBinaryMessage message) {
            var pooled = message.getData();
            try {
                ByteBuffer merged = WebSockets.mergeBuffers(pooled.getResource());
                byte[] bytes = new byte[merged.remaining()];
                merged.get(bytes);
                events.binary(bytes, received(bytes.length));
            } finally {
                pooled.free();
            }
        }

        @Override
        protected void onFullCloseMessage(WebSocketChannel source, BufferedBinaryMessage message) {
            var pooled = message.getData();
            int code;
            try {
                CloseMessage close = new CloseMessage(pooled.getResource());
                code = close.getCode() == 0 ? NO_STATUS_CODE : close.getCode();
                reportClose(code, close.getReason() == null ? "" : close.getReason(), true);
            } finally {
                pooled.free();
            }
            // Complete the closing handshake with the client's code, as browsers expect.
            if (!source.isCloseFrameSent()) {
                if (code == NO_STATUS_CODE) {
                    WebSockets.sendClose(ByteBuffer.allocate(0), source, null);
                } else {
                    WebSockets.sendClose(code, "", source, null);
                }
            }
        }

        @Override
        protected void onError(WebSocketChannel source, Throwable error) {
            log.debug("WebSocket client {} failed: {}", source.getSourceAddress(), error.toString());
            String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
            if (message.contains("max message size") || message.contains("UT002040")) {
                reportClose(1009, "Message is too large", false);
            } else {
                reportClose(1006, "WebSocket disconnected without sending Close frame.", false);
            }
            super.onError(source, error);
        }
    }
}
