package dev.mooring.runtime;

import java.net.IDN;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * UTS #46 processing of domain names with the options the WHATWG URL Standard uses: CheckHyphens
 * off, CheckBidi and CheckJoiners on, Nontransitional processing, and UseSTD3ASCIIRules and
 * VerifyDnsLength set to the caller's {@code beStrict}. The URL parser's host parser ({@code
 * url.HostParser}) calls {@link #toAscii} only for domains that contain a non-ASCII code point.
 *
 * <p>The Unicode data comes from the JDK. The ICU4J copy that GraalJS ships cannot be used: its
 * module {@code org.graalvm.shadowed.icu4j} exports its packages only to the GraalJS and GraalPy
 * modules, so our code fails with {@code IllegalAccessException} when the jars are on the module
 * path, unless the launcher adds an {@code --add-exports} flag for it. Instead:
 *
 * <ul>
 *   <li>The UTS #46 mapping of each code point is IDNA2003 Nameprep ({@link IDN#toASCII} on that code
 *       point alone, which case-folds and NFKC-normalizes it), except for the code points where
 *       UTS #46 differs on purpose: the three ideographic and fullwidth full stops map to ".", the
 *       deviation characters ß, ς, ZWNJ and ZWJ stay (Nontransitional processing), and the ignored
 *       code points are removed. After mapping, the whole domain is NFC-normalized, which gives the
 *       same result as normalizing each code point's mapping with NFKC and the domain as a whole.
 *   <li>Code points that the JDK's Unicode tables mark as unassigned, noncharacter, surrogate,
 *       private use, control (outside ASCII) or format are disallowed, as they are in UTS #46.
 *   <li>Punycode (RFC 3492), the validity criteria, the Bidi rule (RFC 5893) and the ContextJ rules
 *       (RFC 5892) are implemented here.
 * </ul>
 *
 * <p>Stateless apart from a bounded cache of per-code-point mappings; safe to call from any thread.
 */
public final class DomainNames {

    /** Largest number of per-code-point mappings kept; later code points are mapped on every call. */
    private static final int MAX_CACHED_MAPPINGS = 8_192;

    /** Marker in the mapping cache for a disallowed code point. */
    private static final String DISALLOWED = "\u0000disallowed";

    private static final ConcurrentHashMap<Integer, String> MAPPINGS = new ConcurrentHashMap<>();

    private static final String ACE_PREFIX = "xn--";
    private static final int ZWNJ = 0x200C;
    private static final int ZWJ = 0x200D;

    private DomainNames() {}

    /**
     * Converts a domain to its ASCII form (UTS #46 ToASCII), or returns null when the domain is
     * invalid. With {@code beStrict}, only letters, digits and hyphens are allowed and the label
     * and domain lengths are checked against the DNS limits of 63 and 253.
     */
    public static String toAscii(String domain, boolean beStrict) {
        Processed processed = process(domain, beStrict);
        if (processed.failed) {
            return null;
        }
        StringBuilder out = new StringBuilder(domain.length() + 8);
        for (int i = 0; i < processed.labels.size(); i++) {
            String label = processed.labels.get(i);
            if (i > 0) {
                out.append('.');
            }
            if (isAscii(label)) {
                out.append(label);
            } else {
                String encoded = Punycode.encode(label);
                if (encoded == null) {
                    return null;
                }
                out.append(ACE_PREFIX).append(encoded);
            }
        }
        String result = out.toString();
        if (beStrict && !hasDnsLength(result)) {
            return null;
        }
        return result;
    }

    /**
     * Converts a domain to its Unicode form (UTS #46 ToUnicode with UseSTD3ASCIIRules off). Errors do
     * not stop the conversion: a label that fails Punycode decoding is returned as it was.
     */
    public static String toUnicode(String domain) {
        return String.join(".", process(domain, false).labels);
    }

    /** The labels after mapping, normalization and Punycode decoding, and whether any step failed. */
    private record Processed(List<String> labels, boolean failed) {}

