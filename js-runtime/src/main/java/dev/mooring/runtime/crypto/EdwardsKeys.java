package dev.mooring.runtime.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ed25519 (signatures) and X25519 (key agreement) keys: SPKI, PKCS#8, "raw" (the 32-byte public
 * key of RFC 8032 or RFC 7748) and JWK with kty "OKP". Both curves' keys have fixed DER prefixes
 * (RFC 8410), so "raw" and JWK keys become DER by prefixing and are then parsed by the JDK.
 */
public final class EdwardsKeys implements KeyFamily {

    private static final int KEY_LENGTH = 32;

    /** Ed25519 keys, whose private key is the 32-byte seed of RFC 8032. */
    public static final EdwardsKeys ED25519 = new EdwardsKeys("Ed25519", NamedParameterSpec.ED25519, "2b6570");

    /** X25519 keys, whose private key is the 32-byte scalar of RFC 7748. */
    public static final EdwardsKeys X25519 = new EdwardsKeys("X25519", NamedParameterSpec.X25519, "2b656e");

    private final String name;
    private final NamedParameterSpec parameters;
    private final byte[] spkiPrefix;
    private final byte[] pkcs8Prefix;

    private EdwardsKeys(String name, NamedParameterSpec parameters, String oidHex) {
        this.name = name;
        this.parameters = parameters;
        // SEQUENCE { SEQUENCE { OID }, BIT STRING (0 unused bits) }
        this.spkiPrefix = HexFormat.of().parseHex("302a3005" + "0603" + oidHex + "032100");
        // SEQUENCE { INTEGER 0, SEQUENCE { OID }, OCTET STRING { OCTET STRING } }
        this.pkcs8Prefix = HexFormat.of().parseHex("302e020100" + "3005" + "0603" + oidHex + "04220420");
    }

    @Override
    public String jcaName() {
        return name;
    }

    public ImportedKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(name);
            generator.initialize(parameters);
            KeyPair pair = generator.generateKeyPair();
            return ImportedKey.ofPrivate(pair.getPrivate().getEncoded(), pair.getPublic().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK cannot generate " + name + " keys", e);
        }
    }

    @Override
    public ImportedKey importDer(boolean isPrivate, byte[] der) {
        if (!isPrivate) {
            return ImportedKey.ofPublic(KeyCodec.publicKey(name, der).getEncoded());
        }
        return privateKey(privateBytes(KeyCodec.privateKey(name, der)));
    }

    @Override
    public ImportedKey importRaw(String curve, byte[] raw) {
        requireKeyLength(raw, name + " raw keys");
        return ImportedKey.ofPublic(KeyCodec.publicKey(name, concat(spkiPrefix, raw)).getEncoded());
    }

    @Override
    public ImportedKey importJwk(String curve, Map<String, byte[]> members) {
        byte[] publicBytes = members.get("x");
        requireKeyLength(publicBytes, name + " \"jwk\" public keys (\"x\")");
        if (!members.containsKey("d")) {
            return importRaw(curve, publicBytes);
        }
        byte[] privateBytes = members.get("d");
        requireKeyLength(privateBytes, name + " \"jwk\" private keys (\"d\")");
        ImportedKey key = privateKey(privateBytes);
        if (!Arrays.equals(rawOf(key.publicDer()), publicBytes)) {
            throw CryptoFailure.dataError("Invalid " + name + " key in JSON Web Key: the public key \"x\" does not"
                    + " belong to the private key \"d\".");
        }
        return key;
    }

    @Override
    public Map<String, byte[]> exportJwk(ImportedKey key) {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("x", rawOf(key.isPrivate() ? key.publicDer() : key.der()));
        if (key.isPrivate()) {
            members.put("d", privateBytes(KeyCodec.privateKey(name, key.der())));
        }
        return members;
    }

    @Override
    public byte[] exportRaw(byte[] spki) {
        return rawOf(spki);
    }

    // The JDK derives the public key only while generating a pair, from the 32 random bytes it
    // reads, so a generator that reads `privateBytes` as its random bytes yields their public key.
    private ImportedKey privateKey(byte[] privateBytes) {
        SecureRandom fixedBytes = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(privateBytes, 0, bytes, 0, bytes.length);
            }
        };
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(name);
            generator.initialize(parameters, fixedBytes);
            KeyPair pair = generator.generateKeyPair();
            if (!Arrays.equals(privateBytes(pair.getPrivate()), privateBytes)) {
                throw new IllegalStateException("The JDK's " + name + " generator did not use the given private key");
            }
            byte[] pkcs8 = KeyCodec.privateKey(name, concat(pkcs8Prefix, privateBytes)).getEncoded();
            return ImportedKey.ofPrivate(pkcs8, pair.getPublic().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK cannot make " + name + " keys", e);
        }
    }

    private byte[] privateBytes(PrivateKey key) {
        byte[] bytes = key instanceof EdECPrivateKey edwards ? edwards.getBytes().orElse(null)
                : key instanceof XECPrivateKey montgomery ? montgomery.getScalar().orElse(null) : null;
        if (bytes == null || bytes.length != KEY_LENGTH) {
            throw CryptoFailure.dataError("Invalid " + name + " private key: expected a 32-byte private key.");
        }
        return bytes;
    }

    // A parsed SPKI of these curves is always the fixed prefix followed by the 32-byte key.
    private byte[] rawOf(byte[] spki) {
        return Arrays.copyOfRange(spki, spki.length - KEY_LENGTH, spki.length);
    }

    private static void requireKeyLength(byte[] bytes, String description) {
        if (bytes.length != KEY_LENGTH) {
            throw CryptoFailure.dataError(description + " must be exactly 32 bytes (provided " + bytes.length + ").");
        }
    }

    private static byte[] concat(byte[] prefix, byte[] rest) {
        byte[] joined = Arrays.copyOf(prefix, prefix.length + rest.length);
        System.arraycopy(rest, 0, joined, prefix.length, rest.length);
        return joined;
    }
}
