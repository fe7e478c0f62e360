package dev.mooring.host.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code Date} header of the host's responses, in HTTP's fixed format, computed again each second.
 *
 * <p>Undertow's own date header is cached process-wide and cleared by a task on the I/O thread
 * that served the request. When that listener stops within a second, as the warm-up's does, the
 * task never runs and every later response of every listener carries the old date. The listeners
 * therefore turn Undertow's header off ({@code ALWAYS_SET_DATE}) and stamp this one instead.
 */
public final class HttpDate {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private record Stamp(long epochSecond, String text) {}

    private static final AtomicReference<Stamp> latest = new AtomicReference<>(new Stamp(Long.MIN_VALUE, ""));

    private HttpDate() {}

    /** Returns the current time as an HTTP date, such as "Sat, 05 Dec 2026 11:25:00 GMT". Any thread. */
    public static String now() {
        long epochSecond = Math.floorDiv(System.currentTimeMillis(), 1000);
        Stamp stamp = latest.get();
        if (stamp.epochSecond() != epochSecond) {
            stamp = new Stamp(epochSecond, FORMAT.format(Instant.ofEpochSecond(epochSecond)));
            latest.set(stamp);
        }
        return stamp.text();
    }

    /** Adds the Date header to the exchange's response when it is committed, unless the response has one. */
    public static void stampOnCommit(HttpServerExchange exchange) {
        exchange.addResponseCommitListener(committing -> {
            if (!committing.getResponseHeaders().contains(Headers.DATE)) {
                committing.getResponseHeaders().put(Headers.DATE, now());
            }
        });
    }
}
