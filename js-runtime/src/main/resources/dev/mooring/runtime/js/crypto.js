// Web Crypto: crypto.getRandomValues, crypto.randomUUID and crypto.subtle.digest (SHA-1, SHA-256,
// SHA-384, SHA-512, and MD5 as Workers allow it). Random bytes, UUIDs and digests come from the
// host intrinsics randomBytes, randomUUID and digest, which use the JDK's SecureRandom and
// MessageDigest.
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
        const canonical = DIGEST_ALGORITHMS.get(`${name}`.toLowerCase());
        if (canonical === undefined) {
          throw internals.domException('Unrecognized or unimplemented digest algorithm requested.', 'NotSupportedError');
        }
        const bytes = bufferSourceBytes(data, 'digest');
        const digest = host.digest(canonical, bytes);
        return Promise.resolve(new Uint8Array(digest).slice().buffer);
      } catch (error) {
        return Promise.reject(error);
      }
    }

    // NOTE: encrypt, decrypt, sign, verify, generateKey, deriveKey, deriveBits, importKey,
    // exportKey, wrapKey and unwrapKey are not implemented, so they are undefined here although
    // Workers has them. crypto.DigestStream is missing too.
  }

  // Copies the bytes of an ArrayBuffer or view into a new ArrayBuffer for the host, because
  // the host reads a whole ArrayBuffer and the data must not change while it is read.
  function bufferSourceBytes(data, method) {
    if (data instanceof ArrayBuffer) {
      return data.slice(0);
    }
    if (ArrayBuffer.isView(data)) {
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice().buffer;
    }
    throw new TypeError(`The data passed to ${method}() must be an ArrayBuffer or an ArrayBuffer view.`);
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

  const crypto = new Crypto(constructing);
  for (const [name, value] of [['Crypto', Crypto], ['SubtleCrypto', SubtleCrypto]]) {
    Object.defineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });
  }
  Object.defineProperty(globalThis, 'crypto', { value: crypto, writable: true, enumerable: true, configurable: true });
})
