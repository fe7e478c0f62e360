package dev.mooring.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes the primitive values of the runtime's value format ({@code
 * structured-clone.js}) in Java, byte for byte as the JS serializer does. Storing a number,
 * string or boolean, by far the most common values, then needs no JS serializer at all, which
 * matters most while guest code still runs in the interpreter.
 *
 * <p>Format, as written by the JS serializer: a version byte {@value #FORMAT_VERSION}, then a tag:
 * {@code 0x03}/{@code 0x04} false/true; {@code 0x05} a 32-bit integer other than -0 as a zigzag
 * varint; {@code 0x06} any other number as a little-endian double; {@code 0x08} a well-formed
 * string as a varint byte length and UTF-8; {@code 0x09} a string with lone surrogates as a varint
 * code-unit count and UTF-16LE. Other tags are left to the JS deserializer.
 */
public final class StoredValues {

    /** The format version byte that starts every stored value. */
    public static final int FORMAT_VERSION = 0x01;

    private static final int TAG_FALSE = 0x03;
    private static final int TAG_TRUE = 0x04;
    private static final int TAG_INT = 0x05;
    private static final int TAG_DOUBLE = 0x06;
    private static final int TAG_STRING_UTF8 = 0x08;
    private static final int TAG_STRING_UTF16 = 0x09;

    /** Returned by {@link #decodePrimitive} for values that only the JS deserializer can rebuild. */
    public static final Object NOT_PRIMITIVE = new Object();

    private StoredValues() {}

    /** Encodes a Boolean, a Number (as a JS number) or a String. */
    public static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16);
        out.write(FORMAT_VERSION);
        switch (value) {
            case Boolean b -> out.write(b ? TAG_TRUE : TAG_FALSE);
            case Number n -> writeNumber(out, n.doubleValue());
            case String s -> writeString(out, s);
            default -> throw new IllegalArgumentException("Not a primitive value: " + value.getClass().getName());
        }
        return out.toByteArray();
    }

    private static void writeNumber(ByteArrayOutputStream out, double number) {
        int asInt = (int) number;
        boolean negativeZero = number == 0 && Double.doubleToRawLongBits(number) != 0;
        if (asInt == number && !negativeZero) {
            out.write(TAG_INT);
            writeVarint(out, Integer.toUnsignedLong((asInt << 1) ^ (asInt >> 31)));
        } else {
            out.write(TAG_DOUBLE);
            byte[] bytes = new byte[8];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putDouble(number);
            out.writeBytes(bytes);
        }
    }

    private static void writeString(ByteArrayOutputStream out, String string) {
        if (isWellFormed(string)) {
            byte[] utf8 = string.getBytes(StandardCharsets.UTF_8);
            out.write(TAG_STRING_UTF8);
            writeVarint(out, utf8.length);
            out.writeBytes(utf8);
        } else {
            out.write(TAG_STRING_UTF16);
            writeVarint(out, string.length());
            for (int i = 0; i < string.length(); i++) {
                char unit = string.charAt(i);
                out.write(unit & 0xff);
                out.write(unit >>> 8);
            }
        }
    }

    private static boolean isWellFormed(String string) {
        for (int i = 0; i < string.length(); i++) {
            char c = string.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= string.length() || !Character.isLowSurrogate(string.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while (value >= 0x80) {
            out.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    /**
     * Decodes a stored value that is a boolean, number or string: a Boolean, an Integer or Double,
     * or a String. Returns {@link #NOT_PRIMITIVE} for any other value.
     */
    public static Object decodePrimitive(byte[] bytes) {
        if (bytes.length < 2 || (bytes[0] & 0xff) != FORMAT_VERSION) {
            return NOT_PRIMITIVE;
        }
        int[] position = {2};
        return switch (bytes[1] & 0xff) {
            case TAG_FALSE -> bytes.length == 2 ? Boolean.FALSE : NOT_PRIMITIVE;
            case TAG_TRUE -> bytes.length == 2 ? Boolean.TRUE : NOT_PRIMITIVE;
            case TAG_INT -> {
                long zigzag = readVarint(bytes, position);
                yield position[0] == bytes.length ? (int) ((zigzag >>> 1) ^ -(zigzag & 1)) : NOT_PRIMITIVE;
            }
            case TAG_DOUBLE -> bytes.length == 10
                    ? ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getDouble()
                    : NOT_PRIMITIVE;
            case TAG_STRING_UTF8 -> {
                long length = readVarint(bytes, position);
                yield position[0] + length == bytes.length
                        ? new String(bytes, position[0], (int) length, StandardCharsets.UTF_8)
                        : NOT_PRIMITIVE;
            }
            case TAG_STRING_UTF16 -> {
                long units = readVarint(bytes, position);
                if (position[0] + 2 * units != bytes.length) {
                    yield NOT_PRIMITIVE;
                }
                char[] chars = new char[(int) units];
                for (int i = 0; i < units; i++) {
                    int at = position[0] + 2 * i;
                    chars[i] = (char) ((bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8);
                }
                yield new String(chars);
            }
            default -> NOT_PRIMITIVE;
        };
    }

    private static long readVarint(byte[] bytes, int[] position) {
        long value = 0;
        int shift = 0;
        while (position[0] < bytes.length && shift < 64) {
            int b = bytes[position[0]++] & 0xff;
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
        }
        return -1;
    }
}
