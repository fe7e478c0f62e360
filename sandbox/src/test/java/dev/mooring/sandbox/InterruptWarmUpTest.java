package dev.mooring.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The interrupt warm-up leaves no guest code spinning. On a busy machine its spinner may enter
 * the throwaway context only after the first interrupt was sent. The warm-up must still stop it
 * and return. Before, it waited out its limit and left a thread that spun for the life of the
 * process.
 */
class InterruptWarmUpTest {

    @Test
    void warmUpStopsASpinnerThatEntersLate() {
        try (SandboxEngine engine = new SandboxEngine()) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> engine.warmUpInterrupts(Duration.ofMillis(300)));

            assertEquals(List.of(), spinners());
        }
    }

    private static List<String> spinners() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(SandboxEngine.INTERRUPT_SPINNER) && thread.isAlive())
                .map(Thread::getName)
                .toList();
    }
}
