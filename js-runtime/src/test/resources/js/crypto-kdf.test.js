function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function fromHex(text) {
  return new Uint8Array(text.match(/../g).map((pair) => parseInt(pair, 16)));
}

const subtle = crypto.subtle;
const encoder = new TextEncoder();

function importKdf(name, password, usages = ['deriveBits', 'deriveKey']) {
  return subtle.importKey('raw', password, name, false, usages);
}

async function rejection(promise, name, message) {
  const error = await assert.rejects(promise, DOMException, message);
  assert.equal(error.name, name);
  return error;
}

// ---------------------------------------------------------------------------------------------
// PBKDF2

// RFC 6070: PBKDF2-HMAC-SHA1 as [password, salt, iterations, derived key].
const RFC6070 = [
  ['password', 'salt', 1, '0c60c80f961f0e71f3a9b524af6012062fe037a6'],
  ['password', 'salt', 2, 'ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957'],
  ['password', 'salt', 4096, '4b007901b765489abead49d926f721d065a429c1'],
  ['passwordPASSWORDpassword', 'saltSALTsaltSALTsaltSALTsaltSALTsalt', 4096, '3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038'],
  ['pass\0word', 'sa\0lt', 4096, '56fa6aa75548099dcc37d7f03425e0c3'],
];

test('PBKDF2 matches RFC 6070', async () => {
  for (const [password, salt, iterations, expected] of RFC6070) {
    const key = await importKdf('PBKDF2', encoder.encode(password));
    const bits = await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-1', salt: encoder.encode(salt), iterations },
      key, expected.length * 4);
    assert.ok(bits instanceof ArrayBuffer);
    assert.equal(hex(bits), expected, `${JSON.stringify(password)}, ${iterations} iterations`);
  }
});

test('PBKDF2 with SHA-256 and with an empty password', async () => {
  // Known answers computed with Python's hashlib.pbkdf2_hmac.
  const key = await importKdf('PBKDF2', encoder.encode('password'));
  assert.equal(hex(await subtle.deriveBits({ name: 'pbkdf2', hash: { name: 'sha-256' }, salt: encoder.encode('salt'), iterations: 1 },
    key, 256)), '120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b');
  const empty = await importKdf('PBKDF2', new Uint8Array(0));
  assert.equal(hex(await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: encoder.encode('salt'), iterations: 2 },
    empty, 256)), '62384466264daadc4144018c6bd864648272b34da8980d31521ffcce92ae003b');
});

test('PBKDF2 rejects missing parameters', async () => {
  const key = await importKdf('PBKDF2', encoder.encode('password'));
  const salt = encoder.encode('salt');
  await assert.rejects(subtle.deriveBits({ name: 'PBKDF2', salt, iterations: 1 }, key, 128), TypeError,
    'Missing field "hash" in "algorithm".');
  await assert.rejects(subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-1', iterations: 1 }, key, 128), TypeError,
    'Missing field "salt" in "algorithm".');
  await assert.rejects(subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-1', salt: 'salt', iterations: 1 }, key, 128), TypeError,
    'The "salt" field of "algorithm" must be an ArrayBuffer or an ArrayBuffer view.');
  await assert.rejects(subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-1', salt }, key, 128), TypeError,
    'Missing field "iterations" in "algorithm".');
  await rejection(subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-3', salt, iterations: 1 }, key, 128), 'NotSupportedError',
    /^Unrecognized or unimplemented digest algorithm requested: "SHA-3"\./);
});

test('PBKDF2 rejects invalid iterations and lengths', async () => {
  const key = await importKdf('PBKDF2', encoder.encode('password'));
  const parameters = { name: 'PBKDF2', hash: 'SHA-1', salt: encoder.encode('salt'), iterations: 1 };
  for (const iterations of [0, -1, 1.5]) {
    await rejection(subtle.deriveBits({ ...parameters, iterations }, key, 128), 'OperationError',
      `Invalid PBKDF2 iterations ${iterations}. Use a whole number from 1 to 100000.`);
  }
  await rejection(subtle.deriveBits({ ...parameters, iterations: 100001 }, key, 128), 'NotSupportedError',
    'Pbkdf2 failed: iteration counts above 100000 are not supported (requested 100001), as on Cloudflare.');
  assert.equal((await subtle.deriveBits({ ...parameters, iterations: 100000 }, key, 128)).byteLength, 16);
  await rejection(subtle.deriveBits(parameters, key, 12), 'OperationError', 'Invalid PBKDF2 length 12. Derive a non-zero'
    + ' multiple of 8 bits.');
  await rejection(subtle.deriveBits(parameters, key, 0), 'OperationError', 'Invalid PBKDF2 length 0. Derive a non-zero'
    + ' multiple of 8 bits.');
  await rejection(subtle.deriveBits(parameters, key, null), 'OperationError', 'PBKDF2 cannot derive bits without a length.'
    + ' Pass the length in bits, a multiple of 8, or derive a key of an algorithm with a fixed length, such as AES-GCM.');
  assert.equal((await subtle.deriveBits(parameters, key, 255 * 160)).byteLength, 255 * 20);
  await rejection(subtle.deriveBits(parameters, key, 255 * 160 + 8), 'OperationError',
    'Invalid PBKDF2 length 40808: with SHA-1 it derives at most 40800 bits.');
});

