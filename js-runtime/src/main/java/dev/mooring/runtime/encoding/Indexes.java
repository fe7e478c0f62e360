package dev.mooring.runtime.encoding;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;

/**
 * The Encoding Standard's multi-byte indexes (pointer to code point), built once per JVM by
 * decoding every byte sequence of a pointer with the JDK charset whose table matches the
 * standard's best. A missing entry is -1. Each index is built on first use, in its own holder
 * class. The JDK charsets and where they differ from the standard:
 *
 * <ul>
 *   <li>jis0208 (Shift_JIS, EUC-JP, ISO-2022-JP): windows-31j, which has the standard's NEC and
 *       IBM extension rows and its mappings such as 0x8160 to U+FF5E. The JDK's Shift_JIS and
 *       EUC-JP charsets map those bytes as JIS X 0208 does (0x8160 to U+301C) and lack the rows.
 *   <li>jis0212 (EUC-JP's 0x8F sequences): EUC-JP.
 *   <li>euc-kr: x-windows-949, whose extra Hangul are the standard's too (plain EUC-KR lacks them),
 *       without its private-use mappings of the user-defined rows 0xC9 and 0xFE.
 *   <li>gb18030 (GBK and gb18030): GB18030, except 0xA3A0, which the standard maps to U+3000
 *       and the JDK to the private-use U+E5E5.
 *   <li>big5: Big5-HKSCS, whose HKSCS rows the standard has (plain Big5 lacks them), corrected
 *       in the 140 entries where the standard differs, such as 0xA145 (U+2027 in the standard,
 *       U+2022 in the JDK) and HKSCS characters that the JDK lacks.
 * </ul>
 */
final class Indexes {

    static final int MISSING = -1;

    /** Pointers of Shift_JIS's user-defined area, which the jis0208 index leaves out. */
    static final int JIS0208_USER_DEFINED_FIRST = 8836;
    static final int JIS0208_USER_DEFINED_LAST = 10715;

    private Indexes() {}

    static int jis0208(int pointer) {
        return lookup(Jis0208.INDEX, pointer);
    }

    static int jis0212(int pointer) {
        return lookup(Jis0212.INDEX, pointer);
    }

    static int eucKr(int pointer) {
        return lookup(EucKr.INDEX, pointer);
    }

    static int gb18030(int pointer) {
        return lookup(Gb18030.INDEX, pointer);
    }

    static int big5(int pointer) {
        return lookup(Big5.INDEX, pointer);
    }

    private static int lookup(int[] index, int pointer) {
        return pointer >= 0 && pointer < index.length ? index[pointer] : MISSING;
    }

    private static final class Jis0208 {
        /** Pointer = row * 188 + cell, as Shift_JIS counts them; 11280 pointers from lead 0x81 to 0xFC. */
        static final int[] INDEX = build("windows-31j", 11280, pointer -> {
            if (pointer >= JIS0208_USER_DEFINED_FIRST && pointer <= JIS0208_USER_DEFINED_LAST) {
                return null;
            }
            int lead = pointer / 188;
            int trail = pointer % 188;
            return new byte[] {(byte) (lead + (lead < 0x1f ? 0x81 : 0xc1)), (byte) (trail + (trail < 0x3f ? 0x40 : 0x41))};
        });
    }

    private static final class Jis0212 {
        /** Pointer = (lead - 0xA1) * 94 + trail - 0xA1, as the bytes after EUC-JP's 0x8F. */
        static final int[] INDEX = build("EUC-JP", 94 * 94,
                pointer -> new byte[] {(byte) 0x8f, (byte) (pointer / 94 + 0xa1), (byte) (pointer % 94 + 0xa1)});
    }

    private static final class EucKr {
        /** Pointer = (lead - 0x81) * 190 + trail - 0x41. */
        static final int[] INDEX = build("x-windows-949", 126 * 190,
                pointer -> new byte[] {(byte) (pointer / 190 + 0x81), (byte) (pointer % 190 + 0x41)});

        static {
            // The JDK maps the user-defined rows 0xC9 and 0xFE to private use; the standard leaves them out.
            for (int pointer = 0; pointer < INDEX.length; pointer++) {
                if (INDEX[pointer] >= 0xe000 && INDEX[pointer] <= 0xf8ff) {
                    INDEX[pointer] = MISSING;
                }
            }
        }
    }

    private static final class Gb18030 {
        /** Pointer = (lead - 0x81) * 190 + trail - (0x40 below 0x7F, else 0x41). */
        static final int[] INDEX = build("GB18030", 126 * 190, pointer -> {
            int trail = pointer % 190;
            return new byte[] {(byte) (pointer / 190 + 0x81), (byte) (trail + (trail < 0x3f ? 0x40 : 0x41))};
        });

