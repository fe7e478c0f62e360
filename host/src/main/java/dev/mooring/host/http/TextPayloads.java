package dev.mooring.host.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

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
 * <p>Threads: one instance per sending thread. The bytes are never written after they were
 * encoded, so I/O threads may read the views that sends hand out while the sender goes on.
 */
final class TextPayloads {

    /** Longer texts are encoded per send; this bounds the direct memory each thread holds. */
    private static final int MAX_SHARED_BYTES = 64 << 10;

    private static final ThreadLocal<TextPayloads> PER_THREAD = ThreadLocal.withInitial(TextPayloads::new);

    private String lastText;
    private ByteBuffer lastBytes;
    private boolean shared;

    private TextPayloads() {}

    /** Returns a buffer of {@code text}'s UTF-8 bytes, positioned at 0, for one send. */
    static ByteBuffer utf8(String text) {
        return PER_THREAD.get().bytesOf(text);
    }

    private ByteBuffer bytesOf(String text) {
        if (text.equals(lastText)) {
            if (!shared && lastBytes.remaining() <= MAX_SHARED_BYTES) {
                lastBytes = ByteBuffer.allocateDirect(lastBytes.remaining()).put(lastBytes).flip();
                shared = true;
            }
            return lastBytes.duplicate();
        }
        lastText = text;
        lastBytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        shared = false;
        return lastBytes.duplicate();
    }
}
