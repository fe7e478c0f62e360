package dev.mooring.host.project;

import dev.mooring.host.project.ModuleRule.Type;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The module rules in effect for a project: the user's rules in file order, then the default rules,
 * minus the rules that an earlier rule of the same type shadows.
 *
 * <p>Shadowing follows wrangler 4.125 ({@code parseRules} in
 * {@code packages/wrangler/src/deployment-bundle/rules.ts}): the first rule of a type that does not
 * set {@code fallthrough = true} closes that type, and every later rule of the type, user or default,
 * is dropped. So a user Data rule removes the default Data rule for {@code .bin} files unless it
 * sets {@code fallthrough = true}. When the closing rule leaves {@code fallthrough} unset, a warning
 * names the dropped rules; {@code fallthrough = false} drops them without a warning.
 *
 * <p>A file becomes a module of the first rule in effect that matches it.
 */
final class ModuleRules {

    /**
     * The rules that follow the user's. Text, Data and CompiledWasm are wrangler 4.125's defaults.
     * ESModule for {@code .js} and {@code .mjs} is Mooring's own: wrangler bundles JavaScript that
     * the entry imports, and Mooring, which does not bundle, loads those files as modules instead.
     * CommonJS for {@code .cjs} is Mooring's too, so that such a file is rejected with a clear error
     * instead of being left out and failing at import time. Mooring rejects files of both
     * CompiledWasm and CommonJS.
     */
    static final List<ModuleRule> DEFAULT_RULES = List.of(
            new ModuleRule(Type.ES_MODULE, List.of("**/*.js", "**/*.mjs"), null, true),
            new ModuleRule(Type.TEXT, List.of("**/*.txt", "**/*.html", "**/*.sql"), null, true),
            new ModuleRule(Type.DATA, List.of("**/*.bin"), null, true),
            new ModuleRule(Type.COMPILED_WASM, List.of("**/*.wasm", "**/*.wasm?module"), null, true),
            new ModuleRule(Type.COMMON_JS, List.of("**/*.cjs"), null, true));

    private final List<ModuleRule> rules;

    private ModuleRules(List<ModuleRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * Applies the shadowing to {@code userRules} followed by {@link #DEFAULT_RULES}.
     *
     * @param fileName the configuration file's name, which starts each warning
     */
    static ModuleRules resolve(List<ModuleRule> userRules, String fileName, Consumer<String> warnings) {
        List<ModuleRule> candidates = new ArrayList<>(userRules);
        candidates.addAll(DEFAULT_RULES);

        List<ModuleRule> inEffect = new ArrayList<>();
        Map<Type, ModuleRule> closingRules = new EnumMap<>(Type.class);
        Map<ModuleRule, List<ModuleRule>> shadowedByUnsetFallthrough = new LinkedHashMap<>();
        for (ModuleRule rule : candidates) {
            ModuleRule closingRule = closingRules.get(rule.type());
            if (closingRule != null) {
                if (closingRule.fallthroughUnset()) {
                    shadowedByUnsetFallthrough.computeIfAbsent(closingRule, key -> new ArrayList<>()).add(rule);
                }
                continue;
            }
            inEffect.add(rule);
            if (!rule.fallsThrough()) {
                closingRules.put(rule.type(), rule);
            }
        }

        shadowedByUnsetFallthrough.forEach((closingRule, shadowed) -> warnings.accept(fileName + ": module rule "
                + closingRule.describe() + " does not set \"fallthrough\", so these later rules of type "
                + closingRule.type().configName + " are ignored: "
                + shadowed.stream().map(ModuleRule::describe).collect(Collectors.joining(", "))
                + ". Set fallthrough = true on the first rule to keep them, or fallthrough = false to silence this warning"));
        return new ModuleRules(inEffect);
    }

    /** Returns the first rule in effect that matches {@code path}, or null when none does. */
    ModuleRule firstMatch(String path) {
        for (ModuleRule rule : rules) {
            if (rule.matches(path)) {
                return rule;
            }
        }
        return null;
    }
}
