package dev.mooring.runtime;

import java.util.List;

/**
 * Names of the members of the {@code host} bridge object that runtime files call. This class is
 * the contract between the JS files and the Java side: the sandbox must provide every name in
 * {@link #ALL}, and a runtime file may call no other member.
 *
 * <p>Binary data crosses the boundary as an {@code ArrayBuffer} from JS to Java (read with {@code
 * Value.readBuffer}) and as a read-only {@link java.nio.ByteBuffer} from Java to JS (wrap it with
 * {@code new Uint8Array(buffer)} and copy it with {@code slice()} before keeping it).
 */
public final class HostFunctions {

    // Pure intrinsics, implemented in this module by RuntimeIntrinsics.

    /** {@code digest(algorithm, data: ArrayBuffer) -> ByteBuffer}: SHA-1, SHA-256, SHA-384, SHA-512 or MD5. */
    public static final String DIGEST = "digest";

    /**
     * {@code hmac(hash, key: ArrayBuffer, data: ArrayBuffer) -> ByteBuffer}: HMAC with SHA-1,
     * SHA-256, SHA-384, SHA-512 or MD5.
     */
    public static final String HMAC = "hmac";

    /**
     * {@code aesGcmEncrypt(key, iv, additionalData, tagLength, data) -> ByteBuffer}: AES-GCM
     * ciphertext followed by a tag of {@code tagLength} bits (32, 64 or 96 to 128 in steps of 8).
     * Every argument but {@code tagLength} is an ArrayBuffer.
     */
    public static final String AES_GCM_ENCRYPT = "aesGcmEncrypt";

    /**
     * {@code aesGcmDecrypt(key, iv, additionalData, tagLength, data) -> ByteBuffer | null}: the
     * plaintext of AES-GCM data that ends with its tag, or null when the tag does not match.
     */
    public static final String AES_GCM_DECRYPT = "aesGcmDecrypt";

    /** {@code aesCbcEncrypt(key, iv, data) -> ByteBuffer}: AES-CBC with PKCS#7 padding and a 16-byte iv. */
    public static final String AES_CBC_ENCRYPT = "aesCbcEncrypt";

    /** {@code aesCbcDecrypt(key, iv, data) -> ByteBuffer | null}: null when the length or the padding is invalid. */
    public static final String AES_CBC_DECRYPT = "aesCbcDecrypt";

    /**
     * {@code aesCtr(key, counter, counterLength, data) -> ByteBuffer}: AES-CTR, which encrypts and
     * decrypts alike, with the rightmost {@code counterLength} bits of the 16-byte counter block
     * as the counter. The data must not have more blocks than the counter has values.
     */
    public static final String AES_CTR = "aesCtr";

    /** {@code aesKwWrap(key, data) -> ByteBuffer}: AES-KW (RFC 3394) of a multiple of 8 bytes, at least 16. */
    public static final String AES_KW_WRAP = "aesKwWrap";

    /** {@code aesKwUnwrap(key, data) -> ByteBuffer | null}: null when the integrity check fails. */
    public static final String AES_KW_UNWRAP = "aesKwUnwrap";

    /**
     * {@code pbkdf2(hash, password, salt, iterations, length) -> ByteBuffer}: {@code length} bytes
     * of PBKDF2 with HMAC over {@code hash}, a digest name as {@code digest} takes.
     */
    public static final String PBKDF2 = "pbkdf2";

    /**
     * {@code hkdf(hash, key, salt, info, length) -> ByteBuffer}: {@code length} bytes of HKDF with
     * HMAC over {@code hash}, at most 255 times the digest length.
     */
    public static final String HKDF = "hkdf";

    // Asymmetric keys (dev.mooring.runtime.crypto.AsymmetricIntrinsics). A key object is {der,
    // publicDer, curve, modulusBits, publicExponent}: the key's SPKI or PKCS#8, the public SPKI of
    // a private key (else null), an EC key's curve, and an RSA key's modulus bits and exponent.
    // Each returns the string "Name: message" when it rejects its input, for a DOMException.

    /**
     * {@code generateKeyPair(family, parameter, publicExponent) -> key object} of the private key:
     * family "RSA" (parameter: modulus bits), "EC" (parameter: curve), "Ed25519" or "X25519".
     */
    public static final String GENERATE_KEY_PAIR = "generateKeyPair";

    /** {@code importKeyDer(family, format, bytes: ArrayBuffer, curve) -> key object}: format "spki", "pkcs8" or "raw". */
    public static final String IMPORT_KEY_DER = "importKeyDer";