    private static Processed process(String domain, boolean beStrict) {
        boolean failed = false;
        String mapped = map(domain);
        if (mapped == null) {
            // Keep going with the unmapped text so that toUnicode still returns something useful.
            failed = true;
            mapped = domain;
        }
        mapped = Normalizer.normalize(mapped, Normalizer.Form.NFC);

        List<String> labels = new ArrayList<>();
        int start = 0;
        while (true) {
            int dot = mapped.indexOf('.', start);
            String label = dot < 0 ? mapped.substring(start) : mapped.substring(start, dot);
            if (label.startsWith(ACE_PREFIX)) {
                String decoded = isAscii(label) ? Punycode.decode(label.substring(ACE_PREFIX.length())) : null;
                if (decoded == null || decoded.isEmpty() || isAscii(decoded)) {
                    failed = true;
                } else {
                    label = decoded;
                    failed |= !isValidLabel(label, beStrict, true);
                }
            } else {
                failed |= !isValidLabel(label, beStrict, false);
            }
            labels.add(label);
            if (dot < 0) {
                break;
            }
            start = dot + 1;
        }
        if (!failed && isBidiDomain(labels)) {
            for (String label : labels) {
                if (!label.isEmpty() && !satisfiesBidiRule(label)) {
                    failed = true;
                    break;
                }
            }
        }
        return new Processed(labels, failed);
    }

    // ---------------------------------------------------------------------------------------------
    // Mapping.

    /** Maps each code point of {@code domain}; returns null if any is disallowed. */
    private static String map(String domain) {
        StringBuilder out = new StringBuilder(domain.length());
        for (int i = 0; i < domain.length(); ) {
            int codePoint = domain.codePointAt(i);
            i += Character.charCount(codePoint);
            String mapping = mappingOf(codePoint);
            if (mapping == null) {
                return null;
            }
            out.append(mapping);
        }
        return out.toString();
    }

    /** Returns the UTS #46 mapping of one code point (itself when valid), or null when disallowed. */
    static String mappingOf(int codePoint) {
        if (codePoint < 0x80) {
            return codePoint >= 'A' && codePoint <= 'Z'
                    ? String.valueOf((char) (codePoint + ('a' - 'A')))
                    : String.valueOf((char) codePoint);
        }
        switch (codePoint) {
            case 0x3002, 0xFF0E, 0xFF61:
                return ".";
            case 0x00DF, 0x03C2, ZWNJ, ZWJ:
                return Character.toString(codePoint);
            default:
                break;
        }
        if (isIgnored(codePoint)) {
            return "";
        }
        String cached = MAPPINGS.get(codePoint);
        if (cached == null) {
            cached = computeMapping(codePoint);
            if (MAPPINGS.size() < MAX_CACHED_MAPPINGS) {
                MAPPINGS.put(codePoint, cached);
            }
        }
        return cached == DISALLOWED ? null : cached;
    }

    /** Returns whether UTS #46 removes the code point: soft hyphens, joiners other than ZWJ and ZWNJ, selectors. */
    private static boolean isIgnored(int codePoint) {
        return codePoint == 0x00AD
                || codePoint == 0x034F
                || (codePoint >= 0x180B && codePoint <= 0x180D)
                || codePoint == 0x180F
                || codePoint == 0x200B
                || codePoint == 0x2060
                || codePoint == 0x2064
                || (codePoint >= 0xFE00 && codePoint <= 0xFE0F)
                || codePoint == 0xFEFF
                || (codePoint >= 0x1BCA0 && codePoint <= 0x1BCA3)
                || (codePoint >= 0xE0100 && codePoint <= 0xE01EF);
    }

