function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function fromHex(text) {
  return Uint8Array.from(text.match(/../g) || [], (pair) => parseInt(pair, 16));
}

function base64Url(buffer) {
  return btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// RFC 8032, section 7.1, tests 1 (empty message) and 2 (the message 0x72).
const RFC8032_TEST_1 = {
  secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
  public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  message: '',
  signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155'
    + '5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
};
const RFC8032_TEST_2 = {
  secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
  public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
  message: '72',
  signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da'
    + '085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
};

// RFC 7748, section 6.1: Alice's and Bob's X25519 keys and their shared secret.
const RFC7748 = {
  alicePrivate: '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
  alicePublic: '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
  bobPrivate: '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb',
  bobPublic: 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f',
  shared: '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742',
};

// The DER that RFC 8410 gives every Ed25519 public (SPKI) and private (PKCS#8) key before its 32 bytes.
const ED25519_SPKI_PREFIX = '302a300506032b6570032100';
const ED25519_PKCS8_PREFIX = '302e020100300506032b657004220420';

function ed25519Jwk(vector, withPrivate = true) {
  const jwk = { kty: 'OKP', crv: 'Ed25519', x: base64Url(fromHex(vector.public)) };
  if (withPrivate) {
    jwk.d = base64Url(fromHex(vector.secret));
  }
  return jwk;
}

function x25519Jwk(privateHex, publicHex) {
  return { kty: 'OKP', crv: 'X25519', x: base64Url(fromHex(publicHex)), d: base64Url(fromHex(privateHex)) };
}

// ---------------------------------------------------------------------------------------------
// Ed25519

test('Ed25519 sign matches RFC 8032', async () => {
  for (const vector of [RFC8032_TEST_1, RFC8032_TEST_2]) {
    const key = await crypto.subtle.importKey('jwk', ed25519Jwk(vector), 'Ed25519', false, ['sign']);
    assert.equal(hex(await crypto.subtle.sign('Ed25519', key, fromHex(vector.message))), vector.signature);
  }
});

test('Ed25519 verifies RFC 8032 signatures', async () => {
  const key = await crypto.subtle.importKey('raw', fromHex(RFC8032_TEST_2.public), { name: 'Ed25519' }, false, ['verify']);
  const signature = fromHex(RFC8032_TEST_2.signature);
  assert.equal(await crypto.subtle.verify('Ed25519', key, signature, fromHex('72')), true);
});

test('Ed25519 verify rejects tampered signatures', async () => {
  const key = await crypto.subtle.importKey('raw', fromHex(RFC8032_TEST_2.public), 'Ed25519', false, ['verify']);
  const tampered = fromHex(RFC8032_TEST_2.signature);
  tampered[5] ^= 1;
  assert.equal(await crypto.subtle.verify('Ed25519', key, tampered, fromHex('72')), false);
  assert.equal(await crypto.subtle.verify('Ed25519', key, fromHex(RFC8032_TEST_2.signature), fromHex('73')), false);
  assert.equal(await crypto.subtle.verify('Ed25519', key, fromHex(RFC8032_TEST_2.signature).slice(0, 63), fromHex('72')), false);
  assert.equal(await crypto.subtle.verify('Ed25519', key, fromHex(RFC8032_TEST_1.signature), fromHex('')), false);
});

test('Ed25519 pkcs8 import derives the public key', async () => {
  const pkcs8 = fromHex(ED25519_PKCS8_PREFIX + RFC8032_TEST_1.secret);
  const key = await crypto.subtle.importKey('pkcs8', pkcs8, 'Ed25519', true, ['sign']);
  assert.deepEqual(await crypto.subtle.exportKey('jwk', key),
    Object.assign({ alg: 'EdDSA' }, ed25519Jwk(RFC8032_TEST_1), { key_ops: ['sign'], ext: true }));
  assert.equal(hex(await crypto.subtle.exportKey('pkcs8', key)), hex(pkcs8));
  assert.equal(hex(await crypto.subtle.sign('Ed25519', key, new Uint8Array(0))), RFC8032_TEST_1.signature);
});

test('Ed25519 public keys round-trip through raw, spki and jwk', async () => {
  const key = await crypto.subtle.importKey('raw', fromHex(RFC8032_TEST_1.public), 'Ed25519', true, ['verify']);
  assert.equal(key.type, 'public');
  assert.deepEqual(key.algorithm, { name: 'Ed25519' });
  assert.equal(hex(await crypto.subtle.exportKey('raw', key)), RFC8032_TEST_1.public);
  const spki = await crypto.subtle.exportKey('spki', key);
  assert.equal(hex(spki), ED25519_SPKI_PREFIX + RFC8032_TEST_1.public);
  const fromSpki = await crypto.subtle.importKey('spki', spki, 'Ed25519', true, ['verify']);
  assert.deepEqual(await crypto.subtle.exportKey('jwk', fromSpki),
    { kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', x: base64Url(fromHex(RFC8032_TEST_1.public)), key_ops: ['verify'], ext: true });
  const fromJwk = await crypto.subtle.importKey('jwk', ed25519Jwk(RFC8032_TEST_1, false), 'Ed25519', true, ['verify']);
  assert.equal(hex(await crypto.subtle.exportKey('raw', fromJwk)), RFC8032_TEST_1.public);
});

test('generateKey makes an Ed25519 pair', async () => {
  const { publicKey, privateKey } = await crypto.subtle.generateKey('Ed25519', false, ['sign', 'verify']);
  assert.deepEqual(publicKey.algorithm, { name: 'Ed25519' });
  assert.deepEqual(publicKey.usages, ['verify']);
  assert.deepEqual(privateKey.usages, ['sign']);
  assert.equal(publicKey.extractable, true);
  assert.equal((await crypto.subtle.exportKey('raw', publicKey)).byteLength, 32);
  const data = new TextEncoder().encode('generated');
  const signature = await crypto.subtle.sign('Ed25519', privateKey, data);
  assert.equal(signature.byteLength, 64);
  assert.equal(await crypto.subtle.verify('Ed25519', publicKey, signature, data), true);

  const error = await assert.rejects(crypto.subtle.exportKey('jwk', privateKey));
  assert.equal(error.name, 'InvalidAccessError');
  assert.equal(error.message, 'Attempt to export non-extractable Ed25519 key.');
});

test('Ed25519 import rejects invalid keys', async () => {
  let error = await assert.rejects(crypto.subtle.importKey('raw', new Uint8Array(31), 'Ed25519', false, ['verify']));
  assert.equal(error.name, 'DataError');
  assert.equal(error.message, 'Ed25519 raw keys must be exactly 32 bytes (provided 31).');

  error = await assert.rejects(crypto.subtle.importKey('jwk', Object.assign(ed25519Jwk(RFC8032_TEST_1), { kty: 'EC' }),
    'Ed25519', false, ['sign']));
  assert.equal(error.name, 'DataError');
  assert.equal(error.message, 'Ed25519 "jwk" key import requires a JSON Web Key with Key Type parameter "kty" equal to'
    + ' "OKP" (found "EC").');

  error = await assert.rejects(crypto.subtle.importKey('jwk', Object.assign(ed25519Jwk(RFC8032_TEST_1), { crv: 'X25519' }),
    'Ed25519', false, ['sign']));
  assert.equal(error.name, 'NotSupportedError');
  assert.equal(error.message, 'Only Ed25519 is supported but "X25519" was requested. Import a "X25519" key with the'
    + ' algorithm of that curve.');

  const withoutCurve = ed25519Jwk(RFC8032_TEST_1);
  delete withoutCurve.crv;
  error = await assert.rejects(crypto.subtle.importKey('jwk', withoutCurve, 'Ed25519', false, ['sign']));
  assert.equal(error.message, 'Missing field "crv" for Ed25519 key. Set "crv" to "Ed25519".');

  error = await assert.rejects(crypto.subtle.importKey('jwk', Object.assign({ alg: 'ES256' }, ed25519Jwk(RFC8032_TEST_1)),
    'Ed25519', false, ['sign']));
  assert.equal(error.name, 'DataError');
  assert.equal(error.message, 'JSON Web Key Algorithm parameter "alg" ("ES256") does not match requested Ed25519 curve.'
    + ' Use "EdDSA" or leave "alg" out.');

  const mismatched = Object.assign(ed25519Jwk(RFC8032_TEST_1), { x: base64Url(fromHex(RFC8032_TEST_2.public)) });
  error = await assert.rejects(crypto.subtle.importKey('jwk', mismatched, 'Ed25519', false, ['sign']));
  assert.equal(error.name, 'DataError');
  assert.equal(error.message, 'Invalid Ed25519 key in JSON Web Key: the public key "x" does not belong to the private key "d".');

  error = await assert.rejects(crypto.subtle.importKey('pkcs8', fromHex(ED25519_SPKI_PREFIX + RFC8032_TEST_1.public),
    'Ed25519', false, ['sign']));
  assert.equal(error.name, 'DataError');
  assert.ok(error.message.startsWith('Invalid PKCS8 input:'), error.message);
});

test('Ed25519 keys reject wrong usages', async () => {
  let error = await assert.rejects(crypto.subtle.importKey('raw', fromHex(RFC8032_TEST_1.public), 'Ed25519', false, ['sign']));
  assert.equal(error.name, 'SyntaxError');
  assert.equal(error.message, 'Attempt to import public Ed25519 key with invalid usage "sign". An Ed25519 key may have'
    + ' the usage "verify".');

  error = await assert.rejects(crypto.subtle.generateKey('Ed25519', false, ['deriveBits']));
  assert.equal(error.name, 'SyntaxError');

  const publicKey = await crypto.subtle.importKey('raw', fromHex(RFC8032_TEST_1.public), 'Ed25519', false, ['verify']);
  error = await assert.rejects(crypto.subtle.sign('Ed25519', publicKey, new Uint8Array(0)));
  assert.equal(error.name, 'InvalidAccessError');
  assert.equal(error.message, 'Requested key usage "sign" does not match any usage listed in this CryptoKey.');
});

// ---------------------------------------------------------------------------------------------
// X25519

test('X25519 derives the RFC 7748 shared secret', async () => {
  const alice = await crypto.subtle.importKey('jwk', x25519Jwk(RFC7748.alicePrivate, RFC7748.alicePublic), 'X25519',
    false, ['deriveBits']);
  const bobPublic = await crypto.subtle.importKey('raw', fromHex(RFC7748.bobPublic), 'X25519', false, []);
  assert.deepEqual(bobPublic.usages, []);
  assert.equal(hex(await crypto.subtle.deriveBits({ name: 'X25519', public: bobPublic }, alice, 256)), RFC7748.shared);
  assert.equal(hex(await crypto.subtle.deriveBits({ name: 'X25519', public: bobPublic }, alice, null)), RFC7748.shared);

  const bob = await crypto.subtle.importKey('jwk', x25519Jwk(RFC7748.bobPrivate, RFC7748.bobPublic), 'X25519',
    false, ['deriveBits']);
  const alicePublic = await crypto.subtle.importKey('raw', fromHex(RFC7748.alicePublic), 'X25519', false, []);
  assert.equal(hex(await crypto.subtle.deriveBits({ name: 'X25519', public: alicePublic }, bob, 128)), RFC7748.shared.slice(0, 32));
});

test('X25519 pkcs8 import derives the public key', async () => {
  const pkcs8 = fromHex('302e020100300506032b656e04220420' + RFC7748.alicePrivate);
  const key = await crypto.subtle.importKey('pkcs8', pkcs8, 'X25519', true, ['deriveBits']);
  assert.deepEqual(await crypto.subtle.exportKey('jwk', key),
    Object.assign(x25519Jwk(RFC7748.alicePrivate, RFC7748.alicePublic), { key_ops: ['deriveBits'], ext: true }));
});

test('X25519 generated pairs agree', async () => {
  const alice = await crypto.subtle.generateKey({ name: 'X25519' }, true, ['deriveKey', 'deriveBits']);
  const bob = await crypto.subtle.generateKey({ name: 'X25519' }, true, ['deriveBits']);
  assert.deepEqual(alice.publicKey.usages, []);
  assert.deepEqual(alice.privateKey.usages, ['deriveKey', 'deriveBits']);
  const fromAlice = await crypto.subtle.deriveBits({ name: 'X25519', public: bob.publicKey }, alice.privateKey, 256);
  const fromBob = await crypto.subtle.deriveBits({ name: 'X25519', public: alice.publicKey }, bob.privateKey, 256);
  assert.equal(hex(fromAlice), hex(fromBob));

  const error = await assert.rejects(crypto.subtle.deriveBits({ name: 'X25519', public: bob.publicKey }, alice.privateKey, 264));
  assert.equal(error.name, 'OperationError');
  assert.equal(error.message, 'Derived key length (264 bits) is too long (should be at most 256 bits).');
});

test('X25519 rejects a small-order peer', async () => {
  const alice = await crypto.subtle.importKey('jwk', x25519Jwk(RFC7748.alicePrivate, RFC7748.alicePublic), 'X25519',
    false, ['deriveBits']);
  const zero = await crypto.subtle.importKey('raw', new Uint8Array(32), 'X25519', false, []);
  const error = await assert.rejects(crypto.subtle.deriveBits({ name: 'X25519', public: zero }, alice, 256));
  assert.equal(error.name, 'OperationError');
  assert.ok(error.message.startsWith('X25519 key agreement failed:'), error.message);
});

test('X25519 keys reject wrong usages and peers', async () => {
  let error = await assert.rejects(crypto.subtle.importKey('raw', fromHex(RFC7748.bobPublic), 'X25519', false, ['deriveBits']));
  assert.equal(error.name, 'SyntaxError');
  assert.equal(error.message, 'Attempt to import public X25519 key with invalid usage "deriveBits". A public X25519 key'
    + ' has no usages: import it with [] and pass it as "public" to deriveBits().');

  const alice = await crypto.subtle.importKey('jwk', x25519Jwk(RFC7748.alicePrivate, RFC7748.alicePublic), 'X25519',
    true, ['deriveBits']);
  const edPublic = await crypto.subtle.importKey('raw', fromHex(RFC8032_TEST_1.public), 'Ed25519', false, ['verify']);
  error = await assert.rejects(crypto.subtle.deriveBits({ name: 'X25519', public: edPublic }, alice, 256));
  assert.equal(error.name, 'InvalidAccessError');
  assert.equal(error.message, 'Private key for derivation is using "X25519" while public key is using "Ed25519".');

  error = await assert.rejects(crypto.subtle.sign('X25519', alice, new Uint8Array(0)));
  assert.equal(error.name, 'InvalidAccessError');

  error = await assert.rejects(crypto.subtle.exportKey('raw', alice));
  assert.equal(error.message, 'Raw export of X25519 keys is only allowed for public keys. Export a private key as "pkcs8" or "jwk".');
});
