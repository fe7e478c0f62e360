function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function base64Url(buffer) {
  return btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  return Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0));
}

// The RSA key, signing input and RS256 signature of RFC 7515, appendix A.2.
const RFC7515_RSA = {
  kty: 'RSA',
  n: 'ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ',
  e: 'AQAB',
  d: 'Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ',
  p: '4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc',
  q: 'uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc',
  dp: 'BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0',
  dq: 'h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU',
  qi: 'IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U',
};
const RFC7515_RSA_PUBLIC = { kty: 'RSA', n: RFC7515_RSA.n, e: RFC7515_RSA.e };
const RS256_SIGNING_INPUT = new TextEncoder().encode('eyJhbGciOiJSUzI1NiJ9'
  + '.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ');
const RS256_SIGNATURE = 'cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw';

const PKCS1 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

function importRsa(jwk, algorithm, usages, extractable = false) {
  return crypto.subtle.importKey('jwk', jwk, algorithm, extractable, usages);
}

// RSA key generation is slow, so the tests that need a generated pair share this one.
let generatedPair;
async function generatedPkcs1Pair() {
  if (generatedPair === undefined) {
    generatedPair = await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024,
      publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, false, ['sign', 'verify']);
  }
  return generatedPair;
}

// ---------------------------------------------------------------------------------------------
// RSASSA-PKCS1-v1_5

test('RSASSA-PKCS1-v1_5 sign matches RFC 7515 A.2', async () => {
  const key = await importRsa(RFC7515_RSA, PKCS1, ['sign']);
  assert.equal(base64Url(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, RS256_SIGNING_INPUT)), RS256_SIGNATURE);
});

test('RSASSA-PKCS1-v1_5 verifies the RFC 7515 JWS', async () => {
  const key = await importRsa(Object.assign({ alg: 'RS256', use: 'sig' }, RFC7515_RSA_PUBLIC), PKCS1, ['verify']);
  const signature = fromBase64Url(RS256_SIGNATURE);
  assert.equal(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, signature, RS256_SIGNING_INPUT), true);
});

test('RSASSA-PKCS1-v1_5 verify rejects a tampered signature or data', async () => {
  const key = await importRsa(RFC7515_RSA_PUBLIC, PKCS1, ['verify']);
  const tampered = fromBase64Url(RS256_SIGNATURE);
  tampered[10] ^= 1;
  assert.equal(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, tampered, RS256_SIGNING_INPUT), false);
  const otherData = RS256_SIGNING_INPUT.slice(0, -1);
  assert.equal(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, fromBase64Url(RS256_SIGNATURE), otherData), false);
  assert.equal(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, new Uint8Array(3), RS256_SIGNING_INPUT), false);
});

