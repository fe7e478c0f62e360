package dev.mooring.runtime.crypto;

/**
 * A parsed and re-encoded asymmetric key, as the JS side stores it.
 *
 * @param der the key's canonical DER: SPKI for a public key, PKCS#8 for a private key
 * @param publicDer the SPKI of the matching public key, or null for a public key, which needs none
 * @param curve the Web Crypto name of an EC key's curve ("P-256"), else null
 * @param modulusBits an RSA key's modulus length in bits, else 0
 * @param publicExponent an RSA key's public exponent as unsigned big-endian bytes, else null
 */
public record ImportedKey(byte[] der, byte[] publicDer, String curve, int modulusBits, byte[] publicExponent) {

    static ImportedKey ofPublic(byte[] spki) {
        return new ImportedKey(spki, null, null, 0, null);
    }

    static ImportedKey ofPrivate(byte[] pkcs8, byte[] spki) {
        return new ImportedKey(pkcs8, spki, null, 0, null);
    }

    boolean isPrivate() {
        return publicDer != null;
    }
}
