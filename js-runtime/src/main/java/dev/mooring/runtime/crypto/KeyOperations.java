package dev.mooring.runtime.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.ProviderException;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * The operations with asymmetric keys: signatures, RSA-OAEP and key agreement. Keys arrive as the
 * DER that {@link KeyFamily} produced and are parsed for each call; the JS side has checked the
 * key's type, algorithm and usages.
 */
public final class KeyOperations {

    private KeyOperations() {}

    /**
     * A signature scheme: the JCA key algorithm, the JCA signature algorithm (such as
     * "SHA256withRSA", "RSASSA-PSS", "SHA256withECDSAinP1363Format" or "Ed25519"), and for
     * RSASSA-PSS the hash and salt length in bytes.
     */
    public record SignatureScheme(String keyAlgorithm, String signatureAlgorithm, String pssHash, int saltLength) {}

    public static byte[] sign(SignatureScheme scheme, byte[] pkcs8, byte[] data) {
        Signature signature = signatureFor(scheme);
        try {
            signature.initSign(KeyCodec.privateKey(scheme.keyAlgorithm(), pkcs8));
            signature.update(data);
            return signature.sign();
        } catch (InvalidKeyException | SignatureException e) {
            throw CryptoFailure.operationError(scheme.signatureAlgorithm() + " signing failed: " + KeyCodec.rootMessage(e));
        } catch (ProviderException e) {
            throw unsupportedHash(scheme, e);
        }
    }

    /** Returns whether {@code signatureBytes} signs {@code data}; a malformed signature is simply invalid. */
    public static boolean verify(SignatureScheme scheme, byte[] spki, byte[] signatureBytes, byte[] data) {
        Signature signature = signatureFor(scheme);
        try {
            signature.initVerify(KeyCodec.publicKey(scheme.keyAlgorithm(), spki));
            signature.update(data);
            return signature.verify(signatureBytes);
        } catch (SignatureException e) {
            return false;
        } catch (InvalidKeyException e) {
            throw CryptoFailure.operationError(scheme.signatureAlgorithm() + " verification failed: " + KeyCodec.rootMessage(e));
        } catch (ProviderException e) {
            throw unsupportedHash(scheme, e);
        }
    }

    // The JDK's RSASSA-PSS rejects MD5 only when it first digests, with a ProviderException.
    private static CryptoFailure unsupportedHash(SignatureScheme scheme, ProviderException e) {
        return new CryptoFailure("NotSupportedError", scheme.signatureAlgorithm() + " failed: " + e.getMessage()
                + ". Use a key with the hash SHA-1, SHA-256, SHA-384 or SHA-512.");
    }

    /**
     * Encrypts with an SPKI public key or decrypts with a PKCS#8 private key under RSA-OAEP, with
     * {@code hash} for both the label digest and MGF1, as Web Crypto defines it.
     */
    public static byte[] rsaOaep(boolean encrypt, String hash, byte[] der, byte[] label, byte[] data) {
        OAEPParameterSpec parameters = new OAEPParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash),
                new PSource.PSpecified(label));
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            if (encrypt) {
                cipher.init(Cipher.ENCRYPT_MODE, KeyCodec.publicKey("RSA", der), parameters);
            } else {
                cipher.init(Cipher.DECRYPT_MODE, KeyCodec.privateKey("RSA", der), parameters);
            }
            return cipher.doFinal(data);
        } catch (IllegalBlockSizeException e) {
            throw CryptoFailure.operationError("RSA-OAEP " + (encrypt ? "encryption" : "decryption") + " failed: the data"
                    + " is too long for this key and hash (" + data.length + " bytes).");
        } catch (BadPaddingException e) {
            throw CryptoFailure.operationError("RSA-OAEP decryption failed: the ciphertext was not made with this key,"
                    + " hash and label.");
        } catch (InvalidKeyException | InvalidAlgorithmParameterException | ProviderException e) {
            throw CryptoFailure.operationError("RSA-OAEP failed: " + KeyCodec.rootMessage(e));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK lacks RSA-OAEP", e);
        }
    }

    /**
     * Returns the shared secret of a private key and a peer's public key: "ECDH" for EC keys (the
     * x coordinate, padded to the field size) or "X25519".
     */
    public static byte[] agree(String keyAlgorithm, byte[] pkcs8, byte[] peerSpki) {
        String agreementName = keyAlgorithm.equals("EC") ? "ECDH" : keyAlgorithm;
        try {
            KeyAgreement agreement = KeyAgreement.getInstance(agreementName);
            agreement.init(KeyCodec.privateKey(keyAlgorithm, pkcs8));
            agreement.doPhase(KeyCodec.publicKey(keyAlgorithm, peerSpki), true);
            return agreement.generateSecret();
        } catch (InvalidKeyException | IllegalStateException e) {
            throw CryptoFailure.operationError(agreementName + " key agreement failed: " + KeyCodec.rootMessage(e));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK lacks " + agreementName, e);
        }
    }

    private static Signature signatureFor(SignatureScheme scheme) {
        try {
            Signature signature = Signature.getInstance(scheme.signatureAlgorithm());
            if (scheme.pssHash() != null) {
                signature.setParameter(new PSSParameterSpec(scheme.pssHash(), "MGF1",
                        new MGF1ParameterSpec(scheme.pssHash()), scheme.saltLength(), PSSParameterSpec.TRAILER_FIELD_BC));
            }
            return signature;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK lacks the signature algorithm " + scheme.signatureAlgorithm(), e);
        } catch (InvalidAlgorithmParameterException e) {
            throw CryptoFailure.operationError("Invalid RSA-PSS parameters: " + KeyCodec.rootMessage(e));
        }
    }
}
