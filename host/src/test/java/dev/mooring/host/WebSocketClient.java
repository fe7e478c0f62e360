package dev.mooring.host;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * A real WebSocket client for tests (java.net.http): messages arrive in a queue that tests take
 * from with a timeout; {@link #closed} completes with "code reason" when the server closes.
 */
public final class WebSocketClient implements AutoCloseable {

    private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final LinkedBlockingQueue<CompletableFuture<String>> pings = new LinkedBlockingQueue<>();
    private final WebSocket socket;
    private final boolean reading;

    private WebSocketClient(HttpClient client, URI uri, boolean reading) {
        this.reading = reading;
        this.socket = client.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener())
                .join();
    }

    /** Connects and reads every message the server sends. */
    public static WebSocketClient connect(HttpClient client, URI uri) {
        return new WebSocketClient(client, uri, true);
    }

    /** Connects but never asks for a message, like a client that stopped reading. */
    public static WebSocketClient connectWithoutReading(HttpClient client, URI uri) {
        return new WebSocketClient(client, uri, false);
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends one text message as several frames, one per part. */
    public void sendFragments(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            socket.sendText(parts[i], i == parts.length - 1).join();
        }
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** Sends a ping; the future completes with the text of the next pong. */
    public CompletableFuture<String> ping(String text) {
        CompletableFuture<String> pong = new CompletableFuture<>();
        pings.add(pong);
        socket.sendPing(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))).join();
        return pong;
    }

    /** Describes a binary message as {@link #next()} reports it: its length and the CRC-32 of its bytes. */
    public static String describeBinary(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return "binary " + bytes.length + " crc " + Long.toHexString(crc.getValue());
    }

    /** Takes the next message, failing after 10 s. */
    public String next() throws InterruptedException {
        String message = messages.poll(10, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("No WebSocket message within 10 s");
        }
        return message;
    }

    public CompletableFuture<String> closed() {
        return closed;
    }

    public void close(int code, String reason) {
        socket.sendClose(code, reason).join();
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public void onOpen(WebSocket webSocket) {
            if (reading) {
                webSocket.request(Long.MAX_VALUE);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            binary.writeBytes(part);
            if (last) {
                messages.add(describeBinary(binary.toByteArray()));
                binary.reset();
            }
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            CompletableFuture<String> pong = pings.poll();
            if (pong != null) {
                pong.complete(StandardCharsets.UTF_8.decode(message).toString());
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete("error " + error);
        }
    }
}
