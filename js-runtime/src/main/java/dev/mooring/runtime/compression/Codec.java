package dev.mooring.runtime.compression;

/**
 * One direction of a compression stream. The caller alternates: it gives one input, then takes
 * output until {@link #output} returns 0, then gives the next input. After {@link #endInput} it
 * takes output until {@link #output} returns 0, and the stream is done.
 */
interface Codec {

    /** Takes the next input, which the codec keeps until it has used all of it. */
    void input(byte[] bytes);

    /** Marks the end of the input. */
    void endInput();

    /**
     * Writes up to {@code out.length} bytes of output into {@code out} and returns how many. Returns
     * 0 once the input given so far yields no more output.
     */
    int output(byte[] out) throws CompressionFailure;

    /** Frees zlib's native memory. No other call may follow. */
    void release();
}
