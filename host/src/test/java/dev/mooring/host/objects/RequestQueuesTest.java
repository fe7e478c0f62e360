package dev.mooring.host.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestQueuesTest {

    private static final ObjectKey KEY = new ObjectKey(null, ObjectId.parse("0".repeat(64)));

    @Test
    void requestsPastCountCapAreRejected() {
        RequestQueues queues = new RequestQueues();
        List<RequestQueues.Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < RequestQueues.MAX_QUEUED_REQUESTS; i++) {
            tickets.add(queues.admit(KEY, 0));
        }

        assertNull(queues.admit(KEY, 0));
        assertEquals(RequestQueues.TOO_MANY_REQUESTS, queues.overloadMessage(KEY));
        tickets.get(0).run();
        assertNotNull(queues.admit(KEY, 0), "a released ticket makes room");
    }

    @Test
    void bodiesPastByteCapAreRejected() {
        RequestQueues queues = new RequestQueues();
        RequestQueues.Ticket first = queues.admit(KEY, RequestQueues.MAX_QUEUED_BODY_BYTES * 2);

        assertNotNull(first, "a body of any size is admitted when nothing waits");
        assertNull(queues.admit(KEY, 1));
        assertEquals(RequestQueues.TOO_MUCH_DATA, queues.overloadMessage(KEY));
    }

    @Test
    void releasingTwiceCountsOnce() {
        RequestQueues queues = new RequestQueues();
        RequestQueues.Ticket first = queues.admit(KEY, 10);
        queues.admit(KEY, 10);

        first.run();
        first.run();

        assertEquals(1, queues.waitingFor(KEY));
    }

    @Test
    void objectWithNothingWaitingHasNoEntry() {
        RequestQueues queues = new RequestQueues();
        queues.admit(KEY, 10).run();

        assertEquals(0, queues.waitingFor(KEY));
        assertNotNull(queues.admit(KEY, RequestQueues.MAX_QUEUED_BODY_BYTES), "the byte count started again from zero");
    }
}
