package dev.mooring.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The JS files that make up the runtime (the Web and Workers APIs seen by guest code), and how a
 * context installs them.
 *
 * <p>Each file is a classic script whose completion value is a function {@code (host, internals) =>
 * void}. {@code host} is the bridge to Java: a plain object whose members are the intrinsics listed
 * in {@link HostFunctions}, each a Java function. It is a JS object rather than a proxy of the Java
 * map, so that {@code host.name(...)} crosses into Java once, for the call, and not also to look
 * the member up. {@code internals} is one plain object shared by the runtime files of a
 * context, so that they can reach each other's private state; guest code never sees either. Files
 * run in the order of {@link #FILES}, and a later file may use globals that an earlier one defined.
 *
 * <p>The {@link Source} objects are created once per JVM and shared by every context, so an engine
 * parses each file once, and every context runs the same compiled code. For that code to stay
 * specialized, objects of one runtime class must have the same shape in every context. So the
 * runtime classes keep their state in per-class WeakMaps, never in private class members: GraalJS
 * makes new private names each time a class is evaluated, and the caches of the shared code went
 * generic once more than five contexts had run it ({@code RuntimeSharedCodeTest} checks this).
 */
public final class RuntimeScripts {

    /** Runtime files, in load order. */
    public static final List<String> FILES = List.of(
            "dom-exception.js",
            "encoding.js",
            "structured-clone.js",
            "readable-stream.js",
            "writable-stream.js",
            "transform-stream.js",
            "compression-stream.js",
            "url.js",
            "url-pattern.js",
            "blob.js",
            "form-data.js",
            "headers.js",
            "body.js",
            "request.js",
            "response.js",
            "fetch.js",
            "crypto.js",
            "crypto-hmac.js",
            "crypto-aes.js",
            "crypto-kdf.js",
            "crypto-asymmetric.js",
            "crypto-rsa.js",
            "crypto-ec.js",
            "crypto-okp.js",
            "timers.js",
            "console.js",
            "events.js",
            "abort-signal.js",
            "websocket.js",
            "durable-objects.js",
            "dispatcher.js");

    private static final String RESOURCE_DIR = "/dev/mooring/runtime/js/";

    private static final List<Source> SOURCES = FILES.stream().map(RuntimeScripts::load).toList();

    private RuntimeScripts() {}

    /**
     * Installs every runtime file into {@code context}, in order, and returns the shared {@code
     * internals} object. Must run on the thread that owns the context.
     */
    public static Value install(Context context, Map<String, ?> hostFunctions) {
        Value host = context.eval("js", "({})");
        hostFunctions.forEach(host::putMember);
        host.putMember(HostFunctions.HOST_OBJECT_SAMPLE, ProxyObject.fromMap(Map.of()));
        Value internals = context.eval("js", "({})");
        for (Source source : SOURCES) {
            Value installer = context.eval(source);
            if (!installer.canExecute()) {
                throw new IllegalStateException("Runtime file " + source.getName() + " must evaluate to a function");
            }
            installer.execute(host, internals);
        }
        return internals;
    }

    private static Source load(String file) {
        try (InputStream in = RuntimeScripts.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("Runtime file missing from the class path: " + RESOURCE_DIR + file);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Source.newBuilder("js", text, "mooring:runtime/" + file).cached(true).buildLiteral();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read runtime file " + file, e);
        }
    }
}
