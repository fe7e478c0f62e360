package dev.mooring.host.scripts;

import dev.mooring.host.objects.ResponseSink;
import dev.mooring.host.objects.ScriptRuntime;
import dev.mooring.runtime.fetch.RequestData;
import dev.mooring.runtime.fetch.ResponseData;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

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
 * <p>A request whose host name names no script, and which path routing does not route either, gets
 * a 404 that lists the URLs of deployed scripts, with the port the listener is bound to.
 *
 * <p>Thread-safe and non-blocking; it runs on I/O threads.
 */
public final class ScriptRouter {

    private static final String LOCALHOST = ".localhost";

    private final ScriptRegistry registry;
    private final String baseDomainSuffix;
    private final boolean byPath;

    /** Bound HTTP port that {@link #listeningOn} recorded; -1 until then. */
    private volatile int httpPort = -1;

    /** Bound HTTPS port that {@link #listeningOn} recorded; -1 until then or without an HTTPS listener. */
    private volatile int httpsPort = -1;

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

    /**
     * Records the ports the public listeners are bound to, which differ from the configured ones
     * when those are 0. Call it once the listeners are bound. Until then, and for a scheme without
     * a recorded port, the 404 hint shows the port of the request's URL.
     */
    public void listeningOn(int httpPort, OptionalInt httpsPort) {
        this.httpPort = httpPort;
        this.httpsPort = httpsPort.orElse(-1);
    }

    /**
     * Lists the URLs that reach script NAME on a listener, in the order host name, base
     * domain, path. The path form uses {@code host}, and it is listed only when path routing is on.
     *
     * @param scheme {@code http} or {@code https}
     * @param host the host of the path form, such as {@code 127.0.0.1}; an IPv6 literal in brackets
     * @param port the listener's port
     */
    public List<String> scriptAddresses(String scheme, String host, int port) {
        List<String> addresses = new ArrayList<>();
        addresses.add(scheme + "://NAME" + LOCALHOST + ":" + port + "/");
        if (baseDomainSuffix != null) {
            addresses.add(scheme + "://NAME" + baseDomainSuffix + ":" + port + "/");
        }
        if (byPath) {
            addresses.add(scheme + "://" + host + ":" + port + "/NAME/...");
        }
        return addresses;
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
            sink.complete(ResponseData.text(404, noScriptHint(uri)));
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
            sink.complete(ResponseData.text(404, registry.noSuchScript(script) + "\n"));
        }
    }

    /**
     * Builds the 404 body for a request that reaches no script. It lists the URLs of scripts on the
     * scheme and port the request came in on, and how to turn on path routing when it is off.
     */
    private String noScriptHint(URI uri) {
        String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
        int port = boundPort(scheme, uri.getPort());
        StringBuilder hint = new StringBuilder("No script serves " + scheme + "://" + host + ":" + port + uri.getRawPath()
                + " because the host name " + host + " names no script"
                + (byPath ? " and the path does not start with /NAME/" : "") + ".\nReach the deployed script NAME at:\n");
        for (String address : scriptAddresses(scheme, host, port)) {
            hint.append("  ").append(address).append('\n');
        }
        if (!byPath) {
            hint.append("Or restart mooring serve with --route-by-path true to reach it at ").append(scheme).append("://")
                    .append(host).append(':').append(port).append("/NAME/..., without a host name per script.\n");
        }
        return hint.toString();
    }

    /** Returns the bound port for {@code scheme}, or the request's port when none is recorded. */
    private int boundPort(String scheme, int requestPort) {
        int bound = scheme.equals("https") ? httpsPort : httpPort;
        if (bound > 0) {
            return bound;
        }
        if (requestPort > 0) {
            return requestPort;
        }
        return scheme.equals("https") ? 443 : 80;
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
