package dev.mooring.runtime.url;

import dev.mooring.runtime.url.PercentEncoding.EncodeSet;
import dev.mooring.runtime.url.UrlParser.State;
import java.util.List;

/**
 * The attribute getters and setters of the URL Standard's {@code URL} class over a {@link
 * UrlRecord}, and the encoding that carries a parsed URL to the JS runtime in one string.
 * Stateless and safe to call from any thread. The setters change the record passed to them.
 *
 * <p>The encoding lists the values of the URL's getters in the order of {@link Component},
 * separated by {@link #SEPARATOR}. {@code url.js} splits it once and returns each getter's value
 * from the parts, so reading a URL needs no call into Java. A setter sends the URL's {@code href}
 * back to {@link #set(String, String, String)}, which parses it again, applies the setter and
 * returns the new encoding. Parsing an {@code href} gives back the record it was serialized from
 * (see {@link UrlSerializer}).
 */
public final class UrlComponents {

    /**
     * Separates the components in an encoded URL. No component contains it: the parser
     * percent-encodes or rejects every C0 control in every part of a URL.
     */
    public static final char SEPARATOR = '\n';

    /** The components of an encoded URL, in order; {@code url.js} has a matching index constant for each. */
    public enum Component {
        HREF, ORIGIN, PROTOCOL, USERNAME, PASSWORD, HOST, HOSTNAME, PORT, PATHNAME, SEARCH, HASH
    }

    /** The names that {@link #set(String, String, String)} accepts: the URL setters, and {@link #QUERY}. */
    public static final List<String> SETTER_NAMES =
            List.of("protocol", "username", "password", "host", "hostname", "port", "pathname", "search", "hash", "query");

    /**
     * The name of the setter that {@code URLSearchParams} uses after a change to its list: the
     * value is the serialized list, and the empty string removes the query.
     */
    public static final String QUERY = "query";

    private UrlComponents() {}

    // ---------------------------------------------------------------------------------------------
    // The bridge to url.js.

    /**
     * Parses {@code input} against {@code base} (null for none) and returns the encoded URL, or
     * null when either is not a valid URL string.
     */
    public static String parse(String input, String base) {
        UrlRecord baseRecord = null;
        if (base != null) {
            baseRecord = UrlParser.parse(base);
            if (baseRecord == null) {
                return null;
            }
        }
        UrlRecord url = UrlParser.parse(input, baseRecord);
        return url == null ? null : encode(url);
    }

    /**
     * Applies the setter {@code name} (one of {@link #SETTER_NAMES}) with {@code value} to the URL
     * whose {@code href} is given, and returns the encoded result. An invalid value leaves the URL
     * unchanged or partly changed, as the standard's setters do; it is never an error.
     *
     * @throws IllegalArgumentException when {@code href} is not a valid URL string or {@code name} is unknown
     */
    public static String set(String href, String name, String value) {
        UrlRecord url = UrlParser.parse(href);
        if (url == null) {
            throw new IllegalArgumentException("Invalid URL string passed to a URL setter: " + href
                    + ". Pass the href of a parsed URL.");
        }
        set(url, name, value);
        return encode(url);
    }

    /** Returns the encoded URL: its components in the order of {@link Component}, joined by {@link #SEPARATOR}. */
    public static String encode(UrlRecord url) {
        String href = UrlSerializer.serialize(url, false);
        return new StringBuilder(href.length() * 2 + 64)
                .append(href).append(SEPARATOR)
                .append(UrlSerializer.serializeOrigin(url)).append(SEPARATOR)
                .append(protocol(url)).append(SEPARATOR)
                .append(url.username).append(SEPARATOR)
                .append(url.password).append(SEPARATOR)
                .append(host(url)).append(SEPARATOR)
                .append(hostname(url)).append(SEPARATOR)
                .append(port(url)).append(SEPARATOR)
                .append(UrlSerializer.serializePath(url)).append(SEPARATOR)
                .append(search(url)).append(SEPARATOR)
                .append(hash(url))
                .toString();
    }

    // ---------------------------------------------------------------------------------------------
    // Getters. The others are UrlSerializer.serialize (href), serializeOrigin (origin),
    // serializePath (pathname) and the username and password fields.

    public static String protocol(UrlRecord url) {
        return url.scheme + ":";
    }

    public static String host(UrlRecord url) {
        if (url.host == null) {
            return "";
        }
        return url.port == UrlRecord.NO_PORT ? url.host : url.host + ":" + url.port;
    }

