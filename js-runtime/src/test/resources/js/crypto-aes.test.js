function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function fromHex(text) {
  return new Uint8Array(text.match(/../g).map((pair) => parseInt(pair, 16)));
}

const subtle = crypto.subtle;

function importAes(name, keyHex, usages = ['encrypt', 'decrypt'], extractable = false) {
  return subtle.importKey('raw', fromHex(keyHex), name, extractable, usages);
}

async function rejection(promise, name, message) {
  const error = await assert.rejects(promise, DOMException, message);
  assert.equal(error.name, name);
  return error;
}

// NIST SP 800-38A, appendix F: the four plaintext blocks of every mode's examples.
const SP800_38A_KEY_128 = '2b7e151628aed2a6abf7158809cf4f3c';
const SP800_38A_KEY_256 = '603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4';
const SP800_38A_PLAINTEXT = '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51'
  + '30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710';

// The GCM specification of McGrew and Viega, test cases 2, 4 and 6 (as NIST's validation uses them).
const GCM_KEY = 'feffe9928665731c6d6a8f9467308308';
const GCM_IV = 'cafebabefacedbaddecaf888';
const GCM_LONG_IV = '9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728'
  + 'c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b';
const GCM_PLAINTEXT = 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72'
  + '1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39';
const GCM_AAD = 'feedfacedeadbeeffeedfacedeadbeefabaddad2';
const GCM_CIPHERTEXT = '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e'
  + '21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091';
const GCM_TAG = '5bc94fbc3221a5db94fae95ae7121a47';

// ---------------------------------------------------------------------------------------------
// AES-GCM

test('AES-GCM encrypt matches GCM test case 4', async () => {
  const key = await importAes('AES-GCM', GCM_KEY);
  const result = await subtle.encrypt({ name: 'AES-GCM', iv: fromHex(GCM_IV), additionalData: fromHex(GCM_AAD) },
    key, fromHex(GCM_PLAINTEXT));
  assert.ok(result instanceof ArrayBuffer);
  assert.equal(hex(result), GCM_CIPHERTEXT + GCM_TAG);
});

test('AES-GCM encrypt matches test cases 2 and 6', async () => {
  const zeroKey = await importAes('AES-GCM', '00'.repeat(16));
  assert.equal(hex(await subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, zeroKey, new Uint8Array(16))),
    '0388dace60b6a392f328c2b971b2fe78' + 'ab6e47d42cec13bdf53a67b21257bddf');

  const key = await importAes('AES-GCM', GCM_KEY);
  const longIv = await subtle.encrypt({ name: 'aes-gcm', iv: fromHex(GCM_LONG_IV), additionalData: fromHex(GCM_AAD) },
    key, fromHex(GCM_PLAINTEXT));
  assert.equal(hex(longIv), '8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca7'
    + '01e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5' + '619cc5aefffe0bfa462af43c1699d050');
});

test('AES-GCM decrypt recovers test case 4', async () => {
  const key = await importAes('AES-GCM', GCM_KEY);
  const plaintext = await subtle.decrypt({ name: 'AES-GCM', iv: fromHex(GCM_IV), additionalData: fromHex(GCM_AAD) },
    key, fromHex(GCM_CIPHERTEXT + GCM_TAG));
  assert.equal(hex(plaintext), GCM_PLAINTEXT);
});

test('AES-GCM short tags are the leading tag bytes', async () => {
  const key = await importAes('AES-GCM', GCM_KEY);
  for (const tagLength of [32, 64, 96, 104, 112, 120]) {
    const parameters = { name: 'AES-GCM', iv: fromHex(GCM_IV), additionalData: fromHex(GCM_AAD), tagLength };
    const result = await subtle.encrypt(parameters, key, fromHex(GCM_PLAINTEXT));
    assert.equal(hex(result), GCM_CIPHERTEXT + GCM_TAG.slice(0, tagLength / 4), `tagLength ${tagLength}`);
    assert.equal(hex(await subtle.decrypt(parameters, key, result)), GCM_PLAINTEXT, `tagLength ${tagLength}`);
  }
});

