// Web Crypto's elliptic curve algorithms on P-256, P-384 and P-521: ECDSA (sign and verify) and
// ECDH (deriveBits and deriveKey), with generateKey, and importKey and exportKey in the "raw"
// (public keys only), "spki", "pkcs8" and "jwk" formats. Key material and its formats are those
// of crypto-asymmetric.js. ECDSA signatures are r || s of fixed size (IEEE P1363), as Web Crypto
// and JWS define them, never DER.
(function (host, internals) {
  'use strict';

  const crypto = internals.webCrypto;
  const asymmetric = crypto.asymmetric;

  const CURVES = ['P-256', 'P-384', 'P-521'];

  // The curve of each JWS "alg" for ECDSA keys (RFC 7518).
  const JWK_CURVES = new Map([['ES256', 'P-256'], ['ES384', 'P-384'], ['ES512', 'P-521']]);

  const JWK_MEMBERS = ['x', 'y', 'd'];

  registerCurveAlgorithm('ECDSA', ['sign', 'verify'], {
    sign(algorithm, slots, data) {
      return asymmetric.sign(ecdsaScheme(algorithm), slots, data);
    },

    verify(algorithm, slots, signature, data) {
      return asymmetric.verify(ecdsaScheme(algorithm), slots, signature, data);
    },
  });

  registerCurveAlgorithm('ECDH', ['deriveKey', 'deriveBits'], {
    deriveBits(algorithm, slots, length) {
      const peer = asymmetric.peerPublicKey(algorithm, slots);
      if (peer.algorithm.namedCurve !== slots.algorithm.namedCurve) {
        throw internals.domException(`Private key for derivation is using curve "${slots.algorithm.namedCurve}"`
          + ` while public key is using "${peer.algorithm.namedCurve}". Use two keys on the same curve.`,
          'InvalidAccessError');
      }
      return asymmetric.deriveSecret('EC', slots, peer, length);
    },
  });

  function registerCurveAlgorithm(name, allowed, operations) {
    crypto.register(Object.assign({
      name,

      generateKey(algorithm, extractable, keyUsages) {
        const curve = namedCurveOf(algorithm);
        return asymmetric.generateKeyPair({
          name, family: 'EC', allowed, parameter: curve, exponent: null,
          describe: () => ({ name, namedCurve: curve }),
        }, extractable, keyUsages);
      },

      importKey(format, keyData, algorithm, extractable, keyUsages) {
        const curve = namedCurveOf(algorithm);
        return asymmetric.importKey({
          name, family: 'EC', allowed, curve, importsRaw: true, jwkUse: name === 'ECDH' ? 'enc' : 'sig',
          publicUsages: name === 'ECDH' ? [] : undefined,
          readJwk: (jwk) => readJwk(name, curve, jwk),
          describe: (hostKey) => describeImported(name, curve, hostKey),
        }, format, keyData, extractable, keyUsages);
      },

      exportKey(format, slots) {
        return asymmetric.exportKey(format, slots, { kty: 'EC', crv: slots.algorithm.namedCurve });
      },
    }, operations));
  }

  function namedCurveOf(algorithm) {
    if (algorithm.namedCurve === undefined) {
      throw new TypeError('Missing field "namedCurve" in "algorithm". Use "P-256", "P-384" or "P-521".');
    }
    const curve = `${algorithm.namedCurve}`;
    if (!CURVES.includes(curve)) {
      throw internals.domException(`Unrecognized or unimplemented EC curve "${curve}" requested. Use "P-256",`
        + ' "P-384" or "P-521".', 'NotSupportedError');
    }
    return curve;
  }

  // The curve of the key data must be the requested one, because the key's algorithm names it.
  function describeImported(name, curve, hostKey) {
    if (hostKey.curve !== curve) {
      throw internals.domException(`"algorithm.namedCurve" "${curve}" does not match the curve specified by the input`
        + ` key data ("${hostKey.curve}"). Import the key with namedCurve "${hostKey.curve}".`, 'DataError');
    }
    return { name, namedCurve: curve };
  }

  function readJwk(name, curve, jwk) {
    if (jwk.kty !== 'EC') {
      throw internals.domException('Elliptic curve "jwk" key import requires a JSON Web Key with Key Type parameter'
        + ` "kty" equal to "EC" (found "${jwk.kty}").`, 'DataError');
    }
    if (jwk.crv !== undefined && jwk.crv !== curve) {
      throw internals.domException(`The JSON Web Key's "crv" ("${jwk.crv}") does not match the requested namedCurve`
        + ` "${curve}".`, 'DataError');
    }
    if (name === 'ECDSA') {
      asymmetric.requireJwkAlgorithm(jwk, JWK_CURVES, curve, 'curve');
    }
    for (const member of ['x', 'y']) {
      if (typeof jwk[member] !== 'string') {
        throw internals.domException(`Invalid EC key in JSON Web Key; missing "${member}".`, 'DataError');
      }
    }
    return JWK_MEMBERS;
  }

  // ECDSA takes its hash from each call, not from the key, for historical reasons.
  function ecdsaScheme(algorithm) {
    if (typeof algorithm !== 'object' || algorithm === null || algorithm.hash === undefined) {
      throw new TypeError('Missing "hash" in AlgorithmIdentifier. ECDSA takes the hash at each call, such as'
        + ' { name: "ECDSA", hash: "SHA-256" }.');
    }
    const hash = crypto.hashOf(algorithm);
    if (hash === 'MD5') {
      throw internals.domException('ECDSA does not support the hash MD5. Use SHA-256, SHA-384 or SHA-512.',
        'NotSupportedError');
    }
    return {
      keyAlgorithm: 'EC',
      signatureAlgorithm: `${hash.replace('-', '')}withECDSAinP1363Format`,
      pssHash: null,
      saltLength: 0,
    };
  }
})
