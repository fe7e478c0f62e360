package dev.mooring.runtime.url;

import dev.mooring.runtime.DomainNames;
import java.util.Locale;

/**
 * The URL Standard's host parser and host serializer in one step: {@link #parse} returns a host
 * already serialized, which is the only form {@link UrlRecord} keeps. A serialized host is a
 * domain, an IPv4 address in dotted decimal, an IPv6 address in brackets, an opaque host (for
 * non-special URLs) or the empty host "". Stateless and safe to call from any thread.
 *
 * <p>ASCII domains are only lowercased here. Domains with other code points go to {@link
 * DomainNames#toAscii} (UTS #46 ToASCII), which returns null for an invalid domain.
 */
final class HostParser {

    private HostParser() {}

    /**
     * Parses a host and returns it serialized, or returns null when it is invalid. {@code isOpaque}
     * is true for the hosts of non-special URLs, which are percent-encoded but not decoded or
     * mapped.
     */
    static String parse(String input, boolean isOpaque) {
        if (input.startsWith("[")) {
            if (!input.endsWith("]")) {
                return null;
            }
            int[] address = parseIpv6(input, 1, input.length() - 1);
            return address == null ? null : "[" + serializeIpv6(address) + "]";
        }
        if (isOpaque) {
            return parseOpaqueHost(input);
        }

        String domain = PercentEncoding.decode(input, false);
        String asciiDomain = domainToAscii(domain);
        if (asciiDomain == null) {
            return null;
        }
        for (int i = 0; i < asciiDomain.length(); i++) {
            if (isForbiddenDomainCodePoint(asciiDomain.charAt(i))) {
                return null;
            }
        }
        if (endsInANumber(asciiDomain)) {
            long address = parseIpv4(asciiDomain);
            return address < 0 ? null : serializeIpv4(address);
        }
        return asciiDomain;
    }

    private static boolean isForbiddenHostCodePoint(char c) {
        return switch (c) {
            case 0x00, '\t', '\n', '\r', ' ', '#', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|' -> true;
            default -> false;
        };
    }

    private static boolean isForbiddenDomainCodePoint(char c) {
        return c <= 0x1F || c == '%' || c == 0x7F || isForbiddenHostCodePoint(c);
    }

    /**
     * Returns the standard's "domain to ASCII" with beStrict false, or null for failure. An ASCII
     * domain is only lowercased, because UTS #46 changes nothing else in ASCII when
     * UseSTD3ASCIIRules is off. That also leaves ASCII "xn--" labels that fail UTS #46 validation
     * as they are, as the web-platform-tests data expects ("https://xn--/" has the host "xn--").
     * The caller checks the forbidden code points.
     */
    private static String domainToAscii(String domain) {
        for (int i = 0; i < domain.length(); i++) {
            if (domain.charAt(i) >= 0x80) {
                String result = DomainNames.toAscii(domain, false);
                return result == null || result.isEmpty() ? null : result;
            }
        }
        return domain.toLowerCase(Locale.ROOT);
    }

    private static String parseOpaqueHost(String input) {
        for (int i = 0; i < input.length(); i++) {
            if (isForbiddenHostCodePoint(input.charAt(i))) {
                return null;
            }
        }
        return PercentEncoding.encode(input, PercentEncoding.EncodeSet.C0_CONTROL);
    }

    // ---------------------------------------------------------------------------------------------
    // IPv4.

