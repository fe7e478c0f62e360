package dev.mooring.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mooring.host.admin.AdminToken;
import dev.mooring.host.config.HostOptions;
import dev.mooring.host.config.OptionParser;
import dev.mooring.host.config.Values;
import dev.mooring.host.deploy.DeployException;
import dev.mooring.host.deploy.UploadForm;
import dev.mooring.host.project.Project;
import dev.mooring.host.project.ProjectException;
import dev.mooring.host.project.ProjectLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mooring deploy DIR --to URL}: uploads the wrangler project in DIR to the admin API of a
 * server started with {@code mooring serve}.
 *
 * <p>Steps: load the project as {@code mooring dev} does; ask the server for the script's
 * migration tag ({@code GET URL/scripts/NAME}: 404 for a new script, else a JSON object whose
 * {@code migration_tag} is the tag or null); build the upload with the migrations after that
 * tag; send it ({@code PUT URL/scripts/NAME}); print the server's response. Both requests carry
 * {@code Authorization: Bearer TOKEN}, with the token from {@code --token-file} or else from
 * {@value #TOKEN_VARIABLE}.
 *
 * <p>The admin API responds to every request with JSON. When the first response has another
 * Content-Type, {@code --to} points elsewhere, usually at the traffic port, and the command stops
 * with a message that names the admin port option. After a 403, and for a {@code --token-file}
 * that does not exist, the message names the place where the server keeps its token.
 *
 * <p>Exit status: 0 when the server accepted the upload, 1 when it rejected it or could not be
 * reached, 2 for a usage error or a project that cannot be loaded.
 */
public final class DeployCommand {

    /** The environment variable that contains the admin API's bearer token. */
    public static final String TOKEN_VARIABLE = "MOORING_ADMIN_TOKEN";

    /** Exit status when the server rejected the upload, or was not reached. */
    static final int EXIT_FAILED = 1;

    private static final Logger log = LoggerFactory.getLogger(DeployCommand.class);
    private static final JsonMapper JSON = new JsonMapper();

    /** A bearer token and its source, which messages name. Never print or log the value. */
    private record Token(String value, String source) {}

    private DeployCommand() {}

    static int run(List<String> arguments) {
        return run(arguments, System.getenv(), System.out, System.err);
    }

    /**
     * Runs the command with the given environment and output streams.
     *
     * @return the exit status
     */
    public static int run(List<String> arguments, Map<String, String> environment, PrintStream out, PrintStream err) {
        OptionParser.Parsed options;
        try {
            options = OptionParser.parse(arguments, HostOptions.DEPLOY, "deploy");
        } catch (IllegalArgumentException e) {
            err.println("mooring: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        if (options.positional().size() != 1) {
            err.println("mooring: 'deploy' takes one project folder, for example: "
                    + "./mooring deploy samples/counter --to http://127.0.0.1:8788");
            return Main.EXIT_USAGE;
        }
        URI adminUrl = options.get(HostOptions.DEPLOY_TO);
        if (adminUrl == null) {
            err.println("mooring: 'deploy' needs --to URL, the admin API of a server started with ./mooring serve, "
                    + "for example --to http://127.0.0.1:8788");
            return Main.EXIT_USAGE;
        }
        Token token;
        try {
            token = token(options.get(HostOptions.TOKEN_FILE), environment);
        } catch (IllegalArgumentException e) {
            err.println("mooring: " + e.getMessage());
            return Main.EXIT_USAGE;
        }

        Path directory = Path.of(options.positional().get(0)).toAbsolutePath().normalize();
        Project project;
        try {
            // The loader logs each warning, and the log goes to standard error.
            project = new ProjectLoader(warning -> {}).load(directory);
        } catch (ProjectException e) {
            err.println("mooring: " + e.getMessage());
            return Main.EXIT_USAGE;
        }

        Duration timeout = options.get(HostOptions.DEPLOY_TIMEOUT);
        URI scriptUrl = URI.create(adminUrl + "/scripts/" + project.name());
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build()) {
            String deployedTag = deployedMigrationTag(client, adminUrl, scriptUrl, token, timeout);
            UploadForm.Body body = UploadForm.build(project, deployedTag);
            log.info("Uploading {} ({}, {}) to {}", project.name(), Values.formatCount(project.bundle().modules().size(), "module"),
                    Values.formatCount(body.bytes().length, "byte"), scriptUrl);
            HttpRequest upload = HttpRequest.newBuilder(scriptUrl)
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + token.value())
                    .header("Content-Type", body.contentType())
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                    .build();
            HttpResponse<String> response = client.send(upload, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                err.println("mooring: " + scriptUrl + " rejected the upload of " + project.name() + " (HTTP "
                        + response.statusCode() + "): " + failureMessage(response, token));
                return EXIT_FAILED;
            }
            printSuccess(out, project.name(), scriptUrl, response);
            if (!response.body().isBlank()) {
                out.println(response.body().strip());
            }
            return 0;
        } catch (DeployException e) {
            err.println("mooring: " + e.getMessage());
            return EXIT_FAILED;
        } catch (IOException e) {
            err.println("mooring: cannot reach the admin API at " + scriptUrl + ": " + describe(e)
                    + "; check --to and that ./mooring serve is running");
            return EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("mooring: interrupted while deploying " + project.name());
            return EXIT_FAILED;
        }
    }

    /**
     * Returns the bearer token: the content of {@code tokenFile} when given, else the environment's
     * {@value #TOKEN_VARIABLE}.
     *
     * @throws IllegalArgumentException when there is no usable token
     */
    private static Token token(Path tokenFile, Map<String, String> environment) {
        String token;
        String source;
        if (tokenFile != null) {
            source = "the token file " + tokenFile.toAbsolutePath();
            try {
                token = Files.readString(tokenFile).strip();
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException(source + " does not exist. " + serverTokenLocation());
            } catch (AccessDeniedException e) {
                throw new IllegalArgumentException("cannot read " + source + ": permission denied. Run deploy as a user"
                        + " who may read it, or set " + TOKEN_VARIABLE + " to the token instead");
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + source + ": " + e.getMessage());
            }
        } else {
            token = environment.getOrDefault(TOKEN_VARIABLE, "").strip();
            source = TOKEN_VARIABLE;
        }
        if (token.isEmpty()) {
            throw new IllegalArgumentException(tokenFile != null
                    ? "no admin token: " + source + " is empty. Write the token that the server's admin API expects into it"
                    : "no admin token: set " + TOKEN_VARIABLE + " or pass --token-file FILE, with the token that the server's"
                            + " admin API expects");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c >= 0x7F) {
                throw new IllegalArgumentException("the admin token from " + source + " contains a space, control or "
                        + "non-ASCII character at position " + (i + 1) + ", which an Authorization header cannot carry");
            }
        }
        return new Token(token, source);
    }

    /** Returns the deployed script's migration tag, or null when the script is new or has none. */
    private static String deployedMigrationTag(HttpClient client, URI adminUrl, URI scriptUrl, Token token,
            Duration timeout) throws IOException, InterruptedException, DeployException {
        HttpRequest request = HttpRequest.newBuilder(scriptUrl)
                .timeout(timeout)
                .header("Authorization", "Bearer " + token.value())
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        checkAdminApi(response, adminUrl);
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new DeployException("Reading the deployed script at " + scriptUrl + " failed (HTTP "
                    + response.statusCode() + "): " + failureMessage(response, token));
        }
        JsonNode script;
        try {
            script = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new DeployException("The response of " + scriptUrl + " is not JSON, so the deployed migration tag is unknown: "
                    + e.getMessage(), e);
        }
        JsonNode tag = script == null ? null : script.get("migration_tag");
        if (tag == null || tag.isNull()) {
            return null;
        }
        if (!tag.isTextual()) {
            throw new DeployException("The response of " + scriptUrl + " has the migration_tag " + tag
                    + ", not a string or null");
        }
        return tag.textValue();
    }

    /**
     * Throws unless the response is JSON, as every response of the admin API is. The traffic
     * listener of {@code mooring serve} returns a text/plain 404 for a path it cannot route, and a
     * {@code mooring dev} server returns whatever its script returns.
     */
    private static void checkAdminApi(HttpResponse<String> response, URI adminUrl) throws DeployException {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return;
        }
        String example = adminUrl.getScheme() + "://" + adminUrl.getHost() + ":" + HostOptions.ADMIN_PORT.defaultValue();
        String responseLine = response.body().isBlank() ? "" : " Its response was: " + firstLine(response.body());
        throw new DeployException(adminUrl + " is not the admin API of ./mooring serve: "
                + response.request().method() + " " + response.uri() + " got HTTP " + response.statusCode() + " with "
                + (contentType.isEmpty() ? "no Content-Type" : "Content-Type " + contentType)
                + ", but the admin API always responds with JSON. --to probably names the traffic port ("
                + HostOptions.PORT.name() + ", default " + HostOptions.PORT.defaultValue() + ") or a ./mooring dev"
                + " server. Point --to at the admin port, which ./mooring serve sets with " + HostOptions.ADMIN_PORT.name() + " (default "
                + HostOptions.ADMIN_PORT.defaultValue() + "), e.g. --to " + example + "." + responseLine);
    }

    /**
     * Returns the server's message for an error response. For a 403 it adds where the server's
     * token is, because the token that was sent does not match it.
     */
    private static String failureMessage(HttpResponse<String> response, Token token) {
        String message = serverMessage(response.body());
        if (response.statusCode() != 403) {
            return message;
        }
        return message + (message.endsWith(".") ? " " : ". ") + "The server rejected the admin token from "
                + token.source() + ". " + serverTokenLocation();
    }

    /** Returns where {@code ./mooring serve} keeps the token it accepts, and how to pass that file to deploy. */
    private static String serverTokenLocation() {
        return "./mooring serve accepts only its own token: " + AdminToken.ENVIRONMENT_VARIABLE
                + " in the server's environment when set, else the content of its " + HostOptions.ADMIN_TOKEN_FILE.name()
                + ", else the file " + AdminToken.FILE_NAME + " in its data folder (" + HostOptions.SERVE_DATA.name()
                + ", default " + HostOptions.SERVE_DATA.defaultValue() + "), whose path its first start printed."
                + " Pass that file with " + HostOptions.TOKEN_FILE.name() + ", e.g. " + HostOptions.TOKEN_FILE.name()
                + " " + Path.of(HostOptions.SERVE_DATA.defaultValue(), AdminToken.FILE_NAME);
    }

    /** Prints that the upload was deployed, or that the server kept the serving version because nothing changed. */
    private static void printSuccess(PrintStream out, String script, URI scriptUrl, HttpResponse<String> response) {
        JsonNode body = null;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            // The 2xx status means the upload was accepted, so an unreadable body loses only the details.
        }
        if (body != null && body.path("unchanged").asBoolean(false)) {
            out.println("Nothing changed: " + script + " is identical to version " + body.path("version").asText("?")
                    + " at " + scriptUrl + ", which keeps serving (HTTP " + response.statusCode() + ")");
        } else {
            out.println("Deployed " + script + " to " + scriptUrl + " (HTTP " + response.statusCode() + ")");
        }
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** Returns the message of an error response: its "error" or "message" field when it is JSON, else its text. */
    private static String serverMessage(String body) {
        try {
            JsonNode response = JSON.readTree(body);
            for (String field : List.of("error", "message")) {
                if (response != null && response.path(field).isTextual()) {
                    return response.path(field).textValue();
                }
            }
        } catch (IOException e) {
            // Not JSON: the text itself is the message.
        }
        return body.isBlank() ? "(no message)" : body.strip();
    }

    /** Says what went wrong with the connection in words, not as an exception class. */
    private static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out (see --timeout)";
        }
        if (e.getMessage() != null && e.getMessage().contains("parsing HTTP/1.1 status line")) {
            // The bytes the client could not parse are usually a TLS alert from an HTTPS port.
            return "the server did not answer in HTTP/1.1, as an HTTPS port (such as --https-port) answers a plain"
                    + " HTTP request";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