        static {
            INDEX[(0xa3 - 0x81) * 190 + 0xa0 - 0x41] = 0x3000;
        }
    }

    private static final class Big5 {
        /**
         * The 140 pointers (decimal) where the standard's big5 index differs from Big5-HKSCS, with
         * the standard's code points (hexadecimal), as Chromium 156 decodes them.
         */
        private static final String DIFFERENCES =
            "2082=7bb8 2088=7c06 2103=7cce 2114=7dd2 2123=7e1d 2148=8005 2151=8028 2221=83c1 2239=84a8 2244=840f "
            + "2303=89a6 2304=89a9 2354=8d77 2400=90fd 2413=92b9 2477=975c 2498=97ff 2605=9f16 2673=8503 2746=5159 "
            + "2747=515b 2748=515d 2749=515e 2771=936e 2780=7479 2990=6d67 3087=799b 3259=9097 3301=975d 3436=701e "
            + "3451=5b28 4136=7201 4138=77d7 4141=7e87 4182=99d6 4206=91d4 4220=60de 4230=6fb6 4241=8f36 4258=4fbb "
            + "4273=71df 4279=9104 4282=9df0 4294=83cf 4329=5c10 4330=79e3 4349=5a67 4419=8f0b 4422=7b51 4494=62d0 "
            + "4624=6062 4694=75f9 4708=6c4a 4742=9b2e 4748=9f17 4815=50ed 4828=5f0c 4902=880f 4922=62ce 4982=7468 "
            + "4992=7162 4997=7250 5029=2027 5038=fe51 5050=2574 5120=af 5121=ffe3 5123=2cd 5153=ff5e 5168=2295 "
            + "5169=2299 5180=ff0f 5181=ff3c 5182=2215 5183=fe68 5185=ffe5 5187=ffe0 5188=ffe1 5432=2400 5433=2401 "
            + "5434=2402 5435=2403 5436=2404 5437=2405 5438=2406 5439=2407 5440=2408 5441=2409 5442=240a 5443=240b "
            + "5444=240c 5445=240d 5446=240e 5447=240f 5448=2410 5449=2411 5450=2412 5451=2413 5452=2414 5453=2415 "
            + "5454=2416 5455=2417 5456=2418 5457=2419 5458=241a 5459=241b 5460=241c 5461=241d 5462=241e 5463=241f "
            + "5464=2421 5465=20ac 10942=5ef4 10946=65e0 10948=7676 10950=96b6 10957=3003 10958=4edd 19028=5029 19035=507d "
            + "19088=5305 19096=5344 19112=537f 19162=5605 19240=5a77 19299=5e75 19305=5ed0 19326=5f58 19355=60a4 19398=6490 "
            + "19439=6674 19454=675e 19553=6c9c 19554=6e1d 19557=6e2f 19611=716e 19643=732a 19672=745c 19697=74e9 19748=7809 ";

        /** Pointer = (lead - 0x81) * 157 + trail - (0x40 below 0x7F, else 0x62). */
        static final int[] INDEX = build("Big5-HKSCS", 126 * 157, pointer -> {
            int trail = pointer % 157;
            return new byte[] {(byte) (pointer / 157 + 0x81), (byte) (trail + (trail < 0x3f ? 0x40 : 0x62))};
        });

        static {
            for (String entry : DIFFERENCES.trim().split(" ")) {
                int separator = entry.indexOf('=');
                INDEX[Integer.parseInt(entry.substring(0, separator))] = Integer.parseInt(entry.substring(separator + 1), 16);
            }
        }
    }

    private interface PointerBytes {
        /** Returns the bytes of a pointer in the JDK charset, or null when the index leaves it out. */
        byte[] of(int pointer);
    }

    /** Decodes the bytes of each pointer; one code point is an entry, anything else is {@link #MISSING}. */
    private static int[] build(String charsetName, int size, PointerBytes bytesOfPointer) {
        CharsetDecoder decoder = Charset.forName(charsetName).newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int[] index = new int[size];
        for (int pointer = 0; pointer < size; pointer++) {
            index[pointer] = MISSING;
            byte[] bytes = bytesOfPointer.of(pointer);
            if (bytes == null) {
                continue;
            }
            try {
                CharBuffer decoded = decoder.reset().decode(ByteBuffer.wrap(bytes));
                String text = decoded.toString();
                if (!text.isEmpty() && text.codePointCount(0, text.length()) == 1) {
                    index[pointer] = text.codePointAt(0);
                }
            } catch (CharacterCodingException e) {
                // Not in the charset: the entry stays missing.
            }
        }
        return index;
    }
}
