package dev.mooring.runtime.crypto;

import static dev.mooring.runtime.RuntimeIntrinsics.bufferFor;
import static dev.mooring.runtime.RuntimeIntrinsics.bytesOf;

import dev.mooring.runtime.HostFunctions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The host intrinsics of Web Crypto's asymmetric algorithms, which adapt JS values to {@link
 * KeyFamily} and {@link KeyOperations}. {@link HostFunctions} lists each signature. A rejected
 * input does not throw into JS, because a guest cannot read a host exception's message: the
 * function returns the string "Name: message" instead, for the JS side to raise as a DOMException
 * of that name. No successful result is a string.
 */
public final class AsymmetricIntrinsics {

    private static final RsaKeys RSA = new RsaKeys();
    private static final EcKeys EC = new EcKeys();
    private static final Map<String, KeyFamily> FAMILIES = Map.of(
            "RSA", RSA, "EC", EC, "Ed25519", EdwardsKeys.ED25519, "X25519", EdwardsKeys.X25519);

    private AsymmetricIntrinsics() {}

    /** Adds every asymmetric intrinsic to {@code functions}. */
    public static void addTo(Map<String, ProxyExecutable> functions) {
        functions.put(HostFunctions.GENERATE_KEY_PAIR, reporting(arguments -> keyObject(generate(arguments))));
        functions.put(HostFunctions.IMPORT_KEY_DER, reporting(arguments -> keyObject(importDer(arguments))));
        functions.put(HostFunctions.IMPORT_KEY_JWK, reporting(arguments -> keyObject(family(arguments[0])
                .importJwk(stringOrNull(arguments[1]), jwkMembers(arguments[2])))));
        functions.put(HostFunctions.EXPORT_KEY_JWK, reporting(arguments -> jwkObject(family(arguments[0])
                .exportJwk(storedKey(arguments[1], arguments[2], arguments[3])))));
        functions.put(HostFunctions.EXPORT_KEY_RAW, reporting(arguments -> bufferFor(family(arguments[0])
                .exportRaw(bytesOf(arguments[1])))));
        functions.put(HostFunctions.SIGN_DATA, reporting(arguments -> bufferFor(KeyOperations.sign(
                scheme(arguments), bytesOf(arguments[4]), bytesOf(arguments[5])))));
        functions.put(HostFunctions.VERIFY_SIGNATURE, reporting(arguments -> KeyOperations.verify(
                scheme(arguments), bytesOf(arguments[4]), bytesOf(arguments[5]), bytesOf(arguments[6]))));
        functions.put(HostFunctions.RSA_OAEP, reporting(arguments -> bufferFor(KeyOperations.rsaOaep(
                arguments[0].asBoolean(), arguments[1].asString(), bytesOf(arguments[2]), bytesOf(arguments[3]),
                bytesOf(arguments[4])))));
        functions.put(HostFunctions.AGREE_SECRET, reporting(arguments -> bufferFor(KeyOperations.agree(
                arguments[0].asString(), bytesOf(arguments[1]), bytesOf(arguments[2])))));
    }

    private static ProxyExecutable reporting(Function<Value[], Object> function) {
        return arguments -> {
            try {
                return function.apply(arguments);
            } catch (CryptoFailure failure) {
                return failure.domExceptionName() + ": " + failure.getMessage();
            }
        };
    }

    private static ImportedKey generate(Value[] arguments) {
        String family = arguments[0].asString();
        return switch (family) {
            case "RSA" -> RSA.generate(arguments[1].asInt(), bytesOf(arguments[2]));
            case "EC" -> EC.generate(arguments[1].asString());
            case "Ed25519" -> EdwardsKeys.ED25519.generate();
            case "X25519" -> EdwardsKeys.X25519.generate();
            default -> throw new IllegalArgumentException("Unknown key family " + family);
        };
    }

    private static ImportedKey importDer(Value[] arguments) {
        KeyFamily family = family(arguments[0]);
        String format = arguments[1].asString();
        byte[] bytes = bytesOf(arguments[2]);
        return switch (format) {
            case "spki" -> family.importDer(false, bytes);
            case "pkcs8" -> family.importDer(true, bytes);
            case "raw" -> family.importRaw(stringOrNull(arguments[3]), bytes);
            default -> throw new IllegalArgumentException("Unknown key format " + format);
        };
    }

    private static KeyOperations.SignatureScheme scheme(Value[] arguments) {
        return new KeyOperations.SignatureScheme(arguments[0].asString(), arguments[1].asString(),
                stringOrNull(arguments[2]), arguments[3].asInt());
    }

    private static KeyFamily family(Value name) {
        KeyFamily family = FAMILIES.get(name.asString());
        if (family == null) {
            throw new IllegalArgumentException("Unknown key family " + name);
        }
        return family;
    }

    // The key as the JS side stores it: its DER, the public key's SPKI for a private key, and an EC key's curve.
    private static ImportedKey storedKey(Value der, Value publicDer, Value curve) {
        return new ImportedKey(bytesOf(der), publicDer.isNull() ? null : bytesOf(publicDer), stringOrNull(curve), 0, null);
    }

    private static Map<String, byte[]> jwkMembers(Value object) {
        Map<String, byte[]> members = new HashMap<>();
        for (String name : object.getMemberKeys()) {
            members.put(name, bytesOf(object.getMember(name)));
        }
        return members;
    }

    private static ProxyObject keyObject(ImportedKey key) {
        Map<String, Object> members = new HashMap<>();
        members.put("der", bufferFor(key.der()));
        members.put("publicDer", key.publicDer() == null ? null : bufferFor(key.publicDer()));
        members.put("curve", key.curve());
        members.put("modulusBits", key.modulusBits());
        members.put("publicExponent", key.publicExponent() == null ? null : bufferFor(key.publicExponent()));
        return ProxyObject.fromMap(members);
    }

    private static ProxyObject jwkObject(Map<String, byte[]> members) {
        Map<String, Object> buffers = new LinkedHashMap<>();
        members.forEach((name, bytes) -> buffers.put(name, bufferFor(bytes)));
        return ProxyObject.fromMap(buffers);
    }

    private static String stringOrNull(Value value) {
        return value == null || value.isNull() ? null : value.asString();
    }
}
