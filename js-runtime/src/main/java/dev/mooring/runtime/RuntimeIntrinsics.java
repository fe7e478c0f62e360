package dev.mooring.runtime;

import dev.mooring.runtime.compression.ZlibStream;
import dev.mooring.runtime.crypto.AsymmetricIntrinsics;
import dev.mooring.runtime.crypto.SymmetricIntrinsics;
import dev.mooring.runtime.encoding.LegacyDecoder;
import dev.mooring.runtime.url.UrlComponents;
import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The pure intrinsics of the {@code host} bridge: functions with no state of their own, safe to
 * call from any context. See {@link HostFunctions} for each signature.
 */
public final class RuntimeIntrinsics {

    /** Largest {@code randomBytes} request: the Web Crypto limit for {@code getRandomValues}. */
    public static final int MAX_RANDOM_BYTES = 65_536;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** How much of a buffer {@link #indexOfBytes} copies out of JS at a time. */
    private static final int SEARCH_CHUNK_BYTES = 64 * 1024;

    private RuntimeIntrinsics() {}

    /** Returns a new mutable map of every pure intrinsic, keyed by its {@link HostFunctions} name. */
    public static Map<String, ProxyExecutable> functions() {
        Map<String, ProxyExecutable> functions = new HashMap<>();
        functions.put(HostFunctions.DIGEST, arguments -> digest(arguments[0].asString(), arguments[1]));
        functions.put(HostFunctions.HMAC, arguments -> hmac(arguments[0].asString(), arguments[1], arguments[2]));
        functions.put(HostFunctions.RANDOM_BYTES, arguments -> randomBytes(arguments[0].asInt()));
        functions.put(HostFunctions.RANDOM_UUID, arguments -> UUID.randomUUID().toString());
        functions.put(HostFunctions.DOMAIN_TO_ASCII,
                arguments -> DomainNames.toAscii(arguments[0].asString(), arguments.length > 1 && arguments[1].asBoolean()));
        functions.put(HostFunctions.DOMAIN_TO_UNICODE, arguments -> DomainNames.toUnicode(arguments[0].asString()));
        functions.put(HostFunctions.PARSE_URL, arguments -> UrlComponents.parse(
                arguments[0].asString(), arguments.length > 1 && !arguments[1].isNull() ? arguments[1].asString() : null));
        functions.put(HostFunctions.SET_URL_COMPONENT,
                arguments -> UrlComponents.set(arguments[0].asString(), arguments[1].asString(), arguments[2].asString()));
        functions.put(HostFunctions.INDEX_OF_BYTES, arguments -> (double) indexOfBytes(
                arguments[0], arguments[1].asLong(), arguments[2].asLong(), bytesOf(arguments[3])));
        functions.put(HostFunctions.OPEN_COMPRESSION,
                arguments -> ZlibStream.open(arguments[0].asBoolean(), arguments[1].asString()));
        functions.put(HostFunctions.OPEN_TEXT_DECODER,
                arguments -> LegacyDecoder.open(arguments[0].asString(), arguments[1].asBoolean()));
        SymmetricIntrinsics.addTo(functions);
        AsymmetricIntrinsics.addTo(functions);
        return functions;
    }

    /** Copies the contents of a JS {@code ArrayBuffer} into a new Java array. */
    public static byte[] bytesOf(Value buffer) {
        if (buffer == null || buffer.isNull()) {
            return new byte[0];
        }
        if (!buffer.hasBufferElements()) {
            throw new IllegalArgumentException("Expected an ArrayBuffer, got " + buffer);
        }
        byte[] bytes = new byte[Math.toIntExact(buffer.getBufferSize())];
        buffer.readBuffer(0, bytes, 0, bytes.length);
        return bytes;
    }

    /** Wraps bytes for JS: a read-only buffer that {@code new Uint8Array(...)} can view. */
    public static ByteBuffer bufferFor(byte[] bytes) {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /**
     * Returns the first offset in {@code [from, end)} of the JS ArrayBuffer {@code buffer} where
     * {@code pattern} starts, or -1. Reads the buffer in chunks that overlap by the pattern's length
     * less one, so that a match across two chunks is found.
     */
    static long indexOfBytes(Value buffer, long from, long end, byte[] pattern) {
        if (pattern.length == 0) {
            return from <= end ? from : -1;
        }
        byte[] chunk = new byte[SEARCH_CHUNK_BYTES + pattern.length - 1];
        long position = from;
        while (position + pattern.length <= end) {
            int length = (int) Math.min(chunk.length, end - position);
            buffer.readBuffer(position, chunk, 0, length);
            int lastStart = length - pattern.length;
            for (int start = 0; start <= lastStart; start++) {
                if (chunk[start] == pattern[0] && Arrays.equals(chunk, start, start + pattern.length, pattern, 0, pattern.length)) {
                    return position + start;
                }
            }
            position += lastStart + 1;
        }
        return -1;
    }

    private static ByteBuffer digest(String algorithm, Value data) {
        String javaName = requireDigestName(algorithm);
        try {
            return bufferFor(MessageDigest.getInstance(javaName).digest(bytesOf(data)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK lacks the " + javaName + " digest", e);
        }
    }

    private static ByteBuffer hmac(String hash, Value key, Value data) {
        String javaName = "Hmac" + requireDigestName(hash).replace("-", "");
        try {
            Mac mac = Mac.getInstance(javaName);
            mac.init(new SecretKeySpec(bytesOf(key), javaName));
            return bufferFor(mac.doFinal(bytesOf(data)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("The JDK cannot compute " + javaName, e);
        }
    }

    private static String requireDigestName(String algorithm) {
        return switch (algorithm) {
            case "SHA-1", "SHA-256", "SHA-384", "SHA-512", "MD5" -> algorithm;
            default -> throw new IllegalArgumentException("Unsupported digest algorithm: " + algorithm);
        };
    }

    private static ByteBuffer randomBytes(int length) {
        if (length < 0 || length > MAX_RANDOM_BYTES) {
            throw new IllegalArgumentException("randomBytes length out of range: " + length);
        }
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bufferFor(bytes);
    }
}
