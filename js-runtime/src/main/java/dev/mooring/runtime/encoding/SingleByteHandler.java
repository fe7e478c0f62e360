package dev.mooring.runtime.encoding;

/** The Encoding Standard's single-byte decoder: ASCII as it is, and a table for 0x80 to 0xFF. */
final class SingleByteHandler extends ByteHandler {

    private final char[] upperHalf;

    SingleByteHandler(char[] upperHalf) {
        this.upperHalf = upperHalf;
    }

    @Override
    int handle(int value, StringBuilder out) {
        if (value == END) {
            return FINISHED;
        }
        if (isAscii(value)) {
            return value;
        }
        char codePoint = upperHalf[value - 0x80];
        return codePoint == SingleByteTables.UNMAPPED ? ERROR : codePoint;
    }
}
