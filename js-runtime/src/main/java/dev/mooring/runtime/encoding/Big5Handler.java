package dev.mooring.runtime.encoding;

/** The Encoding Standard's Big5 decoder, with the HKSCS extensions. */
final class Big5Handler extends LeadByteHandler {

    @Override
    boolean isLead(int value) {
        return inRange(value, 0x81, 0xfe);
    }

    @Override
    int pair(int leadByte, int trailByte, StringBuilder out) {
        if (!inRange(trailByte, 0x40, 0x7e) && !inRange(trailByte, 0xa1, 0xfe)) {
            return ERROR;
        }
        int pointer = (leadByte - 0x81) * 157 + trailByte - (trailByte < 0x7f ? 0x40 : 0x62);
        // Four pointers decode to a letter and a combining mark.
        switch (pointer) {
            case 1133 -> {
                return appendPair(out, 0x00ca, 0x0304);
            }
            case 1135 -> {
                return appendPair(out, 0x00ca, 0x030c);
            }
            case 1164 -> {
                return appendPair(out, 0x00ea, 0x0304);
            }
            case 1166 -> {
                return appendPair(out, 0x00ea, 0x030c);
            }
            default -> {
                int codePoint = Indexes.big5(pointer);
                return codePoint == Indexes.MISSING ? ERROR : codePoint;
            }
        }
    }

    private static int appendPair(StringBuilder out, int first, int second) {
        out.appendCodePoint(first).appendCodePoint(second);
        return CONTINUE;
    }
}
