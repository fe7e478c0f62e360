// Web Crypto's AES algorithms: AES-GCM, AES-CBC and AES-CTR, which encrypt and decrypt (and so
// wrap and unwrap keys), and AES-KW, which only wraps and unwraps keys. Each has generateKey,
// importKey and exportKey in the "raw" and "jwk" formats, and a derived key's length for
// deriveKey. This file checks every parameter and raises Web Crypto's errors. The ciphers
// themselves come from the host intrinsics aes*, which use the JDK's Cipher. The key's material
// is its 16, 24 or 32 bytes in a Uint8Array of its own, which never leaves this file except as an
// export of an extractable key.
(function (host, internals) {
  'use strict';

  const crypto = internals.webCrypto;
  const KEY_BITS = [128, 192, 256];
  const BLOCK_BYTES = 16;
  const GCM_TAG_BITS = [32, 64, 96, 104, 112, 120, 128];
  const CIPHER_USAGES = ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'];
  const WRAP_USAGES = ['wrapKey', 'unwrapKey'];

  // Returns the registration of one AES algorithm: the key operations all four share (generate,
  // import, export and deriveKey's key length) plus its own cipher `operations`.
  function aesAlgorithm(name, usages, operations) {
    return {
      name,

      generateKey(algorithm, extractable, keyUsages) {
        const allowed = crypto.usagesFor(keyUsages, usages, 'generate', name);
        const length = lengthMember(algorithm, 'algorithm');
        if (!KEY_BITS.includes(length)) {
          throw internals.domException(`Invalid ${name} key length ${algorithm.length} requested: generateKey() makes`
            + ' AES keys of 128, 192 or 256 bits.', 'OperationError');
        }
        return newKey(name, new Uint8Array(host.randomBytes(length / 8)).slice(), extractable, allowed);
      },

      importKey(format, keyData, algorithm, extractable, keyUsages) {
        const allowed = crypto.usagesFor(keyUsages, usages, 'import secret', name);
        let bytes;
        if (format === 'raw') {
          bytes = new Uint8Array(keyData);
          requireKeyBits(bytes, name);
        } else if (format === 'jwk') {
          bytes = jwkKeyBytes(keyData, name, allowed);
        } else {
          throw internals.domException(`Unrecognized key import format "${format}". Mooring imports ${name} keys in the`
            + ' formats "raw" and "jwk", written in lowercase.', 'NotSupportedError');
        }
        return newKey(name, bytes, extractable, allowed);
      },

      exportKey(format, slots) {
        if (format === 'raw') {
          return slots.material.slice().buffer;
        }
        if (format === 'jwk') {
          return { kty: 'oct', k: crypto.base64UrlEncode(slots.material), alg: jwkAlgorithm(name, slots.material),
            key_ops: slots.usages.slice(), ext: true };
        }
        throw internals.domException(`Unrecognized key export format "${format}". Mooring exports ${name} keys in the`
          + ' formats "raw" and "jwk", written in lowercase.', 'NotSupportedError');
      },

      keyLength(derivedKeyAlgorithm) {
        const length = lengthMember(derivedKeyAlgorithm, 'derivedKeyParams');
        if (!KEY_BITS.includes(length)) {
          throw internals.domException(`Invalid derived ${name} key length ${derivedKeyAlgorithm.length}: deriveKey()`
            + ' makes AES keys of 128, 192 or 256 bits.', 'OperationError');
        }
        return length;
      },

      ...operations,
    };
  }

  crypto.register(aesAlgorithm('AES-GCM', CIPHER_USAGES, {
    encrypt(algorithm, slots, data) {
      const { iv, additionalData, tagLength } = gcmParameters(algorithm);
      return crypto.bufferFromHost(host.aesGcmEncrypt(slots.material.buffer, iv, additionalData, tagLength, data));
    },

    decrypt(algorithm, slots, data) {
      const { iv, additionalData, tagLength } = gcmParameters(algorithm);
      if (data.byteLength < tagLength / 8) {
        throw internals.domException(`AES-GCM ciphertext of ${data.byteLength * 8} bits is shorter than its`
          + ` ${tagLength}-bit tag. Pass the whole output of encrypt(), which ends with the tag.`, 'OperationError');
      }
      return decrypted(host.aesGcmDecrypt(slots.material.buffer, iv, additionalData, tagLength, data), 'AES-GCM', data,
        'the authentication tag does not match');
    },
  }));

  crypto.register(aesAlgorithm('AES-CBC', CIPHER_USAGES, {
    encrypt(algorithm, slots, data) {
      return crypto.bufferFromHost(host.aesCbcEncrypt(slots.material.buffer, cbcIv(algorithm), data));
    },

    decrypt(algorithm, slots, data) {
      return decrypted(host.aesCbcDecrypt(slots.material.buffer, cbcIv(algorithm), data), 'AES-CBC', data,
        'the PKCS#7 padding is invalid or the length is not a multiple of 16 bytes');
    },
  }));

  crypto.register(aesAlgorithm('AES-CTR', CIPHER_USAGES, {
    encrypt(algorithm, slots, data) {
      return ctr(algorithm, slots, data);
    },

    decrypt(algorithm, slots, data) {
      return ctr(algorithm, slots, data);
    },
  }));

  crypto.register(aesAlgorithm('AES-KW', WRAP_USAGES, {
    wrapKey(algorithm, slots, bytes) {
      if (bytes.byteLength % 8 !== 0 || bytes.byteLength < 16) {
        throw internals.domException(`AES-KW cannot wrap a key exported to ${bytes.byteLength} bytes: it wraps 16 bytes`
          + ' or more, in a multiple of 8. Wrap the key in the "raw" format, or wrap a "jwk" with AES-GCM.',
        'OperationError');
      }
      return crypto.bufferFromHost(host.aesKwWrap(slots.material.buffer, bytes));
    },

    unwrapKey(algorithm, slots, bytes) {
      if (bytes.byteLength % 8 !== 0 || bytes.byteLength < 24) {
        throw internals.domException(`AES-KW cannot unwrap ${bytes.byteLength} bytes: wrapped keys are 24 bytes or`
          + ' more, in a multiple of 8. Pass the whole output of wrapKey().', 'OperationError');
      }
      const unwrapped = host.aesKwUnwrap(slots.material.buffer, bytes);
      if (unwrapped === null) {
        throw internals.domException('AES-KW unwrapping failed its integrity check: the wrapped key was changed or'
          + ' the unwrapping key differs from the wrapping key.', 'OperationError');
      }
      return crypto.bufferFromHost(unwrapped);
    },
  }));

  function newKey(name, bytes, extractable, usages) {
    return crypto.newKey('secret', { name, length: bytes.length * 8 }, extractable, usages, bytes);
  }


  // Returns the plaintext from the host, or throws Web Crypto's OperationError when the host
  // returned null because the ciphertext failed its check (`reason`).
  function decrypted(hostBytes, name, data, reason) {
    if (hostBytes === null) {
      throw internals.domException(`${name} decryption of ${data.byteLength} bytes failed: ${reason}. Check that the`
        + ' key and the parameters are those used to encrypt and that the ciphertext is unchanged.', 'OperationError');
    }
    return crypto.bufferFromHost(hostBytes);
  }

  // Returns `owner.length` as an integer, or throws a TypeError when it is missing. `parameters`
  // names the argument in the message, as workerd does.
  function lengthMember(owner, parameters) {
    const length = typeof owner === 'object' && owner !== null ? owner.length : undefined;
    if (length === undefined) {
      throw new TypeError(`Missing field "length" in "${parameters}". Give the AES key length in bits: 128, 192 or 256.`);
    }
    return Number(length);
  }

  function requireKeyBits(bytes, name) {
    if (!KEY_BITS.includes(bytes.length * 8)) {
      throw internals.domException(`Invalid ${name} key data of ${bytes.length * 8} bits: an AES key has 128, 192 or`
        + ' 256 bits (16, 24 or 32 bytes).', 'DataError');
    }
  }

  function jwkAlgorithm(name, bytes) {
    return `A${bytes.length * 8}${name.slice('AES-'.length)}`;
  }

  // Returns the key bytes of a JSON Web Key after the checks RFC 7517 and RFC 7518 ask of a
  // symmetric key: "kty", "k", "alg", "use" and "key_ops".
  function jwkKeyBytes(jwk, name, usages) {
    if (jwk.kty !== 'oct') {
      throw internals.domException(`Invalid "kty" ${JSON.stringify(jwk.kty)} in the JSON Web Key for ${name}: an AES`
        + ' key needs "kty": "oct".', 'DataError');
    }
    const bytes = typeof jwk.k === 'string' ? crypto.base64UrlDecode(jwk.k) : null;
    if (bytes === null) {
      const found = jwk.k === undefined ? 'it has no "k" member' : `its "k" is ${JSON.stringify(jwk.k)}`;
      throw internals.domException(`The JSON Web Key for ${name} needs the key bytes in "k", but ${found}.`
        + ' Give them in base64url, with - and _ and without = padding.', 'DataError');
    }
    requireKeyBits(bytes, name);
    const expected = jwkAlgorithm(name, bytes);
    if (jwk.alg !== undefined && jwk.alg !== expected) {
      throw internals.domException(`Invalid "alg" ${JSON.stringify(jwk.alg)} in the JSON Web Key: a ${bytes.length * 8}-bit`
        + ` ${name} key has "alg" "${expected}" or none.`, 'DataError');
    }
    if (usages.length > 0 && jwk.use !== undefined && jwk.use !== 'enc') {
      throw internals.domException(`Invalid "use" ${JSON.stringify(jwk.use)} in the JSON Web Key: an ${name} key has`
        + ' "use" "enc" or none.', 'DataError');
    }
    if (jwk.key_ops !== undefined) {
      if (!Array.isArray(jwk.key_ops)) {
        throw new TypeError(`The JSON Web Key's "key_ops" is ${JSON.stringify(jwk.key_ops)}, but it must be an array`
          + ' of strings such as ["encrypt", "decrypt"].');
      }
      requireKeyOperations(jwk.key_ops.map((operation) => `${operation}`), usages);
    }
    return bytes;
  }

  function requireKeyOperations(operations, usages) {
    const repeated = operations.find((operation, index) => operations.indexOf(operation) !== index);
    if (repeated !== undefined) {
      throw internals.domException(`The JSON Web Key lists "${repeated}" twice in "key_ops". List each operation once.`,
        'DataError');
    }
    const missing = usages.find((usage) => !operations.includes(usage));
    if (missing !== undefined) {
      throw internals.domException(`The usage "${missing}" is not in the JSON Web Key's "key_ops"`
        + ` (${JSON.stringify(operations)}). Request only usages that "key_ops" lists.`, 'DataError');
    }
  }

  function gcmParameters(algorithm) {
    const iv = crypto.algorithmBytes(algorithm, 'iv');
    if (iv.byteLength === 0) {
      throw internals.domException('AES-GCM iv is empty. Pass a new iv of at least one byte for each encryption,'
        + ' usually 12 random bytes.', 'OperationError');
    }
    const additionalData = crypto.algorithmBytes(algorithm, 'additionalData', true);
    const tagLength = algorithm.tagLength === undefined ? 128 : Number(algorithm.tagLength);
    if (!GCM_TAG_BITS.includes(tagLength)) {
      throw internals.domException(`Invalid AES-GCM tagLength ${algorithm.tagLength}. Use 32, 64, 96, 104, 112, 120`
        + ' or 128 bits, or leave it out for 128.', 'OperationError');
    }
    return { iv, additionalData, tagLength };
  }

  function cbcIv(algorithm) {
    const iv = crypto.algorithmBytes(algorithm, 'iv');
    if (iv.byteLength !== BLOCK_BYTES) {
      throw internals.domException(`AES-CBC iv must be 16 bytes long, but it has ${iv.byteLength}.`, 'OperationError');
    }
    return iv;
  }

  function ctr(algorithm, slots, data) {
    const counter = crypto.algorithmBytes(algorithm, 'counter');
    if (counter.byteLength !== BLOCK_BYTES) {
      throw internals.domException(`AES-CTR counter must be 16 bytes long, but it has ${counter.byteLength}.`,
        'OperationError');
    }
    if (algorithm.length === undefined) {
      throw new TypeError('Missing field "length" in "algorithm". Give the number of bits of the counter block that'
        + ' count, 1 to 128, usually 64.');
    }
    const counterBits = Number(algorithm.length);
    if (!Number.isInteger(counterBits) || counterBits < 1 || counterBits > 128) {
      throw internals.domException(`Invalid AES-CTR counter length ${algorithm.length}. Use 1 to 128 bits, usually 64.`,
        'OperationError');
    }
    const blocks = Math.ceil(data.byteLength / BLOCK_BYTES);
    if (blocks > 2 ** counterBits) {
      throw internals.domException(`AES-CTR data of ${blocks} blocks would repeat the values of a ${counterBits}-bit`
        + ' counter, and with them the keystream. Use a longer counter length or encrypt less data at once.',
      'OperationError');
    }
    return crypto.bufferFromHost(host.aesCtr(slots.material.buffer, counter, counterBits, data));
  }
})
