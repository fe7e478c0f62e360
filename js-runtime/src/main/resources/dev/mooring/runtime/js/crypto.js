// Web Crypto: crypto.getRandomValues, crypto.randomUUID, crypto.subtle and CryptoKey, plus
// Workers' crypto.subtle.timingSafeEqual.
//
// This file has what every algorithm shares. The SubtleCrypto methods check their arguments and
// the key's algorithm and usages, then hand the work to the algorithm. CryptoKey keeps its key
// material in a WeakMap of this file. The helpers serve the crypto-*.js files after this one,
// which register their algorithms through internals.webCrypto.register.
// Random bytes, UUIDs and digests come from the host intrinsics randomBytes, randomUUID and
// digest, which use the JDK's SecureRandom and MessageDigest.
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

  const typedArrayName = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get;

  const constructing = Symbol('constructing');

  /**
   * The registered algorithms by upper-case name. Each is an object with its canonical `name`
   * and the operations it supports, any of:
   *
   *   generateKey(algorithm, extractable, keyUsages) -> CryptoKey | { publicKey, privateKey }
   *   importKey(format, keyData, algorithm, extractable, keyUsages) -> CryptoKey
   *     keyData is an ArrayBuffer copy for "raw", "pkcs8" and "spki", and the caller's object for "jwk"
   *   exportKey(format, slots) -> ArrayBuffer | JsonWebKey   (the caller checked `extractable`)
   *   sign(algorithm, slots, data) -> ArrayBuffer
   *   verify(algorithm, slots, signature, data) -> boolean
   *   encrypt(algorithm, slots, data) / decrypt(algorithm, slots, data) -> ArrayBuffer
   *   deriveBits(algorithm, slots, length: number | null) -> ArrayBuffer
   *   keyLength(derivedKeyAlgorithm) -> number | null   (the "get key length" of deriveKey)
   *   wrapKey(algorithm, slots, bytes) / unwrapKey(algorithm, slots, bytes) -> ArrayBuffer
   *     optional: without them wrapKey and unwrapKey use encrypt and decrypt
   *
   * `slots` is what newKey() stored for the key; buffers passed in are copies the algorithm may keep.
   */
  const algorithms = new Map();

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
      return settle(() => {
        const name = typeof algorithm === 'object' && algorithm !== null ? algorithm.name : algorithm;
        if (name === undefined) {
          throw new TypeError('The algorithm passed to digest() must be a name or an object with a "name" member.');
        }
        const canonical = digestName(`${name}`);
        return digestOf(canonical, bufferSourceBytes(data, 'digest'));
      });
    }

    /** Returns a promise of a new key, or of a `{ publicKey, privateKey }` pair for asymmetric algorithms. */
    generateKey(algorithm, extractable, keyUsages) {
      return settle(() => {
        const name = algorithmName(algorithm, 'algorithm');
        const implementation = algorithms.get(name.toUpperCase());
        if (implementation === undefined || implementation.generateKey === undefined) {
          throw internals.domException(`Unrecognized key generation algorithm "${name}" requested.`
            + registeredList('generateKey'), 'NotSupportedError');
        }
        const usages = usageList(keyUsages);
        const generated = implementation.generateKey(algorithm, !!extractable, usages);
        if (generated instanceof CryptoKey) {
          requireUsageOfSecret(generated);
        } else if (keySlots.get(generated.privateKey).usages.length === 0) {
          throw internals.domException('Attempt to generate asymmetric keys with no valid private key usages.', 'SyntaxError');
        }
        return generated;
      });
    }

    /** Returns a promise of a key made from "raw", "pkcs8" or "spki" bytes or a "jwk" object. */
    importKey(format, keyData, algorithm, extractable, keyUsages) {
      return settle(() => {
        const name = algorithmName(algorithm, 'algorithm');
        return importKeyNow(`${format}`, keyData, algorithm, name, !!extractable, keyUsages);
      });
    }

    /** Returns a promise of the key as an ArrayBuffer or, for "jwk", a JSON Web Key. */
    exportKey(format, key) {
      return settle(() => exportKeyNow(`${format}`, keySlotsOf(key, 'exportKey')));
    }

    /** Returns a promise of the signature (or MAC) of `data` under `key`, as an ArrayBuffer. */
    sign(algorithm, key, data) {
      return settle(() => {
        const slots = usableKey(algorithm, key, 'sign');
        return operationOf(slots, 'sign')(algorithm, slots, bufferSourceBytes(data, 'sign'));
      });
    }

    /** Returns a promise of whether `signature` is a valid signature of `data` under `key`. */
    verify(algorithm, key, signature, data) {
      return settle(() => {
        const slots = usableKey(algorithm, key, 'verify');
        return operationOf(slots, 'verify')(algorithm, slots, bufferSourceBytes(signature, 'verify'),
          bufferSourceBytes(data, 'verify'));
      });
    }

    /** Returns a promise of `data` encrypted under `key`, as an ArrayBuffer. */
    encrypt(algorithm, key, data) {
      return settle(() => {
        const slots = usableKey(algorithm, key, 'encrypt');
        return operationOf(slots, 'encrypt')(algorithm, slots, bufferSourceBytes(data, 'encrypt'));
      });
    }

    /** Returns a promise of `data` decrypted under `key`, as an ArrayBuffer. */
    decrypt(algorithm, key, data) {
      return settle(() => {
        const slots = usableKey(algorithm, key, 'decrypt');
        return operationOf(slots, 'decrypt')(algorithm, slots, bufferSourceBytes(data, 'decrypt'));
      });
    }

    /** Returns a promise of `length` bits derived from `baseKey`, as an ArrayBuffer. */
    deriveBits(algorithm, baseKey, length) {
      return settle(() => {
        let bits = null;
        if (length !== undefined && length !== null) {
          bits = Number(length);
          if (!Number.isInteger(bits) || bits < 0 || bits > 0xffffffff) {
            throw new TypeError(`deriveBits length must be an unsigned long integer (got ${length}).`);
          }
        }
        const slots = usableKey(algorithm, baseKey, 'deriveBits');
        return operationOf(slots, 'deriveBits')(algorithm, slots, bits);
      });
    }

    /** Returns a promise of a new key of `derivedKeyAlgorithm` made from bits derived from `baseKey`. */
    deriveKey(algorithm, baseKey, derivedKeyAlgorithm, extractable, keyUsages) {
      return settle(() => {
        const derivedName = algorithmName(derivedKeyAlgorithm, 'derived key algorithm');
        const slots = usableKey(algorithm, baseKey, 'deriveKey');
        const derived = algorithms.get(derivedName.toUpperCase());
        if (derived === undefined || derived.keyLength === undefined) {
          throw internals.domException(`Unrecognized derived key type "${derivedName}" requested.`, 'NotSupportedError');
        }
        const length = derived.keyLength(derivedKeyAlgorithm);
        const bits = operationOf(slots, 'deriveBits')(algorithm, slots, length);
        return importKeyNow('raw', bits, derivedKeyAlgorithm, derivedName, !!extractable, keyUsages);
      });
    }

    /** Returns a promise of `key` exported in `format` and encrypted under `wrappingKey`. */
    wrapKey(format, key, wrappingKey, wrapAlgorithm) {
      return settle(() => {
        const slots = usableKey(wrapAlgorithm, wrappingKey, 'wrapKey');
        const exported = exportKeyNow(`${format}`, keySlotsOf(key, 'wrapKey'));
        const bytes = exported instanceof ArrayBuffer ? exported : new TextEncoder().encode(JSON.stringify(exported)).buffer;
        return operationOf(slots, 'wrapKey', 'encrypt')(wrapAlgorithm, slots, bytes);
      });
    }

    /** Returns a promise of the key that `wrappedKey` holds, decrypted under `unwrappingKey` and imported. */
    unwrapKey(format, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm, extractable, keyUsages) {
      return settle(() => {
        const keyFormat = `${format}`;
        const name = algorithmName(unwrappedKeyAlgorithm, 'unwrapped key algorithm');
        const slots = usableKey(unwrapAlgorithm, unwrappingKey, 'unwrapKey');
        const bytes = operationOf(slots, 'unwrapKey', 'decrypt')(unwrapAlgorithm, slots, bufferSourceBytes(wrappedKey, 'unwrapKey'));
        let keyData = bytes;
        if (keyFormat === 'jwk') {
          try {
            keyData = JSON.parse(new TextDecoder().decode(bytes));
          } catch {
            keyData = null;
          }
          if (typeof keyData !== 'object' || keyData === null || typeof keyData.kty !== 'string') {
            throw internals.domException('Missing "kty" field or corrupt JSON unwrapping key?', 'DataError');
          }
        }
        return importKeyNow(keyFormat, keyData, unwrappedKeyAlgorithm, name, !!extractable, keyUsages);
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

    // NOTE: crypto.DigestStream is not implemented.
  }

  // The steps of importKey that deriveKey and unwrapKey share: check the format and the data's
  // type, copy buffers, find the algorithm, import, and require a usage of a secret or private key.
  function importKeyNow(format, keyData, algorithm, name, extractable, keyUsages) {
    let data = keyData;
    if (format === 'raw' || format === 'pkcs8' || format === 'spki') {
      data = bufferSourceBytes(keyData, 'importKey',
        'Import data provided for "raw", "pkcs8", or "spki" import formats must be a buffer source.');
    } else if (format === 'jwk') {
      if (typeof keyData !== 'object' || keyData === null || ArrayBuffer.isView(keyData) || keyData instanceof ArrayBuffer) {
        throw new TypeError('Import data provided for "jwk" import format must be a JsonWebKey.');
      }
      if (keyData.ext === false && extractable) {
        throw internals.domException(`JWK ext field for "${name}" is set to false but extractable is true`, 'DataError');
      }
    } else {
      throw internals.domException(`Unrecognized key import format "${format}". Use "raw", "pkcs8", "spki" or "jwk",`
        + ' written in lowercase.', 'NotSupportedError');
    }
    const implementation = algorithms.get(name.toUpperCase());
    if (implementation === undefined || implementation.importKey === undefined) {
      throw internals.domException(`Unrecognized key import algorithm "${name}" requested.` + registeredList('importKey'),
        'NotSupportedError');
    }
    const key = implementation.importKey(format, data, algorithm, extractable, usageList(keyUsages));
    requireUsageOfSecret(key);
    return key;
  }

  function exportKeyNow(format, slots) {
    if (!slots.extractable) {
      throw internals.domException(`Attempt to export non-extractable ${slots.implementation.name} key.`, 'InvalidAccessError');
    }
    if (slots.implementation.exportKey === undefined) {
      throw internals.domException(`Unrecognized or unsupported export of "${slots.implementation.name}" requested.`,
        'NotSupportedError');
    }
    return slots.implementation.exportKey(format, slots);
  }

  function requireUsageOfSecret(key) {
    const slots = keySlots.get(key);
    if (slots.usages.length === 0 && (slots.type === 'secret' || slots.type === 'private')) {
      throw internals.domException('Secret/private CryptoKeys must have at least one usage.', 'SyntaxError');
    }
  }

  // The names of the algorithms with `operation`, as a sentence to add to an error message.
  function registeredList(operation) {
    const names = [];
    for (const implementation of algorithms.values()) {
      if (implementation[operation] !== undefined) {
        names.push(implementation.name);
      }
    }
    return ` Mooring supports ${names.join(', ')}.`;
  }

  // Returns the algorithm's function for `operation`, or for `fallback` when it has none, or
  // throws workerd's NotSupportedError.
  function operationOf(slots, operation, fallback = undefined) {
    const implementation = slots.implementation;
    const method = implementation[operation] || (fallback !== undefined ? implementation[fallback] : undefined);
    if (method === undefined) {
      const phrase = operation === 'deriveBits' ? 'deriveKey and deriveBits operations are'
        : `${fallback !== undefined ? fallback : operation} operation is`;
      throw internals.domException(`The ${phrase} not implemented for "${implementation.name}".`, 'NotSupportedError');
    }
    return method;
  }

  const keySlots = new WeakMap();

  // A key's material stays in this file and the algorithm files: CryptoKey exposes only its description.
  class CryptoKey {
    constructor(token) {
      if (token !== constructing) {
        throw illegalConstructor();
      }
    }

    get type() {
      return keySlotsOf(this, 'CryptoKey').type;
    }

    get extractable() {
      return keySlotsOf(this, 'CryptoKey').extractable;
    }

    /** A new copy each time, so that changing it cannot change the key. */
    get algorithm() {
      return copyDescription(keySlotsOf(this, 'CryptoKey').algorithm);
    }

    get usages() {
      return keySlotsOf(this, 'CryptoKey').usages.slice();
    }
  }

  function copyDescription(value) {
    if (value instanceof Uint8Array) {
      return value.slice();
    }
    if (typeof value !== 'object' || value === null) {
      return value;
    }
    const copy = {};
    for (const name of Object.keys(value)) {
      copy[name] = copyDescription(value[name]);
    }
    return copy;
  }

  /**
   * Makes a CryptoKey. `type` is "secret", "public" or "private"; `algorithm` the description that
   * CryptoKey.algorithm shows, starting with its `name`; `usages` a list checked by usagesFor();
   * `material` whatever the algorithm keeps for its operations.
   */
  function newKey(type, algorithm, extractable, usages, material) {
    const implementation = algorithms.get(algorithm.name.toUpperCase());
    const key = new CryptoKey(constructing);
    keySlots.set(key, { type, algorithm, extractable, usages, material, implementation });
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

  // Returns the canonical name of algorithm.hash, or throws when it is missing or unknown.
  function hashOf(algorithm, parameters = 'algorithm') {
    if (typeof algorithm !== 'object' || algorithm === null || algorithm.hash === undefined) {
      throw new TypeError(`Missing field "hash" in "${parameters}".`);
    }
    return digestName(algorithmName(algorithm.hash, 'hash'));
  }

  /**
   * Returns a copy of the bytes of the buffer source `algorithm[member]`, such as an AES iv or a
   * KDF salt, or throws a TypeError naming the member when it is missing or not a buffer source.
   * An optional member that is missing gives an empty buffer.
   */
  function algorithmBytes(algorithm, member, optional = false) {
    const value = typeof algorithm === 'object' && algorithm !== null ? algorithm[member] : undefined;
    if (value === undefined) {
      if (optional) {
        return new ArrayBuffer(0);
      }
      throw new TypeError(`Missing field "${member}" in "algorithm".`);
    }
    return bufferSourceBytes(value, undefined,
      `The "${member}" field of "algorithm" must be an ArrayBuffer or an ArrayBuffer view.`);
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

  function digestOf(canonicalName, data) {
    return bufferFromHost(host.digest(canonicalName, data));
  }

  // Copies the read-only ByteBuffer that a host intrinsic returned into a new ArrayBuffer.
  function bufferFromHost(hostBytes) {
    return new Uint8Array(hostBytes).slice().buffer;
  }

  // Returns the requested usages as strings, or throws a TypeError when they are not a sequence.
  function usageList(keyUsages) {
    if (keyUsages === null || typeof keyUsages !== 'object' || typeof keyUsages[Symbol.iterator] !== 'function') {
      throw new TypeError('The key usages must be an array of strings such as ["sign", "verify"].');
    }
    return Array.from(keyUsages, (usage) => `${usage}`);
  }

  /**
   * Returns the usages of `requested` (from usageList) in CryptoKey order, or throws workerd's
   * SyntaxError naming the first one not in `allowed`. `operation` completes the message
   * "Attempt to OPERATION NAME key", such as "import secret" or "generate".
   */
  function usagesFor(requested, allowed, operation, name) {
    for (const usage of requested) {
      if (!allowed.includes(usage)) {
        const list = allowed.map((each) => `"${each}"`);
        const listed = list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
        throw internals.domException(`Attempt to ${operation} ${name} key with invalid usage "${usage}".`
          + ` ${/^[AEFHILMNORSX]/.test(name) ? 'An' : 'A'} ${name} key may have the usage${list.length === 1 ? '' : 's'} ${listed}.`,
          'SyntaxError');
      }
    }
    return KEY_USAGES.filter((usage) => requested.includes(usage));
  }

  function usableKey(algorithm, key, usage) {
    const slots = keySlotsOf(key, usage);
    const name = algorithmName(algorithm, 'algorithm');
    if (name.toUpperCase() !== slots.algorithm.name.toUpperCase()) {
      throw internals.domException(`Requested algorithm "${name}" does not match this CryptoKey's algorithm`
        + ` "${slots.algorithm.name}".`, 'InvalidAccessError');
    }
    if (!slots.usages.includes(usage)) {
      throw internals.domException(`Requested key usage "${usage}" does not match any usage listed in this CryptoKey.`,
        'InvalidAccessError');
    }
    return slots;
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

  // What the crypto-*.js files use. register() takes an algorithm as the comment on `algorithms` describes.
  internals.webCrypto = {
    register(implementation) {
      algorithms.set(implementation.name.toUpperCase(), implementation);
    },
    newKey,
    keySlots: (key) => keySlots.get(key),
    algorithmName,
    hashOf,
    algorithmBytes,
    digestName,
    digestOf,
    bufferFromHost,
    usagesFor,
    sameBytes,
    base64UrlEncode,
    base64UrlDecode,
    bufferSourceBytes,
  };

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
  internals.markNotSerializable(Crypto);
  Object.defineProperty(SubtleCrypto.prototype, Symbol.toStringTag, { value: 'SubtleCrypto', configurable: true });
  internals.markNotSerializable(SubtleCrypto);
  Object.defineProperty(CryptoKey.prototype, Symbol.toStringTag, { value: 'CryptoKey', configurable: true });
  // As in workerd, a CryptoKey cannot be stored or passed to structuredClone(): it throws a
  // DataCloneError rather than turning into an empty object.
  internals.markNotSerializable(CryptoKey);

  const crypto = new Crypto(constructing);
  for (const [name, value] of [['Crypto', Crypto], ['SubtleCrypto', SubtleCrypto], ['CryptoKey', CryptoKey]]) {
    Object.defineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });
  }
  Object.defineProperty(globalThis, 'crypto', { value: crypto, writable: true, enumerable: true, configurable: true });
})
