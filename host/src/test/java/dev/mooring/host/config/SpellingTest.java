package dev.mooring.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Suggestions for mistyped names, by edit distance. */
class SpellingTest {

    @Test
    void editDistanceCountsSwapAsOne() {
        assertEquals(0, Spelling.editDistance("port", "port"));
        assertEquals(1, Spelling.editDistance("prot", "port"));
        assertEquals(1, Spelling.editDistance("prt", "port"));
        assertEquals(1, Spelling.editDistance("porte", "port"));
        assertEquals(1, Spelling.editDistance("bort", "port"));
        assertEquals(2, Spelling.editDistance("pots", "port"));
        assertEquals(3, Spelling.editDistance("nope", "port"));
        assertEquals(4, Spelling.editDistance("", "port"));
    }

    @Test
    void closestKeepsCandidateOrderWithinDistance() {
        assertEquals(List.of("rules"), Spelling.closest("routes", List.of("rules", "main"), 2));
        assertEquals(List.of(), Spelling.closest("routes", List.of("rules", "main"), 1));
        assertEquals(List.of("port", "host"), Spelling.closest("post", List.of("port", "host", "data")));
    }
}