test('AES-GCM decrypt detects tampering', async () => {
  const key = await importAes('AES-GCM', GCM_KEY);
  const message = 'AES-GCM decryption of 76 bytes failed: the authentication tag does not match. Check that the key'
    + ' and the parameters are those used to encrypt and that the ciphertext is unchanged.';
  const parameters = { name: 'AES-GCM', iv: fromHex(GCM_IV), additionalData: fromHex(GCM_AAD) };
  const sealed = fromHex(GCM_CIPHERTEXT + GCM_TAG);

  const changedData = sealed.slice();
  changedData[3] ^= 1;
  await rejection(subtle.decrypt(parameters, key, changedData), 'OperationError', message);

  const changedTag = sealed.slice();
  changedTag[75] ^= 0x80;
  await rejection(subtle.decrypt(parameters, key, changedTag), 'OperationError', message);

  await rejection(subtle.decrypt({ name: 'AES-GCM', iv: fromHex(GCM_IV) }, key, sealed), 'OperationError', message);
});

test('AES-GCM decrypt checks a 32-bit tag', async () => {
  const key = await importAes('AES-GCM', GCM_KEY);
  const parameters = { name: 'AES-GCM', iv: fromHex(GCM_IV), tagLength: 32 };
  const sealed = new Uint8Array(await subtle.encrypt(parameters, key, fromHex(GCM_PLAINTEXT)));
  assert.equal(sealed.length, 60 + 4);
  const changedTag = sealed.slice();
  changedTag[63] ^= 1;
  await rejection(subtle.decrypt(parameters, key, changedTag), 'OperationError', /^AES-GCM decryption of 64 bytes failed/);
  const changedData = sealed.slice();
  changedData[0] ^= 1;
  await rejection(subtle.decrypt(parameters, key, changedData), 'OperationError', /^AES-GCM decryption of 64 bytes failed/);
});

test('AES-GCM and AES-CBC encrypt empty data', async () => {
  // Expected outputs computed with the Python cryptography package, which uses OpenSSL.
  const keyHex = '000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f';
  const gcm = await importAes('AES-GCM', keyHex);
  assert.equal(hex(await subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(16) }, gcm, new ArrayBuffer(0))),
    'fedbd1a722cb7c1a52f529e0469ee449');
  const cbc = await importAes('AES-CBC', keyHex);
  assert.equal(hex(await subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(16) }, cbc, new ArrayBuffer(0))),
    'dd3eedef984211b98384dc5677bc728e');
});

test('AES-GCM rejects invalid parameters', async () => {
  const key = await importAes('AES-GCM', GCM_KEY);
  const data = new Uint8Array(8);

  let error = await assert.rejects(subtle.encrypt({ name: 'AES-GCM' }, key, data), TypeError);
  assert.equal(error.message, 'Missing field "iv" in "algorithm".');
  await assert.rejects(subtle.encrypt('AES-GCM', key, data), TypeError, 'Missing field "iv" in "algorithm".');
  error = await assert.rejects(subtle.encrypt({ name: 'AES-GCM', iv: [1, 2, 3] }, key, data), TypeError);
  assert.equal(error.message, 'The "iv" field of "algorithm" must be an ArrayBuffer or an ArrayBuffer view.');

  for (const method of ['encrypt', 'decrypt']) {
    await rejection(subtle[method]({ name: 'AES-GCM', iv: new ArrayBuffer(0) }, key, new Uint8Array(32)), 'OperationError',
      'AES-GCM iv is empty. Pass a new iv of at least one byte for each encryption, usually 12 random bytes.');
  }

  const allowed = [32, 64, 96, 104, 112, 120, 128];
  const invalid = Array.from({ length: 18 }, (_, i) => i * 8).filter((bits) => !allowed.includes(bits));
  for (const tagLength of [...invalid, 100, 'x']) {
    await rejection(subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12), tagLength }, key, data), 'OperationError',
      `Invalid AES-GCM tagLength ${tagLength}. Use 32, 64, 96, 104, 112, 120 or 128 bits, or leave it out for 128.`);
  }

  await rejection(subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(12), tagLength: 96 }, key, new Uint8Array(11)),
    'OperationError', 'AES-GCM ciphertext of 88 bits is shorter than its 96-bit tag. Pass the whole output of'
      + ' encrypt(), which ends with the tag.');
});

// ---------------------------------------------------------------------------------------------
// AES-CBC