test('RSASSA-PKCS1-v1_5 key hash decides the signature', async () => {
  const key = await importRsa(RFC7515_RSA, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' }, ['sign']);
  const signature = await crypto.subtle.sign({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, key, RS256_SIGNING_INPUT);
  assert.notEqual(base64Url(signature), RS256_SIGNATURE);
  const verifier = await importRsa(RFC7515_RSA_PUBLIC, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' }, ['verify']);
  assert.equal(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', verifier, signature, RS256_SIGNING_INPUT), true);
});

test('generateKey makes an RSASSA-PKCS1-v1_5 pair', async () => {
  const { publicKey, privateKey } = await generatedPkcs1Pair();
  assert.equal(publicKey.type, 'public');
  assert.equal(privateKey.type, 'private');
  assert.equal(publicKey.extractable, true);
  assert.equal(privateKey.extractable, false);
  assert.deepEqual(publicKey.usages, ['verify']);
  assert.deepEqual(privateKey.usages, ['sign']);
  assert.deepEqual(privateKey.algorithm, { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024,
    publicExponent: new Uint8Array([1, 0, 1]), hash: { name: 'SHA-256' } });
  assert.ok(privateKey.algorithm.publicExponent instanceof Uint8Array);

  const data = new TextEncoder().encode('generated');
  const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', privateKey, data);
  assert.equal(signature.byteLength, 128);
  assert.equal(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', publicKey, signature, data), true);
});

test('RSA private key without extractable is not exported', async () => {
  const { publicKey, privateKey } = await generatedPkcs1Pair();
  const error = await assert.rejects(crypto.subtle.exportKey('pkcs8', privateKey));
  assert.equal(error.name, 'InvalidAccessError');
  assert.equal(error.message, 'Attempt to export non-extractable RSASSA-PKCS1-v1_5 key.');
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', publicKey));
  assert.equal(spki[0], 0x30);
});

// ---------------------------------------------------------------------------------------------
// Import and export

test('RSA private JWK round-trips with alg and key_ops', async () => {
  const key = await importRsa(RFC7515_RSA, PKCS1, ['sign'], true);
  assert.deepEqual(key.algorithm, { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]), hash: { name: 'SHA-256' } });
  const jwk = await crypto.subtle.exportKey('jwk', key);
  assert.deepEqual(jwk, Object.assign({ alg: 'RS256' }, RFC7515_RSA, { key_ops: ['sign'], ext: true }));
});

test('RSA public JWK round-trips', async () => {
  const key = await importRsa(RFC7515_RSA_PUBLIC, { name: 'RSA-PSS', hash: 'SHA-512' }, ['verify'], false);
  assert.equal(key.extractable, false);
  const extractable = await importRsa(RFC7515_RSA_PUBLIC, { name: 'RSA-PSS', hash: 'SHA-512' }, ['verify'], true);
  assert.deepEqual(await crypto.subtle.exportKey('jwk', extractable),
    { kty: 'RSA', alg: 'PS512', n: RFC7515_RSA.n, e: 'AQAB', key_ops: ['verify'], ext: true });
});

test('RSA keys round-trip through pkcs8 and spki', async () => {
  const fromJwk = await importRsa(RFC7515_RSA, PKCS1, ['sign'], true);
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', fromJwk);
  const fromPkcs8 = await crypto.subtle.importKey('pkcs8', pkcs8, PKCS1, true, ['sign']);
  assert.equal(base64Url(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', fromPkcs8, RS256_SIGNING_INPUT)), RS256_SIGNATURE);
  assert.equal(hex(await crypto.subtle.exportKey('pkcs8', fromPkcs8)), hex(pkcs8));
  assert.deepEqual((await crypto.subtle.exportKey('jwk', fromPkcs8)).d, RFC7515_RSA.d);

  const publicKey = await importRsa(RFC7515_RSA_PUBLIC, PKCS1, ['verify'], true);
  const spki = await crypto.subtle.exportKey('spki', publicKey);
  const fromSpki = await crypto.subtle.importKey('spki', new Uint8Array(spki), PKCS1, true, ['verify']);
  assert.equal(fromSpki.type, 'public');
  assert.equal(fromSpki.algorithm.modulusLength, 2048);
  assert.equal(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', fromSpki, fromBase64Url(RS256_SIGNATURE), RS256_SIGNING_INPUT), true);
  assert.equal(hex(await crypto.subtle.exportKey('spki', fromSpki)), hex(spki));
});

test('RSA export rejects the wrong format for the key type', async () => {
  const privateKey = await importRsa(RFC7515_RSA, PKCS1, ['sign'], true);
  let error = await assert.rejects(crypto.subtle.exportKey('spki', privateKey));
  assert.equal(error.name, 'InvalidAccessError');
  assert.equal(error.message, 'Asymmetric spki export requires a public key, but this RSASSA-PKCS1-v1_5 key is private.'
    + ' Export it as "pkcs8" or "jwk".');

  const publicKey = await importRsa(RFC7515_RSA_PUBLIC, PKCS1, ['verify'], true);
  error = await assert.rejects(crypto.subtle.exportKey('pkcs8', publicKey));
  assert.equal(error.name, 'InvalidAccessError');

  error = await assert.rejects(crypto.subtle.exportKey('raw', publicKey));
  assert.equal(error.name, 'InvalidAccessError');
  assert.equal(error.message, 'Cannot export "RSASSA-PKCS1-v1_5" in "raw" format. Use "spki", "pkcs8" or "jwk".');
});

test('RSA import rejects bad DER with a DataError', async () => {
  let error = await assert.rejects(crypto.subtle.importKey('spki', new Uint8Array([0x30, 0x03, 1, 2, 3]), PKCS1, true, ['verify']));
  assert.equal(error.name, 'DataError');
  assert.ok(error.message.startsWith('Invalid SPKI input: the bytes are not a DER-encoded SubjectPublicKeyInfo of an RSA'
    + ' public key'), error.message);

  error = await assert.rejects(crypto.subtle.importKey('pkcs8', new Uint8Array(8), PKCS1, true, ['sign']));
  assert.equal(error.name, 'DataError');
  assert.ok(error.message.startsWith('Invalid PKCS8 input:'), error.message);

  error = await assert.rejects(crypto.subtle.importKey('raw', new Uint8Array(8), PKCS1, true, ['verify']));
  assert.equal(error.name, 'NotSupportedError');
  assert.equal(error.message, 'RSASSA-PKCS1-v1_5 keys cannot be imported in the "raw" format. Use "spki" for a public'
    + ' key, "pkcs8" for a private key, or "jwk".');
});

test('RSA JWK import checks kty, alg and members', async () => {
  let error = await assert.rejects(importRsa(Object.assign({}, RFC7515_RSA_PUBLIC, { kty: 'EC' }), PKCS1, ['verify']));
  assert.equal(error.name, 'DataError');
  assert.equal(error.message, 'RSASSA-PKCS1-v1_5 "jwk" key import requires a JSON Web Key with Key Type parameter "kty"'
    + ' equal to "RSA" (found "EC").');

  error = await assert.rejects(importRsa(Object.assign({ alg: 'RS384' }, RFC7515_RSA_PUBLIC), PKCS1, ['verify']));
  assert.equal(error.name, 'DataError');
  assert.equal(error.message, 'JSON Web Key Algorithm parameter "alg" ("RS384") does not match requested hash algorithm'
    + ' "SHA-256". Import the key with the hash algorithm "SHA-384".');

  error = await assert.rejects(importRsa(Object.assign({ alg: 'HS256' }, RFC7515_RSA_PUBLIC), PKCS1, ['verify']));
  assert.equal(error.name, 'NotSupportedError');

  error = await assert.rejects(importRsa({ kty: 'RSA', e: 'AQAB' }, PKCS1, ['verify']));
  assert.equal(error.message, 'Invalid RSA key in JSON Web Key; missing or invalid Modulus parameter ("n").');

  error = await assert.rejects(importRsa(Object.assign({}, RFC7515_RSA_PUBLIC, { e: 'AA' }), PKCS1, ['verify']));
  assert.equal(error.name, 'DataError');
  assert.equal(error.message, 'Invalid RSA public key: exponent is smaller than 3');

  const partial = Object.assign({}, RFC7515_RSA);
  delete partial.qi;
  error = await assert.rejects(importRsa(partial, PKCS1, ['sign']));
  assert.equal(error.name, 'DataError');
  assert.ok(error.message.endsWith('This key has only "p", "q", "dp", "dq".'), error.message);

  error = await assert.rejects(importRsa(Object.assign({}, RFC7515_RSA_PUBLIC, { e: 'AQ AB' }), PKCS1, ['verify']));
  assert.equal(error.message, 'Invalid RSASSA-PKCS1-v1_5 key in JSON Web Key: "e" must be a non-empty base64url string'
    + ' without padding (found "AQ AB").');
});

test('RSA JWK import checks use and key_ops', async () => {
  let error = await assert.rejects(importRsa(Object.assign({ use: 'enc' }, RFC7515_RSA_PUBLIC), PKCS1, ['verify']));
  assert.equal(error.name, 'DataError');
  assert.equal(error.message, 'Asymmetric "jwk" key import with usages requires a JSON Web Key whose "use" is "sig"'
    + ' (found "enc").');

  error = await assert.rejects(importRsa(Object.assign({ key_ops: ['sign'] }, RFC7515_RSA_PUBLIC), PKCS1, ['verify']));
  assert.equal(error.message, 'The requested usage "verify" is missing from the JSON Web Key\'s "key_ops" (["sign"]).'
    + ' Request only usages that "key_ops" lists.');

  error = await assert.rejects(importRsa(Object.assign({ key_ops: ['verify', 'verify'] }, RFC7515_RSA_PUBLIC), PKCS1, ['verify']));
  assert.equal(error.message, 'The JSON Web Key\'s "key_ops" (["verify","verify"]) must not contain duplicates.');

  error = await assert.rejects(importRsa(Object.assign({ use: 'sig', key_ops: ['verify', 'encrypt'] }, RFC7515_RSA_PUBLIC),
    PKCS1, ['verify']));
  assert.equal(error.name, 'DataError');
  assert.equal(error.message, 'The JSON Web Key\'s "use" ("sig") and "key_ops" (["verify","encrypt"]) disagree:'
    + ' "encrypt" belongs to "use": "enc". Remove one of the two members.');

  error = await assert.rejects(importRsa(Object.assign({ key_ops: 'verify' }, RFC7515_RSA_PUBLIC), PKCS1, ['verify']), TypeError);
  assert.equal(error.message, 'The JSON Web Key\'s "key_ops" must be an array of strings such as ["verify"] (found "verify").');

  const consistent = await importRsa(Object.assign({ use: 'sig', key_ops: ['verify'] }, RFC7515_RSA_PUBLIC), PKCS1, ['verify']);
  assert.deepEqual(consistent.usages, ['verify']);

  error = await assert.rejects(importRsa(Object.assign({ ext: false }, RFC7515_RSA_PUBLIC), PKCS1, ['verify'], true));
  assert.equal(error.name, 'DataError');
});

// ---------------------------------------------------------------------------------------------
// Usages and arguments

test('RSA keys reject usages of the other key type', async () => {
  let error = await assert.rejects(importRsa(RFC7515_RSA_PUBLIC, PKCS1, ['sign']));
  assert.equal(error.name, 'SyntaxError');
  assert.equal(error.message, 'Attempt to import public RSASSA-PKCS1-v1_5 key with invalid usage "sign".'
    + ' An RSASSA-PKCS1-v1_5 key may have the usage "verify".');

  error = await assert.rejects(importRsa(RFC7515_RSA, PKCS1, ['encrypt']));
  assert.equal(error.name, 'SyntaxError');

  error = await assert.rejects(importRsa(RFC7515_RSA, PKCS1, []));
  assert.equal(error.message, 'Secret/private CryptoKeys must have at least one usage.');

  const publicKey = await importRsa(RFC7515_RSA_PUBLIC, PKCS1, ['verify']);
  error = await assert.rejects(crypto.subtle.sign('RSASSA-PKCS1-v1_5', publicKey, RS256_SIGNING_INPUT));
  assert.equal(error.name, 'InvalidAccessError');
  assert.equal(error.message, 'Requested key usage "sign" does not match any usage listed in this CryptoKey.');

  const privateKey = await importRsa(RFC7515_RSA, PKCS1, ['sign']);
  error = await assert.rejects(crypto.subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, privateKey, RS256_SIGNING_INPUT));
  assert.equal(error.name, 'InvalidAccessError');
});

test('RSA generateKey checks its parameters', async () => {
  const usages = ['sign', 'verify'];
  const exponent = new Uint8Array([1, 0, 1]);
  let error = await assert.rejects(crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', publicExponent: exponent,
    hash: 'SHA-256' }, false, usages), TypeError);
  assert.equal(error.message, 'Missing field "modulusLength" in "algorithm". Pass the key size in bits, such as 2048.');

  error = await assert.rejects(crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048,
    hash: 'SHA-256' }, false, usages), TypeError);
  assert.equal(error.message, 'Missing field "publicExponent" in "algorithm". Pass it as a Uint8Array, such as'
    + ' new Uint8Array([1, 0, 1]) for 65537.');

  error = await assert.rejects(crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048,
    publicExponent: [1, 0, 1], hash: 'SHA-256' }, false, usages), TypeError);

  error = await assert.rejects(crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048,
    publicExponent: new Uint8Array([5]), hash: 'SHA-256' }, false, usages));
  assert.equal(error.name, 'OperationError');
  assert.equal(error.message, 'The "publicExponent" must be either 3 or 65537, but got 5.');

  error = await assert.rejects(crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 1020,
    publicExponent: exponent, hash: 'SHA-256' }, false, usages));
  assert.equal(error.name, 'OperationError');
  assert.equal(error.message, 'The modulus length must be a multiple of 8 and between 256 and 16k, but 1020 was'
    + ' requested. Use 2048, 3072 or 4096.');

  error = await assert.rejects(crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048,
    publicExponent: exponent, hash: 'SHA-256' }, false, ['encrypt']));
  assert.equal(error.name, 'SyntaxError');
  assert.equal(error.message, 'Attempt to generate RSASSA-PKCS1-v1_5 key with invalid usage "encrypt".'
    + ' An RSASSA-PKCS1-v1_5 key may have the usages "sign" and "verify".');

  // As in workerd, the usages are checked before the modulus length and the exponent's value.
  error = await assert.rejects(crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 1020,
    publicExponent: new Uint8Array([5]), hash: 'SHA-256' }, false, ['encrypt']));
  assert.equal(error.name, 'SyntaxError');

  error = await assert.rejects(crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048,
    publicExponent: exponent, hash: 'SHA-256' }, false, ['verify']));
  assert.equal(error.name, 'SyntaxError');
  assert.equal(error.message, 'Attempt to generate asymmetric keys with no valid private key usages.');
});

