package dev.mooring.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fetch conversion functions on {@code internals}, called from Java with the value types the
 * host passes: header lists wrapped in {@link ProxyArray}, read-only {@link ByteBuffer} bodies and
 * host nulls.
 */
class FetchHostConversionTest {

    private RuntimeTestContext runtime;

    @BeforeEach
    void createRuntime() {
        runtime = RuntimeTestContext.create();
    }

    @AfterEach
    void closeRuntime() {
        runtime.close();
    }

    private Value internal(String name) {
        return runtime.internals().getMember(name);
    }

    private static byte[] bytesOf(Value arrayBuffer) {
        return RuntimeIntrinsics.bytesOf(arrayBuffer);
    }

    @Test
    void newRequestReadsByteBufferAndProxyArray() {
        byte[] payload = "h\u00e9llo".getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = RuntimeIntrinsics.bufferFor(payload);
        ProxyArray headers = headerList("Content-Type", "text/plain", "X-Multi", "a", "x-multi", "b");

        Value request = internal("newRequest").execute("POST", "https://example.com/in", headers, body, null);

        assertTrue(internal("isRequest").execute(request).asBoolean());
        assertEquals("POST", request.getMember("method").asString());
        assertEquals("a, b", request.getMember("headers").invokeMember("get", "x-multi").asString());
        assertTrue(request.getMember("cf").isNull());
        Value text = runtime.await(request.invokeMember("text"));
        assertEquals("h\u00e9llo", text.asString());
    }

    @Test
    void newRequestKeepsNoAliasToHostBuffer() {
        byte[] payload = {1, 2, 3};
        Value request = internal("newRequest").execute("PUT", "https://example.com/", headerList(), ByteBuffer.wrap(payload), null);

        payload[0] = 9;

        Value parts = internal("requestParts").execute(request);
        assertArrayEquals(new byte[] {1, 2, 3}, bytesOf(parts.getMember("body")));
    }

    @Test
    void requestPartsGivesArrayBufferAndFlatHeaders() {
        Value request = runtime.eval("new Request('https://example.com/x', {method: 'POST', "
                + "headers: {'X-B': '2', 'Set-Cookie': 'a=1'}, body: 'data'})");

        Value parts = internal("requestParts").execute(request);

        assertEquals("POST", parts.getMember("method").asString());
        assertEquals("https://example.com/x", parts.getMember("url").asString());
        assertEquals(List.of("content-type", "text/plain;charset=UTF-8", "set-cookie", "a=1", "x-b", "2"), stringsOf(parts.getMember("headers")));
        assertTrue(parts.getMember("body").hasBufferElements());
        assertArrayEquals("data".getBytes(StandardCharsets.UTF_8), bytesOf(parts.getMember("body")));
        assertTrue(request.getMember("bodyUsed").asBoolean());
    }

    @Test
    void requestPartsOfNullBodyIsNull() {
        Value parts = internal("requestParts").execute(runtime.eval("new Request('https://example.com/')"));
        assertTrue(parts.getMember("body").isNull());
    }

    @Test
    void newResponseReadsByteBuffer() {
        ByteBuffer body = RuntimeIntrinsics.bufferFor("ok".getBytes(StandardCharsets.UTF_8));

        Value response = internal("newResponse").execute(201, null, headerList("X-A", "1"), body, null);

        assertTrue(internal("isResponse").execute(response).asBoolean());
        assertEquals(201, response.getMember("status").asInt());
        assertEquals("Created", response.getMember("statusText").asString());
        assertEquals("1", response.getMember("headers").invokeMember("get", "x-a").asString());
        assertEquals("ok", runtime.await(response.invokeMember("text")).asString());
    }

    @Test
    void newResponseAcceptsHostWebSocketObject() {
        Value webSocket = runtime.eval("({ kind: 'server end' })");

        Value response = internal("newResponse").execute(101, null, headerList(), null, webSocket);
        Value parts = internal("responseParts").execute(response);

        assertEquals(101, parts.getMember("status").asInt());
        assertTrue(parts.getMember("body").isNull());
        assertEquals("server end", parts.getMember("webSocket").getMember("kind").asString());
    }