test('AES-CBC encrypt matches SP 800-38A F.2.1 and pads', async () => {
  const key = await importAes('AES-CBC', SP800_38A_KEY_128);
  const iv = fromHex('000102030405060708090a0b0c0d0e0f');
  const result = await subtle.encrypt({ name: 'AES-CBC', iv }, key, fromHex(SP800_38A_PLAINTEXT));
  // Four blocks from the standard, then the block of PKCS#7 padding (16 bytes of 0x10).
  assert.equal(hex(result), '7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2'
    + '73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7' + '8cb82807230e1321d3fae00d18cc2012');
  assert.equal(hex(await subtle.decrypt({ name: 'AES-CBC', iv }, key, result)), SP800_38A_PLAINTEXT);
});

test('AES-CBC with a 256-bit key matches SP 800-38A F.2.5', async () => {
  const key = await importAes('AES-CBC', SP800_38A_KEY_256);
  const result = await subtle.encrypt({ name: 'AES-CBC', iv: fromHex('000102030405060708090a0b0c0d0e0f') },
    key, fromHex(SP800_38A_PLAINTEXT));
  assert.equal(hex(result).slice(0, 128), 'f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d'
    + '39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b');
  assert.equal(result.byteLength, 80);
});

test('AES-CBC round-trips every padding length', async () => {
  const key = await importAes('AES-CBC', SP800_38A_KEY_128);
  const iv = new Uint8Array(16).fill(7);
  for (let length = 0; length <= 33; length++) {
    const data = new Uint8Array(length).map((_, i) => i * 3);
    const sealed = await subtle.encrypt({ name: 'AES-CBC', iv }, key, data);
    assert.equal(sealed.byteLength, (Math.floor(length / 16) + 1) * 16, `length ${length}`);
    assert.equal(hex(await subtle.decrypt({ name: 'AES-CBC', iv }, key, sealed)), hex(data), `length ${length}`);
  }
});

test('AES-CBC rejects a wrong iv length', async () => {
  const key = await importAes('AES-CBC', SP800_38A_KEY_128);
  for (const method of ['encrypt', 'decrypt']) {
    await rejection(subtle[method]({ name: 'AES-CBC', iv: new Uint8Array(12) }, key, new Uint8Array(16)), 'OperationError',
      'AES-CBC iv must be 16 bytes long, but it has 12.');
  }
  await assert.rejects(subtle.encrypt({ name: 'AES-CBC' }, key, new Uint8Array(16)), TypeError,
    'Missing field "iv" in "algorithm".');
});

test('AES-CBC decrypt rejects bad padding and partial blocks', async () => {
  const key = await importAes('AES-CBC', SP800_38A_KEY_128);
  const iv = new Uint8Array(16);
  const sealed = new Uint8Array(await subtle.encrypt({ name: 'AES-CBC', iv }, key, new Uint8Array(20)));
  const reason = 'the PKCS#7 padding is invalid or the length is not a multiple of 16 bytes. Check that the key and'
    + ' the parameters are those used to encrypt and that the ciphertext is unchanged.';
  const changed = sealed.slice();
  changed[31] ^= 0xff;
  await rejection(subtle.decrypt({ name: 'AES-CBC', iv }, key, changed), 'OperationError',
    `AES-CBC decryption of 32 bytes failed: ${reason}`);
  await rejection(subtle.decrypt({ name: 'AES-CBC', iv }, key, sealed.slice(0, 31)), 'OperationError',
    `AES-CBC decryption of 31 bytes failed: ${reason}`);
});

// ---------------------------------------------------------------------------------------------
// AES-CTR

const CTR_COUNTER = 'f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff';

test('AES-CTR matches SP 800-38A F.5.1 and F.5.2', async () => {
  const key = await importAes('AES-CTR', SP800_38A_KEY_128);
  const expected = '874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff'
    + '5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee';
  for (const length of [64, 128]) {
    const parameters = { name: 'AES-CTR', counter: fromHex(CTR_COUNTER), length };
    assert.equal(hex(await subtle.encrypt(parameters, key, fromHex(SP800_38A_PLAINTEXT))), expected, `length ${length}`);
    assert.equal(hex(await subtle.decrypt(parameters, key, fromHex(expected))), SP800_38A_PLAINTEXT, `length ${length}`);
  }
  // A partial last block uses only the leading keystream bytes.
  const partial = await subtle.encrypt({ name: 'AES-CTR', counter: fromHex(CTR_COUNTER), length: 64 },
    key, fromHex(SP800_38A_PLAINTEXT).subarray(0, 20));
  assert.equal(hex(partial), expected.slice(0, 40));
});

