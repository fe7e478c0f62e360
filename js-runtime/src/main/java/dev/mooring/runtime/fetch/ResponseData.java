package dev.mooring.runtime.fetch;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An HTTP response produced by guest code or by the host: immutable, with the whole body in memory.
 *
 * @param headers flat list of names and values: {@code [name0, value0, name1, value1, ...]}
 * @param body the body bytes, or null for no body
 * @param webSocketId the host id of the WebSocket end a 101 response hands to the client, or null
 * @param manualEncoding whether the body is already in the coding its Content-Encoding header
 *     names ({@code encodeBody: "manual"}, or bytes received from the network), so the host sends
 *     it as it is; when false, the host applies a Content-Encoding of {@code gzip} itself
 */
public record ResponseData(int status, String statusText, List<String> headers, byte[] body, Long webSocketId,
        boolean manualEncoding) {

    public ResponseData {
        headers = List.copyOf(headers);
        if (headers.size() % 2 != 0) {
            throw new IllegalArgumentException("Header list must hold name-value pairs, got " + headers.size() + " items");
        }
    }

    /** A response whose body the host encodes as its Content-Encoding header names. */
    public ResponseData(int status, String statusText, List<String> headers, byte[] body, Long webSocketId) {
        this(status, statusText, headers, body, webSocketId, false);
    }

    /** A response without a WebSocket, whose body the host encodes as its Content-Encoding header names. */
    public ResponseData(int status, String statusText, List<String> headers, byte[] body) {
        this(status, statusText, headers, body, null, false);
    }

    /** Returns the value of the first header named {@code name} (case-insensitive), or null. */
    public String header(String name) {
        for (int i = 0; i < headers.size(); i += 2) {
            if (headers.get(i).equalsIgnoreCase(name)) {
                return headers.get(i + 1);
            }
        }
        return null;
    }

    /** A plain-text response. */
    public static ResponseData text(int status, String text) {
        return new ResponseData(status, "", List.of("content-type", "text/plain;charset=UTF-8"), text.getBytes(StandardCharsets.UTF_8));
    }

    /** Returns the body decoded as UTF-8, or an empty string for no body. */
    public String bodyText() {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }
}
