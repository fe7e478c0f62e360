function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function fromHex(text) {
  return Uint8Array.from(text.match(/../g), (pair) => parseInt(pair, 16));
}

function base64Url(buffer) {
  return btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  return Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));
}

// The P-256 key, signing input and ES256 signature of RFC 7515, appendix A.3.
const RFC7515_P256 = {
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
  d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI',
};
const RFC7515_P256_PUBLIC = { kty: 'EC', crv: 'P-256', x: RFC7515_P256.x, y: RFC7515_P256.y };
const ES256_SIGNING_INPUT = new TextEncoder().encode('eyJhbGciOiJFUzI1NiJ9'
  + '.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ');
const ES256_SIGNATURE = 'DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q';

// The P-521 public key, signing input and ES512 signature of RFC 7515, appendix A.4.
const RFC7515_P521_PUBLIC = {
  kty: 'EC',
  crv: 'P-521',
  x: 'AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk',
  y: 'ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2',
};
const ES512_SIGNING_INPUT = new TextEncoder().encode('eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA');
const ES512_SIGNATURE = 'AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7XdtAG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn';

// The P-256 base point G and 2G (SEC 2 and its point doubling), as hex coordinates.
const P256_G = {
  x: '6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296',
  y: '4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5',
};
const P256_2G = {
  x: '7cf27b188d034f7e8a52380304b51ac3c08969e277f21b35a60b48fc47669978',
  y: '07775510db8ed040293d9ac69f7430dbba7dade63ce982299e04b79d227873d1',
};

const ES256 = { name: 'ECDSA', namedCurve: 'P-256' };
const SHA256 = { name: 'ECDSA', hash: 'SHA-256' };

function importEc(format, data, algorithm, usages, extractable = false) {
  return crypto.subtle.importKey(format, data, algorithm, extractable, usages);
}

// A JWK of the P-256 key whose private scalar is `scalar` and public point `point`.
function p256Jwk(scalar, point) {
  const d = new Uint8Array(32);
  d[31] = scalar;
  return { kty: 'EC', crv: 'P-256', x: base64Url(fromHex(point.x)), y: base64Url(fromHex(point.y)), d: base64Url(d) };
}

// ---------------------------------------------------------------------------------------------
// ECDSA

test('ECDSA verifies the RFC 7515 ES256 JWS', async () => {
  const key = await importEc('jwk', Object.assign({ alg: 'ES256', use: 'sig' }, RFC7515_P256_PUBLIC), ES256, ['verify']);
  assert.equal(await crypto.subtle.verify(SHA256, key, fromBase64Url(ES256_SIGNATURE), ES256_SIGNING_INPUT), true);
});

test('ECDSA verify rejects tampered signatures', async () => {
  const key = await importEc('jwk', RFC7515_P256_PUBLIC, ES256, ['verify']);
  const tampered = fromBase64Url(ES256_SIGNATURE);
  tampered[40] ^= 1;
  assert.equal(await crypto.subtle.verify(SHA256, key, tampered, ES256_SIGNING_INPUT), false);
  assert.equal(await crypto.subtle.verify(SHA256, key, fromBase64Url(ES256_SIGNATURE).slice(0, 63), ES256_SIGNING_INPUT), false);
  assert.equal(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-384' }, key, fromBase64Url(ES256_SIGNATURE),
    ES256_SIGNING_INPUT), false);
  assert.equal(await crypto.subtle.verify(SHA256, key, fromBase64Url(ES256_SIGNATURE), new Uint8Array(4)), false);
});

