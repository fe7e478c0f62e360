package dev.mooring.host.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The UTF-8 bytes of the text that a thread sent last, so that a broadcast encodes its message
 * once instead of once per client.
 *
 * <p>A room sends the same string to each of its clients. Encoding it per client costs an array
 * and a copy each time, and the socket write copies a heap buffer once more into a direct one.
 * Each sending thread keeps its last text and that text's bytes. The second send of an equal text
 * moves the bytes into a direct buffer, and from then on every send gets its own view of that
 * buffer, which the socket write reads in place. A text sent only once costs what it did before:
 * one encoding into a heap buffer.
 *
 * <p>Threads: a thread's last text sits in a slot chosen by its thread id, not in a {@code
 * ThreadLocal}. The launcher compiles Java with C1, which looks a {@code ThreadLocal} up through a
 * native call per send. Two threads that share a slot only replace each other's text, which costs
 * an encoding, never a wrong payload: a slot contains an immutable {@link Encoded}, and its bytes are
 * never written after they were encoded, so I/O threads may read the views that sends hand out.
 */
final class TextPayloads {

    /** Longer texts stay in a heap buffer, so this bounds the direct memory that each slot keeps. */
    private static final int MAX_SHARED_BYTES = 64 << 10;

    /** Slots for sending threads, a power of two; event loops and I/O threads are a few each. */
    private static final int SLOTS = 16;

    private static final AtomicReferenceArray<Encoded> LAST = new AtomicReferenceArray<>(SLOTS);

    /** A text and its bytes, in a heap buffer until the text is sent a second time. */
    private record Encoded(String text, ByteBuffer bytes, boolean direct) {}

    private TextPayloads() {}

    /** Returns a buffer of {@code text}'s UTF-8 bytes, positioned at 0, for one send. */
    static ByteBuffer utf8(String text) {
        int slot = (int) Thread.currentThread().threadId() & (SLOTS - 1);
        Encoded last = LAST.getAcquire(slot);
        if (last != null && text.equals(last.text())) {
            if (!last.direct() && last.bytes().remaining() <= MAX_SHARED_BYTES) {
                ByteBuffer bytes = last.bytes();
                last = new Encoded(text, ByteBuffer.allocateDirect(bytes.remaining()).put(bytes.duplicate()).flip(), true);
                LAST.setRelease(slot, last);
            }
            return last.bytes().duplicate();
        }
        Encoded encoded = new Encoded(text, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), false);
        LAST.setRelease(slot, encoded);
        return encoded.bytes().duplicate();
    }
}
