package dev.mooring.host.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.HostServices;
import dev.mooring.host.egress.EgressSettings;
import dev.mooring.host.http.HttpFrontend;
import dev.mooring.host.http.TrustedProxies;
import dev.mooring.host.objects.ScriptRuntime;
import dev.mooring.host.project.ScriptDefinition;
import dev.mooring.host.storage.LmdbStore;
import dev.mooring.sandbox.ScriptLoadException;
import dev.mooring.sandbox.Ticker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of {@link BadUploads}: the checks of an upload reject it with its status and message,
 * and the cases only the runtime can judge pass those checks and then fail when a real runtime
 * loads them.
 */
class BadUploadTest {

    @TempDir
    static Path data;

    private static HostServices services;

    @BeforeAll
    static void startServices() {
        HttpFrontend.Settings unusedHttp = new HttpFrontend.Settings("127.0.0.1", 0, 1, 1L << 20, Optional.empty(),
                TrustedProxies.NONE, true);
        services = HostServices.start(new HostServices.Settings(data, 1, Duration.ofSeconds(30), Duration.ofSeconds(10),
                LmdbStore.Options.defaults().withInitialMapSizeBytes(16L << 20), unusedHttp, Ticker.SYSTEM,
                EgressSettings.DEFAULTS));
    }

    @AfterAll
    static void stopServices() {
        services.close();
    }

    static Stream<BadUploads.Case> requestCases() {
        return BadUploads.cases().stream().filter(badUpload -> !badUpload.needsRuntime());
    }

    static Stream<BadUploads.Case> runtimeCases() {
        return BadUploads.cases().stream().filter(BadUploads.Case::needsRuntime);
    }

    /** Runs an upload through every check before the runtime, as the version after the baseline. */
    private static ScriptDefinition check(BadUploads.Case badUpload) throws UploadException {
        ScriptUpload upload = ScriptUpload.parse(badUpload.scriptName(), badUpload.contentType(), badUpload.body(),
                UploadLimits.DEFAULTS);
        MigrationResult result = upload.migrate(BadUploads.baselineClasses());
        return upload.definition(result.classes());
    }

    @Test
    void tableHasThirtyUniquelyNamedCases() {
        List<BadUploads.Case> cases = BadUploads.cases();
        Set<String> names = new HashSet<>();
        cases.forEach(badUpload -> assertTrue(names.add(badUpload.name()), "repeated case name " + badUpload.name()));
        assertTrue(cases.size() >= 30, "only " + cases.size() + " cases");
    }

    @Test
    void baselineIsAccepted() throws Exception {
        BadUploads.Upload baseline = BadUploads.baseline();
        ScriptUpload upload = ScriptUpload.parse(BadUploads.SCRIPT, baseline.contentType(), baseline.body(),
                UploadLimits.DEFAULTS);

        MigrationResult result = upload.migrate(DeployedClasses.NONE);

        assertEquals(BadUploads.baselineClasses(), result.classes());
        ScriptRuntime runtime = services.newRuntime(upload.definition(result.classes()));
        runtime.start();
        runtime.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestCases")
    void badUploadIsRejected(BadUploads.Case badUpload) {
        UploadException error = assertThrows(UploadException.class, () -> check(badUpload));

        assertTrue(error.getMessage().contains(badUpload.expectedMessagePart()), error.getMessage());
        assertEquals(badUpload.expectedStatus(), error.status(), error.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runtimeCases")
    void runtimeOnlyFaultFailsAtStart(BadUploads.Case badUpload) throws Exception {
        ScriptDefinition definition = check(badUpload);
        ScriptRuntime runtime = services.newRuntime(definition);

        ScriptLoadException error = assertThrows(ScriptLoadException.class, runtime::start);

        assertTrue(error.getMessage().contains(badUpload.expectedMessagePart()), error.getMessage());
    }
}
