package dev.mooring.host.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
    void longTextIsNeverKeptInDirectMemory() {
        String text = "x".repeat((64 << 10) + 1);
        TextPayloads.utf8(text);
        ByteBuffer second = TextPayloads.utf8(text);

        assertFalse(second.isDirect());
        assertEquals(text.length(), second.remaining());
    }

    @Test
    void eachThreadKeepsItsOwnLastText() throws Exception {
        String text = "shared " + System.nanoTime();
        TextPayloads.utf8(text);
        ByteBuffer[] onOtherThread = new ByteBuffer[1];
        Thread other = Thread.ofPlatform().start(() -> onOtherThread[0] = TextPayloads.utf8(text));
        other.join();

        assertFalse(onOtherThread[0].isDirect(), "another thread's first send of the text encodes it anew");
        assertEquals(StandardCharsets.UTF_8.encode(text), onOtherThread[0]);
    }
}
