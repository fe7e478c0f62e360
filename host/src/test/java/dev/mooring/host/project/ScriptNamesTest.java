package dev.mooring.host.project;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ScriptNamesTest {

    @Test
    void safeNameKept() {
        assertEquals("counter-app", ScriptNames.fromDirectoryName("counter-app"));
    }

    @Test
    void lowercasedAndDashed() {
        assertEquals("my-chat-app-v2", ScriptNames.fromDirectoryName("My Chat_App (v2)"));
    }

    @Test
    void accentsDropped() {
        assertEquals("cafe-uber", ScriptNames.fromDirectoryName("Café Über"));
    }

    @Test
    void edgeDashesTrimmed() {
        assertEquals("app", ScriptNames.fromDirectoryName("--.app.--"));
    }

    @Test
    void nothingLeftFallsBack() {
        assertEquals("worker", ScriptNames.fromDirectoryName("日本語"));
        assertEquals("worker", ScriptNames.fromDirectoryName(""));
    }

    @Test
    void longNameCutAtDnsLabelLength() {
        String name = ScriptNames.fromDirectoryName("a".repeat(62) + " b" + "c".repeat(10));

        assertEquals("a".repeat(62), name);
    }
}
