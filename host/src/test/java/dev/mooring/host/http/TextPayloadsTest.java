package dev.mooring.host.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TextPayloadsTest {

    @Test
    void textSentOnceIsEncodedIntoTheHeap() {
        ByteBuffer bytes = TextPayloads.utf8("only once " + System.nanoTime());

        assertFalse(bytes.isDirect());
    }

    @Test
    void repeatedTextSharesDirectBuffer() {
        String text = "héllo ✓ " + System.nanoTime();
        TextPayloads.utf8(text);
        ByteBuffer second = TextPayloads.utf8(new String(text));
        ByteBuffer third = TextPayloads.utf8(text);
        second.get(new byte[3]);

        assertTrue(second.isDirect(), "the second send of an equal text reads from a direct buffer");
        assertEquals(0, third.position(), "reading one view moves no other");
        assertEquals(StandardCharsets.UTF_8.encode(text), third);
    }

    @Test
    void longTextStaysOnTheHeap() {
        String text = "x".repeat((64 << 10) + 1);
        TextPayloads.utf8(text);
        ByteBuffer second = TextPayloads.utf8(text);

        assertFalse(second.isDirect());
        assertEquals(text.length(), second.remaining());
    }

    @Test
    void sharedSlotKeepsEachThreadsText() throws Exception {
        // More threads than slots, so that some share one; each sends every text twice.
        AtomicReference<String> wrong = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 40; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int send = 0; send < 400; send++) {
                    String text = "thread " + thread + " message " + send / 2;
                    String got = StandardCharsets.UTF_8.decode(TextPayloads.utf8(text)).toString();
                    if (!got.equals(text)) {
                        wrong.compareAndSet(null, "sent \"" + text + "\" but the payload was \"" + got + "\"");
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertNull(wrong.get());
    }
}
