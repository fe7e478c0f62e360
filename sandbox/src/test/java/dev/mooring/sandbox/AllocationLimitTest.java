package dev.mooring.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class AllocationLimitTest {

    private static final Logger log = LoggerFactory.getLogger(AllocationLimitTest.class);

    private static final long LIMIT_BYTES = 64L << 20;

    /**
     * How far past the limit a stopped bomb may get: what it allocates between the poll that detects
     * the breach and the interruption taking effect. Runs measured on 2 cores allocated 1 to 30 MiB
     * past the limit. The bound leaves room for a slow CI machine without letting an unguarded
     * bomb (which would allocate until the heap ran out) pass.
     */
    private static final long OVERSHOOT_BOUND_BYTES = 256L << 20;

    private final LoopFixture fixture = new LoopFixture(2);

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    private static final Map<String, String> SCRIPT = Map.of("worker.js", """
            export function bomb() { const a = []; for (;;) a.push(new Array(1 << 20).fill(1.5)); }
            export function objects() { const kept = []; for (let i = 0; ; i++) kept.push({ id: i, name: 'item ' + i }); }
            export function allocate(mib) { const a = []; for (let i = 0; i < mib; i++) a.push(new Uint8Array(1 << 20)); return a.length; }
            export function answer() { return 42; }
            """);

    @Test
    void bombStopsNearLimitContextSurvives() throws Exception {
        ScriptContext context = fixture.load(SCRIPT);
        TestOwner owner = new TestOwner(30_000, LIMIT_BYTES);

        for (String function : new String[] {"bomb", "objects"}) {
            owner.account().reset();
            AllocationLimitExceededException error = assertThrows(AllocationLimitExceededException.class, () -> fixture.onLoop(() ->
                    context.call(owner, () -> context.exports().getMember(function).execute())));
            log.info("{}: stopped after allocating {} bytes ({} MiB past the {} MiB limit)", function, error.allocatedBytes(),
                    (error.allocatedBytes() - LIMIT_BYTES) >> 20, LIMIT_BYTES >> 20);

            assertEquals(LIMIT_BYTES, error.limitBytes(), function);
            assertTrue(error.allocatedBytes() > LIMIT_BYTES, function + " allocated only " + error.allocatedBytes());
            assertTrue(error.allocatedBytes() < LIMIT_BYTES + OVERSHOOT_BOUND_BYTES, function + " allocated " + error.allocatedBytes());
            assertTrue(error.getMessage().startsWith("Exceeded the allocation limit of 64 MiB for one event"), error.getMessage());
        }

        owner.account().reset();
        int answer = fixture.onLoop(() -> context.call(owner, () -> context.exports().getMember("answer").execute().asInt()));
        assertEquals(42, answer);
    }

    @Test
    void otherLoopKeepsServingDuringBomb() throws Exception {
        ScriptContext bombing = fixture.load(fixture.loops.get(0), LoopFixture.bundle(SCRIPT));
        ScriptContext healthy = fixture.load(fixture.loops.get(1), LoopFixture.bundle(SCRIPT));
        TestOwner bomber = new TestOwner(30_000, 512L << 20);
        TestOwner steady = new TestOwner();

        CompletableFuture<Throwable> bombOutcome = new CompletableFuture<>();
        fixture.loops.get(0).execute(() -> {
            try {
                bombing.call(bomber, () -> bombing.exports().getMember("bomb").execute());
                bombOutcome.complete(null);
            } catch (Throwable t) {
                bombOutcome.complete(t);
            }
        });
        int answered = 0;
        while (!bombOutcome.isDone()) {
            int value = LoopFixture.onLoop(fixture.loops.get(1), () ->
                    healthy.call(steady, () -> healthy.exports().getMember("answer").execute().asInt()));
            assertEquals(42, value);
            answered++;
        }

        assertTrue(bombOutcome.get(10, TimeUnit.SECONDS) instanceof AllocationLimitExceededException, bombOutcome.get().toString());
        assertTrue(answered > 0, "the healthy loop answered no call while the other loop allocated");
    }

    @Test
    void budgetSpansSeveralCallsOfOneEvent() throws Exception {
        ScriptContext context = fixture.load(SCRIPT);
        TestOwner owner = new TestOwner(30_000, LIMIT_BYTES);

        // Each call allocates 16 MiB and stays under the limit, but together they pass it.
        assertThrows(AllocationLimitExceededException.class, () -> {
            for (int i = 0; i < 20; i++) {
                fixture.onLoop(() -> context.call(owner, () -> context.exports().getMember("allocate").execute(16)));
            }
        });
        assertTrue(owner.account().allocatedBytes() > LIMIT_BYTES, "allocated " + owner.account().allocatedBytes());

        owner.account().reset();
        int allocated = fixture.onLoop(() -> context.call(owner, () -> context.exports().getMember("allocate").execute(16).asInt()));
        assertEquals(16, allocated, "a reset account starts a fresh budget");
    }
}
