package dev.mooring.host.http;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioIoThread;

/**
 * Flushes the frames that event loops queue for WebSocket connections, in batches, on the I/O
 * thread that serves those connections. There is one flusher per I/O thread.
 *
 * <p>Undertow flushes a frame as soon as it is queued. From a thread other than the I/O thread,
 * that costs a task on the I/O thread's queue and usually one socket write per frame, so a room
 * that broadcasts one message to 200 clients queues 200 tasks. Instead, a {@link NetworkSocket}
 * queues its frames without a flush and requests one from its flusher. All connections that
 * request a flush while one is scheduled share one task, and each of them writes what was queued
 * for it since its last flush in one gathering write. When the I/O thread keeps up, every frame
 * still leaves at once. When it falls behind, the batches grow and the writes per frame fall.
 *
 * <p>Threads: {@link #request} is called from any thread, {@link #run} runs on the I/O thread.
 * The flusher never writes from the calling thread.
 */
final class FrameFlusher implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(FrameFlusher.class);

    private final XnioIoThread ioThread;
    private final Queue<NetworkSocket> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    FrameFlusher(XnioIoThread ioThread) {
        this.ioThread = ioThread;
    }

    /** Flushes {@code socket}'s queued frames soon. A socket requests one flush at a time. */
    void request(NetworkSocket socket) {
        waiting.add(socket);
        if (scheduled.compareAndSet(false, true)) {
            try {
                ioThread.execute(this);
            } catch (RejectedExecutionException stopping) {
                // The server is stopping and closes every connection, so the frames have no reader left.
                scheduled.set(false);
                waiting.clear();
                log.debug("Dropped a WebSocket flush: the I/O thread is stopping");
            }
        }
    }

    @Override
    public void run() {
        // Cleared first: a request from here on schedules another run, so none is missed.
        scheduled.set(false);
        NetworkSocket socket;
        while ((socket = waiting.poll()) != null) {
            socket.flushQueuedFrames();
        }
    }
}