test('ECDSA verifies the RFC 7515 ES512 JWS on P-521', async () => {
  const key = await importEc('jwk', RFC7515_P521_PUBLIC, { name: 'ECDSA', namedCurve: 'P-521' }, ['verify']);
  const signature = fromBase64Url(ES512_SIGNATURE);
  assert.equal(signature.length, 132);
  assert.equal(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-512' }, key, signature, ES512_SIGNING_INPUT), true);
  signature[131] ^= 1;
  assert.equal(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-512' }, key, signature, ES512_SIGNING_INPUT), false);
});

test('ECDSA signatures are 64-byte r and s', async () => {
  const privateKey = await importEc('jwk', RFC7515_P256, ES256, ['sign']);
  const publicKey = await importEc('raw', fromHex('04' + hex(fromBase64Url(RFC7515_P256.x)) + hex(fromBase64Url(RFC7515_P256.y))),
    ES256, ['verify']);
  const signature = await crypto.subtle.sign(SHA256, privateKey, ES256_SIGNING_INPUT);
  assert.equal(signature.byteLength, 64);
  assert.equal(await crypto.subtle.verify(SHA256, publicKey, signature, ES256_SIGNING_INPUT), true);
});

test('generateKey makes an ECDSA P-384 pair', async () => {
  const { publicKey, privateKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true,
    ['verify', 'sign']);
  assert.deepEqual(publicKey.algorithm, { name: 'ECDSA', namedCurve: 'P-384' });
  assert.deepEqual(privateKey.algorithm, { name: 'ECDSA', namedCurve: 'P-384' });
  assert.deepEqual(publicKey.usages, ['verify']);
  assert.deepEqual(privateKey.usages, ['sign']);
  assert.equal(privateKey.extractable, true);
  const data = new TextEncoder().encode('P-384');
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-384' }, privateKey, data);
  assert.equal(signature.byteLength, 96);
  assert.equal(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-384' }, publicKey, signature, data), true);

  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  const publicJwk = await crypto.subtle.exportKey('jwk', publicKey);
  assert.equal(jwk.x, publicJwk.x);
  assert.equal(jwk.y, publicJwk.y);
  assert.equal(fromBase64Url(jwk.d).length, 48);
});

// ---------------------------------------------------------------------------------------------
// Import and export

test('EC private JWK round-trips', async () => {
  const key = await importEc('jwk', RFC7515_P256, ES256, ['sign'], true);
  assert.deepEqual(await crypto.subtle.exportKey('jwk', key), Object.assign({}, RFC7515_P256, { key_ops: ['sign'], ext: true }));
});

test('EC pkcs8 import finds the public key', async () => {
  const key = await importEc('jwk', RFC7515_P256, ES256, ['sign'], true);
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', key);
  const again = await importEc('pkcs8', pkcs8, ES256, ['sign'], true);
  const jwk = await crypto.subtle.exportKey('jwk', again);
  assert.equal(jwk.x, RFC7515_P256.x);
  assert.equal(jwk.y, RFC7515_P256.y);
  assert.equal(jwk.d, RFC7515_P256.d);
});

test('EC private key of scalar 1 has public key G', async () => {
  const withG = p256Jwk(1, P256_G);
  const key = await importEc('jwk', withG, ES256, ['sign'], true);
  const again = await importEc('pkcs8', await crypto.subtle.exportKey('pkcs8', key), ES256, ['sign'], true);
  const jwk = await crypto.subtle.exportKey('jwk', again);
  assert.equal(hex(fromBase64Url(jwk.x)), P256_G.x);
  assert.equal(hex(fromBase64Url(jwk.y)), P256_G.y);

  const error = await assert.rejects(importEc('jwk', p256Jwk(2, P256_G), ES256, ['sign']));
  assert.equal(error.name, 'DataError');
  assert.equal(error.message, 'Invalid EC key in JSON Web Key: the public point ("x", "y") does not belong to the private key "d".');
  await importEc('jwk', p256Jwk(2, P256_2G), ES256, ['sign']);
});

test('EC public keys round-trip through spki and raw', async () => {
  const key = await importEc('jwk', RFC7515_P256_PUBLIC, ES256, ['verify'], true);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', key));
  assert.equal(hex(raw), '04' + hex(fromBase64Url(RFC7515_P256.x)) + hex(fromBase64Url(RFC7515_P256.y)));

  const spki = await crypto.subtle.exportKey('spki', key);
  const fromSpki = await importEc('spki', spki, ES256, ['verify'], true);
  assert.equal(hex(await crypto.subtle.exportKey('raw', fromSpki)), hex(raw));
  assert.deepEqual(await crypto.subtle.exportKey('jwk', fromSpki),
    Object.assign({}, RFC7515_P256_PUBLIC, { key_ops: ['verify'], ext: true }));
});

test('EC raw import accepts a compressed point', async () => {
  const x = hex(fromBase64Url(RFC7515_P256.x));
  const y = fromBase64Url(RFC7515_P256.y);
  const prefix = (y[31] & 1) === 1 ? '03' : '02';
  const key = await importEc('raw', fromHex(prefix + x), ES256, ['verify'], true);
  assert.equal(hex(await crypto.subtle.exportKey('raw', key)), '04' + x + hex(y));
  const wrongParity = await importEc('raw', fromHex((prefix === '02' ? '03' : '02') + x), ES256, ['verify'], true);
  assert.notEqual(hex(await crypto.subtle.exportKey('raw', wrongParity)), '04' + x + hex(y));
});

test('EC import rejects points off the curve', async () => {
  const offCurve = Object.assign({}, RFC7515_P256_PUBLIC, { y: RFC7515_P256.x });
  let error = await assert.rejects(importEc('jwk', offCurve, ES256, ['verify']));
  assert.equal(error.name, 'DataError');
  assert.equal(error.message, 'Invalid P-256 public key: the point (x, y) is not on the curve.');

  error = await assert.rejects(importEc('raw', new Uint8Array(33).fill(4), ES256, ['verify']));
  assert.equal(error.name, 'DataError');
  assert.equal(error.message, 'Invalid raw P-256 public key of 33 bytes: expected an uncompressed point of 65 bytes'
    + ' starting with 0x04, or a compressed point of 33 bytes starting with 0x02 or 0x03.');

  error = await assert.rejects(importEc('jwk', Object.assign({}, RFC7515_P256_PUBLIC, { x: 'AAAA' }), ES256, ['verify']));
  assert.equal(error.message, 'Invalid EC key in JSON Web Key: "x" has 3 bytes, but a P-256 coordinate or private key has 32.');
});

test('EC import checks the curve', async () => {
  let error = await assert.rejects(importEc('jwk', RFC7515_P256_PUBLIC, { name: 'ECDSA' }, ['verify']), TypeError);
  assert.equal(error.message, 'Missing field "namedCurve" in "algorithm". Use "P-256", "P-384" or "P-521".');

  error = await assert.rejects(importEc('jwk', RFC7515_P256_PUBLIC, { name: 'ECDSA', namedCurve: 'P-192' }, ['verify']));
  assert.equal(error.name, 'NotSupportedError');
  assert.equal(error.message, 'Unrecognized or unimplemented EC curve "P-192" requested. Use "P-256", "P-384" or "P-521".');

  const spki = await crypto.subtle.exportKey('spki', await importEc('jwk', RFC7515_P256_PUBLIC, ES256, ['verify'], true));
  error = await assert.rejects(importEc('spki', spki, { name: 'ECDSA', namedCurve: 'P-384' }, ['verify']));
  assert.equal(error.name, 'DataError');
  assert.equal(error.message, '"algorithm.namedCurve" "P-384" does not match the curve specified by the input key data'
    + ' ("P-256"). Import the key with namedCurve "P-256".');

  error = await assert.rejects(importEc('jwk', RFC7515_P256_PUBLIC, { name: 'ECDSA', namedCurve: 'P-521' }, ['verify']));
  assert.equal(error.name, 'DataError');
  assert.equal(error.message, 'The JSON Web Key\'s "crv" ("P-256") does not match the requested namedCurve "P-521".');

  error = await assert.rejects(importEc('jwk', Object.assign({ alg: 'ES384' }, RFC7515_P256_PUBLIC), ES256, ['verify']));
  assert.equal(error.name, 'DataError');
  assert.equal(error.message, 'JSON Web Key Algorithm parameter "alg" ("ES384") does not match requested curve "P-256".'
    + ' Import the key with the curve "P-384".');

  error = await assert.rejects(importEc('jwk', Object.assign({ alg: 'RS256' }, RFC7515_P256_PUBLIC), ES256, ['verify']));
  assert.equal(error.name, 'NotSupportedError');
  assert.equal(error.message, 'Unrecognized or unimplemented algorithm "RS256" listed in JSON Web Key Algorithm'
    + ' parameter. Use one of ES256, ES384, ES512, or leave "alg" out.');

  error = await assert.rejects(importEc('jwk', Object.assign({}, RFC7515_P256_PUBLIC, { kty: 'OKP' }), ES256, ['verify']));
  assert.equal(error.message, 'Elliptic curve "jwk" key import requires a JSON Web Key with Key Type parameter "kty"'
    + ' equal to "EC" (found "OKP").');

  error = await assert.rejects(importEc('spki', new Uint8Array([0x30, 0]), ES256, ['verify']));
  assert.equal(error.name, 'DataError');
});

test('ECDSA keys reject wrong usages and exports', async () => {
  let error = await assert.rejects(importEc('jwk', RFC7515_P256, ES256, ['deriveBits']));
  assert.equal(error.name, 'SyntaxError');
  assert.equal(error.message, 'Attempt to import private ECDSA key with invalid usage "deriveBits".'
    + ' An ECDSA key may have the usage "sign".');

  const publicKey = await importEc('jwk', RFC7515_P256_PUBLIC, ES256, ['verify']);
  error = await assert.rejects(crypto.subtle.sign(SHA256, publicKey, ES256_SIGNING_INPUT));
  assert.equal(error.name, 'InvalidAccessError');
  error = await assert.rejects(crypto.subtle.exportKey('spki', publicKey));
  assert.equal(error.message, 'Attempt to export non-extractable ECDSA key.');

  const privateKey = await importEc('jwk', RFC7515_P256, ES256, ['sign'], true);
  error = await assert.rejects(crypto.subtle.exportKey('raw', privateKey));
  assert.equal(error.name, 'InvalidAccessError');
  assert.equal(error.message, 'Raw export of ECDSA keys is only allowed for public keys. Export a private key as "pkcs8" or "jwk".');

  error = await assert.rejects(crypto.subtle.sign('ECDSA', privateKey, ES256_SIGNING_INPUT), TypeError);
  assert.equal(error.message, 'Missing "hash" in AlgorithmIdentifier. ECDSA takes the hash at each call, such as'
    + ' { name: "ECDSA", hash: "SHA-256" }.');
});

// ---------------------------------------------------------------------------------------------
// ECDH

test('ECDH secret of scalar 1 is the peer x', async () => {
  const ecdh = { name: 'ECDH', namedCurve: 'P-256' };
  const scalarOne = await importEc('jwk', p256Jwk(1, P256_G), ecdh, ['deriveBits']);
  const peer = await importEc('raw', fromHex('04' + P256_2G.x + P256_2G.y), ecdh, []);
  assert.deepEqual(peer.usages, []);
  assert.equal(hex(await crypto.subtle.deriveBits({ name: 'ECDH', public: peer }, scalarOne, 256)), P256_2G.x);
  assert.equal(hex(await crypto.subtle.deriveBits({ name: 'ECDH', public: peer }, scalarOne, null)), P256_2G.x);
  assert.equal(hex(await crypto.subtle.deriveBits({ name: 'ECDH', public: peer }, scalarOne, 12)), '7cf0');

  const scalarTwo = await importEc('jwk', p256Jwk(2, P256_2G), ecdh, ['deriveBits']);
  const generator = await importEc('raw', fromHex('04' + P256_G.x + P256_G.y), ecdh, []);
  assert.equal(hex(await crypto.subtle.deriveBits({ name: 'ECDH', public: generator }, scalarTwo, 256)), P256_2G.x);
});

test('ECDH pairs derive one shared key', async () => {
  const algorithm = { name: 'ECDH', namedCurve: 'P-384' };
  const alice = await crypto.subtle.generateKey(algorithm, false, ['deriveBits', 'deriveKey']);
  const bob = await crypto.subtle.generateKey(algorithm, false, ['deriveBits']);
  assert.deepEqual(alice.publicKey.usages, []);
  assert.deepEqual(alice.privateKey.usages, ['deriveKey', 'deriveBits']);
  const fromAlice = await crypto.subtle.deriveBits({ name: 'ECDH', public: bob.publicKey }, alice.privateKey, 384);
  const fromBob = await crypto.subtle.deriveBits({ name: 'ECDH', public: alice.publicKey }, bob.privateKey, 384);
  assert.equal(fromAlice.byteLength, 48);
  assert.equal(hex(fromAlice), hex(fromBob));

  const hmac = await crypto.subtle.deriveKey({ name: 'ECDH', public: bob.publicKey }, alice.privateKey,
    { name: 'HMAC', hash: 'SHA-256', length: 256 }, true, ['sign']);
  assert.equal(hex(await crypto.subtle.exportKey('raw', hmac)), hex(fromAlice.slice(0, 32)));

  const error = await assert.rejects(crypto.subtle.deriveBits({ name: 'ECDH', public: bob.publicKey }, alice.privateKey, 392));
  assert.equal(error.name, 'OperationError');
  assert.equal(error.message, 'Derived key length (392 bits) is too long (should be at most 384 bits).');
});

test('ECDH checks the peer public key', async () => {
  const p256 = { name: 'ECDH', namedCurve: 'P-256' };
  const mine = await importEc('jwk', RFC7515_P256, p256, ['deriveBits']);
  let error = await assert.rejects(crypto.subtle.deriveBits({ name: 'ECDH' }, mine, 256), TypeError);
  assert.equal(error.message, 'Missing field "public" in "derivedKeyParams". Pass the peer\'s public key, as in'
    + ' { name: "ECDH", public: peerPublicKey }.');

  error = await assert.rejects(crypto.subtle.deriveBits({ name: 'ECDH', public: mine }, mine, 256));
  assert.equal(error.name, 'InvalidAccessError');
  assert.equal(error.message, 'The provided key has type "private", not "public". Pass the peer\'s public key.');

  const otherCurve = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-384' }, false, ['deriveBits']);
  error = await assert.rejects(crypto.subtle.deriveBits({ name: 'ECDH', public: otherCurve.publicKey }, mine, 256));
  assert.equal(error.name, 'InvalidAccessError');
  assert.equal(error.message, 'Private key for derivation is using curve "P-256" while public key is using "P-384".'
    + ' Use two keys on the same curve.');

  const ecdsaPublic = await importEc('jwk', RFC7515_P256_PUBLIC, ES256, ['verify']);
  error = await assert.rejects(crypto.subtle.deriveBits({ name: 'ECDH', public: ecdsaPublic }, mine, 256));
  assert.equal(error.message, 'Private key for derivation is using "ECDH" while public key is using "ECDSA".');

  error = await assert.rejects(importEc('jwk', RFC7515_P256_PUBLIC, p256, ['deriveBits']));
  assert.equal(error.name, 'SyntaxError');
  assert.equal(error.message, 'Attempt to import public ECDH key with invalid usage "deriveBits". A public ECDH key has'
    + ' no usages: import it with [] and pass it as "public" to deriveBits().');
});
