// Web Crypto's RSA algorithms: RSASSA-PKCS1-v1_5 and RSA-PSS (sign and verify) and RSA-OAEP
// (encrypt and decrypt), with generateKey, and importKey and exportKey in the "spki", "pkcs8" and
// "jwk" formats. Key material and its formats are those of crypto-asymmetric.js. The JDK's
// Signature and Cipher do the RSA operations, through the host intrinsics signData,
// verifySignature and rsaOaep. The hash is part of the key, as Web Crypto defines for RSA.
(function (host, internals) {
  'use strict';

  const crypto = internals.webCrypto;
  const asymmetric = crypto.asymmetric;

  const SIGNATURE_USAGES = ['sign', 'verify'];
  const ENCRYPTION_USAGES = ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'];

  // The JWK "alg" of each variant and hash. RFC 7518 names no MD5 variant.
  const JWK_ALGORITHMS = {
    'RSASSA-PKCS1-v1_5': { 'SHA-1': 'RS1', 'SHA-256': 'RS256', 'SHA-384': 'RS384', 'SHA-512': 'RS512' },
    'RSA-PSS': { 'SHA-1': 'PS1', 'SHA-256': 'PS256', 'SHA-384': 'PS384', 'SHA-512': 'PS512' },
    'RSA-OAEP': { 'SHA-1': 'RSA-OAEP', 'SHA-256': 'RSA-OAEP-256', 'SHA-384': 'RSA-OAEP-384', 'SHA-512': 'RSA-OAEP-512' },
  };
  // The hash of every RSA "alg". Like workerd, import accepts the "alg" of any RSA variant when its hash matches.
  const JWK_HASHES = new Map();
  for (const byHash of Object.values(JWK_ALGORITHMS)) {
    for (const [hash, alg] of Object.entries(byHash)) {
      JWK_HASHES.set(alg, hash);
    }
  }

  const JWK_MEMBERS = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'];
  const CRT_MEMBERS = ['p', 'q', 'dp', 'dq', 'qi'];

  // The largest modulus Mooring generates, as Chromium and workerd limit it.
  // NOTE: the JDK generates the key in Java on the event loop, where the CPU limit cannot stop it:
  // 8,192 bits took about 8 s on a 2-core VM, and 16,384 bits take far longer.
  const MAX_MODULUS_BITS = 16384;

  function registerVariant(name, operations) {
    const allowed = name === 'RSA-OAEP' ? ENCRYPTION_USAGES : SIGNATURE_USAGES;
    crypto.register(Object.assign({
      name,

      // The checks run in workerd's order: the members' presence, the usages, then their values.
      generateKey(algorithm, extractable, keyUsages) {
        const exponent = publicExponentOf(algorithm);
        const hash = crypto.hashOf(algorithm);
        const modulusLength = modulusLengthOf(algorithm);
        crypto.usagesFor(keyUsages, allowed, 'generate', name);
        requireSupportedParameters(modulusLength, exponent);
        return asymmetric.generateKeyPair({
          name, family: 'RSA', allowed, parameter: modulusLength, exponent: exponent.slice().buffer,
          describe: (hostKey) => describe(name, hash, hostKey),
        }, extractable, keyUsages);
      },

      importKey(format, keyData, algorithm, extractable, keyUsages) {
        const hash = crypto.hashOf(algorithm);
        return asymmetric.importKey({
          name, family: 'RSA', allowed, curve: null, jwkUse: name === 'RSA-OAEP' ? 'enc' : 'sig',
          readJwk: (jwk) => readJwk(name, hash, jwk),
          describe: (hostKey) => describe(name, hash, hostKey),
        }, format, keyData, extractable, keyUsages);
      },

      exportKey(format, slots) {
        if (format === 'raw') {
          throw internals.domException(`Cannot export "${name}" in "raw" format. Use "spki", "pkcs8" or "jwk".`,
            'InvalidAccessError');
        }
        const hash = slots.algorithm.hash.name;
        const alg = JWK_ALGORITHMS[name][hash];
        if (format === 'jwk' && alg === undefined) {
          throw internals.domException(`JWK export not supported for hash algorithm "${hash}". Export the key as`
            + ` "${slots.type === 'public' ? 'spki' : 'pkcs8'}" instead.`, 'NotSupportedError');
        }
        return asymmetric.exportKey(format, slots, { kty: 'RSA', alg });
      },
    }, operations));
  }

  registerVariant('RSASSA-PKCS1-v1_5', {
    sign(algorithm, slots, data) {
      return asymmetric.sign(pkcs1Scheme(slots), slots, data);
    },

    verify(algorithm, slots, signature, data) {
      return asymmetric.verify(pkcs1Scheme(slots), slots, signature, data);
    },
  });

  registerVariant('RSA-PSS', {
    sign(algorithm, slots, data) {
      return asymmetric.sign(pssScheme(algorithm, slots), slots, data);
    },

    verify(algorithm, slots, signature, data) {
      return asymmetric.verify(pssScheme(algorithm, slots), slots, signature, data);
    },
  });

  registerVariant('RSA-OAEP', {
    encrypt(algorithm, slots, data) {
      return oaep(true, algorithm, slots, data);
    },

    decrypt(algorithm, slots, data) {
      return oaep(false, algorithm, slots, data);
    },
  });

  function describe(name, hash, hostKey) {
    return {
      name,
      modulusLength: hostKey.modulusBits,
      publicExponent: new Uint8Array(hostKey.publicExponent).slice(),
      hash: { name: hash },
    };
  }

  function publicExponentOf(algorithm) {
    if (algorithm.publicExponent === undefined) {
      throw new TypeError('Missing field "publicExponent" in "algorithm". Pass it as a Uint8Array, such as'
        + ' new Uint8Array([1, 0, 1]) for 65537.');
    }
    if (!(algorithm.publicExponent instanceof Uint8Array)) {
      throw new TypeError('The "publicExponent" of an RSA algorithm must be a Uint8Array of big-endian bytes,'
        + ' such as new Uint8Array([1, 0, 1]) for 65537.');
    }
    return algorithm.publicExponent;
  }

  function modulusLengthOf(algorithm) {
    if (algorithm.modulusLength === undefined) {
      throw new TypeError('Missing field "modulusLength" in "algorithm". Pass the key size in bits, such as 2048.');
    }
    const bits = Number(algorithm.modulusLength);
    if (!(bits > 0)) {
      throw internals.domException(`modulusLength must be greater than zero (requested ${algorithm.modulusLength}).`,
        'OperationError');
    }
    return bits;
  }

  function requireSupportedParameters(modulusLength, exponent) {
    if (!Number.isInteger(modulusLength) || modulusLength % 8 !== 0 || modulusLength < 256 || modulusLength > MAX_MODULUS_BITS) {
      throw internals.domException(`The modulus length must be a multiple of 8 and between 256 and 16k, but ${modulusLength}`
        + ' was requested. Use 2048, 3072 or 4096.', 'OperationError');
    }
    let value = 0;
    for (const byte of exponent) {
      value = value * 256 + byte;
    }
    if (value > 0xffffffff) {
      throw internals.domException('The "publicExponent" must be either 3 or 65537, but got a number larger than 2^32.',
        'OperationError');
    }
    if (value !== 3 && value !== 65537) {
      throw internals.domException(`The "publicExponent" must be either 3 or 65537, but got ${value}.`, 'OperationError');
    }
  }

  // Checks "kty" and "alg" and the members a private key needs, and returns the members to decode.
  function readJwk(name, hash, jwk) {
    asymmetric.requireJwkKeyType(jwk, 'RSA', name);
    asymmetric.requireJwkAlgorithm(jwk, JWK_HASHES, hash, 'hash algorithm');
    for (const [member, title] of [['n', 'Modulus'], ['e', 'Exponent']]) {
      if (typeof jwk[member] !== 'string') {
        throw internals.domException(`Invalid RSA key in JSON Web Key; missing or invalid ${title} parameter`
          + ` ("${member}").`, 'DataError');
      }
    }
    if (jwk.d !== undefined) {
      const present = CRT_MEMBERS.filter((member) => jwk[member] !== undefined);
      if (present.length !== 0 && present.length !== CRT_MEMBERS.length) {
        throw internals.domException('Invalid RSA private key in JSON Web Key; if one Prime Factor or CRT'
          + ' Exponent/Coefficient parameter is present, then they must all be present ("p", "q", "dp", "dq", "qi").'
          + ` This key has only ${present.map((member) => `"${member}"`).join(', ')}.`, 'DataError');
      }
    }
    return JWK_MEMBERS;
  }

  // JCA names the PKCS #1 v1.5 signature after its hash, as "SHA256withRSA".
  function pkcs1Scheme(slots) {
    return {
      keyAlgorithm: 'RSA',
      signatureAlgorithm: `${slots.algorithm.hash.name.replace('-', '')}withRSA`,
      pssHash: null,
      saltLength: 0,
    };
  }

  // RSA-PSS takes its hash from the key and its salt length, in bytes, from each call.
  function pssScheme(algorithm, slots) {
    if (typeof algorithm !== 'object' || algorithm === null || algorithm.saltLength === undefined) {
      throw new TypeError('Failed to provide salt for RSA-PSS key operation which requires a salt. Pass'
        + ' { name: "RSA-PSS", saltLength }, usually the hash length in bytes (32 for SHA-256).');
    }
    const saltLength = Number(algorithm.saltLength);
    if (!Number.isInteger(saltLength) || saltLength < 0) {
      throw internals.domException(`SaltLength for RSA-PSS must be non-negative (provided ${algorithm.saltLength}).`,
        'DataError');
    }
    return { keyAlgorithm: 'RSA', signatureAlgorithm: 'RSASSA-PSS', pssHash: slots.algorithm.hash.name, saltLength };
  }

  function oaep(encrypt, algorithm, slots, data) {
    let label = new ArrayBuffer(0);
    if (typeof algorithm === 'object' && algorithm !== null && algorithm.label !== undefined) {
      label = crypto.bufferSourceBytes(algorithm.label, encrypt ? 'encrypt' : 'decrypt',
        'The RSA-OAEP "label" must be an ArrayBuffer or an ArrayBuffer view.');
    }
    return crypto.bufferFromHost(asymmetric.hostResult(host.rsaOaep(encrypt, slots.algorithm.hash.name,
      slots.material.der, label, data)));
  }
})
