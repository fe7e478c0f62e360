package dev.mooring.runtime.encoding;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.HashMap;
import java.util.Map;

/**
 * The tables of the Encoding Standard's single-byte encodings, for bytes 0x80 to 0xFF, built
 * from the JDK charset of the same name. Where the standard's index differs from the JDK's
 * mapping, the standard wins; {@code SingleByteEncodingTest} compares every byte of every table
 * with the standard's index as Chromium 156 decodes it. The differences are:
 *
 * <ul>
 *   <li>windows-874 and windows-1250 to windows-1258 map each byte from 0x80 to 0x9F that the JDK
 *       leaves unmapped to the C1 control of the same value, and windows-1255 maps 0xCA to U+05BA.
 *   <li>koi8-u is KOI8-RU in the standard: 0xAE and 0xBE are U+045E and U+040E.
 *   <li>x-mac-cyrillic has the later Mac OS mapping: 0xA2, 0xB6 and 0xFF are U+0490, U+0491
 *       and U+20AC.
 *   <li>The JDK has no ISO-8859-10 and ISO-8859-14, so their tables are written out here.
 * </ul>
 *
 * windows-1252 is not here: the runtime decodes it in JS (encoding.js).
 */
final class SingleByteTables {

    /** A table entry for a byte that the encoding leaves unmapped, which decodes as an error. */
    static final char UNMAPPED = '\uFFFD';

    private static final String C1 = c1Controls();

    private static final String ISO_8859_10_FROM_A0 =
            "\u00A0\u0104\u0112\u0122\u012A\u0128\u0136\u00A7\u013B\u0110\u0160\u0166\u017D\u00AD\u016A\u014A"
            + "\u00B0\u0105\u0113\u0123\u012B\u0129\u0137\u00B7\u013C\u0111\u0161\u0167\u017E\u2015\u016B\u014B"
            + "\u0100\u00C1\u00C2\u00C3\u00C4\u00C5\u00C6\u012E\u010C\u00C9\u0118\u00CB\u0116\u00CD\u00CE\u00CF"
            + "\u00D0\u0145\u014C\u00D3\u00D4\u00D5\u00D6\u0168\u00D8\u0172\u00DA\u00DB\u00DC\u00DD\u00DE\u00DF"
            + "\u0101\u00E1\u00E2\u00E3\u00E4\u00E5\u00E6\u012F\u010D\u00E9\u0119\u00EB\u0117\u00ED\u00EE\u00EF"
            + "\u00F0\u0146\u014D\u00F3\u00F4\u00F5\u00F6\u0169\u00F8\u0173\u00FA\u00FB\u00FC\u00FD\u00FE\u0138";

    private static final String ISO_8859_14_FROM_A0 =
            "\u00A0\u1E02\u1E03\u00A3\u010A\u010B\u1E0A\u00A7\u1E80\u00A9\u1E82\u1E0B\u1EF2\u00AD\u00AE\u0178"
            + "\u1E1E\u1E1F\u0120\u0121\u1E40\u1E41\u00B6\u1E56\u1E81\u1E57\u1E83\u1E60\u1EF3\u1E84\u1E85\u1E61"
            + "\u00C0\u00C1\u00C2\u00C3\u00C4\u00C5\u00C6\u00C7\u00C8\u00C9\u00CA\u00CB\u00CC\u00CD\u00CE\u00CF"
            + "\u0174\u00D1\u00D2\u00D3\u00D4\u00D5\u00D6\u1E6A\u00D8\u00D9\u00DA\u00DB\u00DC\u00DD\u0176\u00DF"
            + "\u00E0\u00E1\u00E2\u00E3\u00E4\u00E5\u00E6\u00E7\u00E8\u00E9\u00EA\u00EB\u00EC\u00ED\u00EE\u00EF"
            + "\u0175\u00F1\u00F2\u00F3\u00F4\u00F5\u00F6\u1E6B\u00F8\u00F9\u00FA\u00FB\u00FC\u00FD\u0177\u00FF";

