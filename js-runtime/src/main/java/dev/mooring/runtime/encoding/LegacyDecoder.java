package dev.mooring.runtime.encoding;

import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * The Java half of a {@code TextDecoder} for a legacy encoding, which JS keeps and calls through
 * {@link #decode}. It runs the Encoding Standard's "decode" steps around one {@link ByteHandler}:
 * a call with {@code stream} false ends the stream (an unfinished character at the end is an
 * error), and the call after it starts a new one. Legacy encodings have no byte order mark, so
 * {@code ignoreBOM} does not apply.
 *
 * <p>Threads: used only on the event loop of the context that opened it.
 */
public final class LegacyDecoder {

    private final ByteHandler handler;
    private final boolean fatal;
    /** The standard's "do not flush": the previous call passed {@code stream: true}. */
    private boolean streaming;

    private LegacyDecoder(ByteHandler handler, boolean fatal) {
        this.handler = handler;
        this.fatal = fatal;
    }

    /**
     * Opens a decoder for {@code encoding}, by its standard name such as "shift_jis" or
     * "iso-8859-2". With {@code fatal}, invalid input makes {@link #decode} return null instead
     * of decoding to U+FFFD.
     *
     * @throws IllegalArgumentException for a name that is not a legacy encoding of the standard
     */
    public static LegacyDecoder open(String encoding, boolean fatal) {
        ByteHandler handler = SingleByteTables.has(encoding) ? new SingleByteHandler(SingleByteTables.of(encoding))
                : multiByteHandler(encoding);
        if (handler == null) {
            throw new IllegalArgumentException("Unsupported legacy encoding " + encoding);
        }
        return new LegacyDecoder(handler, fatal);
    }

    private static ByteHandler multiByteHandler(String encoding) {
        return switch (encoding) {
            case "shift_jis" -> new ShiftJisHandler();
            case "euc-jp" -> new EucJpHandler();
            case "iso-2022-jp" -> new Iso2022JpHandler();
            case "euc-kr" -> new EucKrHandler();
            case "gbk", "gb18030" -> new Gb18030Handler();
            case "big5" -> new Big5Handler();
            default -> null;
        };
    }

    /**
     * Decodes {@code length} bytes of the JS ArrayBuffer {@code buffer} from {@code offset} on.
     * With {@code stream}, an unfinished character at the end waits for the next call. Returns
     * null when the decoder is fatal and the input is invalid.
     */
    @HostAccess.Export
    public String decode(Value buffer, int offset, int length, boolean stream) {
        byte[] bytes = new byte[length];
        if (length > 0) {
            buffer.readBuffer(offset, bytes, 0, length);
        }
        return decode(bytes, stream);
    }

    /** Decodes {@code bytes} as {@link #decode(Value, int, int, boolean)} does. */
    String decode(byte[] bytes, boolean stream) {
        if (!streaming) {
            handler.reset();
        }
        streaming = stream;
        StringBuilder out = new StringBuilder(bytes.length);
        int index = 0;
        for (;;) {
            // Bytes that the handler gave back come first, then the input, then (unless the
            // stream goes on) the end of the input, until the handler has finished.
            int value = handler.takePrepended();
            if (value < 0) {
                if (index < bytes.length) {
                    value = bytes[index++] & 0xff;
                } else if (stream) {
                    break;
                } else {
                    value = ByteHandler.END;
                }
            }
            int result = handler.handle(value, out);
            if (result == ByteHandler.FINISHED) {
                break;
            }
            if (!append(result, out)) {
                return null;
            }
        }
        return out.toString();
    }

    /** Appends what a handler returned; returns false for an error of a fatal decoder. */
    private boolean append(int result, StringBuilder out) {
        if (result >= 0) {
            out.appendCodePoint(result);
        } else if (result == ByteHandler.ERROR) {
            if (fatal) {
                return false;
            }
            out.append('\uFFFD');
        }
        return true;
    }
}