// ---------------------------------------------------------------------------------------------
// RSA-PSS

test('RSA-PSS signs and verifies with a salt', async () => {
  const algorithm = { name: 'RSA-PSS', hash: 'SHA-256' };
  const privateKey = await importRsa(Object.assign({ alg: 'PS256' }, RFC7515_RSA), algorithm, ['sign']);
  const publicKey = await importRsa(RFC7515_RSA_PUBLIC, algorithm, ['verify']);
  const first = await crypto.subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, privateKey, RS256_SIGNING_INPUT);
  const second = await crypto.subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, privateKey, RS256_SIGNING_INPUT);
  assert.notEqual(hex(first), hex(second));
  assert.equal(await crypto.subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, publicKey, first, RS256_SIGNING_INPUT), true);
  assert.equal(await crypto.subtle.verify({ name: 'RSA-PSS', saltLength: 0 }, publicKey, first, RS256_SIGNING_INPUT), false);
  const tampered = new Uint8Array(first);
  tampered[0] ^= 0x80;
  assert.equal(await crypto.subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, publicKey, tampered, RS256_SIGNING_INPUT), false);

  const unsalted = await crypto.subtle.sign({ name: 'RSA-PSS', saltLength: 0 }, privateKey, RS256_SIGNING_INPUT);
  assert.equal(hex(unsalted), hex(await crypto.subtle.sign({ name: 'RSA-PSS', saltLength: 0 }, privateKey, RS256_SIGNING_INPUT)));
});

