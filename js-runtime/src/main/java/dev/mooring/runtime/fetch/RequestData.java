package dev.mooring.runtime.fetch;

import java.util.List;
import java.util.Objects;

/**
 * An HTTP request as it crosses between the network, contexts and objects: immutable, with the
 * whole body in memory.
 *
 * @param headers flat list of names and values: {@code [name0, value0, name1, value1, ...]}
 * @param body the body bytes, or null for no body
 */
public record RequestData(String method, String url, List<String> headers, byte[] body) {

    public RequestData {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        headers = List.copyOf(headers);
        if (headers.size() % 2 != 0) {
            throw new IllegalArgumentException("Header list must hold name-value pairs, got " + headers.size() + " items");
        }
    }

    /** Returns the first value of a header, compared case-insensitively, or null. */
    public String header(String name) {
        for (int i = 0; i < headers.size(); i += 2) {
            if (headers.get(i).equalsIgnoreCase(name)) {
                return headers.get(i + 1);
            }
        }
        return null;
    }

    /** Returns a copy with another URL. */
    public RequestData withUrl(String newUrl) {
        return new RequestData(method, newUrl, headers, body);
    }
}
