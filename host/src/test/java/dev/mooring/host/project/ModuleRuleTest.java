package dev.mooring.host.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.project.ModuleRule.Type;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Glob matching and rule shadowing, checked against wrangler's behaviour. */
class ModuleRuleTest {

    private static boolean matches(String glob, String path) {
        return ModuleRule.compileGlob(glob).matcher(path).matches();
    }

    @Test
    void globstarMatchesZeroOrMoreSegments() {
        assertTrue(matches("**/*.js", "worker.js"));
        assertTrue(matches("**/*.js", "src/worker.js"));
        assertTrue(matches("**/*.js", "a/b/c/worker.js"));
        assertFalse(matches("**/*.js", "worker.mjs"));
        assertFalse(matches("**/*.js", "worker.js.map"));
    }

    @Test
    void starStaysInOneSegment() {
        assertTrue(matches("*.html", "chat.html"));
        assertFalse(matches("*.html", "src/chat.html"));
        assertTrue(matches("src/*.html", "src/chat.html"));
        assertFalse(matches("src/*.html", "src/a/chat.html"));
    }

    @Test
    void globstarInsidePath() {
        assertTrue(matches("src/**/*.sql", "src/schema.sql"));
        assertTrue(matches("src/**/*.sql", "src/db/v1/schema.sql"));
        assertFalse(matches("src/**/*.sql", "lib/schema.sql"));
        assertTrue(matches("src/**", "src/a/b.txt"));
    }

    @Test
    void doubleStarWithinSegmentIsSingleStar() {
        assertTrue(matches("a**.txt", "abc.txt"));
        assertFalse(matches("a**.txt", "a/b.txt"));
    }

    @Test
    void otherCharactersAreLiteral() {
        assertTrue(matches("**/*.wasm?module", "add.wasm?module"));
        assertFalse(matches("**/*.wasm?module", "add.wasmXmodule"));
        assertTrue(matches("[id].txt", "[id].txt"));
        assertFalse(matches("[id].txt", "i.txt"));
        assertTrue(matches("{a,b}.txt", "{a,b}.txt"));
        assertFalse(matches("a.txt", "abtxt"));
    }

    @Test
    void firstMatchingRuleWins() {
        ModuleRules rules = ModuleRules.resolve(
                List.of(new ModuleRule(Type.DATA, List.of("**/*.html"), false, false)), "wrangler.toml", warning -> { });

        assertEquals(Type.DATA, rules.firstMatch("chat.html").type());
        assertEquals(Type.ES_MODULE, rules.firstMatch("chat.mjs").type());
        assertNull(rules.firstMatch("image.bin"));
        assertNull(rules.firstMatch("README.md"));
    }

    @Test
    void fallthroughKeepsLaterRulesOfType() {
        List<String> warnings = new ArrayList<>();
        ModuleRules rules = ModuleRules.resolve(List.of(
                new ModuleRule(Type.TEXT, List.of("**/*.md"), true, false),
                new ModuleRule(Type.TEXT, List.of("**/*.csv"), null, false)), "wrangler.toml", warnings::add);

        assertEquals(Type.TEXT, rules.firstMatch("a.md").type());
        assertEquals(Type.TEXT, rules.firstMatch("a.csv").type());
        // The second Text rule closes the type, so the default Text rule is gone, with a warning.
        assertNull(rules.firstMatch("a.txt"));
        assertEquals(List.of("wrangler.toml: module rule Text rule [\"**/*.csv\"] does not set \"fallthrough\", so "
                + "these later rules of type Text are ignored: Text rule [\"**/*.txt\", \"**/*.html\", \"**/*.sql\"] "
                + "(default). Set fallthrough = true on the first rule to keep them, or fallthrough = false to silence "
                + "this warning"), warnings);
    }

    @Test
    void fallthroughFalseShadowsSilently() {
        List<String> warnings = new ArrayList<>();
        ModuleRules rules = ModuleRules.resolve(List.of(
                new ModuleRule(Type.TEXT, List.of("**/*.md"), false, false),
                new ModuleRule(Type.TEXT, List.of("**/*.csv"), null, false)), "wrangler.toml", warnings::add);

        assertNull(rules.firstMatch("a.csv"));
        assertNull(rules.firstMatch("a.txt"));
        assertEquals(List.of(), warnings);
    }
}