    public static String hostname(UrlRecord url) {
        return url.host == null ? "" : url.host;
    }

    public static String port(UrlRecord url) {
        return url.port == UrlRecord.NO_PORT ? "" : Integer.toString(url.port);
    }

    /** Returns "?" and the query, or "" when the query is null or empty. */
    public static String search(UrlRecord url) {
        return url.query == null || url.query.isEmpty() ? "" : "?" + url.query;
    }

    /** Returns "#" and the fragment, or "" when the fragment is null or empty. */
    public static String hash(UrlRecord url) {
        return url.fragment == null || url.fragment.isEmpty() ? "" : "#" + url.fragment;
    }

    // ---------------------------------------------------------------------------------------------
    // Setters.

    /**
     * Applies the setter {@code name} (one of {@link #SETTER_NAMES}) to {@code url}.
     *
     * @throws IllegalArgumentException when {@code name} is unknown
     */
    public static void set(UrlRecord url, String name, String value) {
        switch (name) {
            case "protocol" -> setProtocol(url, value);
            case "username" -> setUsername(url, value);
            case "password" -> setPassword(url, value);
            case "host" -> setHost(url, value);
            case "hostname" -> setHostname(url, value);
            case "port" -> setPort(url, value);
            case "pathname" -> setPathname(url, value);
            case "search" -> setSearch(url, value);
            case "hash" -> setHash(url, value);
            case QUERY -> setQueryFromSearchParams(url, value);
            default -> throw new IllegalArgumentException("Unknown URL setter: " + name + ". Expected one of " + SETTER_NAMES);
        }
    }

    public static void setProtocol(UrlRecord url, String value) {
        UrlParser.parseWithOverride(value + ":", url, State.SCHEME_START);
    }

    public static void setUsername(UrlRecord url, String value) {
        if (!url.cannotHaveUsernamePasswordPort()) {
            url.username = PercentEncoding.encode(value, EncodeSet.USERINFO);
        }
    }

    public static void setPassword(UrlRecord url, String value) {
        if (!url.cannotHaveUsernamePasswordPort()) {
            url.password = PercentEncoding.encode(value, EncodeSet.USERINFO);
        }
    }

    public static void setHost(UrlRecord url, String value) {
        if (!url.hasOpaquePath()) {
            UrlParser.parseWithOverride(value, url, State.HOST);
        }
    }

    public static void setHostname(UrlRecord url, String value) {
        if (!url.hasOpaquePath()) {
            UrlParser.parseWithOverride(value, url, State.HOSTNAME);
        }
    }

    /** Sets the port; the empty string removes it, and a value that starts with digits sets them. */
    public static void setPort(UrlRecord url, String value) {
        if (url.cannotHaveUsernamePasswordPort()) {
            return;
        }
        if (value.isEmpty()) {
            url.port = UrlRecord.NO_PORT;
        } else {
            UrlParser.parseWithOverride(value, url, State.PORT);
        }
    }

    public static void setPathname(UrlRecord url, String value) {
        if (url.hasOpaquePath()) {
            return;
        }
        url.pathSegments.clear();
        UrlParser.parseWithOverride(value, url, State.PATH_START);
    }

    /** Sets the query from the value without its leading "?"; the empty string removes the query. */
    public static void setSearch(UrlRecord url, String value) {
        if (value.isEmpty()) {
            url.query = null;
            return;
        }
        url.query = "";
        UrlParser.parseWithOverride(value.startsWith("?") ? value.substring(1) : value, url, State.QUERY);
    }

    /** Sets the fragment from the value without its leading "#"; the empty string removes the fragment. */
    public static void setHash(UrlRecord url, String value) {
        if (value.isEmpty()) {
            url.fragment = null;
            return;
        }
        url.fragment = "";
        UrlParser.parseWithOverride(value.startsWith("#") ? value.substring(1) : value, url, State.FRAGMENT);
    }

    /**
     * Sets the query to a serialized {@code URLSearchParams} list, or removes it when the list is
     * empty (the standard's URLSearchParams update steps). The value is percent-encoded with the
     * URL's query set, which changes nothing in the output of the form serializer, so a value
     * that did not come from it still gives a valid URL.
     */
    public static void setQueryFromSearchParams(UrlRecord url, String serializedQuery) {
        if (serializedQuery.isEmpty()) {
            url.query = null;
            return;
        }
        url.query = PercentEncoding.encode(serializedQuery, url.special ? EncodeSet.SPECIAL_QUERY : EncodeSet.QUERY);
    }
}
