package dev.mooring.runtime.encoding;

/**
 * The shape that the Encoding Standard's Shift_JIS, EUC-KR and Big5 decoders share: a character
 * is one byte, or a lead byte and a trail byte. When a pair decodes to nothing and its trail
 * byte is ASCII, the trail byte is read again as a character of its own.
 */
abstract class LeadByteHandler extends ByteHandler {

    private int lead;

    @Override
    void reset() {
        super.reset();
        lead = 0;
    }

    @Override
    final int handle(int value, StringBuilder out) {
        if (value == END) {
            if (lead == 0) {
                return FINISHED;
            }
            lead = 0;
            return ERROR;
        }
        if (lead != 0) {
            int leadByte = lead;
            lead = 0;
            int result = pair(leadByte, value, out);
            if (result == ERROR && isAscii(value)) {
                prepend(value);
            }
            return result;
        }
        if (isAscii(value)) {
            return value;
        }
        if (isLead(value)) {
            lead = value;
            return CONTINUE;
        }
        return single(value);
    }

    /** Returns whether {@code value} starts a two-byte character. */
    abstract boolean isLead(int value);

    /**
     * Returns the code point of a lead byte and a trail byte, or {@link #ERROR}. A pair that
     * decodes to two code points appends them to {@code out} and returns {@link #CONTINUE}.
     */
    abstract int pair(int leadByte, int trailByte, StringBuilder out);

    /** Returns the code point of a byte that is neither ASCII nor a lead byte, or {@link #ERROR}. */
    int single(int value) {
        return ERROR;
    }
}
