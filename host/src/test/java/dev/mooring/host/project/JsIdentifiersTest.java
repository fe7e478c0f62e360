package dev.mooring.host.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JsIdentifiersTest {

    @Test
    void validNames() {
        for (String name : new String[] {"COUNTER", "rooms", "_x", "$y", "a1", "ñame", "Raum_2"}) {
            assertTrue(JsIdentifiers.isValid(name), name);
        }
    }

    @Test
    void invalidNames() {
        for (String name : new String[] {"", "1st", "chat-rooms", "a b", "class", "await", "let", "x\u0000"}) {
            assertFalse(JsIdentifiers.isValid(name), name);
        }
    }

    @Test
    void suggestions() {
        assertEquals("chat_rooms", JsIdentifiers.suggest("chat-rooms"));
        assertEquals("_1st", JsIdentifiers.suggest("1st"));
        assertEquals("_class", JsIdentifiers.suggest("class"));
    }
}
