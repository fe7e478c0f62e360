package dev.mooring.runtime.url;

/**
 * The URL Standard's URL serializer, path serializer and origin serialization. Stateless and safe
 * to call from any thread.
 *
 * <p>Serializing a record and parsing the result gives an equal record, which the URL setters
 * rely on (see {@link UrlComponents}); the "/." prefix below exists for that. {@code
 * UrlParserWebPlatformTests} checks the round trip for every record that the web-platform-tests
 * data produces.
 */
public final class UrlSerializer {

    private UrlSerializer() {}

    /** Serializes a URL (its {@code href}), without the fragment when {@code excludeFragment} is true. */
    public static String serialize(UrlRecord url, boolean excludeFragment) {
        StringBuilder out = new StringBuilder(64);
        out.append(url.scheme).append(':');
        if (url.host != null) {
            out.append("//");
            if (url.includesCredentials()) {
                out.append(url.username);
                if (!url.password.isEmpty()) {
                    out.append(':').append(url.password);
                }
                out.append('@');
            }
            out.append(url.host);
            if (url.port != UrlRecord.NO_PORT) {
                out.append(':').append(url.port);
            }
        } else if (url.pathSegments != null && url.pathSegments.size() > 1 && url.pathSegments.get(0).isEmpty()) {
            // Without "/." the path "//x" would be read back as the host "x".
            out.append("/.");
        }
        appendPath(out, url);
        if (url.query != null) {
            out.append('?').append(url.query);
        }
        if (!excludeFragment && url.fragment != null) {
            out.append('#').append(url.fragment);
        }
        return out.toString();
    }

    /** Serializes the path: the opaque path as it is, or "/" before each segment. */
    public static String serializePath(UrlRecord url) {
        if (url.opaquePath != null) {
            return url.opaquePath;
        }
        StringBuilder out = new StringBuilder(32);
        appendPath(out, url);
        return out.toString();
    }

    private static void appendPath(StringBuilder out, UrlRecord url) {
        if (url.opaquePath != null) {
            out.append(url.opaquePath);
            return;
        }
        for (String segment : url.pathSegments) {
            out.append('/').append(segment);
        }
    }

    /**
     * Serializes the URL's origin. The special schemes other than file have the origin
     * "scheme://host[:port]", and a blob URL has the origin of the http or https URL in its path.
     * Every other URL has an opaque origin, serialized as "null". That includes file URLs, whose
     * origin the standard leaves to the implementation.
     */
    public static String serializeOrigin(UrlRecord url) {
        return switch (url.scheme) {
            case "ftp", "http", "https", "ws", "wss" ->
                    url.port == UrlRecord.NO_PORT
                            ? url.scheme + "://" + url.host
                            : url.scheme + "://" + url.host + ":" + url.port;
            case "blob" -> {
                UrlRecord pathUrl = UrlParser.parse(serializePath(url), null);
                boolean hasTupleOrigin = pathUrl != null && (pathUrl.scheme.equals("http") || pathUrl.scheme.equals("https"));
                yield hasTupleOrigin ? serializeOrigin(pathUrl) : "null";
            }
            default -> "null";
        };
    }
}
