package dev.mooring.host.egress;

import dev.mooring.host.config.HostOptions;
import dev.mooring.runtime.url.UrlParser;
import dev.mooring.runtime.url.UrlRecord;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which hosts guest code may reach with {@code fetch()}: an allowlist of host names and of IP
 * addresses or ranges. The default, {@link #DENY_ALL}, allows nothing.
 *
 * <p>A request passes in two steps. {@link #checkHost} runs before any DNS lookup: a host name
 * must match a listed name (exactly, by a {@code *.example.com} wildcard, or by {@code *}), and an
 * IP address written in the URL must lie in a listed address or range. Then, for a host name,
 * {@link #checkResolved} looks at every address the name resolves to: each one that is not a
 * {@link AddressClass#PUBLIC public} address (loopback, private, link-local and the rest) must be
 * listed by address too. So allowing {@code localhost} by name does not open the loopback
 * interface, and a listed name whose DNS record points into the private network is rejected.
 *
 * <p>Immutable and safe to share between threads. Checks never do a DNS lookup.
 */
public final class EgressPolicy {

    /** Allows no outbound request at all; the default when {@code --allow-fetch} is not given. */
    public static final EgressPolicy DENY_ALL = new EgressPolicy(Set.of(), List.of(), false, List.of(), List.of());

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");

    /**
     * The cause of a blocked request, for the script's author: {@code reason} gives the cause and
     * {@code advice} how to allow the request.
     */
    public record Rejection(String host, String reason, String advice) {

        /** Returns the message for a blocked {@code fetch()}. */
        public String message() {
            return messageFor("fetch()");
        }

        /** Returns the message for a blocked connection that guest code opened with {@code call}, such as "new WebSocket()". */
        public String messageFor(String call) {
            return call + " to " + host + " was blocked because " + reason + ". " + advice;
        }
    }

    private final Set<String> names;
    private final List<String> wildcardSuffixes;
    private final boolean anyName;
    private final List<AddressRange> ranges;
    private final List<String> entries;

    private EgressPolicy(Set<String> names, List<String> wildcardSuffixes, boolean anyName, List<AddressRange> ranges,
            List<String> entries) {
        this.names = names;
        this.wildcardSuffixes = wildcardSuffixes;
        this.anyName = anyName;
        this.ranges = ranges;
        this.entries = entries;
    }

    /**
     * Parses a comma-separated allowlist. Each entry is one of:
     * <ul>
     *   <li>a host name, such as {@code api.example.com}, which matches only that name;
     *   <li>a wildcard {@code *.example.com}, which matches every name below {@code example.com}
     *       but not {@code example.com} itself;
     *   <li>{@code *}, which matches every host name (never an IP address in a URL);
     *   <li>an IPv4 or IPv6 address, such as {@code 127.0.0.1} or {@code ::1} (brackets allowed);
     *   <li>a CIDR range, such as {@code 10.0.0.0/8} or {@code fd00::/8}.
     * </ul>
     * Host names are compared in their ASCII form, as URLs carry them, and without a trailing dot.
     *
     * @throws IllegalArgumentException naming the entry that is none of these
     */
    public static EgressPolicy parse(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("expected host names, wildcards such as *.example.com, IP addresses"
                    + " or CIDR ranges, separated by commas");
        }
        Set<String> names = new LinkedHashSet<>();
        Set<String> wildcardSuffixes = new LinkedHashSet<>();
        boolean anyName = false;
        List<AddressRange> ranges = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("the list has an empty entry; separate entries with single commas,"
                        + " such as api.example.com,127.0.0.1");
            }
            if (entry.equals("*")) {
                anyName = true;
                entries.add(entry);
            } else if (entry.startsWith("*.")) {
                String suffix = "." + normalizeName(entry.substring(2), entry);
                wildcardSuffixes.add(suffix);
                entries.add("*" + suffix);
            } else if (entry.contains("/")) {
                AddressRange range = parseRange(entry);
                ranges.add(range);
                entries.add(range.toString());
            } else if (looksLikeAddress(entry)) {
                AddressRange range = AddressRange.single(parseAddress(entry, entry));
                ranges.add(range);
                entries.add(range.toString());
            } else {
                String name = normalizeName(entry, entry);
                names.add(name);
                entries.add(name);
            }
        }
        return new EgressPolicy(Set.copyOf(names), List.copyOf(wildcardSuffixes), anyName, List.copyOf(ranges),
                List.copyOf(entries));
    }

    /** Whether the policy allows no request at all. */
    public boolean allowsNothing() {
        return names.isEmpty() && wildcardSuffixes.isEmpty() && !anyName && ranges.isEmpty();
    }

    /** The entries in their normalized form, for logs. */
    public List<String> entries() {
        return entries;
    }

    /**
     * Checks the host of a URL before any DNS lookup.
     *
     * @param urlHost the host as the URL parser serializes it: a lowercase ASCII name, a
     *     dotted-quad IPv4 address, or an IPv6 address in brackets
     * @return the rejection, or empty when the request may go on (to {@link #checkResolved} for a name)
     */
    public Optional<Rejection> checkHost(String urlHost) {
        Optional<InetAddress> literal = literalAddress(urlHost);
        if (literal.isPresent()) {
            if (listsAddress(literal.get())) {
                return Optional.empty();
            }
            String entry = unbracketed(urlHost);
            return Optional.of(rejection(urlHost, allowsNothing()
                    ? "outbound fetch() is disabled"
                    : "an IP address in a URL must be listed by address, and " + entry + " is not", entry));
        }
        String name = withoutTrailingDot(urlHost);
        if (matchesName(name)) {
            return Optional.empty();
        }
        // A loopback name is reached only when the name and its address are both listed.
        boolean loopbackName = name.equals("localhost") || name.endsWith(".localhost");
        String entry = loopbackName && !listsAddress(InetAddress.ofLiteral("127.0.0.1")) ? name + ",127.0.0.1" : name;
        return Optional.of(rejection(urlHost, allowsNothing()
                ? "outbound fetch() is disabled"
                : "the host is not on the allowlist", entry));
    }

    /**
     * Checks the addresses that a host name, already passed by {@link #checkHost}, resolved to:
     * every address that is not public must be listed by address.
     *
     * @return the rejection naming the first such address, or empty when all may be reached
     */
    public Optional<Rejection> checkResolved(String urlHost, List<InetAddress> addresses) {
        for (InetAddress address : addresses) {
            AddressClass addressClass = AddressClass.of(address);
            if (addressClass != AddressClass.PUBLIC && !listsAddress(address)) {
                String text = address.getHostAddress();
                return Optional.of(rejection(urlHost, "it resolves to " + text + ", " + addressClass.description()
                        + ", which is reachable only when listed by address", text));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code address} lies in a listed address or range. */
    public boolean listsAddress(InetAddress address) {
        for (AddressRange range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the address that a URL host names literally: a dotted-quad IPv4 address or a
     * bracketed IPv6 address. Returns empty for a host name; never does a DNS lookup.
     */
    public static Optional<InetAddress> literalAddress(String urlHost) {
        if (urlHost.startsWith("[") && urlHost.endsWith("]")) {
            return Optional.of(InetAddress.ofLiteral(urlHost.substring(1, urlHost.length() - 1)));
        }
        if (IPV4.matcher(urlHost).matches()) {
            return Optional.of(InetAddress.ofLiteral(urlHost));
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return allowsNothing() ? "nothing" : String.join(",", entries);
    }

    private boolean matchesName(String name) {
        if (anyName || names.contains(name)) {
            return true;
        }
        for (String suffix : wildcardSuffixes) {
            if (name.length() > suffix.length() && name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /** Builds a rejection whose example is the whole list the option would then need, so that no entry is lost. */
    private Rejection rejection(String host, String reason, String entryToAdd) {
        String option = HostOptions.ALLOW_FETCH.name();
        String example = allowsNothing() ? entryToAdd : String.join(",", entries) + "," + entryToAdd;
        return new Rejection(host, reason, "To allow it, add " + entryToAdd + " to the " + option + " option of the host, such as "
                + option + " " + example + ".");
    }

    private static String unbracketed(String urlHost) {
        return urlHost.startsWith("[") ? urlHost.substring(1, urlHost.length() - 1) : urlHost;
    }

    private static String withoutTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static boolean looksLikeAddress(String entry) {
        return entry.contains(":") || entry.startsWith("[") || DIGITS_AND_DOTS.matcher(entry).matches();
    }

    /** Normalizes a host name entry as the URL parser would normalize the host of a URL. */
    private static String normalizeName(String text, String entry) {
        String name = withoutTrailingDot(text);
        UrlRecord url = name.isEmpty() || name.contains("*") ? null : UrlParser.parse("http://" + name + "/");
        if (url == null || url.host() == null || url.port() != UrlRecord.NO_PORT || !url.username().isEmpty()
                || !url.password().isEmpty() || url.query() != null || !url.pathSegments().equals(List.of(""))) {
            throw new IllegalArgumentException("'" + entry + "' is not a host name, a wildcard such as *.example.com,"
                    + " an IP address or a CIDR range such as 10.0.0.0/8; write host names without scheme, port or path");
        }
        String host = withoutTrailingDot(url.host());
        if (literalAddress(host).isPresent()) {
            throw new IllegalArgumentException("'" + entry + "' reads as the IP address " + host + "; write IPv4 addresses"
                    + " as four decimal numbers, such as 10.0.0.5");
        }
        return host;
    }

    private static InetAddress parseAddress(String text, String entry) {
        String literal = unbracketed(text);
        if (literal.contains("%")) {
            throw new IllegalArgumentException("'" + entry + "' has a zone index; list the address without it");
        }
        boolean ipv6 = literal.contains(":");
        if (!ipv6 && !IPV4.matcher(literal).matches()) {
            throw new IllegalArgumentException("'" + entry + "' is not an IP address; write IPv4 addresses as four"
                    + " decimal numbers from 0 to 255 without leading zeros, such as 10.0.0.5");
        }
        try {
            return InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + entry + "' is not an IP address, such as 10.0.0.5 or fd00::1"
                    + " (host names are listed without a port)", e);
        }
    }

    private static AddressRange parseRange(String entry) {
        int slash = entry.indexOf('/');
        InetAddress network = parseAddress(entry.substring(0, slash), entry);
        String prefixText = entry.substring(slash + 1);
        int maxPrefix = network instanceof Inet4Address ? 32 : 128;
        int prefix;
        try {
            prefix = prefixText.matches("\\d{1,3}") ? Integer.parseInt(prefixText) : -1;
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > maxPrefix) {
            throw new IllegalArgumentException("'" + entry + "' has an invalid prefix length; it must be a number from 0 to "
                    + maxPrefix + ", such as 10.0.0.0/8");
        }
        return new AddressRange(network.getAddress(), prefix);
    }

    /** An IPv4 or IPv6 network: the first {@code prefixLength} bits of {@code network}. */
    private record AddressRange(byte[] network, int prefixLength) {

        AddressRange {
            network = network.clone();
            for (int bit = prefixLength; bit < network.length * 8; bit++) {
                network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            }
        }

        static AddressRange single(InetAddress address) {
            return new AddressRange(address.getAddress(), address.getAddress().length * 8);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefixLength; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            String address;
            try {
                address = InetAddress.getByAddress(network).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException("An address of " + network.length + " bytes", e);
            }
            return prefixLength == network.length * 8 ? address : address + "/" + prefixLength;
        }
    }
}
