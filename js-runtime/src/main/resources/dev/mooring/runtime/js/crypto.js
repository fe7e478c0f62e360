// Web Crypto: crypto.getRandomValues, crypto.randomUUID, crypto.subtle.digest (SHA-1, SHA-256,
// SHA-384, SHA-512, and MD5 as Workers allow it), HMAC keys (generateKey, importKey and exportKey
// in the "raw" and "jwk" formats, sign and verify), and Workers' crypto.subtle.timingSafeEqual.
// Random bytes, UUIDs, digests and HMACs come from the host intrinsics randomBytes, randomUUID,
// digest and hmac, which use the JDK's SecureRandom, MessageDigest and Mac.
(function (host, internals) {
  'use strict';

  const MAX_RANDOM_BYTES = 65536;
  const INTEGER_ARRAY_TYPES = new Set([
    'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
    'Uint32Array', 'BigInt64Array', 'BigUint64Array',
  ]);
  // Algorithm names compare case-insensitively; the host takes the canonical spelling.
  const DIGEST_ALGORITHMS = new Map([
    ['sha-1', 'SHA-1'],
    ['sha-256', 'SHA-256'],
    ['sha-384', 'SHA-384'],
    ['sha-512', 'SHA-512'],
    ['md5', 'MD5'],
  ]);

  // Key usages in the order CryptoKey.usages lists them.
  const KEY_USAGES = ['encrypt', 'decrypt', 'sign', 'verify', 'deriveKey', 'deriveBits', 'wrapKey', 'unwrapKey'];
  const HMAC_USAGES = new Set(['sign', 'verify']);

  // The block size of each digest in bits: the length of a generated HMAC key.
  const BLOCK_BITS = new Map([['SHA-1', 512], ['SHA-256', 512], ['SHA-384', 1024], ['SHA-512', 1024], ['MD5', 512]]);

  const typedArrayName = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get;

  const constructing = Symbol('constructing');

  function illegalConstructor() {
    return new TypeError('Illegal constructor');
  }

  class SubtleCrypto {
    constructor(token) {
      if (token !== constructing) {
        throw illegalConstructor();
      }
    }

    /**
     * Returns a promise of the digest of `data` (an ArrayBuffer or ArrayBuffer view) as an
     * ArrayBuffer. `algorithm` is a name or an object with a `name`, matched case-insensitively.
     */
    digest(algorithm, data) {
      try {
        const name = typeof algorithm === 'object' && algorithm !== null ? algorithm.name : algorithm;
        if (name === undefined) {
          throw new TypeError('The algorithm passed to digest() must be a name or an object with a "name" member.');
        }
        const canonical = digestName(`${name}`);
        const bytes = bufferSourceBytes(data, 'digest');
        const digest = host.digest(canonical, bytes);
        return Promise.resolve(new Uint8Array(digest).slice().buffer);
      } catch (error) {
        return Promise.reject(error);
      }
    }

    /** Returns a promise of a new random HMAC key; `algorithm` is `{ name: 'HMAC', hash, length? }`. */
    generateKey(algorithm, extractable, keyUsages) {
      return settle(() => {
        const name = requireHmac(algorithm, 'key generation');
        const hash = hashOf(algorithm);
        const usages = validUsages(keyUsages, 'generate', name);
        const length = algorithm.length === undefined ? BLOCK_BITS.get(hash) : Number(algorithm.length);
        if (!(length > 0) || !Number.isInteger(length)) {
          throw internals.domException(`HMAC key length must be a non-zero unsigned long integer (requested ${algorithm.length}).`, 'OperationError');
        }
        const bytes = new Uint8Array(host.randomBytes(Math.ceil(length / 8))).slice();
        zeroTrailingBits(bytes, length);
        return newKey(bytes, hash, length, !!extractable, usages);
      });
    }

    /** Returns a promise of an HMAC key made from "raw" bytes or a "jwk" object. */
    importKey(format, keyData, algorithm, extractable, keyUsages) {
      return settle(() => {
        const keyFormat = `${format}`;
        let bytes;
        if (keyFormat === 'raw') {
          bytes = new Uint8Array(bufferSourceBytes(keyData, 'importKey', 'Import data provided for "raw" import format must be a buffer source.'));
        } else if (keyFormat === 'jwk') {
          if (typeof keyData !== 'object' || keyData === null || ArrayBuffer.isView(keyData) || keyData instanceof ArrayBuffer) {
            throw new TypeError('Import data provided for "jwk" import format must be a JsonWebKey.');
          }
        } else {
          throw internals.domException(`Unrecognized key import format "${keyFormat}". Mooring imports HMAC keys in the`
            + ' formats "raw" and "jwk", written in lowercase.', 'NotSupportedError');
        }
        const name = requireHmac(algorithm, 'key import');
        const usages = validUsages(keyUsages, 'import secret', name);
        const hash = hashOf(algorithm);
        if (keyFormat === 'jwk') {
          bytes = jwkKeyBytes(keyData, hash, !!extractable);
        }
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
        return newKey(bytes, hash, length, !!extractable, usages);
      });
    }

    /** Returns a promise of the key as an ArrayBuffer ("raw") or a JSON Web Key ("jwk"). */
    exportKey(format, key) {
      return settle(() => {
        const slots = keySlotsOf(key, 'exportKey');
        const keyFormat = `${format}`;
        if (keyFormat !== 'raw' && keyFormat !== 'jwk') {
          throw internals.domException(`Unimplemented key export format "${keyFormat}". Mooring exports HMAC keys in the`
            + ' formats "raw" and "jwk", written in lowercase.', 'NotSupportedError');
        }
        if (!slots.extractable) {
          throw internals.domException('Attempt to export non-extractable HMAC key.', 'InvalidAccessError');
        }
        if (keyFormat === 'raw') {
          return slots.bytes.slice().buffer;
        }
        if (!slots.hash.startsWith('SHA-')) {
          throw internals.domException(`Unimplemented JWK key export format for key algorithm "${slots.hash}".`
            + ' Export the key as "raw" instead.', 'NotSupportedError');
        }
        return { kty: 'oct', k: base64UrlEncode(slots.bytes), alg: 'HS' + slots.hash.slice(4), key_ops: slots.usages.slice(), ext: true };
      });
    }

    /** Returns a promise of the HMAC of `data` under `key`, as an ArrayBuffer. */
    sign(algorithm, key, data) {
      return settle(() => {
        const slots = usableKey(algorithm, key, 'sign');
        return hmacOf(slots, bufferSourceBytes(data, 'sign'));
      });
    }

    /** Returns a promise of whether `signature` is the HMAC of `data` under `key`. */
    verify(algorithm, key, signature, data) {
      return settle(() => {
        const slots = usableKey(algorithm, key, 'verify');
        const expected = new Uint8Array(hmacOf(slots, bufferSourceBytes(data, 'verify')));
        return sameBytes(expected, new Uint8Array(bufferSourceBytes(signature, 'verify')));
      });
    }

    /**
     * Workers' extension: whether two buffers hold the same bytes, in time that depends only on
     * their length. Throws a TypeError when the lengths differ.
     */
    timingSafeEqual(a, b) {
      const left = new Uint8Array(bufferSourceBytes(a, 'timingSafeEqual'));
      const right = new Uint8Array(bufferSourceBytes(b, 'timingSafeEqual'));
      if (left.length !== right.length) {
        throw new TypeError('Input buffers must have the same byte length.');
      }
      return sameBytes(left, right);
    }

    // NOTE: encrypt, decrypt, deriveKey, deriveBits, wrapKey and unwrapKey are not implemented,
    // and generateKey, importKey, sign and verify know only HMAC, although Workers has AES, RSA,
    // ECDSA, Ed25519 and the key derivations. crypto.DigestStream is missing too.
  }

  const keySlots = new WeakMap();

  // A key's bytes stay in this file: CryptoKey exposes only its description.
  class CryptoKey {
    constructor(token) {
      if (token !== constructing) {
        throw illegalConstructor();
      }
    }

    get type() {
      return 'secret';
    }

    get extractable() {
      return keySlotsOf(this, 'CryptoKey').extractable;
    }

    get algorithm() {
      const slots = keySlotsOf(this, 'CryptoKey');
      return { name: 'HMAC', hash: { name: slots.hash }, length: slots.length };
    }

    get usages() {
      return keySlotsOf(this, 'CryptoKey').usages.slice();
    }
  }

  function newKey(bytes, hash, length, extractable, usages) {
    const key = new CryptoKey(constructing);
    keySlots.set(key, { bytes, hash, length, extractable, usages });
    return key;
  }

  function keySlotsOf(key, method) {
    const slots = typeof key === 'object' && key !== null ? keySlots.get(key) : undefined;
    if (slots === undefined) {
      throw new TypeError(`The key passed to ${method}() must be a CryptoKey.`);
    }
    return slots;
  }

  // Runs a step of a SubtleCrypto method and returns its result as a promise, as Web Crypto
  // reports every error through the promise.
  function settle(step) {
    try {
      return Promise.resolve(step());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  function algorithmName(algorithm, parameter) {
    const name = typeof algorithm === 'object' && algorithm !== null ? algorithm.name : algorithm;
    if (name === undefined) {
      throw new TypeError(`The ${parameter} must be a name or an object with a "name" member.`);
    }
    return `${name}`;
  }

  function requireHmac(algorithm, operation) {
    const name = algorithmName(algorithm, 'algorithm');
    if (name.toUpperCase() !== 'HMAC') {
      throw internals.domException(`Unrecognized ${operation} algorithm "${name}" requested. Mooring implements HMAC only.`,
        'NotSupportedError');
    }
    return 'HMAC';
  }

  function hashOf(algorithm) {
    if (typeof algorithm !== 'object' || algorithm === null || algorithm.hash === undefined) {
      throw new TypeError('Missing field "hash" in "algorithm".');
    }
    return digestName(algorithmName(algorithm.hash, 'hash'));
  }

  // Returns the canonical spelling of a digest name, or throws workerd's error, naming the value
  // and the names that work.
  function digestName(name) {
    const canonical = DIGEST_ALGORITHMS.get(name.toLowerCase());
    if (canonical === undefined) {
      throw internals.domException(`Unrecognized or unimplemented digest algorithm requested: "${name}".`
        + ' Use SHA-1, SHA-256, SHA-384, SHA-512 or MD5.', 'NotSupportedError');
    }
    return canonical;
  }

  function validUsages(keyUsages, operation, name) {
    if (keyUsages === null || typeof keyUsages !== 'object' || typeof keyUsages[Symbol.iterator] !== 'function') {
      throw new TypeError('The key usages must be an array of strings such as ["sign", "verify"].');
    }
    const requested = new Set();
    for (const usage of keyUsages) {
      const text = `${usage}`;
      if (!HMAC_USAGES.has(text)) {
        throw internals.domException(`Attempt to ${operation} ${name} key with invalid usage "${text}".`
          + ' An HMAC key may have the usages "sign" and "verify".', 'SyntaxError');
      }
      requested.add(text);
    }
    if (requested.size === 0) {
      throw internals.domException('Secret/private CryptoKeys must have at least one usage.', 'SyntaxError');
    }
    return KEY_USAGES.filter((usage) => requested.has(usage));
  }

  function usableKey(algorithm, key, usage) {
    const slots = keySlotsOf(key, usage);
    const name = algorithmName(algorithm, 'algorithm');
    if (name.toUpperCase() !== 'HMAC') {
      throw internals.domException(`Requested algorithm "${name}" does not match this CryptoKey's algorithm "HMAC".`,
        'InvalidAccessError');
    }
    if (!slots.usages.includes(usage)) {
      throw internals.domException(`Requested key usage "${usage}" does not match any usage listed in this CryptoKey.`,
        'InvalidAccessError');
    }
    return slots;
  }

  function hmacOf(slots, data) {
    // The key's bytes fill their own buffer, which the host only reads, so it needs no copy.
    return new Uint8Array(host.hmac(slots.hash, slots.bytes.buffer, data)).slice().buffer;
  }

  // Compares every byte whatever the first difference, so the time taken does not reveal it.
  function sameBytes(left, right) {
    if (left.length !== right.length) {
      return false;
    }
    let difference = 0;
    for (let i = 0; i < left.length; i++) {
      difference |= left[i] ^ right[i];
    }
    return difference === 0;
  }

  // Clears the bits of the last byte beyond `length`, as workerd does for HMAC keys whose
  // length is not a multiple of 8.
  function zeroTrailingBits(bytes, length) {
    const extra = bytes.length * 8 - length;
    if (extra > 0) {
      bytes[bytes.length - 1] &= (0xff << extra) & 0xff;
    }
  }

  function jwkKeyBytes(jwk, hash, extractable) {
    if (jwk.kty !== 'oct') {
      throw internals.domException('HMAC "jwk" key import requires a JSON Web Key with Key Type parameter ("kty") equal'
        + ` to "oct" (encountered "${jwk.kty}").`, 'DataError');
    }
    if (jwk.ext === false && extractable) {
      throw internals.domException('JWK ext field for "HMAC" is set to false but extractable is true', 'DataError');
    }
    const bytes = typeof jwk.k === 'string' ? base64UrlDecode(jwk.k) : null;
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

  function base64UrlEncode(bytes) {
    let binary = '';
    for (const byte of bytes) {
      binary += String.fromCharCode(byte);
    }
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  // Returns the bytes of unpadded base64url text, or null when it is not base64url.
  function base64UrlDecode(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
      return null;
    }
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  }

  // Copies the bytes of an ArrayBuffer or view into a new ArrayBuffer for the host, because
  // the host reads a whole ArrayBuffer and the data must not change while it is read.
  function bufferSourceBytes(data, method, message = undefined) {
    if (data instanceof ArrayBuffer) {
      return data.slice(0);
    }
    if (ArrayBuffer.isView(data)) {
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice().buffer;
    }
    throw new TypeError(message || `The data passed to ${method}() must be an ArrayBuffer or an ArrayBuffer view.`);
  }

  const subtle = new SubtleCrypto(constructing);

  class Crypto {
    constructor(token) {
      if (token !== constructing) {
        throw illegalConstructor();
      }
    }

    get subtle() {
      return subtle;
    }

    /** Fills an integer typed array with cryptographically strong random values and returns it. */
    getRandomValues(array) {
      if (!ArrayBuffer.isView(array)) {
        throw new TypeError('The argument passed to getRandomValues() must be an integer typed array.');
      }
      if (!INTEGER_ARRAY_TYPES.has(typedArrayName.call(array))) {
        throw internals.domException('ArrayBufferView argument to getRandomValues() must be an integer-typed view.', 'TypeMismatchError');
      }
      const byteLength = array.byteLength;
      if (byteLength > MAX_RANDOM_BYTES) {
        throw internals.domException(`getRandomValues() only accepts buffers of size <= 64K but provided ${byteLength} bytes.`, 'QuotaExceededError');
      }
      if (byteLength > 0) {
        new Uint8Array(array.buffer, array.byteOffset, byteLength).set(new Uint8Array(host.randomBytes(byteLength)));
      }
      return array;
    }

    /** Returns a random (version 4) UUID in lowercase hex, like "0f8e...-4...". */
    randomUUID() {
      return host.randomUUID();
    }
  }

  Object.defineProperty(Crypto.prototype, Symbol.toStringTag, { value: 'Crypto', configurable: true });
  Object.defineProperty(SubtleCrypto.prototype, Symbol.toStringTag, { value: 'SubtleCrypto', configurable: true });
  Object.defineProperty(CryptoKey.prototype, Symbol.toStringTag, { value: 'CryptoKey', configurable: true });
  // NOTE: workerd can store a CryptoKey and pass it to structuredClone(); Mooring cannot yet, and
  // fails loudly rather than storing an empty object.
  internals.markNotSerializable(CryptoKey);

  const crypto = new Crypto(constructing);
  for (const [name, value] of [['Crypto', Crypto], ['SubtleCrypto', SubtleCrypto], ['CryptoKey', CryptoKey]]) {
    Object.defineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });
  }
  Object.defineProperty(globalThis, 'crypto', { value: crypto, writable: true, enumerable: true, configurable: true });
})