test('PBKDF2 keys import only raw and never extractable', async () => {
  const key = await importKdf('PBKDF2', encoder.encode('password'), ['deriveKey', 'deriveBits']);
  assert.equal(key.type, 'secret');
  assert.equal(key.extractable, false);
  assert.deepEqual(key.algorithm, { name: 'PBKDF2' });
  assert.deepEqual(key.usages, ['deriveKey', 'deriveBits']);

  await rejection(subtle.importKey('raw', encoder.encode('password'), 'PBKDF2', true, ['deriveBits']), 'SyntaxError',
    'PBKDF2 keys cannot be extractable. Import the key with extractable set to false.');
  await rejection(subtle.importKey('jwk', { kty: 'oct', k: 'cGFzc3dvcmQ' }, 'PBKDF2', false, ['deriveBits']),
    'NotSupportedError', 'Unrecognized key import format "jwk". Mooring imports PBKDF2 keys only in the "raw" format.');
  await rejection(importKdf('PBKDF2', encoder.encode('password'), ['deriveBits', 'encrypt']), 'SyntaxError',
    'Attempt to import secret PBKDF2 key with invalid usage "encrypt". A PBKDF2 key may have the usages "deriveKey"'
      + ' and "deriveBits".');
  await rejection(importKdf('PBKDF2', encoder.encode('password'), []), 'SyntaxError',
    'Secret/private CryptoKeys must have at least one usage.');
  await rejection(subtle.exportKey('raw', key), 'InvalidAccessError', 'Attempt to export non-extractable PBKDF2 key.');
  await rejection(subtle.generateKey({ name: 'PBKDF2' }, false, ['deriveBits']), 'NotSupportedError',
    /^Unrecognized key generation algorithm "PBKDF2" requested\./);
});

test('deriveKey makes an AES-GCM key with PBKDF2', async () => {
  const password = await importKdf('PBKDF2', encoder.encode('password'), ['deriveKey']);
  const parameters = { name: 'PBKDF2', hash: 'SHA-1', salt: encoder.encode('salt'), iterations: 4096 };
  const key = await subtle.deriveKey(parameters, password, { name: 'aes-gcm', length: 128 }, true, ['encrypt', 'decrypt']);
  assert.deepEqual(key.algorithm, { name: 'AES-GCM', length: 128 });
  assert.deepEqual(key.usages, ['encrypt', 'decrypt']);
  // The first 16 bytes of RFC 6070's 4096-iteration key.
  assert.equal(hex(await subtle.exportKey('raw', key)), '4b007901b765489abead49d926f721d0');

  const iv = new Uint8Array(12);
  const sealed = await subtle.encrypt({ name: 'AES-GCM', iv }, key, encoder.encode('derived'));
  assert.equal(new TextDecoder().decode(await subtle.decrypt({ name: 'AES-GCM', iv }, key, sealed)), 'derived');
});

test('deriveKey checks the derived AES key length', async () => {
  const password = await importKdf('PBKDF2', encoder.encode('password'), ['deriveKey']);
  const parameters = { name: 'PBKDF2', hash: 'SHA-1', salt: encoder.encode('salt'), iterations: 1 };
  await assert.rejects(subtle.deriveKey(parameters, password, { name: 'AES-CBC' }, true, ['encrypt']), TypeError,
    'Missing field "length" in "derivedKeyParams". Give the AES key length in bits: 128, 192 or 256.');
  await rejection(subtle.deriveKey(parameters, password, { name: 'AES-CBC', length: 100 }, true, ['encrypt']),
    'OperationError', 'Invalid derived AES-CBC key length 100: deriveKey() makes AES keys of 128, 192 or 256 bits.');
  await rejection(subtle.deriveKey(parameters, password, 'PBKDF2', false, ['deriveBits']), 'OperationError',
    /^PBKDF2 cannot derive bits without a length\./);
  await rejection(subtle.deriveBits(parameters, password, 128), 'InvalidAccessError',
    'Requested key usage "deriveBits" does not match any usage listed in this CryptoKey.');
});

// ---------------------------------------------------------------------------------------------
// HKDF

