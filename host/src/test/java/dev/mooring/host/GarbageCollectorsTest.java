package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The host's start line names each HotSpot collector by its usual name, from the MXBean names that
 * JDK 25 reports for it, states when the launcher picked it, and falls back to the bean names.
 */
class GarbageCollectorsTest {

    @Test
    void usualNamesOfHotSpotCollectors() {
        assertEquals("serial", GarbageCollectors.usualName(List.of("Copy", "MarkSweepCompact")));
        assertEquals("parallel", GarbageCollectors.usualName(List.of("PS MarkSweep", "PS Scavenge")));
        assertEquals("G1", GarbageCollectors.usualName(List.of("G1 Young Generation", "G1 Concurrent GC", "G1 Old Generation")));
        assertEquals("ZGC", GarbageCollectors.usualName(
                List.of("ZGC Minor Cycles", "ZGC Minor Pauses", "ZGC Major Cycles", "ZGC Major Pauses")));
        assertEquals("Shenandoah", GarbageCollectors.usualName(List.of("Shenandoah Pauses", "Shenandoah Cycles")));
    }

    @Test
    void unknownCollectorHasNoUsualName() {
        assertNull(GarbageCollectors.usualName(List.of("Epsilon Heap")));
        assertNull(GarbageCollectors.usualName(List.of("Copy")));
        assertNull(GarbageCollectors.usualName(List.of()));
    }

    @Test
    void describeNamesLauncherChoiceOnlyWhenInUse() {
        List<String> serial = List.of("Copy", "MarkSweepCompact");
        List<String> g1 = List.of("G1 Young Generation", "G1 Concurrent GC", "G1 Old Generation");

        assertEquals("garbage collector serial", GarbageCollectors.describe(serial, null));
        assertEquals("garbage collector serial, which the launcher picks on machines with 2 CPUs or fewer unless"
                + " MOORING_JAVA_OPTS names a collector", GarbageCollectors.describe(serial, "serial"));
        assertEquals("garbage collector G1", GarbageCollectors.describe(g1, "serial"));
    }

    @Test
    void describeFallsBackToBeanNames() {
        assertEquals("garbage collector Epsilon Heap", GarbageCollectors.describe(List.of("Epsilon Heap"), null));
        assertEquals("garbage collectors A Collector, B Collector",
                GarbageCollectors.describe(List.of("B Collector", "A Collector"), null));
    }
}
