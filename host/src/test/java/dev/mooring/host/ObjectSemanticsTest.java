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
 * Durable Object behaviour cases (storage order and limits, transactions, gates, IDs, stubs,
 * JS RPC, resets), each run end to end by the JS project in {@code projects/semantics}. A case answers
 * "ok" or the check that failed, with its stack.
 */
class ObjectSemanticsTest {

    @TempDir
    static Path data;

    private static TestHost host;

    @BeforeAll
    static void startHost() throws Exception {
        Path project = Path.of(ObjectSemanticsTest.class.getResource("/projects/semantics/wrangler.toml").toURI()).getParent();
        host = TestHost.start(project, data);
    }

    @AfterAll
    static void stopHost() throws Exception {
        host.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "listReverseLimit", "listRanges", "listPrefix", "utf8Order", "getMany", "deleteReturns", "undefinedValues",
        "structuredRoundTrip", "keyValueLimits", "transactions", "transactionLimits", "readYourWrites",
        "ids", "eOrder", "inputGateCounter", "exceptionsAcrossStub", "coalescedWritesAndAbort",
        "rpcCallsReturnResults", "rpcErrorsReachTheCaller", "rpcPassesStubs", "rpcPassesRequests", "rpcPassesResponses", "rpcCallsBack",
        "stubIsNotThenable",
        "stubRequestLooksLikeHttp", "getWithoutKey", "acceptWebSocketTwice",
        "brokenStubFails",
        "blockConcurrencyInConstructor", "failedCriticalSectionResets", "constructorThrowRetries",
    })
    void behaviourCase(String name) throws Exception {
        HttpResponse<String> response = host.get("/case/" + name);

        assertEquals("ok", response.body(), name);
        assertEquals(200, response.statusCode());
    }
}