test('AES-CTR counter wraps within its length', async () => {
  const key = await importAes('AES-CTR', SP800_38A_KEY_128);
  const data = new Uint8Array(32).map((_, i) => i);
  // The low 4 bits of the counter block are 0xf, so the second block's counter wraps to 0 and the
  // block's other 124 bits stay as they are.
  const counter = fromHex('000102030405060708090a0b0c0d0e1f');
  const wrapped = new Uint8Array(await subtle.encrypt({ name: 'AES-CTR', counter, length: 4 }, key, data));
  const first = await subtle.encrypt({ name: 'AES-CTR', counter, length: 128 }, key, data.subarray(0, 16));
  const second = await subtle.encrypt({ name: 'AES-CTR', counter: fromHex('000102030405060708090a0b0c0d0e10'), length: 128 },
    key, data.subarray(16));
  assert.equal(hex(wrapped.subarray(0, 16)), hex(first));
  assert.equal(hex(wrapped.subarray(16)), hex(second));
  const carried = new Uint8Array(await subtle.encrypt({ name: 'AES-CTR', counter, length: 128 }, key, data));
  assert.notEqual(hex(carried.subarray(16)), hex(second));
  assert.equal(hex(counter), '000102030405060708090a0b0c0d0e1f', 'the caller\'s counter is unchanged');
});

test('AES-CTR counter wraps within a partial byte', async () => {
  const key = await importAes('AES-CTR', SP800_38A_KEY_128);
  const data = new Uint8Array(48);
  // A 9-bit counter of 0x1ff: the third block's counter wraps to 0, keeping the top 7 bits of byte 14.
  const counter = fromHex('ffffffffffffffffffffffffffffffff');
  const wrapped = new Uint8Array(await subtle.encrypt({ name: 'AES-CTR', counter, length: 9 }, key, data));
  const afterWrap = await subtle.encrypt({ name: 'AES-CTR', counter: fromHex('fffffffffffffffffffffffffffffe00'), length: 128 },
    key, new Uint8Array(32));
  assert.equal(hex(wrapped.subarray(16)), hex(afterWrap));
});

test('AES-CTR rejects a counter that would repeat', async () => {
  const key = await importAes('AES-CTR', SP800_38A_KEY_128);
  const counter = new Uint8Array(16);
  assert.equal((await subtle.encrypt({ name: 'AES-CTR', counter, length: 1 }, key, new Uint8Array(32))).byteLength, 32);
  await rejection(subtle.encrypt({ name: 'AES-CTR', counter, length: 1 }, key, new Uint8Array(33)), 'OperationError',
    'AES-CTR data of 3 blocks would repeat the values of a 1-bit counter, and with them the keystream. Use a longer'
      + ' counter length or encrypt less data at once.');
});

test('AES-CTR rejects invalid parameters', async () => {
  const key = await importAes('AES-CTR', SP800_38A_KEY_128);
  const data = new Uint8Array(16);
  await assert.rejects(subtle.encrypt({ name: 'AES-CTR', length: 64 }, key, data), TypeError,
    'Missing field "counter" in "algorithm".');
  await rejection(subtle.decrypt({ name: 'AES-CTR', counter: new Uint8Array(12), length: 64 }, key, data), 'OperationError',
    'AES-CTR counter must be 16 bytes long, but it has 12.');
  await assert.rejects(subtle.encrypt({ name: 'AES-CTR', counter: new Uint8Array(16) }, key, data), TypeError,
    'Missing field "length" in "algorithm". Give the number of bits of the counter block that count, 1 to 128, usually 64.');
  for (const length of [0, 129, 1.5]) {
    await rejection(subtle.encrypt({ name: 'AES-CTR', counter: new Uint8Array(16), length }, key, data), 'OperationError',
      `Invalid AES-CTR counter length ${length}. Use 1 to 128 bits, usually 64.`);
  }
});

// ---------------------------------------------------------------------------------------------
// AES-KW

// RFC 3394, sections 4.1, 4.2 and 4.6.
const KW_KEY_DATA_128 = '00112233445566778899aabbccddeeff';
const KW_VECTORS = [
  ['000102030405060708090a0b0c0d0e0f', KW_KEY_DATA_128, '1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5'],
  ['000102030405060708090a0b0c0d0e0f1011121314151617', KW_KEY_DATA_128, '96778b25ae6ca435f92b5b97c050aed2468ab8a17ad84e5d'],
  ['000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', KW_KEY_DATA_128 + '000102030405060708090a0b0c0d0e0f',
    '28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21'],
];

