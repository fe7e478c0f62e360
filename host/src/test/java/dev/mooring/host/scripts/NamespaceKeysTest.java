package dev.mooring.host.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which storage namespaces belong to a script, by the keys that its classes were given. */
class NamespaceKeysTest {

    @Test
    void keptKeysAreOnlyTheScriptsOwn() {
        List<String> keys = List.of("a-Counter", "a-Counter@v3", "a-b-Counter", "ab-Counter", "a-", "a-Room$2", "b-Counter");

        assertEquals(List.of("a-Counter", "a-Counter@v3", "a-Room$2"), NamespaceKeys.keptBy("a", keys));
        assertEquals(List.of("a-b-Counter"), NamespaceKeys.keptBy("a-b", keys));
    }
}
