package dev.mooring.host.egress;

import dev.mooring.host.config.HostOptions;
import dev.mooring.host.config.WebSocketSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of outbound {@code fetch()} from guest code.
 *
 * @param policy which hosts guest code may reach
 * @param timeout how long one {@code fetch()} may take in total, redirects and the whole
 *     response body included
 * @param maxResponseBytes the largest response body that is read; a larger one fails the call
 * @param webSockets the limits of outgoing WebSockets, the same that the host's
 *     {@code --websocket-*} options set for incoming ones
 */
public record EgressSettings(EgressPolicy policy, Duration timeout, long maxResponseBytes, WebSocketSettings webSockets) {

    /** The defaults of {@code mooring dev}: nothing allowed, with the declared timeout and size cap. */
    public static final EgressSettings DEFAULTS = new EgressSettings(EgressPolicy.DENY_ALL,
            HostOptions.FETCH_TIMEOUT.parse(HostOptions.FETCH_TIMEOUT.defaultValue()),
            HostOptions.FETCH_MAX_RESPONSE.parse(HostOptions.FETCH_MAX_RESPONSE.defaultValue()), WebSocketSettings.DEFAULTS);

    public EgressSettings {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(webSockets, "webSockets");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("The fetch timeout must be positive, got " + timeout);
        }
        if (maxResponseBytes < 0) {
            throw new IllegalArgumentException("The maximum response size must not be negative, got " + maxResponseBytes);
        }
    }

    /** Settings with the default limits of outgoing WebSockets. */
    public EgressSettings(EgressPolicy policy, Duration timeout, long maxResponseBytes) {
        this(policy, timeout, maxResponseBytes, WebSocketSettings.DEFAULTS);
    }

    public EgressSettings withPolicy(EgressPolicy newPolicy) {
        return new EgressSettings(newPolicy, timeout, maxResponseBytes, webSockets);
    }

    public EgressSettings withTimeout(Duration newTimeout) {
        return new EgressSettings(policy, newTimeout, maxResponseBytes, webSockets);
    }

    public EgressSettings withMaxResponseBytes(long newMaxResponseBytes) {
        return new EgressSettings(policy, timeout, newMaxResponseBytes, webSockets);
    }

    public EgressSettings withWebSockets(WebSocketSettings newWebSockets) {
        return new EgressSettings(policy, timeout, maxResponseBytes, newWebSockets);
    }
}
