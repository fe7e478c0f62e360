package dev.mooring.host.http;

import dev.mooring.host.objects.BodyChannel;
import dev.mooring.runtime.fetch.ResponseData;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * Sends one response whose body is a stream to an HTTP client, chunk by chunk as guest code writes
 * it: the status and headers go out at once, each chunk when it arrives (chunked transfer
 * encoding, or the script's Content-Length), and the response ends when the stream closes. A body
 * whose Content-Encoding is gzip is compressed on the way, as {@link ResponseEncoding} describes.
 *
 * <p>What it guarantees: it never blocks an I/O thread, and it holds at most one chunk of its own;
 * the rest waits in the {@link BodyChannel}, whose cap bounds it. A body that fails, or is cut by a
 * reset, aborts the connection, so the client sees a truncated body rather than a complete one, as
 * with workerd. A client that goes away cancels the body, which cancels the script's stream.
 *
 * <p>Lifecycle: {@link State#SENDING} → {@link State#FINISHED} (the body ended and was flushed)
 * or {@link State#ABORTED} (the body failed or was cancelled, or the connection broke). Both are
 * final.
 *
 * <p>Threads: everything runs on the exchange's I/O thread; the channel's signal hops there.
 */
final class StreamedResponse {

    private static final Logger log = LoggerFactory.getLogger(StreamedResponse.class);

    /** Lifecycle states; see the class comment. */
    enum State {
        SENDING,
        FINISHED,
        ABORTED
    }

    private final HttpServerExchange exchange;
    private final BodyChannel body;
    private StreamSinkChannel sink;
    private ByteBuffer pending;
    /** Compresses the body when the response's Content-Encoding is gzip, or null when the body goes out as written. */
    private ResponseEncoding.GzipChunks gzip;
    private State state = State.SENDING;

    private StreamedResponse(HttpServerExchange exchange, BodyChannel body) {
        this.exchange = exchange;
        this.body = body;
    }

    /** Starts sending {@code head} and then {@code body} on {@code exchange}; runs on its I/O thread. */
    static void start(HttpServerExchange exchange, ResponseData head, BodyChannel body) {
        new StreamedResponse(exchange, body).begin(head);
    }

    private void begin(ResponseData head) {
        exchange.setStatusCode(head.status());
        if (head.statusText() != null && !head.statusText().isEmpty()) {
            exchange.setReasonPhrase(head.statusText());
        }
        HeaderMap headers = exchange.getResponseHeaders();
        List<String> pairs = head.headers();
        if (ResponseEncoding.gzips(head)) {
            gzip = new ResponseEncoding.GzipChunks();
            pairs = ResponseEncoding.withoutContentLength(pairs);
        }
        for (int i = 0; i < pairs.size(); i += 2) {
            headers.add(HttpString.tryFromString(pairs.get(i)), pairs.get(i + 1));
        }
        sink = exchange.getResponseChannel();
        sink.getWriteSetter().set(channel -> {
            channel.suspendWrites();
            drain();
        });
        exchange.getConnection().addCloseListener(connection -> {
            if (state == State.SENDING) {
                abort("the client closed the connection");
            }
        });
        body.attach(() -> exchange.getIoThread().execute(this::drain));
    }

    /** Writes what is queued, as far as the connection takes it, and ends or aborts when the body did. */
    private void drain() {
        if (state != State.SENDING) {
            return;
        }
        try {
            while (true) {
                if (pending != null) {
                    sink.write(pending);
                    if (pending.hasRemaining()) {
                        sink.resumeWrites();
                        return;
                    }
                    pending = null;
                }
                byte[] chunk = body.poll();
                if (chunk == null && gzip != null && body.state() == BodyChannel.State.ENDED) {
                    // An ended channel takes no more chunks, but one may have come between the poll
                    // and the end. Once none is left, the gzip trailer goes out before the response ends.
                    chunk = body.poll();
                    if (chunk == null) {
                        pending = ByteBuffer.wrap(gzip.finish());
                        gzip = null;
                        continue;
                    }
                }
                if (chunk == null) {
                    break;
                }
                pending = ByteBuffer.wrap(gzip == null ? chunk : gzip.encode(chunk));
            }
            // Flushing here sends the headers at once, and each chunk as soon as it is written.
            if (!sink.flush()) {
                sink.resumeWrites();
                return;
            }
            switch (body.state()) {
                case OPEN -> { }
                // The body may have ended after the loop's last look, before the gzip trailer went out.
                case ENDED -> {
                    if (gzip == null) {
                        finish();
                    } else {
                        drain();
                    }
                }
                case FAILED -> abort("the body failed: " + body.failure());
                case CANCELLED -> abort("the body was cancelled");
            }
        } catch (IOException e) {
            abort("writing to the client failed: " + e.getMessage());
        }
    }

    private void finish() throws IOException {
        sink.shutdownWrites();
        if (!sink.flush()) {
            // The write listener comes back here; the body's state stays ENDED, so this runs again.
            sink.resumeWrites();
            return;
        }
        state = State.FINISHED;
        exchange.endExchange();
    }

    private void abort(String reason) {
        if (state != State.SENDING) {
            return;
        }
        state = State.ABORTED;
        log.debug("Aborted the streamed response of {} to {}: {}", body.label(), exchange.getSourceAddress(), reason);
        body.cancel("the client went away (" + reason + ")");
        IoUtils.safeClose(exchange.getConnection());
    }
}
