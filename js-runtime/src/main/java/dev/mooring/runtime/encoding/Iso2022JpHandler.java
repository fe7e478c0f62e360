package dev.mooring.runtime.encoding;

/**
 * The Encoding Standard's ISO-2022-JP decoder: escape sequences switch between ASCII, JIS X 0201
 * Roman, half-width katakana and JIS X 0208, and two escape sequences in a row are an error.
 */
final class Iso2022JpHandler extends ByteHandler {

    private static final int ESCAPE = 0x1b;

    private enum State { ASCII, ROMAN, KATAKANA, LEAD_BYTE, TRAIL_BYTE, ESCAPE_START, ESCAPE }

    private State state = State.ASCII;
    /** The character set that the last escape sequence chose, which an invalid escape returns to. */
    private State outputState = State.ASCII;
    private int lead;
    /** Whether an escape sequence came last, with no character after it (the standard's "ISO-2022-JP output"). */
    private boolean escapedLast;

    @Override
    void reset() {
        super.reset();
        state = State.ASCII;
        outputState = State.ASCII;
        lead = 0;
        escapedLast = false;
    }

    @Override
    int handle(int value, StringBuilder out) {
        return switch (state) {
            case ASCII, ROMAN, KATAKANA, LEAD_BYTE -> {
                if (value == ESCAPE) {
                    state = State.ESCAPE_START;
                    yield CONTINUE;
                }
                if (value == END) {
                    yield FINISHED;
                }
                escapedLast = false;
                yield characterByte(value);
            }
            case TRAIL_BYTE -> trailByte(value);
            case ESCAPE_START -> {
                if (value == 0x24 || value == 0x28) {
                    lead = value;
                    state = State.ESCAPE;
                    yield CONTINUE;
                }
                if (value != END) {
                    prepend(value);
                }
                escapedLast = false;
                state = outputState;
                yield ERROR;
            }
            case ESCAPE -> escapeSequence(value);
        };
    }

    /** Decodes a byte other than ESC in one of the four character sets. */
    private int characterByte(int value) {
        boolean shiftByte = value == 0x0e || value == 0x0f;
        return switch (state) {
            case ASCII -> isAscii(value) && !shiftByte ? value : ERROR;
            case ROMAN -> {
                if (value == 0x5c) {
                    yield 0x00a5;
                }
                if (value == 0x7e) {
                    yield 0x203e;
                }
                yield isAscii(value) && !shiftByte ? value : ERROR;
            }
            case KATAKANA -> inRange(value, 0x21, 0x5f) ? 0xff61 - 0x21 + value : ERROR;
            default -> {
                if (inRange(value, 0x21, 0x7e)) {
                    lead = value;
                    state = State.TRAIL_BYTE;
                    yield CONTINUE;
                }
                yield ERROR;
            }
        };
    }

    private int trailByte(int value) {
        if (value == ESCAPE) {
            state = State.ESCAPE_START;
            return ERROR;
        }
        state = State.LEAD_BYTE;
        if (inRange(value, 0x21, 0x7e)) {
            int codePoint = Indexes.jis0208((lead - 0x21) * 94 + value - 0x21);
            return codePoint == Indexes.MISSING ? ERROR : codePoint;
        }
        // At the end of the input, the caller hands END in again, which LEAD_BYTE finishes.
        return ERROR;
    }

    private int escapeSequence(int value) {
        int leadByte = lead;
        lead = 0;
        State chosen = null;
        if (leadByte == 0x28 && value == 0x42) {
            chosen = State.ASCII;
        } else if (leadByte == 0x28 && value == 0x4a) {
            chosen = State.ROMAN;
        } else if (leadByte == 0x28 && value == 0x49) {
            chosen = State.KATAKANA;
        } else if (leadByte == 0x24 && (value == 0x40 || value == 0x42)) {
            chosen = State.LEAD_BYTE;
        }
        if (chosen != null) {
            state = chosen;
            outputState = chosen;
            boolean twoEscapesInARow = escapedLast;
            escapedLast = true;
            return twoEscapesInARow ? ERROR : CONTINUE;
        }
        if (value == END) {
            prepend(leadByte);
        } else {
            prepend(leadByte, value);
        }
        escapedLast = false;
        state = outputState;
        return ERROR;
    }
}
