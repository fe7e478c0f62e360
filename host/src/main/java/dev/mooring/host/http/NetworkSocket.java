package dev.mooring.host.http;

import dev.mooring.host.config.HostOptions;
import dev.mooring.host.config.Values;
import dev.mooring.host.config.WebSocketSettings;
import dev.mooring.host.objects.ClientEvents;
import dev.mooring.host.objects.ClientSocket;
import dev.mooring.host.storage.Utf8;
import io.undertow.util.ImmediatePooledByteBuffer;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.StreamSinkFrameChannel;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSocketFrameType;
import io.undertow.websockets.core.WebSockets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;

/**
 * A client's WebSocket connection, bound to the end of a {@code WebSocketPair} that a 101
 * response handed out. Frames from the client go to {@link ClientEvents}; frames for the client
 * are queued with Undertow, which sends them in order. Data frames are flushed in batches by the
 * I/O thread's {@link FrameFlusher}.
 *
 * <p>Undertow queues sends without bound, so this class counts the bytes queued and not yet
 * known to be written. When a client stops reading and the count passes {@link
 * WebSocketSettings#sendBufferBytes()}, the connection is closed with 1008 and the memory is
 * freed. Writes are confirmed for one frame at a time (see {@link #queue}), so the count may
 * include frames written since the last confirmation.
 *
 * <p>Each inbound message is read in pieces and its bytes counted as they arrive, so a message
 * over {@link WebSocketSettings#maxMessageBytes()} closes the connection with 1009 before it is
 * buffered whole (see {@link #rejectOversizedMessage}).
 *
 * <p>Inbound, it also counts the bytes of messages read but not yet handled by the object (see {@link
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
    /** Bytes of every data frame queued so far. */
    private final AtomicLong queuedTotal = new AtomicLong();
    /** Bytes of the data frames known to be written: those up to the last confirmed frame. */
    private final AtomicLong writtenTotal = new AtomicLong();
    /** Whether a queued frame carries a {@link WriteConfirmation} that has not run yet. */
    private final AtomicBoolean confirmationPending = new AtomicBoolean();
    private final AtomicBoolean closeReported = new AtomicBoolean();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final AtomicBoolean oversized = new AtomicBoolean();
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
            queue(TextPayloads.utf8(text), WebSocketFrameType.TEXT, size);
        }
    }

    @Override
    public void sendBinary(byte[] bytes) {
        if (writable() && reserve(bytes.length)) {
            queue(ByteBuffer.wrap(bytes), WebSocketFrameType.BINARY, bytes.length);
        }
    }

    /**
     * Queues a data frame with Undertow without flushing it, and requests a flush.
     *
     * <p>This uses Undertow's frame channel directly rather than {@code WebSockets.sendText}, which
     * runs a listener task on the I/O thread for every frame once it is written. Instead, one frame
     * at a time carries a {@link WriteConfirmation}. When it runs, every frame queued up to and
     * including that one has been written, since a connection writes its frames in order.
     */
    private void queue(ByteBuffer payload, WebSocketFrameType type, long size) {
        long total = queuedTotal.addAndGet(size);
        channel.setRequireExplicitFlush(true);
        try {
            StreamSinkFrameChannel frame = channel.send(type);
            if (!frame.send(new ImmediatePooledByteBuffer(payload))) {
                throw new IOException("Undertow did not take the payload of a new frame");
            }
            if (confirmationPending.compareAndSet(false, true)) {
                frame.getCloseSetter().set(new WriteConfirmation(total));
            }
            frame.shutdownWrites();
        } catch (IOException e) {
            // The connection is closed or broken, so the frame is dropped. Its close reaches the guest.
            log.debug("Sending to WebSocket client {} failed: {}", channel.getSourceAddress(), e.toString());
        } finally {
            channel.setRequireExplicitFlush(false);
        }
        requestFlush();
    }

    /**
     * Requests a flush of this socket's queued frames from its {@link FrameFlusher}. Sends switch
     * Undertow's explicit-flush mode on only for the call. A frame that another thread queues
     * meanwhile, such as a pong from the I/O thread, is written by the flush requested here.
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
        long queued = queuedTotal.get() + size - writtenTotal.get();
        if (queued > settings.sendBufferBytes()) {
            if (overflowed.compareAndSet(false, true)) {
                log.info("Closing WebSocket client {}: it stopped reading and {} bytes are queued for it (the limit is {})",
                        channel.getSourceAddress(), queued, settings.sendBufferBytes());
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

    /**
     * Runs on the I/O thread once Undertow wrote or dropped the frame it was set on, which frees
     * the counted bytes of that frame and of every frame queued before it.
     */
    private final class WriteConfirmation implements ChannelListener<StreamSinkFrameChannel> {
        private final long total;

        WriteConfirmation(long total) {
            this.total = total;
        }

        @Override
        public void handleEvent(StreamSinkFrameChannel frame) {
            writtenTotal.accumulateAndGet(total, Math::max);
            confirmationPending.set(false);
        }
    }

    /**
     * Closes the connection for a message over {@link WebSocketSettings#maxMessageBytes()}: with
     * 1009 and a reason that names the limit and its option, then drops it once that frame is out.
     * Call on the I/O thread.
     */
    private void rejectOversizedMessage() {
        if (!oversized.compareAndSet(false, true)) {
            return;
        }
        String limit = Values.formatBytes(settings.maxMessageBytes());
        log.info("Closing WebSocket client {} of {} with 1009: it sent a message over {}, the limit set by {}",
                channel.getSourceAddress(), events.owner(), limit, HostOptions.WEBSOCKET_MAX_MESSAGE.name());
        reportClose(1009, "Message is too large", false);
        if (channel.isCloseFrameSent()) {
            IoUtils.safeClose(channel);
            return;
        }
        WebSockets.sendClose(1009, oversizedReason(settings.maxMessageBytes()), channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel closed, Void context) {
                IoUtils.safeClose(closed);
            }

            @Override
            public void onError(WebSocketChannel closed, Void context, Throwable error) {
                IoUtils.safeClose(closed);
            }
        });
    }

    /**
     * Returns the close reason for a message over {@code maxMessageBytes}: workerd's "Message is
     * too large", then the limit and the option that raises it. It stays within the 123 bytes that
     * a close frame allows for a reason.
     */
    static String oversizedReason(long maxMessageBytes) {
        return "Message is too large: the limit is " + Values.formatBytes(maxMessageBytes) + " ("
                + HostOptions.WEBSOCKET_MAX_MESSAGE.name() + ")";
    }

    /**
     * Reads each data message in pieces and counts its bytes as they arrive, so that an oversized
     * message is rejected by {@link #rejectOversizedMessage} before it is buffered whole. Undertow's
     * own limit stays off: it would close with a reason of its own ("UT002040: ...").
     */
    private final class Listener extends AbstractReceiveListener {

        @Override
        protected void onText(WebSocketChannel source, StreamSourceFrameChannel messageChannel) {
            new BufferedTextMessage(-1, false).read(messageChannel, new TextAssembler());
        }

        @Override
        protected void onBinary(WebSocketChannel source, StreamSourceFrameChannel messageChannel) {
            new BufferedBinaryMessage(-1, false).read(messageChannel, new BinaryAssembler());
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
            readFailed(source, error);
        }
    }

    /** Reports a connection whose reading failed as dropped, and closes it. Call on the I/O thread. */
    private void readFailed(WebSocketChannel source, Throwable error) {
        log.debug("WebSocket client {} failed: {}", source.getSourceAddress(), error.toString());
        reportClose(1006, "WebSocket disconnected without sending Close frame.", false);
        IoUtils.safeClose(source);
    }

    /** Joins the pieces of one text message, counting their UTF-8 bytes against the limit. */
    private final class TextAssembler implements WebSocketCallback<BufferedTextMessage> {
        private final StringBuilder text = new StringBuilder();
        private long bytes;
        private boolean rejected;

        @Override
        public void complete(WebSocketChannel source, BufferedTextMessage message) {
            String piece = message.getData();
            if (rejected) {
                return;
            }
            bytes += Utf8.encodedLength(piece);
            if (bytes > settings.maxMessageBytes()) {
                rejected = true;
                text.setLength(0);
                rejectOversizedMessage();
                return;
            }
            text.append(piece);
            if (message.isComplete()) {
                String whole = text.toString();
                events.text(whole, received((long) whole.length() * 2));
            }
        }

        @Override
        public void onError(WebSocketChannel source, BufferedTextMessage message, Throwable error) {
            readFailed(source, error);
        }
    }

    /** Joins the pieces of one binary message, counting their bytes against the limit. */
    private final class BinaryAssembler implements WebSocketCallback<BufferedBinaryMessage> {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean rejected;

        @Override
        public void complete(WebSocketChannel source, BufferedBinaryMessage message) {
            var pooled = message.getData();
            try {
                if (rejected) {
                    return;
                }
                for (ByteBuffer buffer : pooled.getResource()) {
                    if (bytes.size() + (long) buffer.remaining() > settings.maxMessageBytes()) {
                        rejected = true;
                        bytes.reset();
                        rejectOversizedMessage();
                        return;
                    }
                    byte[] piece = new byte[buffer.remaining()];
                    buffer.get(piece);
                    bytes.writeBytes(piece);
                }
            } finally {
                pooled.free();
            }
            if (message.isComplete()) {
                byte[] whole = bytes.toByteArray();
                events.binary(whole, received(whole.length));
            }
        }

        @Override
        public void onError(WebSocketChannel source, BufferedBinaryMessage message, Throwable error) {
            readFailed(source, error);
        }
    }
}