    @Test
    void responsePartsGivesArrayBuffer() {
        Value response = runtime.eval("new Response(new Uint8Array([0, 255, 7]), {status: 202, statusText: 'Later'})");

        Value parts = internal("responseParts").execute(response);

        assertEquals(202, parts.getMember("status").asInt());
        assertEquals("Later", parts.getMember("statusText").asString());
        assertArrayEquals(new byte[] {0, (byte) 255, 7}, bytesOf(parts.getMember("body")));
        assertTrue(parts.getMember("webSocket").isNull());
    }

    /** encodeBody has no property, so the parts the host reads are where it shows. */
    @Test
    void responsePartsCarryEncodeBody() {
        Map<String, Boolean> cases = new LinkedHashMap<>();
        cases.put("new Response('x')", false);
        cases.put("new Response('x', { encodeBody: 'automatic' })", false);
        cases.put("new Response('x', { encodeBody: 'manual' })", true);
        cases.put("new Response('y', new Response('x', { encodeBody: 'manual' }))", true);
        cases.put("new Response('x', { encodeBody: 'manual' }).clone()", true);
        cases.put("Response.json({}, new Response('x', { encodeBody: 'manual' }))", true);
        cases.put("Response.json({}, { encodeBody: 'manual' })", true);
        for (Map.Entry<String, Boolean> entry : cases.entrySet()) {
            Value parts = internal("responseParts").execute(runtime.eval(entry.getKey()));
            assertEquals(entry.getValue(), parts.getMember("manualEncoding").asBoolean(), entry.getKey());
        }
    }

    @Test
    void newResponseTakesManualEncoding() {
        Value manual = internal("newResponse").execute(200, null, headerList(), null, null, "", false, true);
        Value automatic = internal("newResponse").execute(200, null, headerList(), null, null, "", false);

        assertTrue(internal("responseParts").execute(manual).getMember("manualEncoding").asBoolean());
        assertFalse(internal("responseParts").execute(automatic).getMember("manualEncoding").asBoolean());
    }

    @Test
    void requestPartsCarryEncodeResponseBody() {
        Map<String, Boolean> cases = new LinkedHashMap<>();
        cases.put("new Request('https://example.com/')", false);
        cases.put("new Request('https://example.com/', { encodeResponseBody: 'manual' })", true);
        cases.put("new Request(new Request('https://example.com/', { encodeResponseBody: 'manual' }))", true);
        cases.put("new Request('https://example.com/b', new Request('https://example.com/', { encodeResponseBody: 'manual' }))",
                true);
        cases.put("new Request('https://example.com/', { encodeResponseBody: 'manual' }).clone()", true);
        for (Map.Entry<String, Boolean> entry : cases.entrySet()) {
            Value parts = internal("requestParts").execute(runtime.eval(entry.getKey()));
            assertEquals(entry.getValue(), parts.getMember("manualResponseEncoding").asBoolean(), entry.getKey());
        }
    }

    @Test
    void responsePartsRejectsNonResponse() {
        PolyglotException error = assertThrows(PolyglotException.class,
                () -> internal("responseParts").execute(runtime.eval("({status: 200})")));

        assertTrue(error.isGuestException());
        assertEquals("TypeError: Incorrect type for Promise: the Promise did not resolve to 'Response'.", error.getMessage());
    }

    @Test
    void newRequestExplainsPlainJavaList() {
        PolyglotException error = assertThrows(PolyglotException.class,
                () -> internal("newRequest").execute("GET", "https://example.com/", List.of("a", "1"), null, null));

        assertTrue(error.isGuestException());
        assertTrue(error.getMessage().contains("a JS array or a ProxyArray"), error.getMessage());
    }

    @Test
    void isRequestAndIsResponseRejectHostValues() {
        assertFalse(internal("isRequest").execute(List.of()).asBoolean());
        assertFalse(internal("isResponse").execute((Object) null).asBoolean());
    }

    private static ProxyArray headerList(String... namesAndValues) {
        return ProxyArray.fromArray((Object[]) namesAndValues);
    }

    private static List<String> stringsOf(Value array) {
        List<String> strings = new ArrayList<>();
        for (long i = 0; i < array.getArraySize(); i++) {
            strings.add(array.getArrayElement(i).asString());
        }
        return strings;
    }
}
