package dev.mooring.runtime.crypto;

import java.math.BigInteger;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RSA keys for RSASSA-PKCS1-v1_5, RSA-PSS and RSA-OAEP, which share one key format: SPKI and
 * PKCS#8 with the rsaEncryption OID, and JWK with kty "RSA".
 */
public final class RsaKeys implements KeyFamily {

    @Override
    public String jcaName() {
        return "RSA";
    }

    /** Generates a key pair; the JS side has checked the modulus length and exponent. */
    public ImportedKey generate(int modulusLength, byte[] publicExponent) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(new RSAKeyGenParameterSpec(modulusLength, KeyCodec.unsigned(publicExponent)));
            KeyPair pair = generator.generateKeyPair();
            return describe(pair.getPrivate().getEncoded(), pair.getPublic().getEncoded(), (RSAPublicKey) pair.getPublic());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK lacks RSA key generation", e);
        } catch (InvalidAlgorithmParameterException e) {
            throw CryptoFailure.operationError("RSA key generation failed for a " + modulusLength
                    + "-bit modulus: " + KeyCodec.rootMessage(e));
        }
    }

    @Override
    public ImportedKey importDer(boolean isPrivate, byte[] der) {
        if (!isPrivate) {
            RSAPublicKey key = (RSAPublicKey) KeyCodec.publicKey("RSA", der);
            return describe(key.getEncoded(), null, key);
        }
        PrivateKey key = KeyCodec.privateKey("RSA", der);
        // NOTE: the JDK keeps no public exponent for a key without CRT parameters, so the PKCS#8
        // export of a JWK imported with only "n", "e" and "d" cannot be imported again.
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw CryptoFailure.dataError("RSA PKCS8 import requires the public exponent and the CRT parameters in the"
                    + " private key; export the key with all its parameters (as OpenSSL does by default).");
        }
        RSAPublicKey publicKey = publicKeyOf(crt.getModulus(), crt.getPublicExponent());
        return describe(key.getEncoded(), publicKey.getEncoded(), publicKey);
    }

    @Override
    public ImportedKey importRaw(String curve, byte[] raw) {
        throw new CryptoFailure("InvalidAccessError", "RSA keys have no \"raw\" format; import them as \"spki\","
                + " \"pkcs8\" or \"jwk\".");
    }

    @Override
    public ImportedKey importJwk(String curve, Map<String, byte[]> members) {
        BigInteger modulus = KeyCodec.unsigned(members.get("n"));
        BigInteger exponent = KeyCodec.unsigned(members.get("e"));
        RSAPublicKey publicKey = publicKeyOf(modulus, exponent);
        if (!members.containsKey("d")) {
            return describe(publicKey.getEncoded(), null, publicKey);
        }
        // The JS side has checked that "p", "q", "dp", "dq" and "qi" come all together or not at all.
        KeySpec privateSpec = members.containsKey("p")
                ? new RSAPrivateCrtKeySpec(modulus, exponent, KeyCodec.unsigned(members.get("d")),
                        KeyCodec.unsigned(members.get("p")), KeyCodec.unsigned(members.get("q")),
                        KeyCodec.unsigned(members.get("dp")), KeyCodec.unsigned(members.get("dq")),
                        KeyCodec.unsigned(members.get("qi")))
                : new RSAPrivateKeySpec(modulus, KeyCodec.unsigned(members.get("d")));
        try {
            PrivateKey privateKey = KeyCodec.keyFactory("RSA").generatePrivate(privateSpec);
            return describe(privateKey.getEncoded(), publicKey.getEncoded(), publicKey);
        } catch (InvalidKeySpecException e) {
            throw CryptoFailure.dataError("Invalid RSA private key in JSON Web Key: " + KeyCodec.rootMessage(e));
        }
    }

    @Override
    public Map<String, byte[]> exportJwk(ImportedKey key) {
        Map<String, byte[]> members = new LinkedHashMap<>();
        if (!key.isPrivate()) {
            RSAPublicKey publicKey = (RSAPublicKey) KeyCodec.publicKey("RSA", key.der());
            members.put("n", KeyCodec.unsignedBytes(publicKey.getModulus()));
            members.put("e", KeyCodec.unsignedBytes(publicKey.getPublicExponent()));
            return members;
        }
        RSAPrivateKey privateKey = (RSAPrivateKey) KeyCodec.privateKey("RSA", key.der());
        RSAPublicKey publicKey = (RSAPublicKey) KeyCodec.publicKey("RSA", key.publicDer());
        members.put("n", KeyCodec.unsignedBytes(publicKey.getModulus()));
        members.put("e", KeyCodec.unsignedBytes(publicKey.getPublicExponent()));
        members.put("d", KeyCodec.unsignedBytes(privateKey.getPrivateExponent()));
        if (privateKey instanceof RSAPrivateCrtKey crt) {
            members.put("p", KeyCodec.unsignedBytes(crt.getPrimeP()));
            members.put("q", KeyCodec.unsignedBytes(crt.getPrimeQ()));
            members.put("dp", KeyCodec.unsignedBytes(crt.getPrimeExponentP()));
            members.put("dq", KeyCodec.unsignedBytes(crt.getPrimeExponentQ()));
            members.put("qi", KeyCodec.unsignedBytes(crt.getCrtCoefficient()));
        }
        return members;
    }

    @Override
    public byte[] exportRaw(byte[] spki) {
        throw new CryptoFailure("InvalidAccessError", "RSA keys have no \"raw\" format; export them as \"spki\","
                + " \"pkcs8\" or \"jwk\".");
    }

    private static RSAPublicKey publicKeyOf(BigInteger modulus, BigInteger exponent) {
        try {
            return (RSAPublicKey) KeyCodec.keyFactory("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
        } catch (InvalidKeySpecException e) {
            throw CryptoFailure.dataError("Invalid RSA public key: " + KeyCodec.rootMessage(e));
        }
    }

    private static ImportedKey describe(byte[] der, byte[] publicDer, RSAPublicKey publicKey) {
        return new ImportedKey(der, publicDer, null, publicKey.getModulus().bitLength(),
                KeyCodec.unsignedBytes(publicKey.getPublicExponent()));
    }
}
