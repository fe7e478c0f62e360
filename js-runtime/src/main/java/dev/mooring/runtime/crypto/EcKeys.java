package dev.mooring.runtime.crypto;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys on the NIST prime curves P-256, P-384 and P-521 for ECDSA and ECDH: SPKI, PKCS#8, "raw"
 * (an X9.62 point, uncompressed or compressed) and JWK with kty "EC". Every public point is
 * checked to lie on its curve, because the JDK's key factory does not check it and ECDH with an
 * invalid point can leak the private key.
 */
public final class EcKeys implements KeyFamily {

    /** A Web Crypto curve with its JDK name and domain parameters. */
    private record Curve(String name, ECParameterSpec parameters, int byteLength) {

        BigInteger prime() {
            return ((ECFieldFp) parameters.getCurve().getField()).getP();
        }
    }

    private static final Map<String, Curve> CURVES = Map.of(
            "P-256", curve("P-256", "secp256r1"),
            "P-384", curve("P-384", "secp384r1"),
            "P-521", curve("P-521", "secp521r1"));

    @Override
    public String jcaName() {
        return "EC";
    }

    /** Generates a key pair on {@code curveName}, which the JS side has checked. */
    public ImportedKey generate(String curveName) {
        Curve curve = curveNamed(curveName);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(curve.parameters());
            KeyPair pair = generator.generateKeyPair();
            return new ImportedKey(pair.getPrivate().getEncoded(), pair.getPublic().getEncoded(), curve.name(), 0, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK cannot generate " + curve.name() + " keys", e);
        }
    }

    @Override
    public ImportedKey importDer(boolean isPrivate, byte[] der) {
        if (!isPrivate) {
            ECPublicKey key = (ECPublicKey) KeyCodec.publicKey("EC", der);
            Curve curve = curveOf(key.getParams());
            requireOnCurve(curve, key.getW());
            return new ImportedKey(key.getEncoded(), null, curve.name(), 0, null);
        }
        ECPrivateKey key = (ECPrivateKey) KeyCodec.privateKey("EC", der);
        Curve curve = curveOf(key.getParams());
        return privateKey(curve, key.getS());
    }

    @Override
    public ImportedKey importRaw(String curveName, byte[] raw) {
        Curve curve = curveNamed(curveName);
        ECPoint point = decodePoint(curve, raw);
        return new ImportedKey(encodePublic(curve, point), null, curve.name(), 0, null);
    }

    @Override
    public ImportedKey importJwk(String curveName, Map<String, byte[]> members) {
        Curve curve = curveNamed(curveName);
        for (String member : new String[] {"x", "y", "d"}) {
            byte[] value = members.get(member);
            if (value != null && value.length != curve.byteLength()) {
                throw CryptoFailure.dataError("Invalid EC key in JSON Web Key: \"" + member + "\" has " + value.length
                        + " bytes, but a " + curve.name() + " coordinate or private key has " + curve.byteLength() + ".");
            }
        }
        ECPoint point = new ECPoint(KeyCodec.unsigned(members.get("x")), KeyCodec.unsigned(members.get("y")));
        requireOnCurve(curve, point);
        if (!members.containsKey("d")) {
            return new ImportedKey(encodePublic(curve, point), null, curve.name(), 0, null);
        }
        ImportedKey key = privateKey(curve, KeyCodec.unsigned(members.get("d")));
        if (!point.equals(((ECPublicKey) KeyCodec.publicKey("EC", key.publicDer())).getW())) {
            throw CryptoFailure.dataError("Invalid EC key in JSON Web Key: the public point (\"x\", \"y\") does not"
                    + " belong to the private key \"d\".");
        }
        return key;
    }

    @Override
    public Map<String, byte[]> exportJwk(ImportedKey key) {
        Curve curve = curveNamed(key.curve());
        byte[] spki = key.isPrivate() ? key.publicDer() : key.der();
        ECPoint point = ((ECPublicKey) KeyCodec.publicKey("EC", spki)).getW();
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("x", KeyCodec.paddedBytes(point.getAffineX(), curve.byteLength()));
        members.put("y", KeyCodec.paddedBytes(point.getAffineY(), curve.byteLength()));
        if (key.isPrivate()) {
            BigInteger secret = ((ECPrivateKey) KeyCodec.privateKey("EC", key.der())).getS();
            members.put("d", KeyCodec.paddedBytes(secret, curve.byteLength()));
        }
        return members;
    }

