function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

const ABC = new TextEncoder().encode('abc');

// Digests of "abc" from FIPS 180-2 (SHA) and RFC 1321 (MD5).
const ABC_DIGESTS = {
  'SHA-1': 'a9993e364706816aba3e25717850c26c9cd0d89d',
  'SHA-256': 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  'SHA-384': 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
  'SHA-512': 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
  MD5: '900150983cd24fb0d6963f7d28e17f72',
};

// ---------------------------------------------------------------------------------------------
// getRandomValues

test('getRandomValues fills integer arrays and returns them', () => {
  for (const Kind of [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, BigInt64Array, BigUint64Array]) {
    const array = new Kind(16);
    const result = crypto.getRandomValues(array);
    assert.equal(result, array, Kind.name);
    assert.ok(Array.from(array).some((value) => value !== 0 && value !== 0n), Kind.name);
  }
});

test('getRandomValues fills only the view', () => {
  const buffer = new Uint8Array(32);
  crypto.getRandomValues(new Uint8Array(buffer.buffer, 8, 16));
  assert.deepEqual(Array.from(buffer.subarray(0, 8)), [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(buffer.subarray(24)), [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.ok(buffer.subarray(8, 24).some((value) => value !== 0));
});

test('getRandomValues gives different values each call', () => {
  const first = crypto.getRandomValues(new Uint8Array(32));
  const second = crypto.getRandomValues(new Uint8Array(32));
  assert.notEqual(hex(first), hex(second));
});

test('getRandomValues accepts 65536 bytes and an empty array', () => {
  const largest = crypto.getRandomValues(new Uint32Array(16384));
  assert.equal(largest.byteLength, 65536);
  assert.equal(crypto.getRandomValues(new Uint8Array(0)).length, 0);
});

test('getRandomValues rejects more than 65536 bytes', () => {
  const error = assert.throws(() => crypto.getRandomValues(new Uint8Array(65537)), DOMException,
    'getRandomValues() only accepts buffers of size <= 64K but provided 65537 bytes.');
  assert.equal(error.name, 'QuotaExceededError');
  assert.equal(error.code, 22);
});

test('getRandomValues rejects float arrays and DataView', () => {
  const message = 'ArrayBufferView argument to getRandomValues() must be an integer-typed view.';
  const views = [new Float32Array(1), new Float64Array(1), new DataView(new ArrayBuffer(1))];
  if (typeof Float16Array === 'function') {
    views.push(new Float16Array(1));
  }
  for (const view of views) {
    const error = assert.throws(() => crypto.getRandomValues(view), DOMException, message);
    assert.equal(error.name, 'TypeMismatchError');
    assert.equal(error.code, 17);
  }
});

test('getRandomValues rejects non-views', () => {
  assert.throws(() => crypto.getRandomValues(new ArrayBuffer(4)), TypeError);
  assert.throws(() => crypto.getRandomValues([1, 2]), TypeError);
  assert.throws(() => crypto.getRandomValues(), TypeError);
});

// ---------------------------------------------------------------------------------------------
// randomUUID

test('randomUUID is a version 4 UUID', () => {
  const pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const seen = new Set();
  for (let i = 0; i < 20; i++) {
    const uuid = crypto.randomUUID();
    assert.ok(pattern.test(uuid), uuid);
    seen.add(uuid);
  }
  assert.equal(seen.size, 20);
});

// ---------------------------------------------------------------------------------------------
// subtle.digest

test('digest known answers', async () => {
  for (const [algorithm, expected] of Object.entries(ABC_DIGESTS)) {
    const digest = await crypto.subtle.digest(algorithm, ABC);
    assert.ok(digest instanceof ArrayBuffer, algorithm);
    assert.equal(hex(digest), expected, algorithm);
  }
});

test('digest of empty data', async () => {
  assert.equal(hex(await crypto.subtle.digest('SHA-256', new ArrayBuffer(0))), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('digest algorithm names are case-insensitive and may be objects', async () => {
  assert.equal(hex(await crypto.subtle.digest('sha-256', ABC)), ABC_DIGESTS['SHA-256']);
  assert.equal(hex(await crypto.subtle.digest({ name: 'Sha-1' }, ABC)), ABC_DIGESTS['SHA-1']);
  assert.equal(hex(await crypto.subtle.digest('md5', ABC)), ABC_DIGESTS.MD5);
});

test('digest reads only the bytes of a view', async () => {
  const padded = new TextEncoder().encode('xxabcyy');
  assert.equal(hex(await crypto.subtle.digest('SHA-256', padded.subarray(2, 5))), ABC_DIGESTS['SHA-256']);
  assert.equal(hex(await crypto.subtle.digest('SHA-256', new DataView(padded.buffer, 2, 3))), ABC_DIGESTS['SHA-256']);
  assert.equal(hex(await crypto.subtle.digest('SHA-256', ABC.buffer)), ABC_DIGESTS['SHA-256']);
});

test('digest copies the data before returning', async () => {
  const data = new TextEncoder().encode('abc');
  const promise = crypto.subtle.digest('SHA-1', data);
  data[0] = 0;
  assert.equal(hex(await promise), ABC_DIGESTS['SHA-1']);
});

test('digest rejects unknown algorithms', async () => {
  for (const [algorithm, name] of [['SHA-224', 'SHA-224'], ['SHA256', 'SHA256'], ['sha3-256', 'sha3-256'], [{ name: 'RSA-PSS' }, 'RSA-PSS']]) {
    const error = await assert.rejects(crypto.subtle.digest(algorithm, ABC), DOMException,
      `Unrecognized or unimplemented digest algorithm requested: "${name}". Use SHA-1, SHA-256, SHA-384, SHA-512 or MD5.`);
    assert.equal(error.name, 'NotSupportedError');
  }
});

test('digest rejects bad arguments with a rejected promise', async () => {
  const missingName = crypto.subtle.digest({}, ABC);
  assert.ok(missingName instanceof Promise);
  await assert.rejects(missingName, TypeError);
  await assert.rejects(crypto.subtle.digest('SHA-256', 'abc'), TypeError);
  await assert.rejects(crypto.subtle.digest('SHA-256'), TypeError);
});

test('crypto objects cannot be constructed', () => {
  assert.throws(() => new Crypto(), TypeError, 'Illegal constructor');
  assert.throws(() => new SubtleCrypto(), TypeError, 'Illegal constructor');
  assert.ok(crypto instanceof Crypto);
  assert.ok(crypto.subtle instanceof SubtleCrypto);
  assert.equal(crypto.subtle, crypto.subtle);
  assert.equal(Object.prototype.toString.call(crypto), '[object Crypto]');
});

test('an algorithm Mooring lacks is named in a NotSupportedError', async () => {
  let error = await assert.rejects(crypto.subtle.generateKey({ name: 'SHA3-KEY' }, false, ['sign']));
  assert.equal(error.name, 'NotSupportedError');
  assert.ok(error.message.startsWith('Unrecognized key generation algorithm "SHA3-KEY" requested. Mooring supports HMAC'), error.message);

  error = await assert.rejects(crypto.subtle.importKey('raw', new Uint8Array(16), 'SHA3-KEY', false, ['sign']));
  assert.equal(error.name, 'NotSupportedError');
  assert.ok(error.message.startsWith('Unrecognized key import algorithm "SHA3-KEY" requested. Mooring supports HMAC'), error.message);

  error = await assert.rejects(crypto.subtle.importKey('pem', new Uint8Array(16), 'HMAC', false, ['sign']));
  assert.equal(error.name, 'NotSupportedError');
  assert.equal(error.message, 'Unrecognized key import format "pem". Use "raw", "pkcs8", "spki" or "jwk", written in lowercase.');

  error = await assert.rejects(crypto.subtle.importKey('raw', 'key text', 'HMAC', false, ['sign']), TypeError);
  assert.equal(error.message, 'Import data provided for "raw", "pkcs8", or "spki" import formats must be a buffer source.');
});

test('an HMAC key derives nothing', async () => {
  const key = await crypto.subtle.importKey('raw', new Uint8Array(16), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
  let error = await assert.rejects(crypto.subtle.deriveBits('HMAC', key, 128));
  assert.equal(error.name, 'InvalidAccessError');
  assert.equal(error.message, 'Requested key usage "deriveBits" does not match any usage listed in this CryptoKey.');

  // As in workerd, the base key's usages are checked before the derived key's type.
  error = await assert.rejects(crypto.subtle.deriveKey('HMAC', key, { name: 'SHA3-KEY' }, false, ['sign']));
  assert.equal(error.name, 'InvalidAccessError');

  await assert.rejects(crypto.subtle.deriveBits('HMAC', key, -1), TypeError);
});

// ---------------------------------------------------------------------------------------------
// HMAC

// RFC 4231, test cases 1 and 2.
const RFC4231_KEY_1 = new Uint8Array(20).fill(0x0b);
const HI_THERE = new TextEncoder().encode('Hi There');
const JEFE = new TextEncoder().encode('Jefe');
const WHAT_DO_YA_WANT = new TextEncoder().encode('what do ya want for nothing?');

function importHmac(key, hash, usages = ['sign', 'verify'], extractable = false) {
  return crypto.subtle.importKey('raw', key, { name: 'HMAC', hash }, extractable, usages);
}

test('HMAC sign matches RFC 4231', async () => {
  const key256 = await importHmac(RFC4231_KEY_1, 'SHA-256');
  assert.equal(hex(await crypto.subtle.sign('HMAC', key256, HI_THERE)),
    'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
  const key512 = await importHmac(RFC4231_KEY_1, { name: 'sha-512' });
  assert.equal(hex(await crypto.subtle.sign({ name: 'hmac' }, key512, HI_THERE)),
    '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde'
    + 'daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854');
  const jefe = await importHmac(JEFE, 'SHA-256');
  assert.equal(hex(await crypto.subtle.sign('HMAC', jefe, WHAT_DO_YA_WANT)),
    '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
});

test('HMAC verify accepts the signature and rejects any other', async () => {
  const key = await importHmac(JEFE, 'SHA-256');
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, WHAT_DO_YA_WANT));
  assert.equal(await crypto.subtle.verify('HMAC', key, signature, WHAT_DO_YA_WANT), true);
  const tampered = signature.slice();
  tampered[31] ^= 1;
  assert.equal(await crypto.subtle.verify('HMAC', key, tampered, WHAT_DO_YA_WANT), false);
  assert.equal(await crypto.subtle.verify('HMAC', key, signature.slice(0, 16), WHAT_DO_YA_WANT), false);
  assert.equal(await crypto.subtle.verify('HMAC', key, signature, HI_THERE), false);
});

test('HMAC refuses an empty key, as workerd does', async () => {
  let error = await assert.rejects(importHmac(new Uint8Array(0), 'SHA-256'));
  assert.equal(error.name, 'DataError');
  assert.equal(error.message, 'Imported HMAC key length (0) must be a non-zero value: the key data is empty.');
  error = await assert.rejects(crypto.subtle.importKey('raw', JEFE, { name: 'HMAC', hash: 'SHA-256', length: 33 }, false, ['sign']));
  assert.equal(error.message, 'Imported HMAC key length (33) must be a non-zero value up to 7 bits less than,'
    + ' and no greater than, the bit length of the raw key data (32).');
});

test('CryptoKey describes an imported HMAC key', async () => {
  const key = await importHmac(JEFE, 'sha-1', ['verify', 'sign']);
  assert.equal(key.type, 'secret');
  assert.equal(key.extractable, false);
  assert.deepEqual(key.algorithm, { name: 'HMAC', hash: { name: 'SHA-1' }, length: 32 });
  assert.deepEqual(key.usages, ['sign', 'verify']);
  assert.ok(key instanceof CryptoKey);
  assert.throws(() => new CryptoKey(), TypeError, 'Illegal constructor');
});

test('generateKey makes a random HMAC key of the hash block size', async () => {
  const first = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
  const second = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-512' }, true, ['sign']);
  assert.equal(first.algorithm.length, 512);
  assert.equal(second.algorithm.length, 1024);
  const raw = await crypto.subtle.exportKey('raw', first);
  assert.equal(raw.byteLength, 64);
  assert.notEqual(hex(raw), hex(await crypto.subtle.exportKey('raw', await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['sign']))));
  const short = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 12 }, true, ['verify']);
  const bytes = new Uint8Array(await crypto.subtle.exportKey('raw', short));
  assert.equal(bytes.length, 2);
  assert.equal(bytes[1] & 0x0f, 0);
});

test('HMAC keys round-trip through JWK', async () => {
  const key = await importHmac(RFC4231_KEY_1, 'SHA-256', ['sign'], true);
  const jwk = await crypto.subtle.exportKey('jwk', key);
  assert.deepEqual(jwk, { kty: 'oct', k: 'CwsLCwsLCwsLCwsLCwsLCwsLCws', key_ops: ['sign'], ext: true, alg: 'HS256' });
  const again = await crypto.subtle.importKey('jwk', jwk, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  assert.equal(hex(await crypto.subtle.sign('HMAC', again, HI_THERE)),
    'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
  const error = await assert.rejects(crypto.subtle.importKey('jwk', jwk, { name: 'HMAC', hash: 'SHA-384' }, false, ['sign']));
  assert.equal(error.name, 'DataError');
  assert.equal(error.message, 'HMAC "jwk" key import specifies "alg" that is incompatible with the hash name (encountered "HS256", expected "HS384").');
});

test('HMAC keys reject uses outside their usages', async () => {
  const signOnly = await importHmac(JEFE, 'SHA-256', ['sign']);

  let error = await assert.rejects(crypto.subtle.verify('HMAC', signOnly, new Uint8Array(32), HI_THERE));
  assert.equal(error.name, 'InvalidAccessError');
  assert.equal(error.message, 'Requested key usage "verify" does not match any usage listed in this CryptoKey.');

  error = await assert.rejects(crypto.subtle.exportKey('raw', signOnly));
  assert.equal(error.message, 'Attempt to export non-extractable HMAC key.');

  error = await assert.rejects(crypto.subtle.sign('RSASSA-PKCS1-v1_5', signOnly, HI_THERE));
  assert.equal(error.name, 'InvalidAccessError');

  await assert.rejects(crypto.subtle.sign('HMAC', {}, HI_THERE), TypeError);
});

test('HMAC import rejects invalid parameters', async () => {
  let error = await assert.rejects(importHmac(JEFE, 'SHA-256', ['encrypt']));
  assert.equal(error.name, 'SyntaxError');
  assert.equal(error.message, 'Attempt to import secret HMAC key with invalid usage "encrypt".'
    + ' An HMAC key may have the usages "sign" and "verify".');

  error = await assert.rejects(importHmac(JEFE, 'SHA-256', []));
  assert.equal(error.message, 'Secret/private CryptoKeys must have at least one usage.');

  error = await assert.rejects(crypto.subtle.importKey('raw', JEFE, { name: 'HMAC' }, false, ['sign']), TypeError);
  assert.equal(error.message, 'Missing field "hash" in "algorithm".');

  error = await assert.rejects(crypto.subtle.importKey('raw', JEFE, { name: 'SHA3-KEY' }, false, ['encrypt']));
  assert.equal(error.name, 'NotSupportedError');

  error = await assert.rejects(crypto.subtle.importKey('pkcs8', JEFE, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']));
  assert.equal(error.message, 'Unrecognized key import format "pkcs8". Mooring imports HMAC keys in the formats "raw"'
    + ' and "jwk", written in lowercase.');
});

test('HMAC JWK rejects invalid keys and exports', async () => {
  let error = await assert.rejects(crypto.subtle.importKey('jwk', { kty: 'oct', k: 'a2V5=' }, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']));
  assert.equal(error.message, 'HMAC "jwk" key import requires a base64Url encoding of the key, but its "k" is "a2V5=".'
    + ' Give the key bytes in base64url, with - and _ and without = padding.');

  error = await assert.rejects(crypto.subtle.importKey('jwk', { kty: 'oct' }, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']));
  assert.ok(error.message.includes('but it has no "k" member.'), error.message);

  const md5 = await importHmac(JEFE, 'MD5', ['sign'], true);
  error = await assert.rejects(crypto.subtle.exportKey('jwk', md5));
  assert.equal(error.name, 'NotSupportedError');
  assert.equal(error.message, 'Unimplemented JWK key export format for key algorithm "MD5". Export the key as "raw" instead.');
});

test('A CryptoKey is not stored as an empty object', async () => {
  const key = await importHmac(JEFE, 'SHA-256');
  const error = assert.throws(() => structuredClone(key));
  assert.equal(error.name, 'DataCloneError');
});

test('timingSafeEqual compares buffers of one length', () => {
  assert.equal(crypto.subtle.timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]).buffer), true);
  assert.equal(crypto.subtle.timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4])), false);
  assert.throws(() => crypto.subtle.timingSafeEqual(new Uint8Array(2), new Uint8Array(3)), TypeError,
    'Input buffers must have the same byte length.');
});