test('RSA-PSS requires a non-negative saltLength', async () => {
  const privateKey = await importRsa(RFC7515_RSA, { name: 'RSA-PSS', hash: 'SHA-256' }, ['sign']);
  let error = await assert.rejects(crypto.subtle.sign('RSA-PSS', privateKey, RS256_SIGNING_INPUT), TypeError);
  assert.equal(error.message, 'Failed to provide salt for RSA-PSS key operation which requires a salt. Pass'
    + ' { name: "RSA-PSS", saltLength }, usually the hash length in bytes (32 for SHA-256).');
  error = await assert.rejects(crypto.subtle.sign({ name: 'RSA-PSS', saltLength: -1 }, privateKey, RS256_SIGNING_INPUT));
  assert.equal(error.name, 'DataError');
  assert.equal(error.message, 'SaltLength for RSA-PSS must be non-negative (provided -1).');
  error = await assert.rejects(crypto.subtle.sign({ name: 'RSA-PSS', saltLength: 300 }, privateKey, RS256_SIGNING_INPUT));
  assert.equal(error.name, 'OperationError');
});

test('RSA-PSS with MD5 is not supported', async () => {
  const privateKey = await importRsa(RFC7515_RSA, { name: 'RSA-PSS', hash: 'MD5' }, ['sign']);
  const error = await assert.rejects(crypto.subtle.sign({ name: 'RSA-PSS', saltLength: 16 }, privateKey, RS256_SIGNING_INPUT));
  assert.equal(error.name, 'NotSupportedError');
  assert.equal(error.message, 'RSASSA-PSS failed: Unsupported digest algo: MD5. Use a key with the hash SHA-1, SHA-256,'
    + ' SHA-384 or SHA-512.');
});

