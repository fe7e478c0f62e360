package dev.mooring.runtime.crypto;

import static dev.mooring.runtime.RuntimeIntrinsics.bufferFor;
import static dev.mooring.runtime.RuntimeIntrinsics.bytesOf;

import dev.mooring.runtime.HostFunctions;
import java.nio.ByteBuffer;
import java.util.Map;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The host intrinsics of Web Crypto's symmetric ciphers ({@link AesCipher}) and key derivations
 * ({@link KeyDerivation}). Each argument is an ArrayBuffer except the digest name and the lengths
 * in bits or bytes that {@link HostFunctions} lists. A decryption whose input fails its check
 * returns null, for the JS side to raise Web Crypto's OperationError.
 */
public final class SymmetricIntrinsics {

    private SymmetricIntrinsics() {}

    /** Adds every symmetric intrinsic to {@code functions}. */
    public static void addTo(Map<String, ProxyExecutable> functions) {
        functions.put(HostFunctions.AES_GCM_ENCRYPT, arguments -> bufferFor(AesCipher.gcmEncrypt(
                bytesOf(arguments[0]), bytesOf(arguments[1]), bytesOf(arguments[2]), arguments[3].asInt(), bytesOf(arguments[4]))));
        functions.put(HostFunctions.AES_GCM_DECRYPT, arguments -> bufferOrNull(AesCipher.gcmDecrypt(
                bytesOf(arguments[0]), bytesOf(arguments[1]), bytesOf(arguments[2]), arguments[3].asInt(), bytesOf(arguments[4]))));
        functions.put(HostFunctions.AES_CBC_ENCRYPT, arguments -> bufferFor(AesCipher.cbcEncrypt(
                bytesOf(arguments[0]), bytesOf(arguments[1]), bytesOf(arguments[2]))));
        functions.put(HostFunctions.AES_CBC_DECRYPT, arguments -> bufferOrNull(AesCipher.cbcDecrypt(
                bytesOf(arguments[0]), bytesOf(arguments[1]), bytesOf(arguments[2]))));
        functions.put(HostFunctions.AES_CTR, arguments -> bufferFor(AesCipher.ctr(
                bytesOf(arguments[0]), bytesOf(arguments[1]), arguments[2].asInt(), bytesOf(arguments[3]))));
        functions.put(HostFunctions.AES_KW_WRAP, arguments -> bufferFor(AesCipher.kwWrap(bytesOf(arguments[0]), bytesOf(arguments[1]))));
        functions.put(HostFunctions.AES_KW_UNWRAP, arguments -> bufferOrNull(AesCipher.kwUnwrap(bytesOf(arguments[0]), bytesOf(arguments[1]))));
        functions.put(HostFunctions.PBKDF2, arguments -> bufferFor(KeyDerivation.pbkdf2(arguments[0].asString(),
                bytesOf(arguments[1]), bytesOf(arguments[2]), arguments[3].asInt(), arguments[4].asInt())));
        functions.put(HostFunctions.HKDF, arguments -> bufferFor(KeyDerivation.hkdf(arguments[0].asString(),
                bytesOf(arguments[1]), bytesOf(arguments[2]), bytesOf(arguments[3]), arguments[4].asInt())));
    }

    private static ByteBuffer bufferOrNull(byte[] bytes) {
        return bytes == null ? null : bufferFor(bytes);
    }
}
