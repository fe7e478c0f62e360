package dev.mooring.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests of the private helpers that encoding.js and structured-clone.js put on {@code internals},
 * which the JS test files cannot reach: the serializer's byte format, Java ByteBuffers coming from
 * the host, and host objects that must not serialize.
 */
class WebApiInternalsTest {

    private RuntimeTestContext runtime;

    @BeforeEach
    void createRuntime() {
        runtime = RuntimeTestContext.create();
    }

    @AfterEach
    void closeRuntime() {
        runtime.close();
    }

    /** Runs {@code (internals, input) => body} in the context and returns its value. */
    private Value run(String body, Object input) {
        return runtime.eval("(internals, input) => { " + body + " }").execute(runtime.internals(), input);
    }

    private Value run(String body) {
        return run(body, null);
    }

    private static byte[] bytesOf(Value uint8Array) {
        byte[] bytes = new byte[(int) uint8Array.getArraySize()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) uint8Array.getArrayElement(i).asInt();
        }
        return bytes;
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static ByteBuffer hostBuffer(byte[] bytes) {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** Asserts that running {@code body} throws a guest DOMException; returns its message. */
    private String guestDomException(String body, Object input, String expectedName) {
        PolyglotException thrown = assertThrows(PolyglotException.class, () -> run(body, input));
        assertTrue(thrown.isGuestException(), () -> "expected a JS exception, got " + thrown);
        Value error = thrown.getGuestObject();
        assertEquals(expectedName, error.getMember("name").asString(), error.getMember("message").asString());
        assertTrue(error.getMember("constructor").getMember("name").asString().equals("DOMException"));
        return error.getMember("message").asString();
    }

    // ---- serializer format

    @Test
    void serializeStartsWithFormatVersion() {
        assertEquals(1, bytesOf(run("return internals.serialize(undefined);"))[0]);
        assertTrue(run("return internals.serialize(1) instanceof Uint8Array;").asBoolean());
    }

    @Test
    void serializeWritesDocumentedTags() {
        assertArrayEquals(bytes(1, 0x01), bytesOf(run("return internals.serialize(undefined);")));
        assertArrayEquals(bytes(1, 0x02), bytesOf(run("return internals.serialize(null);")));
        assertArrayEquals(bytes(1, 0x03), bytesOf(run("return internals.serialize(false);")));
        assertArrayEquals(bytes(1, 0x04), bytesOf(run("return internals.serialize(true);")));
        // Zigzag: 1 -> 2, -1 -> 1, 300 -> 600 = 0xd8 0x04.
        assertArrayEquals(bytes(1, 0x05, 0x02), bytesOf(run("return internals.serialize(1);")));
        assertArrayEquals(bytes(1, 0x05, 0x01), bytesOf(run("return internals.serialize(-1);")));
        assertArrayEquals(bytes(1, 0x05, 0xd8, 0x04), bytesOf(run("return internals.serialize(300);")));
        assertArrayEquals(bytes(1, 0x06, 0, 0, 0, 0, 0, 0, 0, 0x80), bytesOf(run("return internals.serialize(-0);")));
        assertArrayEquals(bytes(1, 0x06, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f), bytesOf(run("return internals.serialize(1.5);")));
        assertArrayEquals(bytes(1, 0x07, 0x05, 0x01, 0x00), bytesOf(run("return internals.serialize(-256n);")));
        assertArrayEquals(bytes(1, 0x08, 0x02, 0xc3, 0xa9), bytesOf(run("return internals.serialize('\\u00e9');")));
        assertArrayEquals(bytes(1, 0x09, 0x01, 0x00, 0xd8), bytesOf(run("return internals.serialize('\\ud800');")));
    }

    @Test
    void serializeWritesObjectsAndBackReferences() {
        assertArrayEquals(
                bytes(1, 0x20, 0x08, 1, 'a', 0x05, 0x02, 0x08, 1, 'b', 0x08, 1, 'x', 0x12),
                bytesOf(run("return internals.serialize({ a: 1, b: 'x' });")));
        // [o, o]: a dense array (id 0) holding an object (id 1) and a reference to it.
        assertArrayEquals(
                bytes(1, 0x21, 0x02, 0x20, 0x12, 0x10, 0x01, 0x12),
                bytesOf(run("const o = {}; return internals.serialize([o, o]);")));
        assertArrayEquals(
                bytes(1, 0x32, 0x02, 0x01, 0x01, 0x30, 0x03, 7, 8, 9),
                bytesOf(run("return internals.serialize(new Uint8Array([7, 8, 9]).subarray(1, 2));")));
    }

    @Test
    void serializeStringsUseByteLength() {
        int length = run("return internals.serialize('x'.repeat(200)).length;").asInt();
        // version + tag + 2-byte varint + 200 bytes
        assertEquals(204, length);
        int wide = run("return internals.serialize('\\u20ac'.repeat(100)).length;").asInt();
        assertEquals(1 + 1 + 2 + 300, wide);
    }

    // ---- deserialize input kinds

    @Test
    void deserializeReadsHostByteBuffer() {
        byte[] serialized = bytesOf(run("return internals.serialize({ list: [1, 'two', 3n], when: new Date(5) });"));
        Value result = run(
                "const value = internals.deserialize(input);"
                        + "return JSON.stringify([value.list[0], value.list[1], String(value.list[2]), value.when.getTime()]);",
                hostBuffer(serialized));
        assertEquals("[1,\"two\",\"3\",5]", result.asString());
    }

    @Test
    void deserializeReadsArrayBufferAndViews() {
        assertEquals("ok", run("return internals.deserialize(internals.serialize('ok').buffer);").asString());
        assertEquals("ok", run(
                "const bytes = internals.serialize('ok'); const padded = new Uint8Array(bytes.length + 4);"
                        + "padded.set(bytes, 2); return internals.deserialize(padded.subarray(2, 2 + bytes.length));").asString());
        assertEquals("ok", run("return internals.deserialize(new DataView(internals.serialize('ok').buffer));").asString());
    }

    @Test
    void deserializeRejectsOtherInputs() {
        PolyglotException thrown = assertThrows(PolyglotException.class, () -> run("return internals.deserialize('text');"));
        assertEquals("TypeError", thrown.getGuestObject().getMember("name").asString());
    }

    @Test
    void deserializeRejectsCorruptData() {
        String[][] cases = {
            {"[]", "the data is empty"},
            {"[2, 1]", "format version 2 is not supported"},
            {"[1, 0x20, 0x08]", "the data ends in the middle of a value"},
            {"[1, 0x7f]", "unknown tag 0x7f"},
            {"[1, 0x10, 0x00]", "reference to object 0"},
            {"[1, 0x01, 0x01]", "1 bytes follow the value"},
            {"[1, 0x08, 0x05, 0x61]", "runs past the end"},
            {"[1, 0x21, 0xff, 0xff, 0x03]", "runs past the end"},
            {"[1, 0x20, 0x20, 0x12, 0x01, 0x12]", "expected a property key"},
            {"[1, 0x26, 0x08, 0x01, 0x28, 0x08, 0x00]", "invalid regular expression"},
            {"[1, 0x32, 0x02, 0x05, 0x01, 0x30, 0x02, 0, 0]", "does not fit its buffer"},
            {"[1, 0x32, 0x02, 0x00, 0x01, 0x01]", "is not an ArrayBuffer"},
            {"[1, 0x33, 0x00]", "not in the transfer list"},
            {"[1, 0x28, 0x07]", "invalid Error header"},
            {"[1, 0x05, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]", "longer than 8 bytes"},
        };
        for (String[] testCase : cases) {
            String message = guestDomException("return internals.deserialize(new Uint8Array(" + testCase[0] + "));", null, "DataCloneError");
            assertTrue(message.contains(testCase[1]), () -> testCase[0] + " gave: " + message);
        }
    }

    @Test
    void deserializeTruncatedDataNeverThrowsJavaExceptions() {
        byte[] serialized = bytesOf(run(
                "const shared = { s: 'text\\u00e9', n: -1.5 }; const e = new TypeError('t', { cause: shared });"
                        + "return internals.serialize({ shared, again: shared, e, m: new Map([[1, [shared]]]),"
                        + " v: new Float64Array([1, 2]), big: 123456789012345678901234567890n, r: /x/g });"));
        for (int length = 0; length < serialized.length; length++) {
            byte[] truncated = java.util.Arrays.copyOf(serialized, length);
            guestDomException("return internals.deserialize(input);", hostBuffer(truncated), "DataCloneError");
        }
    }

    // ---- values that do not serialize

    @Test
    void serializeRejectsHostObjects() {
        String message = guestDomException("return internals.serialize({ nested: input });", hostBuffer(new byte[4]), "DataCloneError");
        assertEquals("#<Object> could not be cloned.", message);
    }

    @Test
    void markNotSerializableUsesWorkerdMessage() {
        String message = guestDomException(
                "class WebSocket {} internals.markNotSerializable(WebSocket); return internals.serialize([new WebSocket()]);",
                null, "DataCloneError");
        assertEquals("Could not serialize object of type \"WebSocket\". This type does not support serialization.", message);
    }

    // ---- RPC data

    @Test
    void rpcCopiesRequestWithBody() {
        Value copy = run("const sent = new Request('https://example.com/a?b', { method: 'POST', headers: { 'X-A': '1' },"
                + " body: 'body text', redirect: 'manual', cf: { colo: 'T' } });"
                + "const r = internals.deserializeFromRpc(internals.serializeForRpc([sent]))[0];"
                + "return [r instanceof Request, r.method, r.url, r.headers.get('x-a'), r.redirect, r.cf.colo,"
                + " internals.decodeUtf8(internals.consumeBody(r)), sent.bodyUsed].join('|');");
        assertEquals("true|POST|https://example.com/a?b|1|manual|T|body text|true", copy.asString());
    }

    @Test
    void rpcCopiesResponseWithBody() {
        Value copy = run("const sent = new Response('response text', { status: 404, headers: { 'X-A': '2' } });"
                + "const r = internals.deserializeFromRpc(internals.serializeForRpc({ r: sent })).r;"
                + "return [r instanceof Response, r.status, r.statusText, r.headers.get('x-a'),"
                + " internals.decodeUtf8(internals.consumeBody(r))].join('|');");
        assertEquals("true|404|Not Found|2|response text", copy.asString());
    }

    @Test
    void rpcCopiesResponseEncodeBody() {
        Value copy = run("const manual = new Response('x', { encodeBody: 'manual' });"
                + "const [m, a] = internals.deserializeFromRpc(internals.serializeForRpc([manual, new Response('y')]));"
                + "return [internals.responseParts(m).manualEncoding, internals.responseParts(a).manualEncoding].join('|');");
        assertEquals("true|false", copy.asString());
    }

    @Test
    void rpcCopiesRequestEncodeResponseBody() {
        Value copy = run("const manual = new Request('https://example.com/', { encodeResponseBody: 'manual' });"
                + "const [m, a] = internals.deserializeFromRpc(internals.serializeForRpc([manual, new Request('https://example.com/')]));"
                + "return [internals.requestParts(m).manualResponseEncoding, internals.requestParts(a).manualResponseEncoding].join('|');");
        assertEquals("true|false", copy.asString());
    }

    @Test
    void rpcHeadersKeepTheirGuard() {
        Value copy = run("const sent = internals.headersFromFlat(['x-a', '1', 'x-a', '2'], true);"
                + "const h = internals.deserializeFromRpc(internals.serializeForRpc(sent));"
                + "let rejected = false; try { h.append('x-b', '3'); } catch (error) { rejected = error instanceof TypeError; }"
                + "return [h instanceof Headers, h.get('x-a'), rejected].join('|');");
        assertEquals("true|1, 2|true", copy.asString());
    }

    @Test
    void rpcStreamBodyGivesPromise() {
        Value pending = run("const stream = new ReadableStream({ start(c) { c.enqueue(new Uint8Array([1])); c.close(); } });"
                + "return internals.serializeForRpc(new Response(stream)) instanceof Promise;");
        assertTrue(pending.asBoolean());
    }

    @Test
    void rpcRejectsUsedBody() {
        PolyglotException thrown = assertThrows(PolyglotException.class, () -> run(
                "const r = new Request('https://example.com/', { method: 'POST', body: 'x' });"
                        + "internals.consumeBody(r); return internals.serializeForRpc(r);"));
        assertEquals("TypeError", thrown.getGuestObject().getMember("name").asString());
        assertEquals("The ReadableStream has been locked to a reader.", thrown.getGuestObject().getMember("message").asString());
    }

    @Test
    void rpcExportsFunctionsOnlyForCallArguments() {
        Value exported = run("const exports = []; const f = () => 1;"
                + "const bytes = internals.serializeForRpc([f, { again: f }], exports);"
                + "return [exports.length, exports[0] === f, bytes instanceof Uint8Array].join('|');");
        assertEquals("2|true|true", exported.asString());
        String message = guestDomException("return internals.serializeForRpc([() => 1]);", null, "DataCloneError");
        assertEquals("() => 1 could not be cloned.", message);
    }

    @Test
    void rpcCallbackNeedsChannel() {
        String message = guestDomException(
                "return internals.deserializeFromRpc(internals.serializeForRpc([() => 1], []));", null, "DataCloneError");
        assertTrue(message.contains("outside the arguments of an RPC call"), message);
    }

    @Test
    void storageDataRejectsRpcTags() {
        String message = guestDomException(
                "return internals.deserialize(internals.serializeForRpc(new Response('x')));", null, "DataCloneError");
        assertTrue(message.contains("tag 0x42 at offset 1 is valid only in RPC data"), message);
    }

    // ---- encoding helpers

    @Test
    void utf8HelpersRoundTrip() {
        String text = "h\u00e9llo \u20ac \uD83D\uDE00";
        byte[] encoded = bytesOf(run("return internals.utf8Encode(input);", text));
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), encoded);
        assertEquals(text, run("return internals.utf8Decode(internals.utf8Encode(input));", text).asString());
    }

    @Test
    void utf8DecodeKeepsBomAndReplacesInvalidBytes() {
        assertEquals("\uFEFFa\uFFFD", run("return internals.utf8Decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0xff]));").asString());
        assertArrayEquals(bytes(0xef, 0xbf, 0xbd), bytesOf(run("return internals.utf8Encode('\\ud800');")));
    }

    @Test
    void base64HelpersRoundTrip() {
        for (int length : new int[] {0, 1, 2, 3, 4, 1000, 65536}) {
            byte[] data = new byte[length];
            for (int i = 0; i < length; i++) {
                data[i] = (byte) (i * 31 + 7);
            }
            String expected = java.util.Base64.getEncoder().encodeToString(data);
            String encoded = run("return internals.base64Encode(internals.asUint8Array(input));", hostBuffer(data)).asString();
            assertEquals(expected, encoded, "length " + length);
            assertArrayEquals(data, bytesOf(run("return internals.base64Decode(input);", encoded)), "length " + length);
        }
    }

    @Test
    void base64DecodeRejectsInvalidText() {
        String message = guestDomException("return internals.base64Decode('abc$');", null, "InvalidCharacterError");
        assertTrue(message.startsWith("The string is not valid base64"), message);
    }

    @Test
    void textDecoderReadsHostByteBuffer() {
        byte[] data = "gr\u00fc\u00df".getBytes(StandardCharsets.UTF_8);
        assertEquals("gr\u00fc\u00df", run("return new TextDecoder().decode(input);", hostBuffer(data)).asString());
        assertEquals(data.length, run("return internals.asUint8Array(input).length;", hostBuffer(data)).asInt());
    }

    @Test
    void legacyTextDecoderReadsHostByteBuffer() throws Exception {
        byte[] data = "日本語".getBytes("windows-31j");
        assertEquals("日本語", run("return new TextDecoder('shift_jis').decode(input);", hostBuffer(data)).asString());
    }

    @Test
    void asUint8ArrayReturnsUndefinedForOtherValues() {
        assertTrue(run("return internals.asUint8Array({ length: 2 });").isNull());
        assertTrue(run("return internals.asUint8Array('text');").isNull());
    }
}
