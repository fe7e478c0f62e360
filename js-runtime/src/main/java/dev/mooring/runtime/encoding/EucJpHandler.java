package dev.mooring.runtime.encoding;

/** The Encoding Standard's EUC-JP decoder: JIS X 0208, half-width katakana after 0x8E, and JIS X 0212 after 0x8F. */
final class EucJpHandler extends ByteHandler {

    private int lead;
    private boolean jis0212;

    @Override
    void reset() {
        super.reset();
        lead = 0;
        jis0212 = false;
    }

    @Override
    int handle(int value, StringBuilder out) {
        if (value == END) {
            if (lead == 0) {
                return FINISHED;
            }
            lead = 0;
            return ERROR;
        }
        if (lead == 0x8e && inRange(value, 0xa1, 0xdf)) {
            lead = 0;
            return 0xff61 - 0xa1 + value;
        }
        if (lead == 0x8f && inRange(value, 0xa1, 0xfe)) {
            jis0212 = true;
            lead = value;
            return CONTINUE;
        }
        if (lead != 0) {
            int leadByte = lead;
            lead = 0;
            int codePoint = Indexes.MISSING;
            if (inRange(leadByte, 0xa1, 0xfe) && inRange(value, 0xa1, 0xfe)) {
                int pointer = (leadByte - 0xa1) * 94 + value - 0xa1;
                codePoint = jis0212 ? Indexes.jis0212(pointer) : Indexes.jis0208(pointer);
            }
            jis0212 = false;
            if (codePoint != Indexes.MISSING) {
                return codePoint;
            }
            if (isAscii(value)) {
                prepend(value);
            }
            return ERROR;
        }
        if (isAscii(value)) {
            return value;
        }
        if (value == 0x8e || value == 0x8f || inRange(value, 0xa1, 0xfe)) {
            lead = value;
            return CONTINUE;
        }
        return ERROR;
    }
}
