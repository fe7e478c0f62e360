package dev.mooring.host.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.host.config.Values;
import dev.mooring.host.project.DurableObjectBinding;
import dev.mooring.host.deploy.ScriptUpload;
import dev.mooring.host.deploy.UploadException;
import dev.mooring.host.deploy.UploadForm;
import dev.mooring.host.deploy.UploadLimits;
import dev.mooring.host.http.HttpDate;
import dev.mooring.host.http.HttpFrontend;
import dev.mooring.host.scripts.DeployedClass;
import dev.mooring.host.scripts.ScriptRegistry;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

/**
 * The admin listener of {@code mooring serve}, on its own port (loopback unless configured):
 *
 * <pre>
 *   GET    /scripts          list the deployed scripts
 *   PUT    /scripts/{name}   upload a new version (multipart, Cloudflare's script upload shape);
 *                            an upload identical to the serving version changes nothing
 *   GET    /scripts/{name}   versions, bindings (vars too), classes and objects in memory
 *   DELETE /scripts/{name}   stop and remove the script; ?delete_storage=true deletes its storage too
 * </pre>
 *
 * <p>Every request must carry {@code Authorization: Bearer TOKEN}: without one the answer is 401,
 * with a wrong one 403, before anything else is looked at. Answers are JSON; an error is {@code
 * {"error": "..."}} with a 4xx status that the message explains, or a 500 that names only an
 * incident id, which the log explains.
 *
 * <p>Requests run on Undertow's worker threads, because a deploy blocks while the new version loads.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPTS = "/scripts";

    /**
     * Listener settings.
     *
     * @param host address to bind; loopback unless the operator decides otherwise
     * @param port TCP port; 0 picks a free one
     * @param uploads limits on uploads; a body over its maximum gets 413
     */
    public record Settings(String host, int port, UploadLimits uploads) {}

    private final Settings settings;
    private final AdminToken token;
    private final ScriptRegistry registry;
    private volatile Undertow server;

    public AdminServer(Settings settings, AdminToken token, ScriptRegistry registry) {
        this.settings = settings;
        this.token = token;
        this.registry = registry;
    }

    /** Binds the listener. */
    public void start() {
        Undertow started = Undertow.builder()
                .addHttpListener(settings.port(), settings.host())
                .setIoThreads(1)
                .setWorkerThreads(4)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, HttpFrontend.undertowEntityLimit(settings.uploads().maxBodyBytes()))
                .setServerOption(UndertowOptions.ALWAYS_SET_DATE, false)
                .setSocketOption(Options.REUSE_ADDRESSES, true)
                .setHandler(this::handle)
                .build();
        started.start();
        server = started;
        log.info("Admin API listening on http://{}:{}/scripts", settings.host(), port());
    }

    /** The bound port. */
    public int port() {
        Undertow started = server;
        if (started == null) {
            throw new IllegalStateException("The admin server is not started");
        }
        return ((InetSocketAddress) started.getListenerInfo().get(0).getAddress()).getPort();
    }

    private void handle(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            HttpDate.stampOnCommit(exchange);
            exchange.dispatch(this::handle);
            return;
        }
        try {
            if (!authorized(exchange)) {
                return;
            }
            route(exchange);
        } catch (UploadException e) {
            error(exchange, e.status(), e.getMessage());
        } catch (RuntimeException e) {
            String incident = UUID.randomUUID().toString();
            log.error("Admin request {} {} failed; incident {}", exchange.getRequestMethod(), exchange.getRequestPath(),
                    incident, e);
            error(exchange, 500, "Internal error; incident " + incident + " in the host's log");
        }
    }

    /**
     * Returns what is wrong with an Authorization header that carries no bearer token. A header of
     * one word is most likely a bare token, so the error message does not repeat it.
     */
    private static String notBearerProblem(String header) {
        String[] words = header.split("\\s+", 2);
        if (words.length == 2) {
            return "The Authorization header does not carry a bearer token (its scheme is \"" + words[0] + "\")";
        }
        return words[0].equalsIgnoreCase("Bearer") ? "The Authorization header has no token after \"Bearer\""
                : "The Authorization header does not carry a bearer token (it has no \"Bearer \" before the token)";
    }

    /** Answers 401 or 403 and returns false unless the request carries the admin token. */
    private boolean authorized(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"mooring-admin\"");
            String problem = header == null || header.isBlank() ? "Missing admin token" : notBearerProblem(header.strip());
            error(exchange, 401, problem + ": send the header \"Authorization: Bearer TOKEN\"; the token is in "
                    + AdminToken.ENVIRONMENT_VARIABLE + ", the --admin-token-file, or the data directory's "
                    + AdminToken.FILE_NAME + " file");
            return false;
        }
        if (!token.matches(header.substring(7).strip())) {
            log.warn("Rejected an admin request from {} with a wrong token", exchange.getSourceAddress());
            error(exchange, 403, "Wrong admin token");
            return false;
        }
        return true;
    }

    private void route(HttpServerExchange exchange) throws UploadException {
        String path = exchange.getRequestPath();
        HttpString method = exchange.getRequestMethod();
        if (path.equals(SCRIPTS) || path.equals(SCRIPTS + "/")) {
            if (!method.equals(Methods.GET)) {
                methodNotAllowed(exchange, "GET");
                return;
            }
            listScripts(exchange);
            return;
        }
        if (!path.startsWith(SCRIPTS + "/") || path.indexOf('/', SCRIPTS.length() + 1) >= 0) {
            error(exchange, 404, "No admin endpoint at " + path + "; the endpoints are /scripts and /scripts/{name}");
            return;
        }
        String name = path.substring(SCRIPTS.length() + 1);
        ScriptUpload.checkScriptName(name);
        if (method.equals(Methods.GET)) {
            describeScript(exchange, name);
        } else if (method.equals(Methods.PUT)) {
            deployScript(exchange, name);
        } else if (method.equals(Methods.DELETE)) {
            deleteScript(exchange, name);
        } else {
            methodNotAllowed(exchange, "GET, PUT, DELETE");
        }
    }

    // ---- Endpoints ------------------------------------------------------------------------------

    private void listScripts(HttpServerExchange exchange) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode scripts = body.putArray("scripts");
        for (ScriptRegistry.Summary summary : registry.list()) {
            scripts.add(summaryJson(summary));
        }
        send(exchange, 200, body);
    }

    private void describeScript(HttpServerExchange exchange, String name) {
        ScriptRegistry.Details details = registry.describe(name).orElse(null);
        if (details == null) {
            error(exchange, 404, registry.noSuchScript(name));
            return;
        }
        ObjectNode body = summaryJson(details.summary());
        UploadForm.addVarBindings((ArrayNode) body.get("bindings"), details.version().definition().vars());
        body.put("migration_tag", details.version().migrationTag());
        body.set("versions", JSON.valueToTree(details.versions()));
        body.set("classes", classesJson(details.version().classes()));
        body.set("modules", JSON.valueToTree(details.version().definition().bundle().modules().keySet()));
        body.put("main_module", details.version().definition().bundle().mainModule());
        body.put("live_objects", details.liveObjects());
        body.set("warnings", JSON.valueToTree(details.version().warnings()));
        send(exchange, 200, body);
    }

    private void deployScript(HttpServerExchange exchange, String name) throws UploadException {
        byte[] content = readBody(exchange);
        String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        ScriptUpload upload = ScriptUpload.parse(name, contentType, content, settings.uploads());
        ScriptRegistry.Deployed deployed = registry.deploy(upload);

        ObjectNode body = JSON.createObjectNode();
        body.put("name", deployed.script());
        body.put("version", deployed.version());
        body.put("created", deployed.created());
        body.put("unchanged", deployed.unchanged());
        if (deployed.unchanged()) {
            body.put("message", "Nothing changed: the upload is identical to version " + deployed.version()
                    + ", which keeps serving; no object was reset");
        }
        body.put("migration_tag", deployed.migrationTag());
        body.set("classes", classesJson(deployed.classes()));
        body.set("warnings", JSON.valueToTree(deployed.warnings()));
        send(exchange, deployed.created() ? 201 : 200, body);
    }

    private void deleteScript(HttpServerExchange exchange, String name) {
        Deque<String> flag = exchange.getQueryParameters().get("delete_storage");
        boolean deleteStorage = flag != null && !flag.isEmpty() && "true".equals(flag.getFirst());
        if (flag != null && !flag.isEmpty() && !deleteStorage && !"false".equals(flag.getFirst())) {
            error(exchange, 400, "delete_storage must be true or false, got \"" + flag.getFirst() + "\"");
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        if (registry.delete(name, deleteStorage)) {
            body.put("deleted", name);
            body.put("storage_deleted", deleteStorage);
            send(exchange, 200, body);
            return;
        }
        // A script deleted earlier may have kept its storage, which delete_storage=true removes now.
        int namespaces = deleteStorage ? registry.deleteKeptStorage(name) : 0;
        if (namespaces <= 0) {
            error(exchange, 404, registry.noSuchScript(name));
            return;
        }
        body.put("deleted", name);
        body.put("storage_deleted", true);
        body.put("message", "No version of " + name + " was deployed; deleted the storage it had kept ("
                + Values.formatCount(namespaces, "namespace") + ")");
        send(exchange, 200, body);
    }

    // ---- Helpers --------------------------------------------------------------------------------

    /**
     * Reads the body up to one byte over the limit, so that the parser rejects an oversize body with 413.
     * A body whose declared length is over the limit gets that 413 without being read, because
     * Undertow would cut off one far over it with an error of its own. After the 413 the connection
     * stays open if Undertow can drain the body ({@link HttpFrontend#closeUnlessDrainable}).
     */
    private byte[] readBody(HttpServerExchange exchange) throws UploadException {
        long limit = settings.uploads().maxBodyBytes();
        if (exchange.getRequestContentLength() > limit) {
            HttpFrontend.closeUnlessDrainable(exchange, limit);
            throw ScriptUpload.bodyTooLarge(settings.uploads());
        }
        exchange.startBlocking();
        try (InputStream in = exchange.getInputStream()) {
            return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        } catch (IOException e) {
            throw new UploadException(UploadException.BAD_REQUEST, "Reading the upload failed: " + e.getMessage(), e);
        }
    }

    private static ObjectNode summaryJson(ScriptRegistry.Summary summary) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", summary.script());
        node.put("version", summary.version());
        node.put("deployed_at", summary.deployedAt().toString());
        ArrayNode bindings = node.putArray("bindings");
        for (DurableObjectBinding binding : summary.bindings()) {
            bindings.addObject().put("name", binding.bindingName()).put("type", "durable_object_namespace")
                    .put("class_name", binding.className());
        }
        if (summary.startFailure() != null) {
            node.put("start_failure", summary.startFailure());
        }
        return node;
    }

    private static ObjectNode classesJson(Map<String, DeployedClass> classes) {
        ObjectNode node = JSON.createObjectNode();
        classes.forEach((name, deployed) -> node.putObject(name).put("storage", deployed.storage().name().toLowerCase()));
        return node;
    }

    private static void methodNotAllowed(HttpServerExchange exchange, String allowed) {
        exchange.getResponseHeaders().put(Headers.ALLOW, allowed);
        error(exchange, 405, "Method " + exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath()
                + "; use " + allowed);
    }

    private static void error(HttpServerExchange exchange, int status, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", message);
        send(exchange, status, body);
    }

    private static void send(HttpServerExchange exchange, int status, ObjectNode body) {
        byte[] bytes;
        try {
            // A final newline keeps a shell prompt off the JSON's last line when curl prints it.
            bytes = (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Writing an admin answer as JSON failed", e);
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(bytes));
    }

    @Override
    public void close() {
        Undertow started = server;
        if (started != null) {
            started.stop();
            log.info("Admin API stopped");
        }
    }
}
