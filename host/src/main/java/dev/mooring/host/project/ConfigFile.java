package dev.mooring.host.project;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A project's configuration file: where it is, and its content as a Jackson tree. */
record ConfigFile(Path path, ObjectNode root) {

    /**
     * The file names looked for, in wrangler's order of preference (wrangler 4.125,
     * {@code findWranglerConfig} in {@code packages/workers-utils}).
     */
    static final List<String> FILE_NAMES = List.of("wrangler.json", "wrangler.jsonc", "wrangler.toml");

    private static final ObjectMapper TOML = new TomlMapper();

    // wrangler reads wrangler.json with its JSONC parser too, so both JSON names accept comments and
    // trailing commas. Duplicate keys are rejected, as TOML does.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Returns the file's name, which starts every message about its content. */
    String fileName() {
        return path.getFileName().toString();
    }

    /**
     * Finds and parses the configuration file of {@code directory}. When several exist, uses the
     * first of {@link #FILE_NAMES} and warns naming the others.
     */
    static ConfigFile read(Path directory, Consumer<String> warnings) throws ProjectException {
        List<Path> present = new ArrayList<>();
        for (String name : FILE_NAMES) {
            Path candidate = directory.resolve(name);
            if (Files.isRegularFile(candidate)) {
                present.add(candidate);
            }
        }
        if (present.isEmpty()) {
            throw new ProjectException("No wrangler.toml, wrangler.json or wrangler.jsonc found in " + directory
                    + "; create one that sets at least \"main\", the path of the Worker's entry module");
        }
        Path chosen = present.getFirst();
        if (present.size() > 1) {
            List<String> ignored = present.subList(1, present.size()).stream()
                    .map(path -> path.getFileName().toString())
                    .toList();
            warnings.accept(directory + " contains " + chosen.getFileName() + " and " + String.join(" and ", ignored)
                    + "; using " + chosen.getFileName() + " and ignoring " + String.join(" and ", ignored));
        }
        return new ConfigFile(chosen, parse(chosen));
    }

    private static ObjectNode parse(Path path) throws ProjectException {
        boolean toml = path.getFileName().toString().endsWith(".toml");
        String format = toml ? "TOML" : "JSON (comments and trailing commas are allowed)";
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new ProjectException("Failed to read " + path + ": " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = (toml ? TOML : JSON).readTree(content);
        } catch (JsonProcessingException e) {
            throw new ProjectException(path.getFileName() + " is not valid " + format + ": "
                    + e.getOriginalMessage() + describe(e.getLocation()), e);
        } catch (IOException e) {
            throw new ProjectException("Failed to read " + path + ": " + e.getMessage(), e);
        }
        if (!(root instanceof ObjectNode object)) {
            throw new ProjectException(path.getFileName() + " must contain an object at the top level, not "
                    + (root.isMissingNode() ? "nothing" : root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        return object;
    }

    private static String describe(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
