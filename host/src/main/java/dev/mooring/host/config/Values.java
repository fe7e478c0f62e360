package dev.mooring.host.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for option values: durations, byte sizes, ports and counts, with messages that show what is accepted. */
public final class Values {

    /** The units {@link #duration} accepts, smallest first: milliseconds, seconds, minutes and hours. */
    public static final List<String> DURATION_UNITS = List.of("ms", "s", "m", "h");

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(" + String.join("|", DURATION_UNITS) + ")");

    /**
     * Lowercase spellings of time units, each mapped to an accepted unit and how many of that unit
     * it equals: {@code sec} is 1 s and {@code d} is 24 h.
     */
    private static final Map<String, Map.Entry<String, Integer>> DURATION_SPELLINGS = durationSpellings();

    /** The units {@link #bytes} accepts, in order: each is 1024 times the one before. */
    public static final List<String> SIZE_UNITS = List.of("B", "KiB", "MiB", "GiB", "TiB");

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(" + String.join("|", SIZE_UNITS) + ")?");

    /**
     * A number and a word, which {@link #bytes} and {@link #duration} reject but may suggest a fix
     * for, such as 1.5GiB, 10mb or 5sec.
     */
    private static final Pattern NUMBER_AND_WORD = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)");

    private Values() {}

    /** Parses a duration such as {@code 500ms}, {@code 30s}, {@code 10m} or {@code 1h}; the unit is required. */
    public static Duration duration(String text) {
        Matcher matcher = DURATION.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(invalidDurationMessage(text));
        }
        double amount = Double.parseDouble(matcher.group(1));
        double millis = switch (matcher.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            case "m" -> amount * 60_000;
            default -> amount * 3_600_000;
        };
        return Duration.ofNanos((long) (millis * 1_000_000));
    }

    /**
     * Spells {@code amount} {@code unit} the way {@link #duration} reads it, such as 5s for 5 and
     * {@code sec}, or 36h for 1.5 and {@code days}, ignoring the case of {@code unit}. Returns null
     * when {@code unit} is not a time unit.
     */
    public static String durationSpelling(String amount, String unit) {
        Map.Entry<String, Integer> accepted = DURATION_SPELLINGS.get(unit.strip().toLowerCase(Locale.ROOT));
        if (accepted == null) {
            return null;
        }
        BigDecimal converted = new BigDecimal(amount.strip()).multiply(BigDecimal.valueOf(accepted.getValue()));
        return converted.stripTrailingZeros().toPlainString() + accepted.getKey();
    }

    private static Map<String, Map.Entry<String, Integer>> durationSpellings() {
        Map<String, Map.Entry<String, Integer>> spellings = new HashMap<>();
        for (String word : List.of("ms", "msec", "msecs", "millis", "millisecond", "milliseconds")) {
            spellings.put(word, Map.entry("ms", 1));
        }
        for (String word : List.of("s", "sec", "secs", "second", "seconds")) {
            spellings.put(word, Map.entry("s", 1));
        }
        for (String word : List.of("m", "min", "mins", "minute", "minutes")) {
            spellings.put(word, Map.entry("m", 1));
        }
        for (String word : List.of("h", "hr", "hrs", "hour", "hours")) {
            spellings.put(word, Map.entry("h", 1));
        }
        for (String word : List.of("d", "day", "days")) {
            spellings.put(word, Map.entry("h", 24));
        }
        return Map.copyOf(spellings);
    }

    /**
     * Builds the error for text that {@link #duration} rejects: what is wrong with it, the accepted
     * units, and the closest valid spelling when there is one, such as 5s for 5sec.
     */
    private static String invalidDurationMessage(String text) {
        String accepted = "durations are a number followed by one of the units " + String.join(", ", DURATION_UNITS)
                + " (milliseconds, seconds, minutes, hours), such as 500ms, 30s, 10m or 1h";
        Matcher matcher = NUMBER_AND_WORD.matcher(text.strip());
        if (!matcher.matches()) {
            return "expected a duration; " + accepted;
        }
        String amount = matcher.group(1);
        String unit = matcher.group(2);
        if (unit.isEmpty()) {
            return "the duration " + amount + " has no unit; " + accepted;
        }
        String suggestion = durationSpelling(amount, unit);
        return "'" + unit + "' is not a duration unit; " + accepted
                + (suggestion == null ? "" : ". Did you mean " + suggestion + "?");
    }

    /** Parses a positive duration. */
    public static Duration positiveDuration(String text) {
        Duration duration = duration(text);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("must be greater than zero");
        }
        return duration;
    }

    /** Parses a byte size such as {@code 1048576}, {@code 64KiB}, {@code 100MiB} or {@code 2GiB}. */
    public static long bytes(String text) {
        Matcher matcher = SIZE.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(invalidSizeMessage(text));
        }
        String unit = matcher.group(2) == null ? "B" : matcher.group(2);
        int shift = 10 * SIZE_UNITS.indexOf(unit);
        String tooLarge = "size is too large; the maximum is " + formatBytes(Long.MAX_VALUE >> shift << shift);
        long amount;
        try {
            amount = Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(tooLarge, e);
        }
        if (amount > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException(tooLarge);
        }
        return amount << shift;
    }

    /**
     * Returns the canonical size unit (one of {@link #SIZE_UNITS}) that a common spelling such as
     * {@code MB}, {@code mb}, {@code M} or {@code Mi} means, ignoring case, or null when
     * {@code unit} is not a size unit. Decimal spellings such as {@code MB} map to the binary unit
     * ({@code MiB}), the only kind that {@link #bytes} reads.
     */
    public static String canonicalSizeUnit(String unit) {
        String lower = unit.strip().toLowerCase(Locale.ROOT);
        if (lower.equals("b") || lower.equals("byte") || lower.equals("bytes")) {
            return "B";
        }
        for (String canonical : SIZE_UNITS.subList(1, SIZE_UNITS.size())) {
            String prefix = canonical.substring(0, 1).toLowerCase(Locale.ROOT);
            if (lower.equals(prefix) || lower.equals(prefix + "b") || lower.equals(prefix + "i") || lower.equals(prefix + "ib")) {
                return canonical;
            }
        }
        return null;
    }

    /**
     * Builds the error for text that {@link #bytes} rejects: what is wrong with it, the accepted
     * units, and the closest valid spelling when there is one, such as 1MiB for 1MB.
     */
    private static String invalidSizeMessage(String text) {
        String accepted = "sizes are a whole number of bytes, optionally followed by one of the units "
                + String.join(", ", SIZE_UNITS) + " (powers of 1024, case-sensitive), such as 64KiB or 2GiB";
        Matcher matcher = NUMBER_AND_WORD.matcher(text.strip());
        if (!matcher.matches()) {
            return "expected a size; " + accepted;
        }
        String amount = matcher.group(1);
        String typedUnit = matcher.group(2);
        String unit = typedUnit.isEmpty() ? "B" : canonicalSizeUnit(typedUnit);
        if (unit == null) {
            return "'" + typedUnit + "' is not a size unit; " + accepted;
        }
        String problem = SIZE_UNITS.contains(typedUnit) || typedUnit.isEmpty()
                ? "the amount " + amount + " is not a whole number"
                : "'" + typedUnit + "' is not a size unit";
        String suggestion = suggestSize(amount, unit);
        return problem + "; " + accepted + (suggestion == null ? "" : ". Did you mean " + suggestion + "?");
    }

    /**
     * Spells {@code amount} {@code unit} the way {@link #bytes} reads it, converting a fraction to a
     * smaller unit, or returns null when the size is too large for any spelling.
     */
    private static String suggestSize(String amount, String unit) {
        BigDecimal bytes = new BigDecimal(amount).multiply(BigDecimal.valueOf(1024).pow(SIZE_UNITS.indexOf(unit)))
                .setScale(0, RoundingMode.HALF_UP);
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return null;
        }
        String suggestion = amount.contains(".") ? formatBytes(bytes.longValueExact()) : amount + unit;
        return suggestion.endsWith("iB") ? suggestion + " (" + bytes.toPlainString() + " bytes)" : suggestion;
    }

    /** Parses a byte size of at least 1 byte. */
    public static long positiveBytes(String text) {
        long bytes = bytes(text);
        if (bytes < 1) {
            throw new IllegalArgumentException("must be at least 1 byte");
        }
        return bytes;
    }

    /** Parses {@code true} or {@code false}. */
    public static boolean bool(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("use true or false");
        };
    }

    /** Parses a DNS domain such as {@code workers.example.com}, in lowercase. */
    public static String domain(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        if (!lower.matches("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
            throw new IllegalArgumentException("use a domain name such as workers.example.com, without scheme or port");
        }
        return lower;
    }

    /** Parses a TCP port, 0 to 65535; 0 picks a free port. */
    public static int port(String text) {
        int port = integer(text);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("a port is a number from 0 to 65535");
        }
        return port;
    }

    /** Parses a whole number of at least 1. */
    public static int positiveCount(String text) {
        int count = integer(text);
        if (count < 1) {
            throw new IllegalArgumentException("must be at least 1");
        }
        return count;
    }

    private static int integer(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number");
        }
    }

    /** Formats a byte count the way {@link #bytes} reads it, in the largest unit that divides it. */
    public static String formatBytes(long bytes) {
        int unit = 0;
        long amount = bytes;
        while (unit < SIZE_UNITS.size() - 1 && amount != 0 && amount % 1024 == 0) {
            amount /= 1024;
            unit++;
        }
        return amount + SIZE_UNITS.get(unit);
    }

    /**
     * Formats a byte count for a log line, in the largest unit it reaches, with at most one decimal,
     * such as 48KiB or 1.5GiB. Unlike {@link #formatBytes}, the text may be rounded.
     */
    public static String formatBytesRounded(long bytes) {
        int unit = 0;
        double amount = bytes;
        while (unit < SIZE_UNITS.size() - 1 && amount >= 1024) {
            amount /= 1024;
            unit++;
        }
        long tenths = Math.round(amount * 10);
        String number = tenths % 10 == 0 ? String.valueOf(tenths / 10) : tenths / 10 + "." + tenths % 10;
        return number + SIZE_UNITS.get(unit);
    }

    /** Formats a count with a noun that agrees with it, such as "1 module" or "2 modules". */
    public static String formatCount(long count, String singular) {
        return formatCount(count, singular, singular + "s");
    }

    /** Formats a count with a noun whose plural is not the singular plus "s", such as "1 batch" or "2 batches". */
    public static String formatCount(long count, String singular, String plural) {
        return count + " " + (count == 1 ? singular : plural);
    }

    /** Formats a duration the way {@link #duration} reads it. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0 && millis > 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }
}