test('AES-KW wrapKey matches RFC 3394', async () => {
  for (const [kekHex, keyDataHex, wrappedHex] of KW_VECTORS) {
    const kek = await importAes('AES-KW', kekHex, ['wrapKey']);
    const key = await importAes('AES-GCM', keyDataHex, ['encrypt'], true);
    assert.equal(hex(await subtle.wrapKey('raw', key, kek, 'AES-KW')), wrappedHex, kekHex);
  }
});

test('AES-KW unwrapKey recovers RFC 3394 keys', async () => {
  for (const [kekHex, keyDataHex, wrappedHex] of KW_VECTORS) {
    const kek = await importAes('AES-KW', kekHex, ['unwrapKey']);
    const key = await subtle.unwrapKey('raw', fromHex(wrappedHex), kek, { name: 'AES-KW' }, 'AES-CBC', true, ['decrypt']);
    assert.deepEqual(key.algorithm, { name: 'AES-CBC', length: keyDataHex.length * 4 });
    assert.deepEqual(key.usages, ['decrypt']);
    assert.equal(hex(await subtle.exportKey('raw', key)), keyDataHex, kekHex);
  }
});

test('AES-KW unwrapKey rejects changed data', async () => {
  const [kekHex, , wrappedHex] = KW_VECTORS[0];
  const kek = await importAes('AES-KW', kekHex, ['unwrapKey']);
  const changed = fromHex(wrappedHex);
  changed[5] ^= 1;
  await rejection(subtle.unwrapKey('raw', changed, kek, 'AES-KW', 'AES-GCM', true, ['encrypt']), 'OperationError',
    'AES-KW unwrapping failed its integrity check: the wrapped key was changed or the unwrapping key differs from'
      + ' the wrapping key.');
  const otherKek = await importAes('AES-KW', 'ff'.repeat(16), ['unwrapKey']);
  await rejection(subtle.unwrapKey('raw', fromHex(wrappedHex), otherKek, 'AES-KW', 'AES-GCM', true, ['encrypt']),
    'OperationError', /^AES-KW unwrapping failed its integrity check/);
});

test('AES-KW wraps and unwraps a JWK', async () => {
  const kek = await importAes('AES-KW', KW_VECTORS[2][0], ['wrapKey', 'unwrapKey']);
  const key = await importAes('AES-GCM', SP800_38A_KEY_256, ['encrypt'], true);
  // AES-KW wraps only multiples of 8 bytes, which this key's JSON is.
  assert.equal(JSON.stringify(await subtle.exportKey('jwk', key)).length, 112);
  const wrapped = await subtle.wrapKey('jwk', key, kek, 'AES-KW');
  assert.equal(wrapped.byteLength, 120);
  const unwrapped = await subtle.unwrapKey('jwk', wrapped, kek, 'AES-KW', 'AES-GCM', true, ['encrypt']);
  assert.deepEqual(unwrapped.algorithm, { name: 'AES-GCM', length: 256 });
  assert.equal(hex(await subtle.exportKey('raw', unwrapped)), SP800_38A_KEY_256);
});

test('AES-KW rejects lengths it cannot wrap or unwrap', async () => {
  const kek = await importAes('AES-KW', KW_VECTORS[0][0], ['wrapKey', 'unwrapKey']);
  const hmacKey = await subtle.importKey('raw', new Uint8Array(20), { name: 'HMAC', hash: 'SHA-1' }, true, ['sign']);
  await rejection(subtle.wrapKey('raw', hmacKey, kek, 'AES-KW'), 'OperationError',
    'AES-KW cannot wrap a key exported to 20 bytes: it wraps 16 bytes or more, in a multiple of 8. Wrap the key in'
      + ' the "raw" format, or wrap a "jwk" with AES-GCM.');
  const jwkLength = JSON.stringify(await subtle.exportKey('jwk', hmacKey)).length;
  assert.notEqual(jwkLength % 8, 0, 'this JWK\'s JSON is not a multiple of 8 bytes');
  await rejection(subtle.wrapKey('jwk', hmacKey, kek, 'AES-KW'), 'OperationError',
    new RegExp(`^AES-KW cannot wrap a key exported to ${jwkLength} bytes`));
  for (const length of [16, 28]) {
    await rejection(subtle.unwrapKey('raw', new Uint8Array(length), kek, 'AES-KW', 'AES-GCM', true, ['encrypt']),
      'OperationError', `AES-KW cannot unwrap ${length} bytes: wrapped keys are 24 bytes or more, in a multiple of 8.`
        + ' Pass the whole output of wrapKey().');
  }
});