    /** {@code importKeyJwk(family, curve, members) -> key object}: members maps JWK names to their decoded ArrayBuffers. */
    public static final String IMPORT_KEY_JWK = "importKeyJwk";

    /** {@code exportKeyJwk(family, der, publicDer, curve) -> object}: JWK member names to ByteBuffers of their bytes. */
    public static final String EXPORT_KEY_JWK = "exportKeyJwk";

    /** {@code exportKeyRaw(family, spki) -> ByteBuffer}: an EC point (uncompressed) or a 32-byte OKP public key. */
    public static final String EXPORT_KEY_RAW = "exportKeyRaw";

    /**
     * {@code signData(keyAlgorithm, signatureAlgorithm, pssHash, saltLength, pkcs8, data) -> ByteBuffer}:
     * JCA names, such as "EC" and "SHA256withECDSAinP1363Format"; pssHash is null except for RSASSA-PSS.
     */
    public static final String SIGN_DATA = "signData";

    /** {@code verifySignature(keyAlgorithm, signatureAlgorithm, pssHash, saltLength, spki, signature, data) -> boolean}. */
    public static final String VERIFY_SIGNATURE = "verifySignature";

    /** {@code rsaOaep(encrypt, hash, der, label, data) -> ByteBuffer}: SPKI to encrypt, PKCS#8 to decrypt. */
    public static final String RSA_OAEP = "rsaOaep";

    /** {@code agreeSecret(keyAlgorithm, pkcs8, peerSpki) -> ByteBuffer}: ECDH ("EC") or X25519 shared secret. */
    public static final String AGREE_SECRET = "agreeSecret";

    /** {@code randomBytes(length) -> ByteBuffer}: bytes from a cryptographically strong generator. */
    public static final String RANDOM_BYTES = "randomBytes";

    /** {@code randomUUID() -> string}: a version 4 UUID in lowercase. */
    public static final String RANDOM_UUID = "randomUUID";

    /**
     * {@code domainToAscii(domain, beStrict) -> string | null}: UTS #46 ToASCII as the URL Standard's
     * "domain to ASCII" uses it, or null when the domain is invalid.
     */
    public static final String DOMAIN_TO_ASCII = "domainToAscii";

    /** {@code domainToUnicode(domain) -> string}: UTS #46 ToUnicode, for {@code URL.domainToUnicode}-style output. */
    public static final String DOMAIN_TO_UNICODE = "domainToUnicode";

    /**
     * {@code parseUrl(input, base: string | null) -> string | null}: the WHATWG URL parser. Returns
     * the URL's getter values joined by a separator, as {@link dev.mooring.runtime.url.UrlComponents}
     * describes, or null when the input or the base is not a valid URL string.
     */
    public static final String PARSE_URL = "parseUrl";

    /**
     * {@code setUrlComponent(href, name, value) -> string}: applies the URL setter {@code name}
     * (such as "pathname") to the URL with this href and returns the result encoded as {@code
     * parseUrl} does. The name "query" sets the query from a serialized URLSearchParams list.
     */
    public static final String SET_URL_COMPONENT = "setUrlComponent";

    /**
     * {@code indexOfBytes(buffer: ArrayBuffer, from, end, pattern: ArrayBuffer) -> number}: the first
     * offset in {@code [from, end)} of {@code buffer} where {@code pattern} starts, or -1. A loop
     * over a Uint8Array in JS boxes each byte while it runs interpreted, so scanning a large upload
     * for a multipart boundary in JS costs tens of bytes of garbage per byte.
     */
    public static final String INDEX_OF_BYTES = "indexOfBytes";

    /**
     * {@code openCompression(compress, format) -> ZlibStream}: a Java object that compresses
     * ({@code compress} true) or decompresses "gzip", "deflate" or "deflate-raw" data, with the
     * methods that {@link dev.mooring.runtime.compression.ZlibStream} exports.
     */
    public static final String OPEN_COMPRESSION = "openCompression";

    /**
     * {@code openTextDecoder(encoding, fatal) -> LegacyDecoder}: a Java object that decodes a legacy
     * encoding of the Encoding Standard, named as {@code TextDecoder.encoding} gives it (such as
     * "shift_jis"), with the method that {@link dev.mooring.runtime.encoding.LegacyDecoder} exports.
     */
    public static final String OPEN_TEXT_DECODER = "openTextDecoder";

    // Host-bound functions, implemented by the sandbox for the context's event loop.