    private static String computeMapping(int codePoint) {
        switch (Character.getType(codePoint)) {
            case Character.UNASSIGNED, Character.SURROGATE, Character.PRIVATE_USE, Character.CONTROL, Character.FORMAT:
                // UTS #46 disallows all of these; the format characters it keeps (ZWNJ, ZWJ) or
                // removes (such as U+00AD) were handled by the caller.
                return DISALLOWED;
            default:
                break;
        }
        String ace;
        try {
            // NOTE: Nameprep covers Unicode 3.2 only. ALLOW_UNASSIGNED lets later code points through
            // unchanged, so a newer upper-case letter or compatibility character is not mapped the
            // way UTS #46 maps it.
            ace = IDN.toASCII(Character.toString(codePoint), IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            // Nameprep prohibits the code point (for example a non-ASCII space) or maps it to nothing.
            return DISALLOWED;
        }
        if (!ace.regionMatches(true, 0, ACE_PREFIX, 0, ACE_PREFIX.length())) {
            return ace.toLowerCase(Locale.ROOT);
        }
        String decoded = Punycode.decode(ace.substring(ACE_PREFIX.length()));
        return decoded == null ? DISALLOWED : decoded;
    }

    // ---------------------------------------------------------------------------------------------
    // Validity criteria (UTS #46 section 4.1).

    private static boolean isValidLabel(String label, boolean beStrict, boolean fromPunycode) {
        if (label.isEmpty()) {
            return true;
        }
        if (!Normalizer.isNormalized(label, Normalizer.Form.NFC)) {
            return false;
        }
        // With CheckHyphens off, a label that still starts with "xn--" after decoding is rejected,
        // so that doubly encoded labels such as "xn--xn---epa" cannot round-trip.
        if (label.startsWith(ACE_PREFIX)) {
            return false;
        }
        if (isCombiningMark(label.codePointAt(0))) {
            return false;
        }
        for (int i = 0; i < label.length(); ) {
            int codePoint = label.codePointAt(i);
            i += Character.charCount(codePoint);
            if (fromPunycode && !Character.toString(codePoint).equals(mappingOf(codePoint))) {
                // A decoded label must already be in mapped form: no upper case, no ignored or
                // disallowed code points.
                return false;
            }
            if (beStrict && codePoint < 0x80 && !isLetterDigitHyphen(codePoint)) {
                return false;
            }
            if ((codePoint == ZWNJ || codePoint == ZWJ) && !satisfiesContextJ(label, i - 1, codePoint)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterDigitHyphen(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    }

    private static boolean isCombiningMark(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.COMBINING_SPACING_MARK;
    }

    /**
     * Applies the ContextJ rules of RFC 5892 appendix A to the joiner at {@code index}: either may
     * follow a virama, and ZWNJ may also sit between a left- or dual-joining letter and a right- or
     * dual-joining letter, with transparent code points in between.
     */
    private static boolean satisfiesContextJ(String label, int index, int joiner) {
        if (index > 0 && isVirama(label.codePointBefore(index))) {
            return true;
        }
        if (joiner == ZWJ) {
            return false;
        }
        int before = index;
        int codePoint;
        do {
            if (before == 0) {
                return false;
            }
            codePoint = label.codePointBefore(before);
            before -= Character.charCount(codePoint);
        } while (isTransparent(codePoint));
        if (!isJoiningLetter(codePoint)) {
            return false;
        }
        int after = index + 1;
        do {
            if (after >= label.length()) {
                return false;
            }
            codePoint = label.codePointAt(after);
            after += Character.charCount(codePoint);
        } while (isTransparent(codePoint));
        return isJoiningLetter(codePoint);
    }

    /**
     * Returns whether the canonical combining class is 9 (Virama). The JDK has no accessor for the
     * class, so this uses the normalizer: canonical reordering swaps two adjacent marks only when the
     * first has the higher class. Placed after U+05B0 (class 10) the mark moves in front exactly when
     * its class is 1 to 9, and placed after U+094D (class 9) it stays behind when its class is 9 or
     * more.
     */
    static boolean isVirama(int codePoint) {
        if (codePoint == 0x05B0) {
            return false; // The probe cannot tell the reference mark from itself.
        }
        String mark = Character.toString(codePoint);
        boolean classBelowTen = Normalizer.normalize("a\u05B0" + mark, Normalizer.Form.NFD).equals("a" + mark + "\u05B0");
        boolean classAtLeastNine = Normalizer.normalize("a\u094D" + mark, Normalizer.Form.NFD).equals("a\u094D" + mark);
        return classBelowTen && classAtLeastNine;
    }

    /** Joining_Type T, approximated by the general categories that make it up: Mn, Me and Cf. */
    private static boolean isTransparent(int codePoint) {
        int type = Character.getType(codePoint);
        return codePoint != ZWNJ && codePoint != ZWJ
                && (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT);
    }

    /**
     * Joining_Type L, D or R, approximated as any letter of a cursive script.
     */
    // NOTE: The JDK has no Joining_Type data, so every letter of a cursive script counts as
    // dual-joining. ZWNJ after a right-joining letter such as U+0627 ALEF is therefore accepted,
    // where UTS #46 rejects it.
    private static boolean isJoiningLetter(int codePoint) {
        if (!Character.isLetter(codePoint)) {
            return false;
        }
        return switch (Character.UnicodeScript.of(codePoint)) {
            case ARABIC, SYRIAC, NKO, MANDAIC, MONGOLIAN, PHAGS_PA, MANICHAEAN, PSALTER_PAHLAVI, SOGDIAN,
                    OLD_UYGHUR, CHORASMIAN, ADLAM, HANIFI_ROHINGYA -> true;
            default -> false;
        };
    }

    // ---------------------------------------------------------------------------------------------
    // The Bidi rule (RFC 5893 section 2).

    /** A domain is a Bidi domain when any label contains a right-to-left or Arabic number code point. */
    private static boolean isBidiDomain(List<String> labels) {
        for (String label : labels) {
            for (int i = 0; i < label.length(); ) {
                int codePoint = label.codePointAt(i);
                i += Character.charCount(codePoint);
                byte direction = Character.getDirectionality(codePoint);
                if (direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                        || direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC
                        || direction == Character.DIRECTIONALITY_ARABIC_NUMBER) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean satisfiesBidiRule(String label) {
        byte first = Character.getDirectionality(label.codePointAt(0));
        boolean rightToLeft;
        if (first == Character.DIRECTIONALITY_RIGHT_TO_LEFT || first == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC) {
            rightToLeft = true;
        } else if (first == Character.DIRECTIONALITY_LEFT_TO_RIGHT) {
            rightToLeft = false;
        } else {
            return false; // Rule 1: the first character decides the direction.
        }

        boolean hasEuropeanNumber = false;
        boolean hasArabicNumber = false;
        byte lastNonMark = first;
        for (int i = 0; i < label.length(); ) {
            int codePoint = label.codePointAt(i);
            i += Character.charCount(codePoint);
            byte direction = Character.getDirectionality(codePoint);
            if (!isAllowedInLabel(direction, rightToLeft)) {
                return false; // Rules 2 and 5.
            }
            if (direction != Character.DIRECTIONALITY_NONSPACING_MARK) {
                lastNonMark = direction;
            }
            hasEuropeanNumber |= direction == Character.DIRECTIONALITY_EUROPEAN_NUMBER;
            hasArabicNumber |= direction == Character.DIRECTIONALITY_ARABIC_NUMBER;
        }
        if (rightToLeft) {
            // Rule 3 for the end of the label, rule 4 for mixing digit kinds.
            boolean validEnd = lastNonMark == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                    || lastNonMark == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC
                    || lastNonMark == Character.DIRECTIONALITY_EUROPEAN_NUMBER
                    || lastNonMark == Character.DIRECTIONALITY_ARABIC_NUMBER;
            return validEnd && !(hasEuropeanNumber && hasArabicNumber);
        }
        // Rule 6.
        return lastNonMark == Character.DIRECTIONALITY_LEFT_TO_RIGHT || lastNonMark == Character.DIRECTIONALITY_EUROPEAN_NUMBER;
    }

    private static boolean isAllowedInLabel(byte direction, boolean rightToLeft) {
        return switch (direction) {
            case Character.DIRECTIONALITY_EUROPEAN_NUMBER,
                    Character.DIRECTIONALITY_EUROPEAN_NUMBER_SEPARATOR,
                    Character.DIRECTIONALITY_COMMON_NUMBER_SEPARATOR,
                    Character.DIRECTIONALITY_EUROPEAN_NUMBER_TERMINATOR,
                    Character.DIRECTIONALITY_OTHER_NEUTRALS,
                    Character.DIRECTIONALITY_BOUNDARY_NEUTRAL,
                    Character.DIRECTIONALITY_NONSPACING_MARK -> true;
            case Character.DIRECTIONALITY_RIGHT_TO_LEFT,
                    Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC,
                    Character.DIRECTIONALITY_ARABIC_NUMBER -> rightToLeft;
            case Character.DIRECTIONALITY_LEFT_TO_RIGHT -> !rightToLeft;
            default -> false;
        };
    }

    // ---------------------------------------------------------------------------------------------
    // Lengths and helpers.

    /** VerifyDnsLength: 1 to 253 characters without a trailing dot, and 1 to 63 per label. */
    private static boolean hasDnsLength(String domain) {
        String name = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        int start = 0;
        while (true) {
            int dot = name.indexOf('.', start);
            int end = dot < 0 ? name.length() : dot;
            if (end == start || end - start > 63) {
                return false;
            }
            if (dot < 0) {
                return true;
            }
            start = dot + 1;
        }
    }

    private static boolean isAscii(String string) {
        for (int i = 0; i < string.length(); i++) {
            if (string.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * Punycode (RFC 3492) with the parameters IDNA uses, on strings of code points. Both directions
     * return null instead of overflowing.
     */
    static final class Punycode {
        private static final int BASE = 36;
        private static final int T_MIN = 1;
        private static final int T_MAX = 26;
        private static final int SKEW = 38;
        private static final int DAMP = 700;
        private static final int INITIAL_BIAS = 72;
        private static final int INITIAL_N = 0x80;

        private Punycode() {}

        /** Decodes the part of a label after "xn--"; returns null when it is not valid Punycode. */
        static String decode(String input) {
            int delimiter = input.lastIndexOf('-');
            List<Integer> output = new ArrayList<>(input.length());
            for (int j = 0; j < Math.max(delimiter, 0); j++) {
                char c = input.charAt(j);
                if (c >= 0x80) {
                    return null;
                }
                output.add((int) c);
            }
            int in = delimiter > 0 ? delimiter + 1 : 0;
            int n = INITIAL_N;
            int bias = INITIAL_BIAS;
            int i = 0;
            while (in < input.length()) {
                int oldI = i;
                int weight = 1;
                for (int k = BASE; ; k += BASE) {
                    if (in >= input.length()) {
                        return null;
                    }
                    int digit = digitValue(input.charAt(in++));
                    if (digit < 0 || digit > (Integer.MAX_VALUE - i) / weight) {
                        return null;
                    }
                    i += digit * weight;
                    int threshold = threshold(k, bias);
                    if (digit < threshold) {
                        break;
                    }
                    if (weight > Integer.MAX_VALUE / (BASE - threshold)) {
                        return null;
                    }
                    weight *= BASE - threshold;
                }
                int length = output.size() + 1;
                bias = adapt(i - oldI, length, oldI == 0);
                if (i / length > Integer.MAX_VALUE - n) {
                    return null;
                }
                n += i / length;
                i %= length;
                if (n > Character.MAX_CODE_POINT || (n >= Character.MIN_SURROGATE && n <= Character.MAX_SURROGATE)) {
                    return null;
                }
                output.add(i, n);
                i++;
            }
            StringBuilder out = new StringBuilder(output.size());
            for (int codePoint : output) {
                out.appendCodePoint(codePoint);
            }
            return out.toString();
        }

        /** Encodes a label (without the "xn--" prefix); returns null on overflow. */
        static String encode(String label) {
            int[] input = label.codePoints().toArray();
            StringBuilder out = new StringBuilder(input.length + 8);
            for (int codePoint : input) {
                if (codePoint < 0x80) {
                    out.append((char) codePoint);
                }
            }
            int basicCount = out.length();
            int handled = basicCount;
            if (basicCount > 0) {
                out.append('-');
            }
            int n = INITIAL_N;
            int delta = 0;
            int bias = INITIAL_BIAS;
            while (handled < input.length) {
                int next = Integer.MAX_VALUE;
                for (int codePoint : input) {
                    if (codePoint >= n && codePoint < next) {
                        next = codePoint;
                    }
                }
                if (next - n > (Integer.MAX_VALUE - delta) / (handled + 1)) {
                    return null;
                }
                delta += (next - n) * (handled + 1);
                n = next;
                for (int codePoint : input) {
                    if (codePoint < n && ++delta == Integer.MAX_VALUE) {
                        return null;
                    }
                    if (codePoint == n) {
                        int q = delta;
                        for (int k = BASE; ; k += BASE) {
                            int threshold = threshold(k, bias);
                            if (q < threshold) {
                                break;
                            }
                            out.append(digitChar(threshold + (q - threshold) % (BASE - threshold)));
                            q = (q - threshold) / (BASE - threshold);
                        }
                        out.append(digitChar(q));
                        bias = adapt(delta, handled + 1, handled == basicCount);
                        delta = 0;
                        handled++;
                    }
                }
                delta++;
                n++;
            }
            return out.toString();
        }

        private static int threshold(int k, int bias) {
            if (k <= bias) {
                return T_MIN;
            }
            return Math.min(k - bias, T_MAX);
        }

        private static int adapt(int delta, int length, boolean first) {
            delta = first ? delta / DAMP : delta / 2;
            delta += delta / length;
            int k = 0;
            while (delta > ((BASE - T_MIN) * T_MAX) / 2) {
                delta /= BASE - T_MIN;
                k += BASE;
            }
            return k + (BASE - T_MIN + 1) * delta / (delta + SKEW);
        }

        private static int digitValue(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0' + 26;
            }
            if (c >= 'a' && c <= 'z') {
                return c - 'a';
            }
            if (c >= 'A' && c <= 'Z') {
                return c - 'A';
            }
            return -1;
        }

        private static char digitChar(int digit) {
            return (char) (digit < 26 ? 'a' + digit : '0' + digit - 26);
        }
    }
}