    /** Returns the uncompressed X9.62 point (0x04, x, y) of an SPKI public key. */
    @Override
    public byte[] exportRaw(byte[] spki) {
        ECPublicKey key = (ECPublicKey) KeyCodec.publicKey("EC", spki);
        Curve curve = curveOf(key.getParams());
        int length = curve.byteLength();
        byte[] raw = new byte[1 + 2 * length];
        raw[0] = 4;
        System.arraycopy(KeyCodec.paddedBytes(key.getW().getAffineX(), length), 0, raw, 1, length);
        System.arraycopy(KeyCodec.paddedBytes(key.getW().getAffineY(), length), 0, raw, 1 + length, length);
        return raw;
    }

    private static ImportedKey privateKey(Curve curve, BigInteger secret) {
        BigInteger order = curve.parameters().getOrder();
        if (secret.signum() <= 0 || secret.compareTo(order) >= 0) {
            throw CryptoFailure.dataError("Invalid " + curve.name() + " private key: the scalar must be between 1 and"
                    + " the curve order minus 1.");
        }
        try {
            byte[] pkcs8 = KeyCodec.keyFactory("EC").generatePrivate(new ECPrivateKeySpec(secret, curve.parameters())).getEncoded();
            ECPoint publicPoint = multiply(curve, curve.parameters().getGenerator(), secret);
            return new ImportedKey(pkcs8, encodePublic(curve, publicPoint), curve.name(), 0, null);
        } catch (InvalidKeySpecException e) {
            throw CryptoFailure.dataError("Invalid " + curve.name() + " private key: " + KeyCodec.rootMessage(e));
        }
    }

    private static byte[] encodePublic(Curve curve, ECPoint point) {
        try {
            return KeyCodec.keyFactory("EC").generatePublic(new ECPublicKeySpec(point, curve.parameters())).getEncoded();
        } catch (InvalidKeySpecException e) {
            throw CryptoFailure.dataError("Invalid " + curve.name() + " public key: " + KeyCodec.rootMessage(e));
        }
    }

    // Decodes an X9.62 point: 0x04 then x and y, or 0x02/0x03 (the parity of y) then x.
    private static ECPoint decodePoint(Curve curve, byte[] raw) {
        int length = curve.byteLength();
        if (raw.length == 1 + 2 * length && raw[0] == 4) {
            ECPoint point = new ECPoint(coordinate(raw, 1, length), coordinate(raw, 1 + length, length));
            requireOnCurve(curve, point);
            return point;
        }
        if (raw.length == 1 + length && (raw[0] == 2 || raw[0] == 3)) {
            return decompress(curve, coordinate(raw, 1, length), raw[0] == 3);
        }
        throw CryptoFailure.dataError("Invalid raw " + curve.name() + " public key of " + raw.length + " bytes: expected an"
                + " uncompressed point of " + (1 + 2 * length) + " bytes starting with 0x04, or a compressed point of "
                + (1 + length) + " bytes starting with 0x02 or 0x03.");
    }

    private static BigInteger coordinate(byte[] raw, int offset, int length) {
        byte[] bytes = new byte[length];
        System.arraycopy(raw, offset, bytes, 0, length);
        return KeyCodec.unsigned(bytes);
    }

    // The square root is w^((p + 1) / 4) because p = 3 (mod 4) for all three curves.
    private static ECPoint decompress(Curve curve, BigInteger x, boolean yIsOdd) {
        BigInteger p = curve.prime();
        BigInteger w = rightHandSide(curve, x);
        BigInteger y = w.modPow(p.add(BigInteger.ONE).shiftRight(2), p);
        if (!y.multiply(y).mod(p).equals(w)) {
            throw CryptoFailure.dataError("Invalid raw " + curve.name() + " public key: the compressed point's x is not"
                    + " on the curve.");
        }
        if (y.testBit(0) != yIsOdd) {
            y = p.subtract(y);
        }
        return new ECPoint(x, y);
    }