    /**
     * Returns whether the last label, ignoring one trailing dot, is a decimal number or a
     * hexadecimal IPv4 number such as "0x1f". Such a host must parse as an IPv4 address or is
     * invalid.
     */
    private static boolean endsInANumber(String domain) {
        int end = domain.length();
        if (end > 0 && domain.charAt(end - 1) == '.') {
            end--;
        }
        int start = domain.lastIndexOf('.', end - 1) + 1;
        if (start >= end) {
            return false;
        }
        boolean allDigits = true;
        for (int i = start; i < end; i++) {
            char c = domain.charAt(i);
            if (c < '0' || c > '9') {
                allDigits = false;
                break;
            }
        }
        if (allDigits) {
            return true;
        }
        if (end - start < 2 || domain.charAt(start) != '0' || (domain.charAt(start + 1) | 0x20) != 'x') {
            return false;
        }
        for (int i = start + 2; i < end; i++) {
            if (PercentEncoding.hexValue(domain.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses an IPv4 address of one to four dot-separated numbers, where the last number fills
     * the remaining bytes ("127.1" is 127.0.0.1). Returns the address, or -1 when it is invalid.
     */
    static long parseIpv4(String input) {
        int end = input.length();
        if (end > 1 && input.charAt(end - 1) == '.') {
            end--; // One trailing dot is allowed.
        }
        long[] numbers = new long[4];
        int count = 0;
        int start = 0;
        while (true) {
            int dot = input.indexOf('.', start);
            int partEnd = dot < 0 || dot >= end ? end : dot;
            if (count == 4) {
                return -1;
            }
            long number = parseIpv4Number(input, start, partEnd);
            if (number < 0) {
                return -1;
            }
            numbers[count++] = number;
            if (partEnd == end) {
                break;
            }
            start = partEnd + 1;
        }

        for (int i = 0; i < count - 1; i++) {
            if (numbers[i] > 255) {
                return -1;
            }
        }
        long last = numbers[count - 1];
        if (last >= 1L << (8 * (5 - count))) {
            return -1;
        }
        long address = last;
        for (int i = 0; i < count - 1; i++) {
            address += numbers[i] << (8 * (3 - i));
        }
        return address;
    }

    /**
     * Returns the value of {@code input[start, end)} in decimal, octal ("0" prefix) or
     * hexadecimal ("0x" prefix), or -1 when it is empty or has a digit outside its radix. Values
     * are capped just above 2^32, which is already too large for any part.
     */
    private static long parseIpv4Number(String input, int start, int end) {
        if (start == end) {
            return -1;
        }
        int radix = 10;
        if (end - start >= 2 && input.charAt(start) == '0') {
            if ((input.charAt(start + 1) | 0x20) == 'x') {
                radix = 16;
                start += 2;
            } else {
                radix = 8;
                start += 1;
            }
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            int digit = PercentEncoding.hexValue(input.charAt(i));
            if (digit < 0 || digit >= radix) {
                return -1;
            }
            value = Math.min(value * radix + digit, 1L << 33);
        }
        return value;
    }

    static String serializeIpv4(long address) {
        return (address >>> 24) + "." + ((address >>> 16) & 255) + "." + ((address >>> 8) & 255) + "." + (address & 255);
    }

    // ---------------------------------------------------------------------------------------------
    // IPv6.

    /**
     * Parses the IPv6 address in {@code input[start, end)}, the text between the brackets.
     * Returns its eight 16-bit pieces, or null when it is invalid.
     */
    static int[] parseIpv6(String input, int start, int end) {
        Ipv6Reader reader = new Ipv6Reader(input, start, end);
        return reader.read();
    }

    /** The state of one IPv6 parse: the input, the pointer into it and the pieces so far. */
    private static final class Ipv6Reader {
        private final String input;
        private final int end;
        private final int[] address = new int[8];
        private int pointer;
        private int pieceIndex;
        /** The index of the first piece that "::" replaces, or -1 when there is no "::". */
        private int compress = -1;

        Ipv6Reader(String input, int start, int end) {
            this.input = input;
            this.pointer = start;
            this.end = end;
        }

        /** Returns the code unit at i, or -1 at or past the end. */
        private int at(int i) {
            return i < end ? input.charAt(i) : -1;
        }

        int[] read() {
            if (at(pointer) == ':') {
                if (at(pointer + 1) != ':') {
                    return null;
                }
                pointer += 2;
                pieceIndex++;
                compress = pieceIndex;
            }
            while (at(pointer) != -1) {
                if (pieceIndex == 8) {
                    return null;
                }
                if (at(pointer) == ':') {
                    if (compress != -1) {
                        return null;
                    }
                    pointer++;
                    pieceIndex++;
                    compress = pieceIndex;
                    continue;
                }
                int value = 0;
                int length = 0;
                while (length < 4 && PercentEncoding.hexValue(at(pointer)) >= 0) {
                    value = value * 0x10 + PercentEncoding.hexValue(at(pointer));
                    pointer++;
                    length++;
                }
                if (at(pointer) == '.') {
                    if (length == 0) {
                        return null;
                    }
                    pointer -= length;
                    return readEmbeddedIpv4() ? moveCompressedPieces() : null;
                }
                if (at(pointer) == ':') {
                    pointer++;
                    if (at(pointer) == -1) {
                        return null;
                    }
                } else if (at(pointer) != -1) {
                    return null;
                }
                address[pieceIndex] = value;
                pieceIndex++;
            }
            return moveCompressedPieces();
        }

        /** Reads an IPv4 address at the end of the input into the last two pieces. */
        private boolean readEmbeddedIpv4() {
            if (pieceIndex > 6) {
                return false;
            }
            int numbersSeen = 0;
            while (at(pointer) != -1) {
                int ipv4Piece = -1;
                if (numbersSeen > 0) {
                    if (at(pointer) == '.' && numbersSeen < 4) {
                        pointer++;
                    } else {
                        return false;
                    }
                }
                int c = at(pointer);
                if (c < '0' || c > '9') {
                    return false;
                }
                while (c >= '0' && c <= '9') {
                    int number = c - '0';
                    if (ipv4Piece == -1) {
                        ipv4Piece = number;
                    } else if (ipv4Piece == 0) {
                        return false; // No leading zeros.
                    } else {
                        ipv4Piece = ipv4Piece * 10 + number;
                    }
                    if (ipv4Piece > 255) {
                        return false;
                    }
                    pointer++;
                    c = at(pointer);
                }
                address[pieceIndex] = address[pieceIndex] * 0x100 + ipv4Piece;
                numbersSeen++;
                if (numbersSeen == 2 || numbersSeen == 4) {
                    pieceIndex++;
                }
            }
            return numbersSeen == 4;
        }

        /** Moves the pieces after "::" to the end, or fails when there is no "::" and fewer than 8 pieces. */
        private int[] moveCompressedPieces() {
            if (compress != -1) {
                int swaps = pieceIndex - compress;
                pieceIndex = 7;
                while (pieceIndex != 0 && swaps > 0) {
                    int swapped = address[compress + swaps - 1];
                    address[compress + swaps - 1] = address[pieceIndex];
                    address[pieceIndex] = swapped;
                    pieceIndex--;
                    swaps--;
                }
            } else if (pieceIndex != 8) {
                return null;
            }
            return address;
        }
    }

    /** Serializes eight pieces in lower-case hex, writing the first longest run of two or more zero pieces as "::". */
    static String serializeIpv6(int[] address) {
        int compressStart = -1;
        int compressLength = 1;
        for (int i = 0; i < 8; ) {
            if (address[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && address[j] == 0) {
                j++;
            }
            if (j - i > compressLength) {
                compressStart = i;
                compressLength = j - i;
            }
            i = j;
        }

        StringBuilder out = new StringBuilder(41);
        for (int i = 0; i < 8; i++) {
            if (i == compressStart) {
                out.append(i == 0 ? "::" : ":");
                i += compressLength - 1;
                continue;
            }
            out.append(Integer.toHexString(address[i]));
            if (i < 7) {
                out.append(':');
            }
        }
        return out.toString();
    }
}