// RFC 5869, test cases 1, 3, 4 and 7 as [hash, input key, salt, info, output key].
const RFC5869 = [
  ['SHA-256', '0b'.repeat(22), '000102030405060708090a0b0c', 'f0f1f2f3f4f5f6f7f8f9',
    '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865'],
  ['SHA-256', '0b'.repeat(22), '', '',
    '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8'],
  ['SHA-1', '0b'.repeat(11), '000102030405060708090a0b0c', 'f0f1f2f3f4f5f6f7f8f9',
    '085a01ea1b10f36933068b56efa5ad81a4f14b822f5b091568a9cdd4f155fda2c22e422478d305f3f896'],
  ['SHA-1', '0c'.repeat(22), '', '',
    '2c91117204d745f3500d636a62f64f0ab3bae548aa53d423b0d1f27ebba6f5e5673a081d70cce7acfc48'],
];

function bytesOf(hexText) {
  return hexText === '' ? new Uint8Array(0) : fromHex(hexText);
}

test('HKDF matches RFC 5869', async () => {
  for (const [hash, inputKey, salt, info, expected] of RFC5869) {
    const key = await importKdf('HKDF', fromHex(inputKey));
    const bits = await subtle.deriveBits({ name: 'HKDF', hash, salt: bytesOf(salt), info: bytesOf(info) }, key, 42 * 8);
    assert.equal(hex(bits), expected, `${hash} with salt "${salt}"`);
  }
});

test('HKDF derives up to 255 digests', async () => {
  const key = await importKdf('HKDF', fromHex('0b'.repeat(22)));
  const parameters = { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new Uint8Array(0) };
  assert.equal((await subtle.deriveBits(parameters, key, 0)).byteLength, 0);
  const longest = await subtle.deriveBits(parameters, key, 255 * 256);
  assert.equal(longest.byteLength, 255 * 32);
  assert.equal(hex(longest.slice(0, 42)), RFC5869[1][4], 'a longer output starts with the shorter one');
  await rejection(subtle.deriveBits(parameters, key, 255 * 256 + 8), 'OperationError',
    'Invalid HKDF length 65288: with SHA-256 it derives at most 65280 bits.');
  await rejection(subtle.deriveBits(parameters, key, 20), 'OperationError', 'Invalid HKDF length 20. Derive a multiple of 8 bits.');
  await rejection(subtle.deriveBits(parameters, key), 'OperationError', /^HKDF cannot derive bits without a length\./);
});

test('HKDF rejects missing parameters', async () => {
  const key = await importKdf('HKDF', fromHex('0b'.repeat(22)));
  const empty = new Uint8Array(0);
  await assert.rejects(subtle.deriveBits({ name: 'HKDF', salt: empty, info: empty }, key, 128), TypeError,
    'Missing field "hash" in "algorithm".');
  await assert.rejects(subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', info: empty }, key, 128), TypeError,
    'Missing field "salt" in "algorithm".');
  await assert.rejects(subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: empty }, key, 128), TypeError,
    'Missing field "info" in "algorithm".');
});

test('HKDF keys import only raw and never extractable', async () => {
  const key = await importKdf('HKDF', fromHex('0b'.repeat(22)), ['deriveBits']);
  assert.deepEqual(key.algorithm, { name: 'HKDF' });
  assert.deepEqual(key.usages, ['deriveBits']);
  await rejection(subtle.importKey('raw', new Uint8Array(16), 'HKDF', true, ['deriveKey']), 'SyntaxError',
    'HKDF keys cannot be extractable. Import the key with extractable set to false.');
  await rejection(subtle.importKey('jwk', { kty: 'oct', k: 'AAAA' }, 'HKDF', false, ['deriveKey']), 'NotSupportedError',
    'Unrecognized key import format "jwk". Mooring imports HKDF keys only in the "raw" format.');
  await rejection(importKdf('HKDF', new Uint8Array(16), ['sign']), 'SyntaxError',
    'Attempt to import secret HKDF key with invalid usage "sign". An HKDF key may have the usages "deriveKey" and'
      + ' "deriveBits".');
});

test('deriveKey makes an HMAC key with HKDF', async () => {
  const [hash, inputKey, salt, info] = RFC5869[0];
  const base = await importKdf('HKDF', fromHex(inputKey));
  const parameters = { name: 'HKDF', hash, salt: fromHex(salt), info: fromHex(info) };
  const hmacKey = await subtle.deriveKey(parameters, base, { name: 'HMAC', hash: 'SHA-256' }, true, ['sign', 'verify']);
  // Without a length, an HMAC key has the hash's block size: 512 bits for SHA-256.
  assert.deepEqual(hmacKey.algorithm, { name: 'HMAC', hash: { name: 'SHA-256' }, length: 512 });
  const raw = await subtle.exportKey('raw', hmacKey);
  assert.equal(hex(raw), hex(await subtle.deriveBits(parameters, base, 512)));
  assert.equal(hex(raw).slice(0, 84), RFC5869[0][4]);

  const shorter = await subtle.deriveKey(parameters, base, { name: 'HMAC', hash: 'SHA-1', length: 128 }, true, ['sign']);
  assert.equal(hex(await subtle.exportKey('raw', shorter)), RFC5869[0][4].slice(0, 32));
});
