// Web Crypto's algorithms on the curves of RFC 7748 and RFC 8032: Ed25519 (sign and verify) and
// X25519 (deriveBits and deriveKey), with generateKey, and importKey and exportKey in the "raw"
// (public keys only), "spki", "pkcs8" and "jwk" (kty "OKP") formats. Key material and its
// formats are those of crypto-asymmetric.js. The JDK's Ed25519 Signature and X25519
// KeyAgreement do the work; Ed25519 signatures are deterministic and take no hash.
(function (host, internals) {
  'use strict';

  const crypto = internals.webCrypto;
  const asymmetric = crypto.asymmetric;

  const JWK_MEMBERS = ['x', 'd'];
  const ED25519_SCHEME = { keyAlgorithm: 'Ed25519', signatureAlgorithm: 'Ed25519', pssHash: null, saltLength: 0 };

  registerCurve('Ed25519', ['sign', 'verify'], {
    sign(algorithm, slots, data) {
      return asymmetric.sign(ED25519_SCHEME, slots, data);
    },

    verify(algorithm, slots, signature, data) {
      return asymmetric.verify(ED25519_SCHEME, slots, signature, data);
    },
  });

  registerCurve('X25519', ['deriveKey', 'deriveBits'], {
    deriveBits(algorithm, slots, length) {
      return asymmetric.deriveSecret('X25519', slots, asymmetric.peerPublicKey(algorithm, slots), length);
    },
  });

  function registerCurve(name, allowed, operations) {
    const describe = () => ({ name });
    crypto.register(Object.assign({
      name,

      generateKey(algorithm, extractable, keyUsages) {
        return asymmetric.generateKeyPair({ name, family: name, allowed, parameter: null, exponent: null, describe },
          extractable, keyUsages);
      },

      importKey(format, keyData, algorithm, extractable, keyUsages) {
        return asymmetric.importKey({
          name, family: name, allowed, curve: null, importsRaw: true, jwkUse: name === 'X25519' ? 'enc' : 'sig',
          publicUsages: name === 'X25519' ? [] : undefined,
          readJwk: (jwk) => readJwk(name, jwk),
          describe,
        }, format, keyData, extractable, keyUsages);
      },

      exportKey(format, slots) {
        const header = name === 'Ed25519' ? { kty: 'OKP', crv: name, alg: 'EdDSA' } : { kty: 'OKP', crv: name };
        return asymmetric.exportKey(format, slots, header);
      },
    }, operations));
  }

  function readJwk(name, jwk) {
    asymmetric.requireJwkKeyType(jwk, 'OKP', name);
    if (jwk.crv === undefined) {
      throw internals.domException(`Missing field "crv" for ${name} key. Set "crv" to "${name}".`, 'DataError');
    }
    if (jwk.crv !== name) {
      throw internals.domException(`Only ${name} is supported but "${jwk.crv}" was requested. Import a "${jwk.crv}"`
        + ' key with the algorithm of that curve.', 'NotSupportedError');
    }
    if (name === 'Ed25519' && jwk.alg !== undefined && jwk.alg !== 'EdDSA') {
      throw internals.domException(`JSON Web Key Algorithm parameter "alg" ("${jwk.alg}") does not match requested`
        + ' Ed25519 curve. Use "EdDSA" or leave "alg" out.', 'DataError');
    }
    if (typeof jwk.x !== 'string') {
      throw internals.domException(`Invalid ${name} key in JSON Web Key; missing "x".`, 'DataError');
    }
    return JWK_MEMBERS;
  }
})