    /** Standard names to JDK charset names, for the tables built from a JDK charset. */
    private static final Map<String, String> JDK_CHARSETS = Map.ofEntries(
            Map.entry("ibm866", "IBM866"),
            Map.entry("iso-8859-2", "ISO-8859-2"),
            Map.entry("iso-8859-3", "ISO-8859-3"),
            Map.entry("iso-8859-4", "ISO-8859-4"),
            Map.entry("iso-8859-5", "ISO-8859-5"),
            Map.entry("iso-8859-6", "ISO-8859-6"),
            Map.entry("iso-8859-7", "ISO-8859-7"),
            Map.entry("iso-8859-8", "ISO-8859-8"),
            // The standard's iso-8859-8-i has the same index; only the direction of text differs.
            Map.entry("iso-8859-8-i", "ISO-8859-8"),
            Map.entry("iso-8859-13", "ISO-8859-13"),
            Map.entry("iso-8859-15", "ISO-8859-15"),
            Map.entry("iso-8859-16", "ISO-8859-16"),
            Map.entry("koi8-r", "KOI8-R"),
            Map.entry("koi8-u", "KOI8-U"),
            Map.entry("macintosh", "x-MacRoman"),
            Map.entry("windows-874", "x-windows-874"),
            Map.entry("windows-1250", "windows-1250"),
            Map.entry("windows-1251", "windows-1251"),
            Map.entry("windows-1253", "windows-1253"),
            Map.entry("windows-1254", "windows-1254"),
            Map.entry("windows-1255", "windows-1255"),
            Map.entry("windows-1256", "windows-1256"),
            Map.entry("windows-1257", "windows-1257"),
            Map.entry("windows-1258", "windows-1258"),
            Map.entry("x-mac-cyrillic", "x-MacCyrillic"));

    private static final Map<String, char[]> TABLES = buildTables();

    private SingleByteTables() {}

    static boolean has(String encoding) {
        return TABLES.containsKey(encoding);
    }

    /** Returns the table of {@code encoding}: 128 code points for bytes 0x80 to 0xFF. Callers must not change it. */
    static char[] of(String encoding) {
        return TABLES.get(encoding);
    }

    private static Map<String, char[]> buildTables() {
        Map<String, char[]> tables = new HashMap<>();
        JDK_CHARSETS.forEach((encoding, charset) -> tables.put(encoding, fromJdk(charset)));

        for (String windows : new String[] {"windows-874", "windows-1250", "windows-1251", "windows-1253", "windows-1254",
                "windows-1255", "windows-1256", "windows-1257", "windows-1258"}) {
            char[] table = tables.get(windows);
            for (int i = 0; i < 0x20; i++) {
                if (table[i] == UNMAPPED) {
                    table[i] = (char) (0x80 + i);
                }
            }
        }
        tables.get("windows-1255")[0xca - 0x80] = '\u05BA';
        tables.get("koi8-u")[0xae - 0x80] = '\u045E';
        tables.get("koi8-u")[0xbe - 0x80] = '\u040E';
        char[] macCyrillic = tables.get("x-mac-cyrillic");
        macCyrillic[0xa2 - 0x80] = '\u0490';
        macCyrillic[0xb6 - 0x80] = '\u0491';
        macCyrillic[0xff - 0x80] = '\u20AC';

        tables.put("iso-8859-10", (C1 + ISO_8859_10_FROM_A0).toCharArray());
        tables.put("iso-8859-14", (C1 + ISO_8859_14_FROM_A0).toCharArray());

        // x-user-defined maps 0x80 to 0xFF to U+F780 to U+F7FF.
        char[] userDefined = new char[128];
        for (int i = 0; i < 128; i++) {
            userDefined[i] = (char) (0xF780 + i);
        }
        tables.put("x-user-defined", userDefined);
        return Map.copyOf(tables);
    }

    /** Decodes bytes 0x80 to 0xFF one by one with a JDK charset; a byte it cannot map becomes {@link #UNMAPPED}. */
    private static char[] fromJdk(String charsetName) {
        CharsetDecoder decoder = Charset.forName(charsetName).newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        char[] table = new char[128];
        for (int i = 0; i < 128; i++) {
            try {
                CharBuffer decoded = decoder.reset().decode(ByteBuffer.wrap(new byte[] {(byte) (0x80 + i)}));
                table[i] = decoded.length() == 1 ? decoded.get(0) : UNMAPPED;
            } catch (CharacterCodingException e) {
                table[i] = UNMAPPED;
            }
        }
        return table;
    }

    private static String c1Controls() {
        StringBuilder controls = new StringBuilder();
        for (char c = 0x80; c < 0xA0; c++) {
            controls.append(c);
        }
        return controls.toString();
    }
}
