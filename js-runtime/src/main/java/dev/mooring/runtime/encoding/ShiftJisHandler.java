package dev.mooring.runtime.encoding;

/** The Encoding Standard's Shift_JIS decoder. */
final class ShiftJisHandler extends LeadByteHandler {

    @Override
    boolean isLead(int value) {
        return inRange(value, 0x81, 0x9f) || inRange(value, 0xe0, 0xfc);
    }

    @Override
    int pair(int leadByte, int trailByte, StringBuilder out) {
        if (!inRange(trailByte, 0x40, 0x7e) && !inRange(trailByte, 0x80, 0xfc)) {
            return ERROR;
        }
        int leadOffset = leadByte < 0xa0 ? 0x81 : 0xc1;
        int pointer = (leadByte - leadOffset) * 188 + trailByte - (trailByte < 0x7f ? 0x40 : 0x41);
        if (pointer >= Indexes.JIS0208_USER_DEFINED_FIRST && pointer <= Indexes.JIS0208_USER_DEFINED_LAST) {
            return 0xe000 - Indexes.JIS0208_USER_DEFINED_FIRST + pointer;
        }
        int codePoint = Indexes.jis0208(pointer);
        return codePoint == Indexes.MISSING ? ERROR : codePoint;
    }

    @Override
    int single(int value) {
        if (value == 0x80) {
            return value;
        }
        // Half-width katakana.
        return inRange(value, 0xa1, 0xdf) ? 0xff61 - 0xa1 + value : ERROR;
    }
}
