package dev.mooring.host.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.host.project.DurableObjectBinding;
import dev.mooring.host.project.Migration;
import dev.mooring.host.project.Project;
import dev.mooring.sandbox.ModuleBundle.Module;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Builds the upload of a wrangler project in the shape {@link ScriptUpload#parse} reads, the same
 * shape wrangler sends to Cloudflare: a {@code metadata} part first, then one part per module in
 * the project's module order, each named by its module name.
 *
 * <p>Vars become {@code plain_text} bindings when they are strings and {@code json} bindings
 * otherwise. Migrations follow wrangler's deploy: given the deployed script's migration tag, only
 * the {@code [[migrations]]} after it are sent, as {@code steps} with {@code old_tag} set to the
 * deployed tag and {@code new_tag} to the last tag. Nothing is sent when the script already has
 * them all, or when the project has no migrations.
 */
public final class UploadForm {

    /**
     * A ready request body.
     *
     * @param contentType the Content-Type header, with the boundary
     * @param bytes       the body
     */
    public record Body(String contentType, byte[] bytes) {
        public Body {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    private static final JsonMapper JSON = new JsonMapper();

    private UploadForm() {
    }

    /**
     * Builds the upload of {@code project}.
     *
     * @param deployedMigrationTag the migration tag of the deployed script, or null when the
     *                             script is new or has no tag
     * @throws DeployException when a module is empty, which the admin API rejects, or the deployed
     *                         tag is not among the project's migrations
     */
    public static Body build(Project project, String deployedMigrationTag) throws DeployException {
        byte[] metadata;
        try {
            metadata = JSON.writeValueAsBytes(metadata(project, deployedMigrationTag));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The metadata of " + project.name() + " cannot be written as JSON", e);
        }
        MultipartWriter writer = new MultipartWriter();
        writer.add(ScriptUpload.METADATA_PART, null, "application/json", metadata);
        for (Module module : project.bundle().modules().values()) {
            if (module.content().length == 0) {
                throw new DeployException("Module " + module.name() + " (" + project.moduleRoot().resolve(module.name())
                        + ") is empty, and the admin API rejects empty modules; give the file content, or move it "
                        + "out of " + project.moduleRoot());
            }
            writer.add(module.name(), module.name(), contentType(module), module.content());
        }
        return new Body(writer.contentType(), writer.toByteArray());
    }

    /**
     * Adds {@code vars} to {@code bindings} as Cloudflare's upload shape gives them: a string as a
     * {@code plain_text} binding, any other value as a {@code json} binding.
     */
    public static void addVarBindings(ArrayNode bindings, Map<String, Object> vars) {
        for (Map.Entry<String, Object> variable : vars.entrySet()) {
            ObjectNode binding = bindings.addObject();
            binding.put("name", variable.getKey());
            if (variable.getValue() instanceof String text) {
                binding.put("type", UploadMetadata.PLAIN_TEXT);
                binding.put("text", text);
            } else {
                binding.put("type", UploadMetadata.JSON);
                JsonNode value = variable.getValue() == null ? NullNode.instance : JSON.valueToTree(variable.getValue());
                binding.set("json", value);
            }
        }
    }

    /**
     * Returns the metadata of {@code project}'s upload.
     *
     * @param deployedMigrationTag as for {@link #build}
     * @throws DeployException when the deployed tag is not among the project's migrations
     */
    public static ObjectNode metadata(Project project, String deployedMigrationTag) throws DeployException {
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("main_module", project.bundle().mainModule());
        if (project.compatibilityDate() != null) {
            metadata.put("compatibility_date", project.compatibilityDate().toString());
        }
        if (!project.compatibilityFlags().isEmpty()) {
            ArrayNode flags = metadata.putArray("compatibility_flags");
            project.compatibilityFlags().forEach(flags::add);
        }

        ArrayNode bindings = metadata.putArray("bindings");
        addVarBindings(bindings, project.vars());
        for (DurableObjectBinding durableObject : project.durableObjectBindings()) {
            ObjectNode binding = bindings.addObject();
            binding.put("name", durableObject.bindingName());
            binding.put("type", UploadMetadata.DURABLE_OBJECT_NAMESPACE);
            binding.put("class_name", durableObject.className());
        }

        ObjectNode migrations = migrations(project, deployedMigrationTag);
        if (migrations != null) {
            metadata.set("migrations", migrations);
        }
        return metadata;
    }

    // Returns the migrations after the deployed tag, or null when there are none to send.
    private static ObjectNode migrations(Project project, String deployedTag) throws DeployException {
        List<Migration> all = project.migrations();
        if (all.isEmpty()) {
            // As in wrangler: a project without migrations leaves the deployed classes as they are.
            return null;
        }
        int start = 0;
        if (deployedTag != null) {
            int deployedIndex = indexOfTag(all, deployedTag);
            if (deployedIndex < 0) {
                String tags = all.stream().map(migration -> '"' + migration.tag() + '"').collect(Collectors.joining(", "));
                throw new DeployException("Script \"" + project.name() + "\" is deployed with migration tag \""
                        + deployedTag + "\", which the [[migrations]] of " + project.configFile() + " do not list"
                        + " (they list " + tags + "); restore the migrations up to \""
                        + deployedTag + "\" in the configuration, or deploy under another name");
            }
            start = deployedIndex + 1;
        }
        if (start == all.size()) {
            return null;
        }
        ObjectNode migrations = JSON.createObjectNode();
        if (deployedTag != null) {
            migrations.put("old_tag", deployedTag);
        }
        migrations.put("new_tag", all.getLast().tag());
        ArrayNode steps = migrations.putArray("steps");
        for (Migration migration : all.subList(start, all.size())) {
            steps.add(step(migration));
        }
        return migrations;
    }

    private static int indexOfTag(List<Migration> migrations, String tag) {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).tag().equals(tag)) {
                return i;
            }
        }
        return -1;
    }

    private static ObjectNode step(Migration migration) {
        ObjectNode step = JSON.createObjectNode();
        putClassNames(step, "new_classes", migration.newClasses());
        putClassNames(step, "new_sqlite_classes", migration.newSqliteClasses());
        if (!migration.renamedClasses().isEmpty()) {
            ArrayNode renamed = step.putArray("renamed_classes");
            for (Migration.RenamedClass rename : migration.renamedClasses()) {
                renamed.addObject().put("from", rename.from()).put("to", rename.to());
            }
        }
        putClassNames(step, "deleted_classes", migration.deletedClasses());
        return step;
    }

    private static void putClassNames(ObjectNode step, String key, List<String> classNames) {
        if (!classNames.isEmpty()) {
            ArrayNode array = step.putArray(key);
            classNames.forEach(array::add);
        }
    }

    private static String contentType(Module module) {
        return switch (module.type()) {
            case ES_MODULE -> ScriptUpload.ES_MODULE_TYPE;
            case TEXT -> ScriptUpload.TEXT_MODULE_TYPE + "; charset=utf-8";
            case DATA -> ScriptUpload.DATA_MODULE_TYPE;
        };
    }
}
