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
  for (const algorithm of ['SHA-224', 'SHA256', 'sha3-256', { name: 'RSA-PSS' }]) {
    const error = await assert.rejects(crypto.subtle.digest(algorithm, ABC), DOMException,
      'Unrecognized or unimplemented digest algorithm requested.');
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

test('subtle methods outside digest are absent', () => {
  for (const name of ['encrypt', 'decrypt', 'sign', 'verify', 'generateKey', 'importKey', 'exportKey', 'deriveBits']) {
    assert.equal(crypto.subtle[name], undefined, name);
  }
});
