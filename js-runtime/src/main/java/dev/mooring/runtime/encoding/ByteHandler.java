package dev.mooring.runtime.encoding;

/**
 * A decoder of the Encoding Standard, as its "handler" algorithm: it takes one byte at a time,
 * or {@link #END} at the end of the input, and keeps what it has read of an unfinished
 * character in its own fields.
 */
abstract class ByteHandler {

    /** The end of the input ("end-of-queue" in the standard). */
    static final int END = -1;
    /** {@link #handle} appended nothing and wants the next byte. */
    static final int CONTINUE = -1;
    /** {@link #handle} met an invalid sequence: the caller appends U+FFFD or fails. */
    static final int ERROR = -2;
    /** {@link #handle} was given {@link #END} and has no unfinished character. */
    static final int FINISHED = -3;

    /** Bytes that {@link #handle} gave back, to be read again before the rest of the input. */
    private final int[] prepended = new int[3];
    private int prependedCount;

    /**
     * Handles {@code value} (a byte from 0 to 255, or {@link #END}). Returns a code point for the
     * caller to append, or {@link #CONTINUE}, {@link #ERROR} or {@link #FINISHED}. A handler that
     * makes two code points appends them to {@code out} itself and returns {@link #CONTINUE}.
     */
    abstract int handle(int value, StringBuilder out);

    /** Forgets any unfinished character, for a new stream. */
    void reset() {
        prependedCount = 0;
    }

    /** Gives bytes back to the input, to be read again in this order ("prepend" in the standard). */
    final void prepend(int... values) {
        for (int i = values.length - 1; i >= 0; i--) {
            prepended[prependedCount++] = values[i];
        }
    }

    /** Returns the last byte given back with {@link #prepend}, or -1 when none is left. */
    final int takePrepended() {
        return prependedCount == 0 ? -1 : prepended[--prependedCount];
    }

    static boolean isAscii(int value) {
        return value >= 0 && value <= 0x7f;
    }

    static boolean inRange(int value, int low, int high) {
        return value >= low && value <= high;
    }
}
