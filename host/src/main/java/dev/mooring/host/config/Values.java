package dev.mooring.host.config;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for option values: durations, byte sizes, ports and counts, with messages that show what is accepted. */
public final class Values {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

    /** The units {@link #bytes} accepts, in order: each is 1024 times the one before. */
    public static final List<String> SIZE_UNITS = List.of("B", "KiB", "MiB", "GiB", "TiB");

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(" + String.join("|", SIZE_UNITS) + ")?");

    private Values() {}

    /** Parses a duration such as {@code 500ms}, {@code 30s}, {@code 10m} or {@code 1h}; the unit is required. */
    public static Duration duration(String text) {
        Matcher matcher = DURATION.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("expected a duration with a unit, such as 500ms, 30s, 10m or 1h");
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
            throw new IllegalArgumentException("expected a size in bytes, optionally with a unit: B, KiB, MiB, GiB or TiB");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "B" : matcher.group(2);
        int shift = switch (unit) {
            case "B" -> 0;
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            default -> 40;
        };
        if (amount > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("size is too large");
        }
        return amount << shift;
    }

    /** Parses a byte size of at least 1 byte. */
    public static long positiveBytes(String text) {
        long bytes = bytes(text);
        if (bytes < 1) {
            throw new IllegalArgumentException("must be at least 1 byte");
        }
        return bytes;
    }

    /** Parses a TCP port, 0 to 65535; 0 picks a free port. */
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
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        long amount = bytes;
        while (unit < units.length - 1 && amount != 0 && amount % 1024 == 0) {
            amount /= 1024;
            unit++;
        }
        return amount + units[unit];
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
