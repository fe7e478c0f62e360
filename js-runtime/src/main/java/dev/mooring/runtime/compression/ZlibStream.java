package dev.mooring.runtime.compression;

import dev.mooring.runtime.RuntimeIntrinsics;
import java.util.Arrays;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * The Java half of one {@code CompressionStream} or {@code DecompressionStream}, which JS keeps
 * and calls through its exported methods. JS pushes one chunk, pulls output until {@link #pull}
 * returns null, and waits for its reader between pulls. So the output in memory at any time is
 * at most {@link #PIECE_BYTES} here plus what the JS stream queues, whatever the input expands to.
 *
 * <p>A corrupt input does not throw into JS, because a guest cannot read a host exception's
 * message: {@link #pull} returns the message of workerd's TypeError instead. Calls that break the
 * protocol (a push before the previous input is used up, a call after {@link #release}) are
 * runtime bugs and throw {@link IllegalStateException}.
 *
 * <p>Threads: used only on the event loop of the context that opened it. A stream that JS drops
 * without {@link #release} frees its zlib memory when the JDK's cleaner collects its {@code
 * Deflater} or {@code Inflater}.
 */
public final class ZlibStream {

    /** The maximum number of bytes that one {@link #pull} returns. */
    public static final int PIECE_BYTES = 64 * 1024;

    private final Codec codec;
    private final byte[] piece = new byte[PIECE_BYTES];
    private boolean drained = true;
    private boolean released;

    private ZlibStream(Codec codec) {
        this.codec = codec;
    }

    /**
     * Opens a stream that compresses ({@code compress} true) or decompresses data of {@code format}.
     *
     * @throws IllegalArgumentException for a format name that {@link CompressionFormat#named} does not know
     */
    public static ZlibStream open(boolean compress, String formatName) {
        CompressionFormat format = CompressionFormat.named(formatName);
        if (format == null) {
            throw new IllegalArgumentException("Unknown compression format " + formatName);
        }
        return new ZlibStream(compress ? new Compressor(format) : new Decompressor(format));
    }

    /** Takes {@code length} bytes of the JS ArrayBuffer {@code buffer} from {@code offset} on, copied. */
    @HostAccess.Export
    public void push(Value buffer, int offset, int length) {
        requireOpen();
        if (!drained) {
            throw new IllegalStateException("push() before pull() returned null for the previous input");
        }
        byte[] bytes = new byte[length];
        buffer.readBuffer(offset, bytes, 0, length);
        codec.input(bytes);
        drained = false;
    }

    /** Marks the end of the input; the remaining output follows from {@link #pull}. */
    @HostAccess.Export
    public void end() {
        requireOpen();
        codec.endInput();
        drained = false;
    }

    /**
     * Returns the next piece of output as a read-only ByteBuffer of 1 to {@link #PIECE_BYTES} bytes,
     * null once the input so far yields no more, or a String with the message of the TypeError to
     * raise for corrupt input. After a String, the stream is released.
     */
    @HostAccess.Export
    public Object pull() {
        requireOpen();
        int length;
        try {
            length = codec.output(piece);
        } catch (CompressionFailure failure) {
            release();
            return failure.getMessage();
        }
        if (length == 0) {
            drained = true;
            return null;
        }
        return RuntimeIntrinsics.bufferFor(Arrays.copyOf(piece, length));
    }

    /** Frees zlib's memory. Further calls other than this one throw; a second release does nothing. */
    @HostAccess.Export
    public void release() {
        if (!released) {
            released = true;
            codec.release();
        }
    }

    private void requireOpen() {
        if (released) {
            throw new IllegalStateException("The compression stream has been released");
        }
    }
}
