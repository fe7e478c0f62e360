package dev.mooring.host.scripts;

import dev.mooring.host.deploy.MultipartWriter;
import dev.mooring.host.deploy.ScriptUpload;
import dev.mooring.host.deploy.UploadException;
import dev.mooring.host.deploy.UploadLimits;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Builds script uploads in Cloudflare's multipart shape for tests: one ES module and its metadata. */
final class Uploads {

    /** A multipart body with its Content-Type. */
    record Body(String contentType, byte[] bytes) {}

    private Uploads() {}

    /**
     * An upload of {@code worker.js} with a binding {@code binding} to {@code className}.
     *
     * @param migrations the metadata's {@code migrations} value as JSON, or null for none
     */
    static Body body(String source, String binding, String className, String migrations) {
        String bindings = binding == null ? "[]"
                : "[{\"type\": \"durable_object_namespace\", \"name\": \"" + binding + "\", \"class_name\": \"" + className + "\"}]";
        String metadata = "{\"main_module\": \"worker.js\", \"bindings\": " + bindings
                + (migrations == null ? "" : ", \"migrations\": " + migrations) + "}";
        return body(metadata, Map.of("worker.js", source));
    }

    /** An upload of ES modules (name to source) with the given metadata JSON. */
    static Body body(String metadata, Map<String, String> modules) {
        MultipartWriter writer = new MultipartWriter();
        writer.add(ScriptUpload.METADATA_PART, null, "application/json", metadata.getBytes(StandardCharsets.UTF_8));
        modules.forEach((name, source) -> writer.add(name, name, ScriptUpload.ES_MODULE_TYPE,
                source.getBytes(StandardCharsets.UTF_8)));
        return new Body(writer.contentType(), writer.toByteArray());
    }

    /** Parses a body as the admin API would. */
    static ScriptUpload parse(String script, Body body) throws UploadException {
        return ScriptUpload.parse(script, body.contentType(), body.bytes(), UploadLimits.DEFAULTS);
    }
}