    /**
     * {@code scheduleTimer(timerId, delayMs) -> boolean}: run {@code internals.fireTimer(timerId)}
     * after the delay; false when timers are not allowed now (outside any event, such as in
     * top-level module code).
     */
    public static final String SCHEDULE_TIMER = "scheduleTimer";

    /** {@code cancelTimer(timerId)}: forget a scheduled timer; unknown ids are ignored. */
    public static final String CANCEL_TIMER = "cancelTimer";

    /** {@code log(level, message)}: write a console line to the host log; level is debug, info, warn or error. */
    public static final String LOG = "log";

    /**
     * {@code outboundFetch(method, url, headers, body, redirect, encodeResponseBody, settle)}: send an HTTP request from
     * guest code's {@code fetch()} to the network, within the host's egress policy. {@code url} is
     * an absolute http: or https: URL; {@code headers} is a flat {@code [name0, value0, ...]} list;
     * {@code body} is an ArrayBuffer or null; {@code redirect} is "follow" (the host follows
     * redirects) or "manual" (the host returns a redirect response as it is); {@code
     * encodeResponseBody} is "automatic" (the host decodes a body whose Content-Encoding is
     * exactly gzip, and leaves the header) or "manual" (the body stays as the server sent it). The host calls
     * {@code settle} once, later, as a task of its own:
     * <ul>
     *   <li>{@code settle("ok", status, statusText, headers, body, url, redirected)}: statusText
     *       is null for the standard reason phrase, headers a flat list, body a ByteBuffer or
     *       null, url the final URL without fragment, redirected whether a redirect was followed;
     *   <li>{@code settle("error", errorName, message)}: errorName is "Error" or "TypeError".
     * </ul>
     * Called outside any event, the host may call {@code settle} with an error before returning.
     *
     * <p>Returns a function {@code cancel()} for an aborted {@code AbortSignal}: it stops the
     * request and closes its connection, and the host then never calls {@code settle}. Calling it
     * after {@code settle} has run does nothing. The host may return null instead when it has
     * already called {@code settle}.
     */
    public static final String OUTBOUND_FETCH = "outboundFetch";

    /**
     * {@code outboundWebSocket(url, headers, protocols, settle)}: open a WebSocket from guest
     * code's {@code fetch()} with {@code Upgrade: websocket} or {@code new WebSocket()}, within the
     * egress policy, as {@link #OUTBOUND_FETCH} sends a request. {@code url} is an absolute http:
     * or https: URL, {@code headers} a flat list, {@code protocols} the subprotocols to offer (an
     * array, maybe empty). The host calls {@code settle} once, later:
     * <ul>
     *   <li>{@code settle("open", endId, protocol)}: the server switched protocols; endId is a
     *       WebSocket end as {@code WebSocketPair} makes them, not yet accepted, and protocol the
     *       subprotocol the server chose, or "";
     *   <li>{@code settle("ok", ...)} and {@code settle("error", ...)} as for {@link #OUTBOUND_FETCH},
     *       when the server responded without switching protocols or the handshake failed.
     * </ul>
     * Returns a cancel function as {@link #OUTBOUND_FETCH} does.
     */
    public static final String OUTBOUND_WEB_SOCKET = "outboundWebSocket";

    /**
     * {@code hostObjectSample}: not a function but an empty Java object, which {@link
     * RuntimeScripts#install} adds. Every Java object that reaches JS has its prototype, so the
     * runtime recognizes a Java {@code ByteBuffer} by it.
     */
    public static final String HOST_OBJECT_SAMPLE = "hostObjectSample";

    /** Every pure intrinsic, which {@code RuntimeIntrinsics} provides. */
    public static final List<String> PURE = List.of(
            DIGEST, HMAC, AES_GCM_ENCRYPT, AES_GCM_DECRYPT, AES_CBC_ENCRYPT, AES_CBC_DECRYPT, AES_CTR, AES_KW_WRAP,
            AES_KW_UNWRAP, PBKDF2, HKDF, GENERATE_KEY_PAIR, IMPORT_KEY_DER, IMPORT_KEY_JWK, EXPORT_KEY_JWK, EXPORT_KEY_RAW,
            SIGN_DATA, VERIFY_SIGNATURE, RSA_OAEP, AGREE_SECRET, RANDOM_BYTES, RANDOM_UUID, DOMAIN_TO_ASCII,
            DOMAIN_TO_UNICODE, PARSE_URL, SET_URL_COMPONENT, INDEX_OF_BYTES, OPEN_COMPRESSION, OPEN_TEXT_DECODER);

    private HostFunctions() {}
}
