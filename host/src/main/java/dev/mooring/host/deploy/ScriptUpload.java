package dev.mooring.host.deploy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.host.config.Spelling;
import dev.mooring.host.project.DurableObjectBinding;
import dev.mooring.host.project.Migration;
import dev.mooring.host.project.MigrationHistory;
import dev.mooring.host.project.ProjectException;
import dev.mooring.host.project.ScriptDefinition;
import dev.mooring.host.project.ScriptNames;
import dev.mooring.host.project.StorageKind;
import dev.mooring.sandbox.ModuleBundle;
import dev.mooring.sandbox.ModuleBundle.Module;
import dev.mooring.sandbox.ModuleBundle.ModuleType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One script upload in the shape of Cloudflare's Workers script upload: a
 * {@code multipart/form-data} body with a {@code metadata} part (JSON) and one part per module,
 * checked as far as that is possible without running JavaScript.
 *
 * <p>Checks happen in three places, and this class does the first two:
 * <ol>
 *   <li>{@link #parse} checks everything the request alone determines: the multipart syntax, the
 *       limits, the metadata's keys and values, module names, types and encodings, and that the
 *       main module is an ES module among the parts.
 *   <li>{@link #migrate} checks what depends on the deployed version: that the migrations start
 *       from its tag and fit its classes, and that every Durable Object binding names a class that
 *       exists afterwards.
 *   <li>The runtime, when it loads the modules, finds syntax errors, imports of missing modules,
 *       exceptions in top-level code and bindings to classes the main module does not export.
 * </ol>
 *
 * <p>Module parts: every part except the one named {@value #METADATA_PART} is a module. Its
 * module name is its {@code filename} parameter, or its part name when it has no filename (see
 * {@link #moduleName}); {@code main_module} names a module by that name. The types are
 * {@code application/javascript+module} (ES module), {@code text/plain} (Text module) and
 * {@code application/octet-stream} (Data module), built into the same {@link ModuleBundle} modules
 * that a wrangler project's files become. {@code application/javascript} and
 * {@code text/javascript} are rejected: in Cloudflare's format they mark CommonJS modules or a
 * service-worker script, and running such code as an ES module would fail later and less clearly.
 * Empty module parts are rejected, although an empty file in a wrangler project is a valid module.
 *
 * <p>Parsing keeps no state between calls and logs nothing; warnings are returned in
 * {@link #warnings()} for the caller to report. An instance is immutable and safe to share,
 * except that callers must not modify the module content arrays.
 */
public final class ScriptUpload {

    /** The name of the part that contains the metadata. */
    public static final String METADATA_PART = "metadata";

    /** The Content-Type of ES module parts. */
    public static final String ES_MODULE_TYPE = "application/javascript+module";
    /** The Content-Type of Text module parts. */
    public static final String TEXT_MODULE_TYPE = "text/plain";
    /** The Content-Type of Data module parts. */
    public static final String DATA_MODULE_TYPE = "application/octet-stream";

    /** The tags of an upload's migrations; both null when the upload has none. */
    public record MigrationTags(String oldTag, String newTag) {}

    // wrangler's rule for Worker names, limited to the length of a DNS label.
    private static final Pattern SCRIPT_NAME = Pattern.compile("[a-z0-9_][a-z0-9_-]*");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final int MAX_LISTED_MODULES = 10;

    private final String scriptName;
    private final String metadataJson;
    private final UploadMetadata metadata;
    private final ModuleBundle bundle;
    private final List<String> warnings;

    private ScriptUpload(String scriptName, String metadataJson, UploadMetadata metadata, ModuleBundle bundle,
            List<String> warnings) {
        this.scriptName = scriptName;
        this.metadataJson = metadataJson;
        this.metadata = metadata;
        this.bundle = bundle;
        this.warnings = List.copyOf(warnings);
    }

    /** Returns the 413 for an upload body larger than {@code limits} allow. */
    public static UploadException bodyTooLarge(UploadLimits limits) {
        return new UploadException(UploadException.PAYLOAD_TOO_LARGE, "The upload is larger than "
                + describeBytes(limits.maxBodyBytes()) + ", the maximum this server accepts; leave files the "
                + "Worker does not import out of the upload, or ask the operator to raise --max-upload-body");
    }

    /**
     * Parses and checks an upload of the script {@code scriptName}.
     *
     * @param contentType the request's Content-Type header, or null when it has none
     * @param body        the whole request body; the caller should stop reading at
     *                    {@link UploadLimits#maxBodyBytes()} plus one byte and pass what it has
     * @throws UploadException with the status and a message naming the part, module or metadata
     *                         key at fault
     */
    public static ScriptUpload parse(String scriptName, String contentType, byte[] body, UploadLimits limits)
            throws UploadException {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(limits, "limits");
        checkScriptName(scriptName);
        if (body.length > limits.maxBodyBytes()) {
            throw bodyTooLarge(limits);
        }
        MultipartForm form = MultipartForm.parse(contentType, body, new MultipartForm.Limits(
                limits.maxModules() + 1, limits.maxPartHeaderBytes(), "one metadata part and at most "
                + limits.maxModules() + " modules. Combine small modules into fewer files, or ask the operator to "
                + "raise --max-upload-modules"));

        MultipartForm.Part metadataPart = metadataPart(form, limits);
        List<String> warnings = new ArrayList<>();
        UploadMetadata metadata = UploadMetadata.read(scriptName, metadataObject(metadataPart), warnings::add);
        Map<String, Module> modules = modules(form, limits);
        ModuleBundle bundle = bundle(metadata.mainModule(), modules, form);
        return new ScriptUpload(scriptName, new String(metadataPart.content(), StandardCharsets.UTF_8), metadata,
                bundle, warnings);
    }

    // ---- What the upload contains ---------------------------------------------------------------

    public String scriptName() {
        return scriptName;
    }

    /** Returns the metadata part as it was sent. */
    public String metadataJson() {
        return metadataJson;
    }

    /** Returns the modules by name, in part order. */
    public Map<String, Module> modules() {
        return bundle.modules();
    }

    /** Returns the modules with the main module marked. */
    public ModuleBundle bundle() {
        return bundle;
    }

    public String mainModule() {
        return bundle.mainModule();
    }

    /** Returns {@code compatibility_date}, or null when the metadata has none. */
    public LocalDate compatibilityDate() {
        return metadata.compatibilityDate();
    }

    /** Returns {@code compatibility_flags}; nothing in Mooring acts on them yet. */
    public List<String> compatibilityFlags() {
        return metadata.compatibilityFlags();
    }

    /** Returns the {@code plain_text} and {@code json} bindings as vars, in binding order. */
    public Map<String, Object> vars() {
        return metadata.vars();
    }

    public List<DurableObjectBinding> durableObjectBindings() {
        return metadata.durableObjectBindings();
    }

    /** Returns whether the metadata has {@code migrations}. */
    public boolean hasMigrations() {
        return metadata.migrations() != null;
    }

    /**
     * Returns the migration steps in order, empty when the upload has none. A step's tag is
     * {@code new_tag} when there is one step, else {@code new_tag} followed by its number, such as
     * {@code "v3 (step 2)"}: the upload format gives steps no tags of their own.
     */
    public List<Migration> migrations() {
        return hasMigrations() ? metadata.migrations().steps() : List.of();
    }

    public MigrationTags migrationTags() {
        UploadMetadata.Migrations migrations = metadata.migrations();
        return migrations == null ? new MigrationTags(null, null) : new MigrationTags(migrations.oldTag(),
                migrations.newTag());
    }

    /** Returns one sentence per metadata key that Mooring ignored, in the order found. */
    public List<String> warnings() {
        return warnings;
    }

    // ---- Checks against the deployed version ----------------------------------------------------

    /**
     * Applies this upload's migrations to the classes of the deployed version and checks every
     * Durable Object binding against the result. Without migrations, the classes stay as they
     * are; a class that this version no longer binds keeps its storage until a migration deletes it.
     *
     * @param deployed the deployed version's classes, or {@link DeployedClasses#NONE} for a new script
     * @throws UploadException 409 when {@code old_tag} differs from the deployed tag; 400 when a step
     *                         does not fit the classes before it or a binding names a class that
     *                         does not exist afterwards
     */
    public MigrationResult migrate(DeployedClasses deployed) throws UploadException {
        Objects.requireNonNull(deployed, "deployed");
        UploadMetadata.Migrations migrations = metadata.migrations();
        if (migrations == null) {
            checkBindings(deployed.classes());
            return new MigrationResult(deployed, List.of());
        }
        checkOldTag(migrations.oldTag(), deployed.migrationTag());
        Map<String, StorageKind> classes;
        try {
            classes = MigrationHistory.applySteps(UploadMetadata.SOURCE, deployed.classes(), migrations.steps(),
                    migrations.stepPaths());
        } catch (ProjectException e) {
            throw new UploadException(UploadException.BAD_REQUEST, e.getMessage(), e);
        }
        checkBindings(classes);
        return new MigrationResult(new DeployedClasses(migrations.newTag(), classes), changes(migrations.steps()));
    }

    /**
     * Returns what the host runs of this upload, given the classes it runs with: usually
     * {@code migrate(deployed).classes()}, or the classes stored with this version on restart.
     *
     * @throws UploadException 400 when a Durable Object binding names a class not in {@code classes}
     */
    public ScriptDefinition definition(DeployedClasses classes) throws UploadException {
        checkBindings(classes.classes());
        return new ScriptDefinition(scriptName, metadata.compatibilityDate(), metadata.vars(),
                metadata.durableObjectBindings(), classes.classes(), bundle, "");
    }

    /**
     * Returns what the host runs of this upload as the first version of its script.
     *
     * @throws UploadException as {@link #migrate} does for {@link DeployedClasses#NONE}
     */
    public ScriptDefinition definition() throws UploadException {
        return definition(migrate(DeployedClasses.NONE).classes());
    }

    private void checkOldTag(String oldTag, String deployedTag) throws UploadException {
        if (Objects.equals(oldTag, deployedTag)) {
            return;
        }
        String prefix = UploadMetadata.SOURCE + ": key \"migrations.old_tag\" ";
        String actual = oldTag == null ? "is missing" : "is \"" + oldTag + "\"";
        if (deployedTag == null) {
            throw new UploadException(UploadException.CONFLICT, prefix + actual + ", but script \"" + scriptName
                    + "\" has no migration tag: it is new, or no upload gave it migrations. Remove old_tag and send "
                    + "all migrations");
        }
        throw new UploadException(UploadException.CONFLICT, prefix + actual + ", but script \"" + scriptName
                + "\" is deployed with migration tag \"" + deployedTag + "\"; set old_tag to \"" + deployedTag
                + "\" and send only the migrations after it (./mooring deploy does this)");
    }

    private void checkBindings(Map<String, StorageKind> classes) throws UploadException {
        List<DurableObjectBinding> bindings = metadata.durableObjectBindings();
        for (int i = 0; i < bindings.size(); i++) {
            String className = bindings.get(i).className();
            if (classes.containsKey(className)) {
                continue;
            }
            String path = "bindings[" + metadata.bindingIndexes().get(i) + "].class_name";
            String fate = fateOf(className);
            List<String> closest = Spelling.closest(className, classes.keySet());
            String typo = closest.isEmpty() ? "" : ". Did you mean " + String.join(" or ", closest) + "?";
            String advice = fate != null
                    ? "; bind a class that exists after the migrations, or remove the binding"
                    : ": no migration creates it" + typo + " To create it, add a migration: in wrangler.toml, "
                    + "[[migrations]] with tag = \"v1\" and new_sqlite_classes = [\"" + className + "\"] (./mooring deploy "
                    + "sends it); in an upload's metadata, \"migrations\": {\"new_tag\": \"v1\", \"new_sqlite_classes\": [\""
                    + className + "\"]}, with \"old_tag\" set to the deployed tag when there is one. Or remove the binding";
            throw new UploadException(UploadException.BAD_REQUEST, UploadMetadata.SOURCE + ": key \"" + path
                    + "\" names the class \"" + className + "\", which does not exist"
                    + (fate != null ? " because " + fate : "") + advice);
        }
    }

    // Returns how this upload's migrations ended className, or null when they do not mention it.
    private String fateOf(String className) {
        if (metadata.migrations() == null) {
            return null;
        }
        String fate = null;
        List<Migration> steps = metadata.migrations().steps();
        for (int i = 0; i < steps.size(); i++) {
            String path = metadata.migrations().stepPaths().get(i);
            if (steps.get(i).deletedClasses().contains(className)) {
                fate = path + ".deleted_classes deletes it";
            }
            for (Migration.RenamedClass rename : steps.get(i).renamedClasses()) {
                if (rename.from().equals(className)) {
                    fate = path + ".renamed_classes renames it to \"" + rename.to() + "\"";
                }
            }
        }
        return fate;
    }

    private static List<ClassChange> changes(List<Migration> steps) {
        List<ClassChange> changes = new ArrayList<>();
        for (Migration step : steps) {
            step.deletedClasses().forEach(className -> changes.add(new ClassChange.Deleted(className)));
            step.renamedClasses().forEach(rename -> changes.add(new ClassChange.Renamed(rename.from(), rename.to())));
            step.newClasses().forEach(className -> changes.add(new ClassChange.Created(className, StorageKind.KEY_VALUE)));
            step.newSqliteClasses().forEach(className -> changes.add(new ClassChange.Created(className, StorageKind.SQLITE)));
        }
        return changes;
    }

    // ---- Parsing steps --------------------------------------------------------------------------

    /** Checks a script name from a URL or an upload; the message says what a valid one looks like. */
    public static void checkScriptName(String scriptName) throws UploadException {
        Objects.requireNonNull(scriptName, "scriptName");
        if (scriptName.length() > ScriptNames.MAX_LENGTH || !SCRIPT_NAME.matcher(scriptName).matches()) {
            throw new UploadException(UploadException.BAD_REQUEST, "The script name \"" + scriptName + "\" is "
                    + "invalid; a script name has 1 to " + ScriptNames.MAX_LENGTH + " lowercase letters, digits, "
                    + "\"-\" and \"_\", and does not start with \"-\", e.g. \""
                    + ScriptNames.fromDirectoryName(scriptName) + "\"");
        }
    }

    private static MultipartForm.Part metadataPart(MultipartForm form, UploadLimits limits) throws UploadException {
        MultipartForm.Part found = null;
        for (MultipartForm.Part part : form.parts()) {
            if (!part.name().equals(METADATA_PART)) {
                continue;
            }
            if (found != null) {
                throw new UploadException(UploadException.BAD_REQUEST, "Parts " + found.number() + " and "
                        + part.number() + " are both named \"" + METADATA_PART + "\"; send the metadata once");
            }
            found = part;
        }
        if (found == null) {
            throw new UploadException(UploadException.BAD_REQUEST, "The upload has no part named \"" + METADATA_PART
                    + "\"; add one with the script's metadata as JSON, e.g. {\"main_module\": \"worker.js\", "
                    + "\"compatibility_date\": \"2024-01-01\"}");
        }
        if (found.content().length > limits.maxMetadataBytes()) {
            throw new UploadException(UploadException.PAYLOAD_TOO_LARGE, "The metadata part is larger than "
                    + describeBytes(limits.maxMetadataBytes()) + ", the maximum; move large values out of the "
                    + "plain_text and json bindings, e.g. into a Text module");
        }
        if (found.content().length == 0) {
            throw new UploadException(UploadException.BAD_REQUEST, "The metadata part is empty; send the script's "
                    + "metadata as a JSON object, e.g. {\"main_module\": \"worker.js\"}");
        }
        return found;
    }

    private static ObjectNode metadataObject(MultipartForm.Part part) throws UploadException {
        JsonNode root;
        try {
            root = JSON.readTree(part.content());
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String where = location == null ? "" : " at line " + location.getLineNr() + ", column "
                    + location.getColumnNr();
            String detail = e.getOriginalMessage().lines().findFirst().orElse("");
            throw new UploadException(UploadException.BAD_REQUEST, "The metadata part is not valid JSON" + where
                    + ": " + detail + "; send the metadata as one JSON object", e);
        } catch (IOException e) {
            // readTree declares IOException, but reading from memory raises only JsonProcessingException.
            throw new IllegalStateException("Reading the metadata from memory failed", e);
        }
        if (!(root instanceof ObjectNode object)) {
            throw new UploadException(UploadException.BAD_REQUEST, "The metadata part must be a JSON object, not "
                    + (root == null ? "empty" : root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT))
                    + "; send e.g. {\"main_module\": \"worker.js\"}");
        }
        return object;
    }

    private static Map<String, Module> modules(MultipartForm form, UploadLimits limits) throws UploadException {
        Map<String, Module> modules = new LinkedHashMap<>();
        Map<String, Integer> partNumbers = new HashMap<>();
        for (MultipartForm.Part part : form.parts()) {
            if (part.name().equals(METADATA_PART)) {
                continue;
            }
            String name = moduleName(part);
            String problem = ModuleNames.problem(name);
            if (problem != null) {
                throw new UploadException(UploadException.BAD_REQUEST, "The module name " + ModuleNames.quote(name)
                        + " of part " + part.number() + " " + problem + "; name modules by normalized relative paths "
                        + "such as \"lib/util.js\"");
            }
            Integer earlier = partNumbers.putIfAbsent(name, part.number());
            if (earlier != null) {
                throw new UploadException(UploadException.BAD_REQUEST, "Parts " + earlier + " and " + part.number()
                        + " both hold a module named \"" + name + "\"; each module needs a unique name");
            }
            if (part.content().length > limits.maxModuleBytes()) {
                throw new UploadException(UploadException.PAYLOAD_TOO_LARGE, "Module \"" + name + "\" (part "
                        + part.number() + ") is larger than " + describeBytes(limits.maxModuleBytes())
                        + ", the maximum for one module; split it, or ask the operator to raise --max-upload-module-size");
            }
            if (part.content().length == 0) {
                throw new UploadException(UploadException.BAD_REQUEST, "Module \"" + name + "\" (part "
                        + part.number() + ") is empty; give it content, or leave it out of the upload");
            }
            ModuleType type = ModuleTypes.of(part, name);
            if (type != ModuleType.DATA) {
                ModuleTypes.checkUtf8(part, name);
            }
            modules.put(name, new Module(name, type, part.content()));
        }
        return modules;
    }

    private static ModuleBundle bundle(String mainModule, Map<String, Module> modules, MultipartForm form)
            throws UploadException {
        String prefix = UploadMetadata.SOURCE + ": key \"main_module\" names \"" + mainModule + "\", ";
        if (modules.isEmpty()) {
            throw new UploadException(UploadException.BAD_REQUEST, prefix + "but the upload has no module parts; "
                    + "add a part named \"" + mainModule + "\" with Content-Type " + ES_MODULE_TYPE);
        }
        Module main = modules.get(mainModule);
        if (main == null) {
            String listed = modules.keySet().stream().limit(MAX_LISTED_MODULES).map(name -> '"' + name + '"')
                    .collect(Collectors.joining(", "));
            String more = modules.size() > MAX_LISTED_MODULES ? " and " + (modules.size() - MAX_LISTED_MODULES)
                    + " more" : "";
            String renamedPart = form.parts().stream()
                    .filter(part -> part.name().equals(mainModule) && !moduleName(part).equals(mainModule))
                    .map(part -> " Part " + part.number() + " is named \"" + mainModule + "\", but its filename \""
                            + part.filename() + "\" is its module name.")
                    .findFirst().orElse("");
            throw new UploadException(UploadException.BAD_REQUEST, prefix + "but no module has that name; the "
                    + "upload's modules are " + listed + more + "." + renamedPart + " Set main_module to the entry "
                    + "module's name");
        }
        if (main.type() != ModuleType.ES_MODULE) {
            int partNumber = form.parts().stream().filter(part -> moduleName(part).equals(mainModule)
                    && !part.name().equals(METADATA_PART)).findFirst().orElseThrow().number();
            throw new UploadException(UploadException.BAD_REQUEST, prefix + "which part " + partNumber + " sends as a "
                    + (main.type() == ModuleType.TEXT ? "Text" : "Data") + " module; the main module must be an ES "
                    + "module, sent with Content-Type " + ES_MODULE_TYPE);
        }
        try {
            return new ModuleBundle(mainModule, modules);
        } catch (IllegalArgumentException e) {
            // Every name and the main module were checked above, so this is a defect here.
            throw new IllegalStateException("Checked modules do not form a valid bundle", e);
        }
    }

    /**
     * Returns the module name of a module part: its filename when it has a non-empty one, else its
     * part name. Wrangler sends both equal; curl's {@code -F "script=@chat.mjs"}, which Cloudflare's
     * 2020 chat demo used to deploy itself, names the part "script" and the module "chat.mjs".
     */
    static String moduleName(MultipartForm.Part part) {
        return part.filename() != null && !part.filename().isEmpty() ? part.filename() : part.name();
    }

    /** Describes a byte count for messages, such as "10485760 bytes (10 MiB)". */
    static String describeBytes(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return bytes + " bytes (" + (bytes >> 20) + " MiB)";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return bytes + " bytes (" + (bytes >> 10) + " KiB)";
        }
        return bytes + " bytes";
    }

    @Override
    public String toString() {
        return "ScriptUpload[" + scriptName + ", main module " + mainModule() + ", " + modules().size() + " modules]";
    }
}
