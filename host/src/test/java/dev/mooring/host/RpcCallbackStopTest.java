package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A callback passed over JS RPC whose caller is stopped at its CPU limit while the callback runs:
 * the receiver's call of it must fail with the reason instead of waiting forever. Runs the cases
 * of {@code projects/rpc-edges} with a low CPU limit.
 */
class RpcCallbackStopTest {

    @TempDir
    static Path data;

    private static TestHost host;

    @BeforeAll
    static void startHost() throws Exception {
        Path project = Path.of(RpcCallbackStopTest.class.getResource("/projects/rpc-edges/wrangler.toml").toURI()).getParent();
        host = TestHost.start(project, data, TestHost.Options.defaults().withCpuLimit(Duration.ofSeconds(2)));
    }

    @AfterAll
    static void stopHost() throws Exception {
        host.close();
    }

    @Test
    void objectStoppedDuringCallback() throws Exception {
        HttpResponse<String> response = host.get("/case/objectStoppedDuringCallback");

        assertEquals("ok", response.body());
    }

    @Test
    void workerStoppedDuringCallback() throws Exception {
        HttpResponse<String> stopped = host.get("/case/workerStoppedDuringCallback");
        assertEquals(500, stopped.statusCode());
        assertTrue(stopped.body().contains("CPU time limit"), stopped.body());

        HttpResponse<String> outcome = host.get("/case/workerCallbackOutcome");

        assertEquals("ok", outcome.body());
    }
}
