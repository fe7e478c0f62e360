package dev.mooring.runtime;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;

/**
 * The host side of {@code fetch()} for runtime tests, with no network behind it. It responds to
 * {@link HostFunctions#OUTBOUND_FETCH} calls as a small fake server, decided by the URL's host:
 * <ul>
 *   <li>{@code blocked.test}: rejects as the host's policy would, with an Error;
 *   <li>{@code hang.test}: never responds, like a server that does not respond;
 *   <li>{@code redirect.test}: with redirect "manual", a 302 to {@code https://echo.test/landed};
 *       with "follow", the echo of that target, marked as redirected;
 *   <li>any other host: status 200 (or NNN for the path {@code /status/NNN}, with status text
 *       "Custom"), header {@code x-echo: yes}, and a JSON body that describes the request the host
 *       received: method, url, headers (the flat list) and body (as text, or null).
 * </ul>
 */
final class FakeFetchHost {

    private FakeFetchHost() {}

    /** Responds to one request by calling {@code settle} as the real host would. */
    static void respond(String method, String url, List<String> headers, byte[] body, String redirect, Value settle) {
        URI uri = URI.create(url);
        String withoutFragment = url.contains("#") ? url.substring(0, url.indexOf('#')) : url;
        switch (uri.getHost()) {
            case "blocked.test" -> settle.execute("error", "Error", "fetch() to blocked.test was blocked by the fake host.");
            case "hang.test" -> {
                // No response: the fetch stays pending until its signal aborts it.
            }
            case "redirect.test" -> {
                if (redirect.equals("manual")) {
                    settle.execute("ok", 302, null, ProxyArray.fromArray("location", "https://echo.test/landed"), null,
                            withoutFragment, false);
                } else {
                    echo(method, "https://echo.test/landed", headers, body, true, settle);
                }
            }
            default -> echo(method, withoutFragment, headers, body, false, settle);
        }
    }

    private static void echo(String method, String url, List<String> headers, byte[] body, boolean redirected, Value settle) {
        String path = URI.create(url).getPath();
        int status = path.startsWith("/status/") ? Integer.parseInt(path.substring("/status/".length())) : 200;
        String statusText = status == 200 ? null : "Custom";
        List<String> quotedHeaders = new ArrayList<>();
        for (String header : headers) {
            quotedHeaders.add(json(header));
        }
        String description = "{\"method\":" + json(method) + ",\"url\":" + json(url)
                + ",\"headers\":[" + String.join(",", quotedHeaders) + "]"
                + ",\"body\":" + (body == null ? "null" : json(new String(body, StandardCharsets.UTF_8))) + "}";
        settle.execute("ok", status, statusText, ProxyArray.fromArray("content-type", "application/json", "x-echo", "yes"),
                RuntimeIntrinsics.bufferFor(description.getBytes(StandardCharsets.UTF_8)), url, redirected);
    }

    private static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