test('AES-KW keys only wrap and unwrap', async () => {
  const error = await rejection(importAes('AES-KW', KW_VECTORS[0][0], ['wrapKey', 'encrypt']), 'SyntaxError',
    'Attempt to import secret AES-KW key with invalid usage "encrypt". An AES-KW key may have the usages "wrapKey"'
      + ' and "unwrapKey".');
  assert.ok(error instanceof DOMException);
  await rejection(subtle.generateKey({ name: 'AES-KW', length: 128 }, true, ['decrypt']), 'SyntaxError',
    /^Attempt to generate AES-KW key with invalid usage "decrypt"\./);
});

// ---------------------------------------------------------------------------------------------
// Keys: generateKey, importKey and exportKey

test('generateKey makes AES keys of each length', async () => {
  for (const name of ['AES-GCM', 'AES-CBC', 'AES-CTR']) {
    for (const length of [128, 192, 256]) {
      const key = await subtle.generateKey({ name: name.toLowerCase(), length }, true, ['decrypt', 'wrapKey', 'encrypt']);
      assert.equal(key.type, 'secret');
      assert.equal(key.extractable, true);
      assert.deepEqual(key.algorithm, { name, length });
      assert.deepEqual(key.usages, ['encrypt', 'decrypt', 'wrapKey']);
      assert.equal((await subtle.exportKey('raw', key)).byteLength, length / 8);
    }
  }
  const first = await subtle.generateKey({ name: 'AES-KW', length: 256 }, true, ['wrapKey']);
  const second = await subtle.generateKey({ name: 'AES-KW', length: 256 }, true, ['wrapKey']);
  assert.notEqual(hex(await subtle.exportKey('raw', first)), hex(await subtle.exportKey('raw', second)));
});

test('generateKey rejects invalid AES lengths', async () => {
  await rejection(subtle.generateKey({ name: 'AES-GCM', length: 64 }, true, ['encrypt']), 'OperationError',
    'Invalid AES-GCM key length 64 requested: generateKey() makes AES keys of 128, 192 or 256 bits.');
  await assert.rejects(subtle.generateKey({ name: 'AES-GCM' }, true, ['encrypt']), TypeError,
    'Missing field "length" in "algorithm". Give the AES key length in bits: 128, 192 or 256.');
  await rejection(subtle.generateKey({ name: 'AES-CBC', length: 128 }, true, []), 'SyntaxError',
    'Secret/private CryptoKeys must have at least one usage.');
});

test('importKey rejects AES key data of a wrong length', async () => {
  for (const length of [0, 15, 20, 33]) {
    await rejection(subtle.importKey('raw', new Uint8Array(length), 'AES-CTR', true, ['encrypt']), 'DataError',
      `Invalid AES-CTR key data of ${length * 8} bits: an AES key has 128, 192 or 256 bits (16, 24 or 32 bytes).`);
  }
});

test('importKey rejects invalid AES usages and formats', async () => {
  await rejection(importAes('AES-GCM', GCM_KEY, ['encrypt', 'sign']), 'SyntaxError',
    'Attempt to import secret AES-GCM key with invalid usage "sign". An AES-GCM key may have the usages "encrypt",'
      + ' "decrypt", "wrapKey" and "unwrapKey".');
  await rejection(subtle.importKey('spki', fromHex(GCM_KEY), 'AES-GCM', true, ['encrypt']), 'NotSupportedError',
    'Unrecognized key import format "spki". Mooring imports AES-GCM keys in the formats "raw" and "jwk", written in'
      + ' lowercase.');
  const key = await importAes('AES-GCM', GCM_KEY, ['encrypt'], true);
  await rejection(subtle.exportKey('pkcs8', key), 'NotSupportedError',
    'Unrecognized key export format "pkcs8". Mooring exports AES-GCM keys in the formats "raw" and "jwk", written in'
      + ' lowercase.');
});

