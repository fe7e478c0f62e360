package dev.mooring.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CpuLimitTest {

    private final LoopFixture fixture = new LoopFixture(2);

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    private static final Map<String, String> SCRIPT = Map.of("worker.js", """
            export function spin() { while (true) {} }
            export function spinInFunction() { let x = 0; for (;;) { x = (x + 1) % 7; } }
            export function allocate() { const a = []; while (true) { a.push({ x: a.length }); if (a.length > 1e5) a.length = 0; } }
            export function answer() { return 42; }
            """);

    @Test
    void runawayLoopIsStoppedAndContextSurvives() throws Exception {
        ScriptContext context = fixture.load(SCRIPT);
        TestOwner owner = new TestOwner(300);

        for (String function : new String[] {"spin", "spinInFunction", "allocate"}) {
            owner.account().reset();
            CpuLimitExceededException error = assertThrows(CpuLimitExceededException.class, () -> fixture.onLoop(() ->
                    context.call(owner, () -> context.exports().getMember(function).execute())));
            assertEquals(300_000_000L, error.limitNanos(), function);
        }

        owner.account().reset();
        int answer = fixture.onLoop(() -> context.call(owner, () -> context.exports().getMember("answer").execute().asInt()));
        assertEquals(42, answer);
    }

    @Test
    void otherLoopKeepsServingDuringRunaway() throws Exception {
        ScriptContext spinning = fixture.load(fixture.loops.get(0), LoopFixture.bundle(SCRIPT));
        ScriptContext healthy = fixture.load(fixture.loops.get(1), LoopFixture.bundle(SCRIPT));
        TestOwner runaway = new TestOwner(2_000);
        TestOwner steady = new TestOwner();

        CompletableFuture<Throwable> runawayOutcome = new CompletableFuture<>();
        fixture.loops.get(0).execute(() -> {
            try {
                spinning.call(runaway, () -> spinning.exports().getMember("spin").execute());
                runawayOutcome.complete(null);
            } catch (Throwable t) {
                runawayOutcome.complete(t);
            }
        });
        int answered = 0;
        while (!runawayOutcome.isDone()) {
            int value = LoopFixture.onLoop(fixture.loops.get(1), () ->
                    healthy.call(steady, () -> healthy.exports().getMember("answer").execute().asInt()));
            assertEquals(42, value);
            answered++;
        }

        assertTrue(runawayOutcome.get(10, TimeUnit.SECONDS) instanceof CpuLimitExceededException);
        assertTrue(answered > 1, "the healthy loop answered only " + answered + " calls");
    }

    @Test
    void budgetSpansSeveralCallsOfOneEvent() throws Exception {
        ScriptContext context = fixture.load(Map.of("worker.js",
                "export function burn(ms) { const end = Date.now() + ms; while (Date.now() < end) {} }"));
        TestOwner owner = new TestOwner(500);

        // Each call stays under the limit, but together they pass it: the account is per event.
        int[] completed = {0};
        assertThrows(CpuLimitExceededException.class, () -> {
            for (int i = 0; i < 20; i++) {
                fixture.onLoop(() -> context.call(owner, () -> context.exports().getMember("burn").execute(100)));
                completed[0]++;
            }
        });
        // A call burns at most about 100 ms of CPU, so the limit takes several. On a busy machine
        // the wall-time backstop may stop the last call before the account reaches the limit: a
        // call that the scheduler holds back lasts longer in wall time than in CPU time.
        assertTrue(completed[0] >= 3, "the limit was reached after " + completed[0] + " calls");
        assertTrue(owner.account().cpuUsedNanos() >= 300_000_000L, "used " + owner.account().cpuUsedNanos());
    }
}
