package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Edge cases of JS RPC (callbacks under concurrency, re-entry, critical sections and resets; errors
 * thrown by callbacks; large and streamed bodies; values that cannot be copied), each run end to
 * end by the JS project in {@code projects/rpc-edges}. A case responds with "ok" or the check that
 * failed, with its stack.
 */
class RpcEdgeCasesTest {

    @TempDir
    static Path data;

    private static TestHost host;

    @BeforeAll
    static void startHost() throws Exception {
        Path project = Path.of(RpcEdgeCasesTest.class.getResource("/projects/rpc-edges/wrangler.toml").toURI()).getParent();
        host = TestHost.start(project, data);
    }

    @AfterAll
    static void stopHost() throws Exception {
        host.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "manyConcurrentCallbacks", "callbackReentersReceiver", "callbackInsideCriticalSection", "callbackWaitsForCriticalSection", "concurrentCallbacksUseStorage",
        "callbackErrorsReachReceiver", "callbackValuesMustBeCopyable", "keptCallbackIsDisposed",
        "callerResetWhileReceiverHoldsCallback", "callerResetWhileCallbackRuns", "largeRequestBody", "streamedResponseResult",
        "mixedArgumentsNameUncopyableValue", "stubPassedToOtherClass",
        "receivedRpcTargetForwarded", "receivedRpcTargetNotCopied", "dupOfCallbacks",
        "callbackInReceiverCriticalSection", "requestAsCallbackArgument", "objectPassesCallbackToItself", "callbackOfWaitUntilCall",
    })
    void edgeCase(String name) throws Exception {
        HttpResponse<String> response = host.get("/case/" + name);

        assertEquals("ok", response.body(), name);
        assertEquals(200, response.statusCode());
    }
}
