package dev.mooring.runtime.encoding;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;

/**
 * The Encoding Standard's gb18030 decoder, which is GBK's decoder too: one byte, two bytes from
 * the gb18030 index, or four bytes from the standard's ranges. The JDK's GB18030 charset decodes
 * the four-byte sequences that the ranges cover.
 */
final class Gb18030Handler extends ByteHandler {

    private static final int LAST_BMP_POINTER = 39419;
    private static final int FIRST_SUPPLEMENTARY_POINTER = 189000;
    private static final int LAST_SUPPLEMENTARY_POINTER = 1237575;

    private final CharsetDecoder fourByteDecoder = Charset.forName("GB18030").newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private int first;
    private int second;
    private int third;

    @Override
    void reset() {
        super.reset();
        first = 0;
        second = 0;
        third = 0;
    }

    @Override
    int handle(int value, StringBuilder out) {
        if (value == END) {
            if (first == 0 && second == 0 && third == 0) {
                return FINISHED;
            }
            first = 0;
            second = 0;
            third = 0;
            return ERROR;
        }
        if (third != 0) {
            if (!inRange(value, 0x30, 0x39)) {
                prepend(second, third, value);
                first = 0;
                second = 0;
                third = 0;
                return ERROR;
            }
            int codePoint = fourByteCodePoint(first, second, third, value);
            first = 0;
            second = 0;
            third = 0;
            return codePoint == Indexes.MISSING ? ERROR : codePoint;
        }
        if (second != 0) {
            if (inRange(value, 0x81, 0xfe)) {
                third = value;
                return CONTINUE;
            }
            prepend(second, value);
            first = 0;
            second = 0;
            return ERROR;
        }
        if (first != 0) {
            if (inRange(value, 0x30, 0x39)) {
                second = value;
                return CONTINUE;
            }
            int leadByte = first;
            first = 0;
            int codePoint = Indexes.MISSING;
            if (inRange(value, 0x40, 0x7e) || inRange(value, 0x80, 0xfe)) {
                codePoint = Indexes.gb18030((leadByte - 0x81) * 190 + value - (value < 0x7f ? 0x40 : 0x41));
            }
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
        if (value == 0x80) {
            return 0x20ac;
        }
        if (inRange(value, 0x81, 0xfe)) {
            first = value;
            return CONTINUE;
        }
        return ERROR;
    }

    private int fourByteCodePoint(int byte1, int byte2, int byte3, int byte4) {
        int pointer = (((byte1 - 0x81) * 10 + byte2 - 0x30) * 126 + byte3 - 0x81) * 10 + byte4 - 0x30;
        if ((pointer > LAST_BMP_POINTER && pointer < FIRST_SUPPLEMENTARY_POINTER) || pointer > LAST_SUPPLEMENTARY_POINTER) {
            return Indexes.MISSING;
        }
        if (pointer == 7457) {
            return 0xe7c7;
        }
        if (pointer >= FIRST_SUPPLEMENTARY_POINTER) {
            return 0x10000 + pointer - FIRST_SUPPLEMENTARY_POINTER;
        }
        // The JDK's GB18030 follows GB18030-2022, which moved these two runs to private use.
        // The Encoding Standard keeps them on U+9FB4 to U+9FBB and U+FE10 to U+FE19.
        if (pointer >= 19057 && pointer <= 19064) {
            return 0x9fb4 + pointer - 19057;
        }
        if (pointer >= 39076 && pointer <= 39085) {
            return 0xfe10 + pointer - 39076;
        }
        try {
            String text = fourByteDecoder.reset()
                    .decode(ByteBuffer.wrap(new byte[] {(byte) byte1, (byte) byte2, (byte) byte3, (byte) byte4}))
                    .toString();
            return text.codePointCount(0, text.length()) == 1 ? text.codePointAt(0) : Indexes.MISSING;
        } catch (CharacterCodingException e) {
            return Indexes.MISSING;
        }
    }
}