    private static void requireOnCurve(Curve curve, ECPoint point) {
        BigInteger p = curve.prime();
        BigInteger x = point.getAffineX();
        BigInteger y = point.getAffineY();
        boolean inField = x.signum() >= 0 && x.compareTo(p) < 0 && y.signum() >= 0 && y.compareTo(p) < 0;
        if (!inField || !y.multiply(y).mod(p).equals(rightHandSide(curve, x))) {
            throw CryptoFailure.dataError("Invalid " + curve.name() + " public key: the point (x, y) is not on the curve.");
        }
    }

    // x^3 + ax + b (mod p), which is y^2 for a point on the curve.
    private static BigInteger rightHandSide(Curve curve, BigInteger x) {
        BigInteger p = curve.prime();
        return x.pow(3).add(curve.parameters().getCurve().getA().multiply(x)).add(curve.parameters().getCurve().getB()).mod(p);
    }

    /**
     * Returns {@code scalar} times {@code point} by double-and-add in affine coordinates. It finds
     * the public key of an imported private key, because the JDK has no public API for that.
     * NOTE: its time depends on the scalar, so it must never run on a secret per request; it
     * runs once per imported key.
     */
    private static ECPoint multiply(Curve curve, ECPoint point, BigInteger scalar) {
        ECPoint result = ECPoint.POINT_INFINITY;
        for (int bit = scalar.bitLength() - 1; bit >= 0; bit--) {
            result = add(curve, result, result);
            if (scalar.testBit(bit)) {
                result = add(curve, result, point);
            }
        }
        return result;
    }

    private static ECPoint add(Curve curve, ECPoint left, ECPoint right) {
        if (left.equals(ECPoint.POINT_INFINITY)) {
            return right;
        }
        if (right.equals(ECPoint.POINT_INFINITY)) {
            return left;
        }
        BigInteger p = curve.prime();
        BigInteger x1 = left.getAffineX();
        BigInteger y1 = left.getAffineY();
        BigInteger x2 = right.getAffineX();
        BigInteger y2 = right.getAffineY();
        BigInteger slope;
        if (x1.equals(x2)) {
            if (y1.add(y2).mod(p).signum() == 0) {
                return ECPoint.POINT_INFINITY;
            }
            BigInteger numerator = x1.pow(2).multiply(BigInteger.valueOf(3)).add(curve.parameters().getCurve().getA());
            slope = numerator.multiply(y1.shiftLeft(1).modInverse(p)).mod(p);
        } else {
            slope = y2.subtract(y1).multiply(x2.subtract(x1).modInverse(p)).mod(p);
        }
        BigInteger x3 = slope.pow(2).subtract(x1).subtract(x2).mod(p);
        BigInteger y3 = slope.multiply(x1.subtract(x3)).subtract(y1).mod(p);
        return new ECPoint(x3, y3);
    }

    private static Curve curveNamed(String name) {
        Curve curve = CURVES.get(name);
        if (curve == null) {
            throw new CryptoFailure("NotSupportedError", "Unrecognized or unimplemented EC curve \"" + name
                    + "\" requested. Use \"P-256\", \"P-384\" or \"P-521\".");
        }
        return curve;
    }

    private static Curve curveOf(ECParameterSpec parameters) {
        for (Curve curve : CURVES.values()) {
            ECParameterSpec known = curve.parameters();
            if (known.getOrder().equals(parameters.getOrder()) && known.getGenerator().equals(parameters.getGenerator())
                    && known.getCurve().equals(parameters.getCurve())) {
                return curve;
            }
        }
        throw new CryptoFailure("NotSupportedError", "The EC key is on a curve that Web Crypto does not support;"
                + " use a key on P-256, P-384 or P-521.");
    }

    private static Curve curve(String name, String jdkName) {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(jdkName));
            ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
            return new Curve(name, spec, (spec.getCurve().getField().getFieldSize() + 7) / 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK lacks the curve " + jdkName, e);
        }
    }
}
