package dev.mooring.host.scripts;

import dev.mooring.host.objects.ResponseSink;
import dev.mooring.host.objects.ScriptRuntime;
import dev.mooring.runtime.fetch.RequestData;
import dev.mooring.runtime.fetch.ResponseData;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Sends each request of {@code mooring serve} to its script, by host name or by path:
 *
 * <ul>
 *   <li>{@code NAME.localhost} always, and {@code NAME.BASE} when a base domain is configured:
 *       the script sees the request unchanged;
 *   <li>{@code /NAME/...} when path routing is on and the host name names no script: the script
 *       sees the request without the {@code /NAME} prefix, as if it were mounted at the root.
 * </ul>
 *
 * <p>Thread-safe and non-blocking; it runs on I/O threads.
 */
public final class ScriptRouter {

    private static final String LOCALHOST = ".localhost";

    private final ScriptRegistry registry;
    private final String baseDomainSuffix;
    private final boolean byPath;

    /**
     * @param baseDomain a domain whose first-level subdomains name scripts, such as {@code
     *     workers.example.com}; null for {@code localhost} only
     * @param byPath whether {@code /NAME/...} reaches script NAME
     */
    public ScriptRouter(ScriptRegistry registry, String baseDomain, boolean byPath) {
        this.registry = registry;
        this.baseDomainSuffix = baseDomain == null || baseDomain.isEmpty() ? null : "." + baseDomain.toLowerCase(Locale.ROOT);
        this.byPath = byPath;
    }

    /** Routes one request; the outcome goes to {@code sink}. */
    public void handle(RequestData request, ResponseSink sink) {
        URI uri;
        try {
            uri = new URI(request.url());
        } catch (URISyntaxException e) {
            sink.complete(ResponseData.text(400, "Invalid request URL: " + request.url() + "\n"));
            return;
        }

        String script = scriptOfHost(uri.getHost());
        RequestData forwarded = request;
        if (script == null && byPath) {
            String path = uri.getRawPath() == null ? "/" : uri.getRawPath();
            int end = path.indexOf('/', 1);
            String first = end < 0 ? path.substring(1) : path.substring(1, end);
            if (!first.isEmpty()) {
                script = first;
                String rest = end < 0 ? "/" : path.substring(end);
                forwarded = request.withUrl(uri.getScheme() + "://" + uri.getRawAuthority() + rest
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            }
        }
        if (script == null) {
            sink.complete(ResponseData.text(404, "No script answers here. Deployed scripts answer at http://NAME.localhost:PORT/"
                    + (baseDomainSuffix == null ? "" : ", http://NAME" + baseDomainSuffix + "/")
                    + (byPath ? " and /NAME/..." : "") + "\n"));
            return;
        }

        Optional<ScriptRuntime> runtime = registry.find(script);
        if (runtime.isPresent()) {
            runtime.get().handle(forwarded, sink);
            return;
        }
        Optional<String> failure = registry.startFailure(script);
        if (failure.isPresent()) {
            sink.complete(ResponseData.text(503, failure.get() + "\n"));
        } else {
            sink.complete(ResponseData.text(404, "No script named \"" + script + "\" is deployed\n"));
        }
    }

    /** The script a host name names, or null. */
    private String scriptOfHost(String host) {
        if (host == null) {
            return null;
        }
        String lower = host.toLowerCase(Locale.ROOT);
        String label = labelBefore(lower, LOCALHOST);
        if (label == null && baseDomainSuffix != null) {
            label = labelBefore(lower, baseDomainSuffix);
        }
        return label;
    }

    private static String labelBefore(String host, String suffix) {
        if (!host.endsWith(suffix) || host.length() == suffix.length()) {
            return null;
        }
        String label = host.substring(0, host.length() - suffix.length());
        return label.indexOf('.') >= 0 ? null : label;
    }
}
