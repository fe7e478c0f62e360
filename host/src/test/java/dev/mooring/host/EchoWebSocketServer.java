package dev.mooring.host;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.core.protocol.Handshake;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;

/**
 * A real Undertow WebSocket server on a free port of 127.0.0.1, the far end of guest code's
 * outgoing sockets in tests. {@code /echo} sends every message back as it came (text or binary)
 * and offers the subprotocol "chat"; the text {@code close CODE REASON} makes it close with that
 * code and reason, {@code die} makes it drop the TCP connection without a close frame, and {@code
 * pause} makes it stop reading, as a server that hangs. Any
 * other path responds with 403 and the body "no sockets here". What the server saw (messages, close frames, connections) goes to
 * {@link #events}, one line each, for tests to take in order.
 */
final class EchoWebSocketServer implements AutoCloseable {

    private final Undertow server;
    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();

    private EchoWebSocketServer() {
        List<Handshake> handshakes = List.of(new Hybi13Handshake(Set.of("chat"), false));
        WebSocketConnectionCallback accept = (exchange, channel) -> {
            events.add("connected " + exchange.getRequestHeader("X-Dialer"));
            channel.getReceiveSetter().set(new Echo());
            channel.resumeReceives();
        };
        WebSocketProtocolHandshakeHandler echo = new WebSocketProtocolHandshakeHandler(handshakes, accept);
        HttpHandler refuse = exchange -> {
            exchange.setStatusCode(403);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
            exchange.getResponseSender().send("no sockets here");
        };
        server = Undertow.builder()
                .setIoThreads(1)
                .setWorkerThreads(1)
                .addHttpListener(0, "127.0.0.1")
                .setHandler(Handlers.path(refuse).addExactPath("/echo", echo))
                .build();
        server.start();
    }

    static EchoWebSocketServer start() {
        return new EchoWebSocketServer();
    }

    int port() {
        return ((InetSocketAddress) server.getListenerInfo().getFirst().getAddress()).getPort();
    }

    /** Returns the ws: URL of {@code path}. */
    String url(String path) {
        return "ws://127.0.0.1:" + port() + path;
    }

    /** Takes the next thing the server saw, failing after 10 s. */
    String next() throws InterruptedException {
        String event = events.poll(10, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("The echo server saw nothing within 10 s");
        }
        return event;
    }

    /** Takes what the server saw, or returns null when it saw nothing more. */
    String poll() {
        return events.poll();
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Echo extends AbstractReceiveListener {
        @Override
        protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) throws IOException {
            String text = message.getData();
            events.add("text " + text);
            if (text.startsWith("close ")) {
                String[] parts = text.split(" ", 3);
                WebSockets.sendClose(Integer.parseInt(parts[1]), parts[2], channel, null);
            } else if (text.equals("pause")) {
                channel.suspendReceives();
            } else if (text.equals("die")) {
                // Closes the TCP connection without a close frame, as a server that crashed.
                IoUtils.safeClose(channel);
            } else {
                WebSockets.sendText(text, channel, null);
            }
        }

        @Override
        protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) throws IOException {
            var pooled = message.getData();
            try {
                ByteBuffer merged = WebSockets.mergeBuffers(pooled.getResource());
                byte[] bytes = new byte[merged.remaining()];
                merged.get(bytes);
                events.add("binary " + bytes.length);
                WebSockets.sendBinary(ByteBuffer.wrap(bytes), channel, null);
            } finally {
                pooled.free();
            }
        }

        @Override
        protected void onCloseMessage(CloseMessage message, WebSocketChannel channel) {
            events.add("close " + message.getCode() + " " + message.getReason());
        }
    }
}
