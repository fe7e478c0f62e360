// Web Crypto's HMAC: generateKey, importKey and exportKey in the "raw" and "jwk" formats, sign
// and verify, and a derived key's length for deriveKey. The MAC comes from the host intrinsic
// hmac, which uses the JDK's Mac. The key's material is its bytes, with the bits beyond its
// length cleared.
(function (host, internals) {
  'use strict';

  const crypto = internals.webCrypto;
  const USAGES = ['sign', 'verify'];

  // The block size of each digest in bits: the length of a generated HMAC key.
  const BLOCK_BITS = new Map([['SHA-1', 512], ['SHA-256', 512], ['SHA-384', 1024], ['SHA-512', 1024], ['MD5', 512]]);

  crypto.register({
    name: 'HMAC',

    generateKey(algorithm, extractable, keyUsages) {
      const hash = crypto.hashOf(algorithm);
      const usages = crypto.usagesFor(keyUsages, USAGES, 'generate', 'HMAC');
      const length = algorithm.length === undefined ? BLOCK_BITS.get(hash) : Number(algorithm.length);
      if (!(length > 0) || !Number.isInteger(length)) {
        throw internals.domException(`HMAC key length must be a non-zero unsigned long integer (requested ${algorithm.length}).`, 'OperationError');
      }
      const bytes = new Uint8Array(host.randomBytes(Math.ceil(length / 8))).slice();
      zeroTrailingBits(bytes, length);
      return newKey(bytes, hash, length, extractable, usages);
    },

    importKey(format, keyData, algorithm, extractable, keyUsages) {
      if (format !== 'raw' && format !== 'jwk') {
        throw internals.domException(`Unrecognized key import format "${format}". Mooring imports HMAC keys in the`
          + ' formats "raw" and "jwk", written in lowercase.', 'NotSupportedError');
      }
      const usages = crypto.usagesFor(keyUsages, USAGES, 'import secret', 'HMAC');
      const hash = crypto.hashOf(algorithm);
      const bytes = format === 'jwk' ? jwkKeyBytes(keyData, hash) : new Uint8Array(keyData);
      if (bytes.length === 0) {
        throw internals.domException('Imported HMAC key length (0) must be a non-zero value: the key data is empty.',
          'DataError');
      }
      const keyBits = bytes.length * 8;
      const length = algorithm.length === undefined ? keyBits : Number(algorithm.length);
      if (!(length > 0) || length > keyBits || length <= keyBits - 8) {
        throw internals.domException(`Imported HMAC key length (${algorithm.length === undefined ? keyBits : algorithm.length}) must be a`
          + ' non-zero value up to 7 bits less than, and no greater than, the bit length of the raw key data'
          + ` (${keyBits}).`, 'DataError');
      }
      zeroTrailingBits(bytes, length);
      return newKey(bytes, hash, length, extractable, usages);
    },

    exportKey(format, slots) {
      if (format !== 'raw' && format !== 'jwk') {
        throw internals.domException(`Unimplemented key export format "${format}". Mooring exports HMAC keys in the`
          + ' formats "raw" and "jwk", written in lowercase.', 'NotSupportedError');
      }
      const hash = slots.algorithm.hash.name;
      if (format === 'raw') {
        return slots.material.slice().buffer;
      }
      if (!hash.startsWith('SHA-')) {
        throw internals.domException(`Unimplemented JWK key export format for key algorithm "${hash}".`
          + ' Export the key as "raw" instead.', 'NotSupportedError');
      }
      return { kty: 'oct', k: crypto.base64UrlEncode(slots.material), alg: 'HS' + hash.slice(4), key_ops: slots.usages.slice(), ext: true };
    },

    sign(algorithm, slots, data) {
      return hmacOf(slots, data);
    },

    verify(algorithm, slots, signature, data) {
      return crypto.sameBytes(new Uint8Array(hmacOf(slots, data)), new Uint8Array(signature));
    },

    keyLength(derivedKeyAlgorithm) {
      if (derivedKeyAlgorithm.length === undefined) {
        return BLOCK_BITS.get(crypto.hashOf(derivedKeyAlgorithm, 'derivedKeyParams'));
      }
      const length = Number(derivedKeyAlgorithm.length);
      if (!(length > 0) || !Number.isInteger(length)) {
        throw new TypeError(`HMAC key length must be a non-zero unsigned long integer (requested ${derivedKeyAlgorithm.length}).`);
      }
      return length;
    },
  });

  function newKey(bytes, hash, length, extractable, usages) {
    return crypto.newKey('secret', { name: 'HMAC', hash: { name: hash }, length }, extractable, usages, bytes);
  }

  function hmacOf(slots, data) {
    // The key's bytes fill their own buffer, which the host only reads, so it needs no copy.
    return crypto.bufferFromHost(host.hmac(slots.algorithm.hash.name, slots.material.buffer, data));
  }

  // Clears the bits of the last byte beyond `length`, as workerd does for HMAC keys whose
  // length is not a multiple of 8.
  function zeroTrailingBits(bytes, length) {
    const extra = bytes.length * 8 - length;
    if (extra > 0) {
      bytes[bytes.length - 1] &= (0xff << extra) & 0xff;
    }
  }

  function jwkKeyBytes(jwk, hash) {
    if (jwk.kty !== 'oct') {
      throw internals.domException('HMAC "jwk" key import requires a JSON Web Key with Key Type parameter ("kty") equal'
        + ` to "oct" (encountered "${jwk.kty}").`, 'DataError');
    }
    const bytes = typeof jwk.k === 'string' ? crypto.base64UrlDecode(jwk.k) : null;
    if (bytes === null) {
      const found = jwk.k === undefined ? 'it has no "k" member' : `its "k" is ${JSON.stringify(jwk.k)}`;
      throw internals.domException(`HMAC "jwk" key import requires a base64Url encoding of the key, but ${found}.`
        + ' Give the key bytes in base64url, with - and _ and without = padding.', 'DataError');
    }
    if (jwk.alg !== undefined) {
      const expected = 'HS' + hash.slice(4);
      if (!hash.startsWith('SHA-')) {
        throw internals.domException(`Unrecognized or unimplemented hash algorithm requested ${jwk.alg}`, 'NotSupportedError');
      }
      if (jwk.alg !== expected) {
        throw internals.domException('HMAC "jwk" key import specifies "alg" that is incompatible with the hash name'
          + ` (encountered "${jwk.alg}", expected "${expected}").`, 'DataError');
      }
    }
    return bytes;
  }
})
