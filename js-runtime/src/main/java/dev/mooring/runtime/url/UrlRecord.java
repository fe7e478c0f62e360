package dev.mooring.runtime.url;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The URL Standard's URL record: what {@link UrlParser} produces and {@link UrlSerializer} turns
 * back into a string. Mutable, because the setters of the {@code URL} class change a record in
 * place; not thread-safe.
 *
 * <p>Two representation choices differ from the standard's text. The host is kept already
 * serialized (see {@link HostParser}), and the path is either a list of segments or, for a URL
 * with an opaque path such as {@code mailto:x}, one string; exactly one of the two is non-null.
 */
public final class UrlRecord {

    /** No port: the {@link #port()} of a URL without one, or with its scheme's default port. */
    public static final int NO_PORT = -1;

    String scheme = "";
    /** Whether the scheme is one of the special schemes; kept in step by {@link #setScheme}. */
    boolean special;
    String username = "";
    String password = "";
    /** The serialized host, or null when the URL has none. */
    String host;
    int port = NO_PORT;
    /** The path segments, or null when the path is opaque. */
    List<String> pathSegments = new ArrayList<>();
    /** The opaque path, or null when the path is a list of segments. */
    String opaquePath;
    String query;
    String fragment;

    UrlRecord() {}

    /** Returns a deep copy, which shares no mutable state with this record. */
    public UrlRecord copy() {
        UrlRecord copy = new UrlRecord();
        copy.scheme = scheme;
        copy.special = special;
        copy.username = username;
        copy.password = password;
        copy.host = host;
        copy.port = port;
        copy.pathSegments = pathSegments == null ? null : new ArrayList<>(pathSegments);
        copy.opaquePath = opaquePath;
        copy.query = query;
        copy.fragment = fragment;
        return copy;
    }

    /** Returns the default port of a scheme, or {@link #NO_PORT} when it has none or is not special. */
    static int defaultPort(String scheme) {
        return switch (scheme) {
            case "ftp" -> 21;
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> NO_PORT;
        };
    }

    static boolean isSpecialScheme(String scheme) {
        return switch (scheme) {
            case "ftp", "file", "http", "https", "ws", "wss" -> true;
            default -> false;
        };
    }

    void setScheme(String scheme) {
        this.scheme = scheme;
        this.special = isSpecialScheme(scheme);
    }

    void setOpaquePath(String path) {
        pathSegments = null;
        opaquePath = path;
    }

    /** Replaces the path with a copy of the given segments, or with the same opaque path. */
    void setPathFrom(UrlRecord other) {
        pathSegments = other.pathSegments == null ? null : new ArrayList<>(other.pathSegments);
        opaquePath = other.opaquePath;
    }

    boolean includesCredentials() {
        return !username.isEmpty() || !password.isEmpty();
    }

    /** Returns whether the setters must leave the username, password and port alone. */
    boolean cannotHaveUsernamePasswordPort() {
        return host == null || host.isEmpty() || scheme.equals("file");
    }

    /** Returns the scheme in lower case, without the trailing ":". */
    public String scheme() {
        return scheme;
    }

    public boolean isSpecial() {
        return special;
    }

    /** Returns the username, percent-encoded. */
    public String username() {
        return username;
    }

    /** Returns the password, percent-encoded. */
    public String password() {
        return password;
    }

    /** Returns the serialized host ("" for the empty host), or null when the URL has none. */
    public String host() {
        return host;
    }

    /** Returns the port, or {@link #NO_PORT}. A port equal to the scheme's default is never kept. */
    public int port() {
        return port;
    }

    public boolean hasOpaquePath() {
        return opaquePath != null;
    }

    /** Returns a read-only copy of the path segments, percent-encoded, or null when the path is opaque. */
    public List<String> pathSegments() {
        return pathSegments == null ? null : List.copyOf(pathSegments);
    }

    /** Returns the opaque path, or null when the path is a list of segments. */
    public String opaquePath() {
        return opaquePath;
    }

    /** Returns the query without "?", or null when the URL has none. */
    public String query() {
        return query;
    }

    /** Returns the fragment without "#", or null when the URL has none. */
    public String fragment() {
        return fragment;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UrlRecord that
                && scheme.equals(that.scheme)
                && username.equals(that.username)
                && password.equals(that.password)
                && Objects.equals(host, that.host)
                && port == that.port
                && Objects.equals(pathSegments, that.pathSegments)
                && Objects.equals(opaquePath, that.opaquePath)
                && Objects.equals(query, that.query)
                && Objects.equals(fragment, that.fragment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, host, pathSegments, opaquePath, query, fragment);
    }

    /** Returns the serialized URL, for debugging; see {@link UrlSerializer#serialize}. */
    @Override
    public String toString() {
        return UrlSerializer.serialize(this, false);
    }
}