// ---------------------------------------------------------------------------------------------
// RSA-OAEP

test('RSA-OAEP encrypts and decrypts with a label', async () => {
  const algorithm = { name: 'RSA-OAEP', hash: 'SHA-256' };
  const publicKey = await importRsa(RFC7515_RSA_PUBLIC, algorithm, ['encrypt', 'wrapKey']);
  const privateKey = await importRsa(Object.assign({ alg: 'RSA-OAEP-256' }, RFC7515_RSA), algorithm, ['decrypt']);
  assert.deepEqual(publicKey.usages, ['encrypt', 'wrapKey']);
  const plaintext = new TextEncoder().encode('attack at dawn');
  const label = new Uint8Array([1, 2, 3]);
  const ciphertext = await crypto.subtle.encrypt({ name: 'RSA-OAEP', label }, publicKey, plaintext);
  assert.equal(ciphertext.byteLength, 256);
  const decrypted = await crypto.subtle.decrypt({ name: 'RSA-OAEP', label }, privateKey, ciphertext);
  assert.equal(new TextDecoder().decode(decrypted), 'attack at dawn');

  let error = await assert.rejects(crypto.subtle.decrypt({ name: 'RSA-OAEP' }, privateKey, ciphertext));
  assert.equal(error.name, 'OperationError');
  assert.equal(error.message, 'RSA-OAEP decryption failed: the ciphertext was not made with this key, hash and label.');

  error = await assert.rejects(crypto.subtle.encrypt({ name: 'RSA-OAEP' }, publicKey, new Uint8Array(300)));
  assert.equal(error.name, 'OperationError');
  assert.equal(error.message, 'RSA-OAEP encryption failed: the data is too long for this key and hash (300 bytes).');
});

test('RSA-OAEP keys neither sign nor decrypt with the public key', async () => {
  const algorithm = { name: 'RSA-OAEP', hash: 'SHA-1' };
  let error = await assert.rejects(importRsa(RFC7515_RSA_PUBLIC, algorithm, ['decrypt']));
  assert.equal(error.name, 'SyntaxError');
  const privateKey = await importRsa(RFC7515_RSA, algorithm, ['decrypt', 'unwrapKey'], true);
  assert.equal((await crypto.subtle.exportKey('jwk', privateKey)).alg, 'RSA-OAEP');
  error = await assert.rejects(crypto.subtle.sign('RSA-OAEP', privateKey, RS256_SIGNING_INPUT));
  assert.equal(error.name, 'InvalidAccessError');
});