test('AES keys reject uses outside their usages', async () => {
  const encryptOnly = await importAes('AES-GCM', GCM_KEY, ['encrypt']);
  const parameters = { name: 'AES-GCM', iv: new Uint8Array(12) };
  await rejection(subtle.decrypt(parameters, encryptOnly, new Uint8Array(32)), 'InvalidAccessError',
    'Requested key usage "decrypt" does not match any usage listed in this CryptoKey.');
  await rejection(subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(16) }, encryptOnly, new Uint8Array(1)),
    'InvalidAccessError', 'Requested algorithm "AES-CBC" does not match this CryptoKey\'s algorithm "AES-GCM".');
  await rejection(subtle.exportKey('raw', encryptOnly), 'InvalidAccessError', 'Attempt to export non-extractable AES-GCM key.');
  await rejection(subtle.exportKey('jwk', encryptOnly), 'InvalidAccessError', 'Attempt to export non-extractable AES-GCM key.');
});

test('AES keys round-trip through JWK', async () => {
  const cases = [
    ['AES-GCM', GCM_KEY, 'A128GCM'],
    ['AES-CBC', KW_VECTORS[1][0], 'A192CBC'],
    ['AES-CTR', SP800_38A_KEY_256, 'A256CTR'],
    ['AES-KW', KW_VECTORS[0][0], 'A128KW'],
  ];
  for (const [name, keyHex, alg] of cases) {
    const usages = name === 'AES-KW' ? ['unwrapKey', 'wrapKey'] : ['decrypt', 'encrypt'];
    const key = await importAes(name, keyHex, usages, true);
    const jwk = await subtle.exportKey('jwk', key);
    const k = btoa(String.fromCharCode(...fromHex(keyHex))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    assert.deepEqual(jwk, { kty: 'oct', k, alg, key_ops: usages.slice().reverse(), ext: true }, name);
    const again = await subtle.importKey('jwk', jwk, name, true, usages);
    assert.deepEqual(again.algorithm, { name, length: keyHex.length * 4 }, name);
    assert.equal(hex(await subtle.exportKey('raw', again)), keyHex, name);
  }
});

test('AES JWK import rejects invalid members', async () => {
  const k = 'AAECAwQFBgcICQoLDA0ODw';
  const importJwk = (jwk, usages = ['encrypt']) => subtle.importKey('jwk', jwk, 'AES-GCM', false, usages);
  assert.equal(hex(await subtle.exportKey('raw', await subtle.importKey('jwk', { kty: 'oct', k }, 'AES-GCM', true, ['encrypt']))),
    '000102030405060708090a0b0c0d0e0f');

  await rejection(importJwk({ kty: 'RSA', k }), 'DataError',
    'Invalid "kty" "RSA" in the JSON Web Key for AES-GCM: an AES key needs "kty": "oct".');
  await rejection(importJwk({ kty: 'oct', k: k + '==' }), 'DataError', `The JSON Web Key for AES-GCM needs the key bytes in`
    + ` "k", but its "k" is "${k}==". Give them in base64url, with - and _ and without = padding.`);
  await rejection(importJwk({ kty: 'oct' }), 'DataError', /but it has no "k" member\./);
  await rejection(importJwk({ kty: 'oct', k: 'AAECAwQFBgcICQoLDA0O' }), 'DataError',
    'Invalid AES-GCM key data of 120 bits: an AES key has 128, 192 or 256 bits (16, 24 or 32 bytes).');
  await rejection(importJwk({ kty: 'oct', k, alg: 'A256GCM' }), 'DataError',
    'Invalid "alg" "A256GCM" in the JSON Web Key: a 128-bit AES-GCM key has "alg" "A128GCM" or none.');
  await rejection(importJwk({ kty: 'oct', k, alg: 'A128CBC' }), 'DataError', /^Invalid "alg" "A128CBC"/);
  await rejection(importJwk({ kty: 'oct', k, use: 'sig' }), 'DataError',
    'Invalid "use" "sig" in the JSON Web Key: an AES-GCM key has "use" "enc" or none.');
  await rejection(importJwk({ kty: 'oct', k, key_ops: ['encrypt', 'encrypt'] }), 'DataError',
    'The JSON Web Key lists "encrypt" twice in "key_ops". List each operation once.');
  await rejection(importJwk({ kty: 'oct', k, key_ops: ['decrypt'] }), 'DataError',
    'The usage "encrypt" is not in the JSON Web Key\'s "key_ops" (["decrypt"]). Request only usages that "key_ops" lists.');
  await assert.rejects(importJwk({ kty: 'oct', k, key_ops: 'encrypt' }), TypeError,
    'The JSON Web Key\'s "key_ops" is "encrypt", but it must be an array of strings such as ["encrypt", "decrypt"].');
  await rejection(subtle.importKey('jwk', { kty: 'oct', k, ext: false }, 'AES-GCM', true, ['encrypt']), 'DataError',
    'JWK ext field for "AES-GCM" is set to false but extractable is true');

  const key = await importJwk({ kty: 'oct', k, use: 'enc', alg: 'A128GCM', key_ops: ['decrypt', 'encrypt'], ext: true });
  assert.deepEqual(key.usages, ['encrypt']);
});

// ---------------------------------------------------------------------------------------------
// wrapKey and unwrapKey with AES-GCM

test('AES-GCM wraps and unwraps a raw key', async () => {
  const wrapping = await importAes('AES-GCM', GCM_KEY, ['wrapKey', 'unwrapKey']);
  const key = await importAes('AES-CBC', SP800_38A_KEY_128, ['encrypt'], true);
  const parameters = { name: 'AES-GCM', iv: fromHex(GCM_IV) };
  const wrapped = await subtle.wrapKey('raw', key, wrapping, parameters);
  assert.equal(hex(wrapped), hex(await subtle.encrypt(parameters,
    await importAes('AES-GCM', GCM_KEY, ['encrypt']), fromHex(SP800_38A_KEY_128))));
  const unwrapped = await subtle.unwrapKey('raw', wrapped, wrapping, parameters, 'AES-CBC', true, ['encrypt', 'decrypt']);
  assert.equal(hex(await subtle.exportKey('raw', unwrapped)), SP800_38A_KEY_128);
  assert.deepEqual(unwrapped.usages, ['encrypt', 'decrypt']);
});

test('AES-GCM wraps and unwraps a JWK', async () => {
  const wrapping = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']);
  const hmacKey = await subtle.importKey('raw', new TextEncoder().encode('Jefe'), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
  const parameters = { name: 'AES-GCM', iv: new Uint8Array(12).fill(9), additionalData: new Uint8Array([1, 2]) };
  const wrapped = await subtle.wrapKey('jwk', hmacKey, wrapping, parameters);
  const unwrapped = await subtle.unwrapKey('jwk', wrapped, wrapping, parameters, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  assert.deepEqual(unwrapped.algorithm, { name: 'HMAC', hash: { name: 'SHA-256' }, length: 32 });
  assert.equal(unwrapped.extractable, false);
  // RFC 4231 test case 2.
  assert.equal(hex(await subtle.sign('HMAC', unwrapped, new TextEncoder().encode('what do ya want for nothing?'))),
    '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
});

test('AES-GCM unwrapKey rejects a wrapped key that was changed', async () => {
  const wrapping = await importAes('AES-GCM', GCM_KEY, ['wrapKey', 'unwrapKey']);
  const key = await importAes('AES-CTR', SP800_38A_KEY_128, ['encrypt'], true);
  const parameters = { name: 'AES-GCM', iv: fromHex(GCM_IV) };
  const wrapped = new Uint8Array(await subtle.wrapKey('raw', key, wrapping, parameters));
  wrapped[0] ^= 1;
  await rejection(subtle.unwrapKey('raw', wrapped, wrapping, parameters, 'AES-CTR', true, ['encrypt']), 'OperationError',
    /^AES-GCM decryption of 32 bytes failed: the authentication tag does not match\./);
});

test('wrapKey requires usage and extractable key', async () => {
  const encryptOnly = await importAes('AES-GCM', GCM_KEY, ['encrypt']);
  const key = await importAes('AES-CBC', SP800_38A_KEY_128, ['encrypt'], true);
  const parameters = { name: 'AES-GCM', iv: fromHex(GCM_IV) };
  await rejection(subtle.wrapKey('raw', key, encryptOnly, parameters), 'InvalidAccessError',
    'Requested key usage "wrapKey" does not match any usage listed in this CryptoKey.');
  const wrapping = await importAes('AES-GCM', GCM_KEY, ['wrapKey']);
  const fixed = await importAes('AES-CBC', SP800_38A_KEY_128, ['encrypt'], false);
  await rejection(subtle.wrapKey('raw', fixed, wrapping, parameters), 'InvalidAccessError',
    'Attempt to export non-extractable AES-CBC key.');
});
