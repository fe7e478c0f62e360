package dev.mooring.runtime;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * GraalJS language options that shape the API surface guest code sees. Every context that runs
 * the runtime uses exactly these, so tests of this module see what production sees.
 */
public final class RuntimeOptions {

    /**
     * Options and why each is set:
     *
     * <ul>
     *   <li>{@code js.esm-eval-returns-exports}: evaluating the main module returns its namespace,
     *       so the host reads the default export and the classes without a dynamic import.
     *   <li>{@code js.allow-eval=false}: like workerd, no code generation from strings ({@code eval},
     *       {@code new Function}); guest code throws EvalError.
     *   <li>{@code js.load}, {@code js.print}, {@code js.graal-builtin}: remove GraalJS's own shell
     *       globals ({@code load}, {@code print}, {@code Graal}), which Workers do not have.
     *   <li>{@code js.console=false}: the runtime installs its own {@code console}, which writes to
     *       the host log.
     *   <li>{@code js.text-encoding}: GraalJS's own TextEncoder and TextDecoder, written in Java. The
     *       runtime's {@code encoding.js} takes them off the global object and uses them as the
     *       UTF-8 and UTF-16 engine behind its own Web IDL classes, because they are 20 to 400
     *       times faster than a JS loop when the JIT is off, and as fast or faster with it.
     *   <li>{@code js.locale=en-US}: the locale workerd reports, whatever the host machine's
     *       settings, so {@code Intl} and {@code toLocaleString()} format the same on every host.
     * </ul>
     */
    public static final Map<String, String> LANGUAGE_OPTIONS = Map.of(
            "js.esm-eval-returns-exports", "true",
            "js.allow-eval", "false",
            "js.load", "false",
            "js.print", "false",
            "js.graal-builtin", "false",
            "js.console", "false",
            "js.text-encoding", "true",
            "js.locale", "en-US");

    /**
     * The time zone of every context, set with {@code Context.Builder.timeZone}: UTC, as in workerd,
     * whatever the host machine's zone. GraalJS's own option for it is experimental. The offset, not
     * {@code ZoneId.of("UTC")}, because only the offset makes {@code Intl} report "UTC" (the zone id
     * gives "GMT", the machine default "Etc/UTC").
     */
    public static final ZoneId TIME_ZONE = ZoneOffset.UTC;

    private RuntimeOptions() {}
}
