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
 * A callback passed over JS RPC whose caller is stopped at its CPU limit, or evicted, while the
 * callback runs: the receiver's call of it must fail with the reason instead of waiting forever.
 * Runs cases of {@code projects/rpc-edges} with a low CPU limit or a manual clock.
 */
class RpcCallbackStopTest {

    @TempDir
    static Path data;

    private static TestHost host;

    @BeforeAll
    static void startHost() throws Exception {
        host = TestHost.start(project(), data, TestHost.Options.defaults().withCpuLimit(Duration.ofSeconds(2)));
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

    @Test
    void callerEvictedDuringCallback(@TempDir Path evictionData) throws Exception {
        ManualTicker ticker = new ManualTicker();
        TestHost.Options options = TestHost.Options.defaults().withTicker(ticker).withIdleTimeout(Duration.ofSeconds(10));
        try (TestHost evicting = TestHost.start(project(), evictionData, options)) {
            assertEquals("ok", evicting.get("/case/passCallbackBeforeEviction").body());

            ticker.advance(Duration.ofSeconds(11));
            evicting.runtime().evictIdleObjects();

            // The failure reaches the receiver as a task on its loop, which the next request may overtake.
            HttpResponse<String> outcome = evicting.get("/case/callbackOutcomeAfterEviction");
            for (int attempt = 0; attempt < 50 && !outcome.body().equals("ok"); attempt++) {
                outcome = evicting.get("/case/callbackOutcomeAfterEviction");
            }
            assertEquals("ok", outcome.body());
        }
    }

    private static Path project() throws Exception {
        return Path.of(RpcCallbackStopTest.class.getResource("/projects/rpc-edges/wrangler.toml").toURI()).getParent();
    }
}
