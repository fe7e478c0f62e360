package dev.mooring.host.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mooring.runtime.fetch.ResponseData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestQueuesTest {

    private static final ObjectKey KEY = new ObjectKey(null, ObjectId.parse("0".repeat(64)));

    private static final ResponseSink SINK = new ResponseSink() {
        @Override
        public void complete(ResponseData response) {}

        @Override
        public void fail(EventFailure failure) {}
    };

    @Test
    void requestsPastCountCapAreRejected() {
        RequestQueues queues = new RequestQueues();
        List<RequestQueues.Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < RequestQueues.MAX_QUEUED_REQUESTS; i++) {
            tickets.add(queues.admit(KEY, 0, SINK));
        }

        assertNull(queues.admit(KEY, 0, SINK));
        assertEquals(RequestQueues.TOO_MANY_REQUESTS, queues.overloadMessage(KEY));
        tickets.get(0).run();
        assertNotNull(queues.admit(KEY, 0, SINK), "a released ticket makes room");
    }

    @Test
    void bodiesPastByteCapAreRejected() {
        RequestQueues queues = new RequestQueues();
        RequestQueues.Ticket first = queues.admit(KEY, RequestQueues.MAX_QUEUED_BODY_BYTES * 2, SINK);

        assertNotNull(first, "a body of any size is admitted when nothing waits");
        assertNull(queues.admit(KEY, 1, SINK));
        assertEquals(RequestQueues.TOO_MUCH_DATA, queues.overloadMessage(KEY));
    }

    @Test
    void releasingTwiceCountsOnce() {
        RequestQueues queues = new RequestQueues();
        RequestQueues.Ticket first = queues.admit(KEY, 10, SINK);
        queues.admit(KEY, 10, SINK);

        first.run();
        first.run();

        assertEquals(1, queues.waitingFor(KEY));
    }

    @Test
    void objectWithNothingWaitingHasNoEntry() {
        RequestQueues queues = new RequestQueues();
        queues.admit(KEY, 10, SINK).run();

        assertEquals(0, queues.waitingFor(KEY));
        assertNotNull(queues.admit(KEY, RequestQueues.MAX_QUEUED_BODY_BYTES, SINK), "the byte count started again from zero");
    }
}
