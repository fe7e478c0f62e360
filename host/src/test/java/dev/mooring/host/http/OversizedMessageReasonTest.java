package dev.mooring.host.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The close reason for a client message over --websocket-max-message fits a close frame at any limit. */
class OversizedMessageReasonTest {

    @Test
    void reasonNamesLimitAndOption() {
        assertEquals("Message is too large: the limit is 1MiB (--websocket-max-message)", NetworkSocket.oversizedReason(1L << 20));
    }

    @Test
    void reasonFitsCloseFrame() {
        for (long limit : List.of(1L, 1023L, 1L << 20, 100L << 30, Long.MAX_VALUE)) {
            String reason = NetworkSocket.oversizedReason(limit);

            assertTrue(reason.getBytes(StandardCharsets.UTF_8).length <= 123, reason);
        }
    }
}
