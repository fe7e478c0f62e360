package dev.mooring.runtime.crypto;

import java.util.Map;

/**
 * The conversions of one family of asymmetric keys (RSA, EC, or one Edwards/Montgomery curve)
 * between the import formats of Web Crypto and the DER that the JS side stores. Every method
 * rejects bad key data with a {@link CryptoFailure}.
 */
public interface KeyFamily {

    /** The JCA name of the family's keys, as {@link java.security.KeyFactory} takes it. */
    String jcaName();

    /** Parses PKCS#8 (when {@code isPrivate}) or SPKI bytes, and derives a private key's public key. */
    ImportedKey importDer(boolean isPrivate, byte[] der);

    /** Parses a "raw" public key on {@code curve} (null where the family has one curve). */
    ImportedKey importRaw(String curve, byte[] raw);

    /**
     * Builds a key from the decoded members of a JWK (such as "n" and "e", or "x", "y" and "d"),
     * as a private key when "d" is present. {@code curve} is the requested curve or null.
     */
    ImportedKey importJwk(String curve, Map<String, byte[]> members);

    /** Returns the JWK members, undecoded, of a key: the public ones, and the private ones for a private key. */
    Map<String, byte[]> exportJwk(ImportedKey key);

    /** Returns the "raw" form of a public key, given its SPKI. */
    byte[] exportRaw(byte[] spki);
}
