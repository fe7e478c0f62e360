package dev.mooring.runtime.encoding;

/** The Encoding Standard's EUC-KR decoder, which reads the whole of windows-949 (Unified Hangul Code). */
final class EucKrHandler extends LeadByteHandler {

    @Override
    boolean isLead(int value) {
        return inRange(value, 0x81, 0xfe);
    }

    @Override
    int pair(int leadByte, int trailByte, StringBuilder out) {
        if (!inRange(trailByte, 0x41, 0xfe)) {
            return ERROR;
        }
        int codePoint = Indexes.eucKr((leadByte - 0x81) * 190 + trailByte - 0x41);
        return codePoint == Indexes.MISSING ? ERROR : codePoint;
    }
}
