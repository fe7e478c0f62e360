// The shared part of Web Crypto's asymmetric algorithms (crypto-rsa.js, crypto-ec.js and
// crypto-okp.js): key pair generation, import and export in the "spki", "pkcs8", "raw" and "jwk"
// formats with workerd's checks of usages and JWK members, and the calls to the host.
//
// A key's material is { family, der, publicDer, curve }: its DER (SPKI for a public key, PKCS#8
// for a private key) as an ArrayBuffer that never leaves this file and the algorithm files, the
// public key's SPKI for a private key, and an EC key's curve. The host intrinsics of
// dev.mooring.runtime.crypto parse the DER with the JDK for each operation. This file never
// parses key bytes itself: every parse and conversion happens in Java, which checks them.
(function (host, internals) {
  'use strict';

  const crypto = internals.webCrypto;

  // Which usages a public or a private key may have, whatever its algorithm.
  const PUBLIC_USAGES = ['encrypt', 'verify', 'wrapKey'];
  const PRIVATE_USAGES = ['decrypt', 'sign', 'unwrapKey', 'deriveKey', 'deriveBits'];

  const SIGNING_OPERATIONS = ['sign', 'verify'];

  /**
   * Returns the result of a host intrinsic of dev.mooring.runtime.crypto, or throws the
   * DOMException it reported as a string "Name: message".
   */
  function hostResult(result) {
    if (typeof result === 'string') {
      const separator = result.indexOf(': ');
      throw internals.domException(result.slice(separator + 2), result.slice(0, separator));
    }
    return result;
  }


  // Turns the host's key object into the material that newKey() stores.
  function materialOf(family, hostKey) {
    return {
      family,
      der: crypto.bufferFromHost(hostKey.der),
      publicDer: hostKey.publicDer === null ? null : crypto.bufferFromHost(hostKey.publicDer),
      curve: hostKey.curve,
    };
  }

  function publicMaterialOf(material) {
    return { family: material.family, der: material.publicDer, publicDer: null, curve: material.curve };
  }

  /**
   * Generates a key pair. `spec` has the algorithm's `name`, the host `family`, the `allowed`
   * usages, the `parameter` and `exponent` for the host, and `describe(hostKey)`, which returns
   * the CryptoKey.algorithm of both keys. The public key is always extractable, as in workerd.
   */
  function generateKeyPair(spec, extractable, keyUsages) {
    const usages = crypto.usagesFor(keyUsages, spec.allowed, 'generate', spec.name);
    const hostKey = hostResult(host.generateKeyPair(spec.family, spec.parameter, spec.exponent));
    const algorithm = spec.describe(hostKey);
    const material = materialOf(spec.family, hostKey);
    return {
      publicKey: crypto.newKey('public', algorithm, true, usages.filter((usage) => PUBLIC_USAGES.includes(usage)),
        publicMaterialOf(material)),
      privateKey: crypto.newKey('private', algorithm, extractable,
        usages.filter((usage) => PRIVATE_USAGES.includes(usage)), material),
    };
  }

  /**
   * Imports a key in "spki", "pkcs8", "raw" (public keys only) or "jwk" format. `spec` has the
   * algorithm's `name`, the host `family`, the `allowed` usages and the `curve` for the host.
   * `publicUsages` replaces `allowed` for public keys where they may have fewer usages (ECDH and
   * X25519 public keys have none). `importsRaw` is true where "raw" is a format of the algorithm,
   * and `jwkUse` is the JWK "use" of its keys ("sig" or "enc"). `readJwk(jwk)` checks the
   * algorithm's own members and returns the names of the members to decode, and
   * `describe(hostKey)` returns CryptoKey.algorithm.
   */
  function importKey(spec, format, keyData, extractable, keyUsages) {
    const isPrivate = format === 'pkcs8' || (format === 'jwk' && keyData.d !== undefined);
    const usages = importUsages(spec, isPrivate, keyUsages);
    let hostKey;
    if (format === 'jwk') {
      checkJwkUsages(spec, keyData, keyUsages);
      const members = decodeJwkMembers(spec, keyData, spec.readJwk(keyData));
      hostKey = hostResult(host.importKeyJwk(spec.family, spec.curve, members));
    } else {
      if (format === 'raw' && spec.importsRaw !== true) {
        throw internals.domException(`${spec.name} keys cannot be imported in the "raw" format. Use "spki" for a`
          + ' public key, "pkcs8" for a private key, or "jwk".', 'NotSupportedError');
      }
      hostKey = hostResult(host.importKeyDer(spec.family, format, keyData, spec.curve));
    }
    const material = materialOf(spec.family, hostKey);
    return crypto.newKey(isPrivate ? 'private' : 'public', spec.describe(hostKey), extractable, usages, material);
  }

  function importUsages(spec, isPrivate, keyUsages) {
    if (isPrivate) {
      return crypto.usagesFor(keyUsages, spec.allowed.filter((usage) => PRIVATE_USAGES.includes(usage)),
        'import private', spec.name);
    }
    const allowed = spec.publicUsages || spec.allowed.filter((usage) => PUBLIC_USAGES.includes(usage));
    if (allowed.length === 0 && keyUsages.length > 0) {
      throw internals.domException(`Attempt to import public ${spec.name} key with invalid usage "${keyUsages[0]}".`
        + ` A public ${spec.name} key has no usages: import it with [] and pass it as "public" to deriveBits().`,
        'SyntaxError');
    }
    return crypto.usagesFor(keyUsages, allowed, 'import public', spec.name);
  }

  // The checks of RFC 7517 on "use" and "key_ops" that workerd makes for every asymmetric key.
  function checkJwkUsages(spec, jwk, keyUsages) {
    if (jwk.oth !== undefined) {
      throw internals.domException('Multi-prime private keys not supported. Use an RSA key with two primes.',
        'NotSupportedError');
    }
    if (jwk.use !== undefined && keyUsages.length > 0 && jwk.use !== spec.jwkUse) {
      throw internals.domException(`Asymmetric "jwk" key import with usages requires a JSON Web Key whose "use"`
        + ` is "${spec.jwkUse}" (found "${jwk.use}").`, 'DataError');
    }
    if (jwk.key_ops === undefined) {
      return;
    }
    if (!Array.isArray(jwk.key_ops)) {
      throw new TypeError(`The JSON Web Key's "key_ops" must be an array of strings such as ["verify"]`
        + ` (found ${JSON.stringify(jwk.key_ops)}).`);
    }
    const operations = jwk.key_ops.map((operation) => `${operation}`);
    if (new Set(operations).size !== operations.length) {
      throw internals.domException(`The JSON Web Key's "key_ops" (${JSON.stringify(operations)}) must not contain`
        + ' duplicates.', 'DataError');
    }
    if (jwk.use !== undefined) {
      checkUseMatchesOperations(jwk.use, operations);
    }
    for (const usage of keyUsages) {
      if (!operations.includes(usage)) {
        throw internals.domException(`The requested usage "${usage}" is missing from the JSON Web Key's "key_ops"`
          + ` (${JSON.stringify(operations)}). Request only usages that "key_ops" lists.`, 'DataError');
      }
    }
  }

  // RFC 7517 allows "use" and "key_ops" together only when they agree: "sig" for signing
  // operations and "enc" for the others.
  // NOTE: workerd (its api/crypto/keys.c++) accepts only "sign"/"verify" or "encrypt"/"wrapKey" there.
  function checkUseMatchesOperations(use, operations) {
    for (const operation of operations) {
      const operationUse = SIGNING_OPERATIONS.includes(operation) ? 'sig' : 'enc';
      if (operationUse !== use) {
        throw internals.domException(`The JSON Web Key's "use" ("${use}") and "key_ops" (${JSON.stringify(operations)})`
          + ` disagree: "${operation}" belongs to "use": "${operationUse}". Remove one of the two members.`, 'DataError');
      }
    }
  }

  // Decodes the base64url members that the algorithm named, for the host.
  function decodeJwkMembers(spec, jwk, names) {
    const members = {};
    for (const name of names) {
      if (jwk[name] === undefined) {
        continue;
      }
      const bytes = typeof jwk[name] === 'string' ? crypto.base64UrlDecode(jwk[name]) : null;
      if (bytes === null || bytes.length === 0) {
        throw internals.domException(`Invalid ${spec.name} key in JSON Web Key: "${name}" must be a non-empty`
          + ` base64url string without padding (found ${JSON.stringify(jwk[name])}).`, 'DataError');
      }
      members[name] = bytes.buffer;
    }
    return members;
  }

  /**
   * Exports a key in `format`. `jwkHeader` is what the JWK starts with ({ kty, crv } or
   * { kty, alg }); the host adds the key's members, and this adds key_ops and ext.
   */
  function exportKey(format, slots, jwkHeader) {
    const material = slots.material;
    if (format === 'spki' || format === 'pkcs8') {
      const required = format === 'spki' ? 'public' : 'private';
      if (slots.type !== required) {
        throw internals.domException(`Asymmetric ${format} export requires a ${required} key, but this ${slots.algorithm.name}`
          + ` key is ${slots.type}. Export it as "${slots.type === 'public' ? 'spki' : 'pkcs8'}" or "jwk".`,
          'InvalidAccessError');
      }
      return material.der.slice(0);
    }
    if (format === 'raw') {
      if (slots.type !== 'public') {
        throw internals.domException(`Raw export of ${slots.algorithm.name} keys is only allowed for public keys.`
          + ' Export a private key as "pkcs8" or "jwk".', 'InvalidAccessError');
      }
      return crypto.bufferFromHost(hostResult(host.exportKeyRaw(material.family, material.der)));
    }
    if (format !== 'jwk') {
      throw internals.domException(`Unrecognized key export format "${format}". Use "spki", "pkcs8", "raw" or`
        + ' "jwk", written in lowercase.', 'NotSupportedError');
    }
    const members = hostResult(host.exportKeyJwk(material.family, material.der, material.publicDer, material.curve));
    const jwk = Object.assign({}, jwkHeader);
    for (const name of Object.keys(members)) {
      jwk[name] = crypto.base64UrlEncode(new Uint8Array(members[name]));
    }
    jwk.key_ops = slots.usages.slice();
    jwk.ext = true;
    return jwk;
  }

  /**
   * Signs with a private key or verifies with a public one. `scheme` is { keyAlgorithm,
   * signatureAlgorithm, pssHash, saltLength } in JCA names, as the host's signData takes them.
   */
  function sign(scheme, slots, data) {
    return crypto.bufferFromHost(hostResult(host.signData(scheme.keyAlgorithm, scheme.signatureAlgorithm, scheme.pssHash,
      scheme.saltLength, slots.material.der, data)));
  }

  function verify(scheme, slots, signature, data) {
    return hostResult(host.verifySignature(scheme.keyAlgorithm, scheme.signatureAlgorithm, scheme.pssHash,
      scheme.saltLength, slots.material.der, signature, data));
  }

  /**
   * Returns the slots of the peer's public key that ECDH and X25519 take as `algorithm.public`,
   * after workerd's checks that it is a public key of the private key's algorithm.
   */
  function peerPublicKey(algorithm, slots) {
    if (algorithm.public === undefined) {
      throw new TypeError('Missing field "public" in "derivedKeyParams". Pass the peer\'s public key, as in'
        + ` { name: "${slots.algorithm.name}", public: peerPublicKey }.`);
    }
    const peer = crypto.keySlots(algorithm.public);
    if (peer === undefined) {
      throw new TypeError('The "public" member of the derivation algorithm must be a CryptoKey.');
    }
    if (peer.type !== 'public') {
      throw internals.domException(`The provided key has type "${peer.type}", not "public". Pass the peer's public key.`,
        'InvalidAccessError');
    }
    if (peer.algorithm.name !== slots.algorithm.name) {
      throw internals.domException(`Private key for derivation is using "${slots.algorithm.name}" while public key is`
        + ` using "${peer.algorithm.name}".`, 'InvalidAccessError');
    }
    return peer;
  }

  /**
   * Returns the first `length` bits (all of them when null) of the shared secret of a private key
   * and a peer's public key, with the bits beyond `length` in the last byte cleared.
   */
  function deriveSecret(family, slots, peer, length) {
    const secret = new Uint8Array(hostResult(host.agreeSecret(family, slots.material.der, peer.material.der)));
    if (length === null) {
      return secret.slice().buffer;
    }
    if (length > secret.length * 8) {
      throw internals.domException(`Derived key length (${length} bits) is too long (should be at most`
        + ` ${secret.length * 8} bits).`, 'OperationError');
    }
    const bits = secret.slice(0, Math.ceil(length / 8));
    if (length % 8 !== 0) {
      bits[bits.length - 1] &= (0xff << (8 - (length % 8))) & 0xff;
    }
    return bits.buffer;
  }

  /**
   * Checks the JWK's optional "alg" against `implications`, a Map from each "alg" the algorithm
   * accepts to the hash or curve it implies, which must be `expected`. `parameter` names what
   * "alg" implies in the message ("hash algorithm" or "curve").
   */
  function requireJwkAlgorithm(jwk, implications, expected, parameter) {
    if (jwk.alg === undefined) {
      return;
    }
    const implied = implications.get(jwk.alg);
    if (implied === undefined) {
      throw internals.domException(`Unrecognized or unimplemented algorithm "${jwk.alg}" listed in JSON Web Key`
        + ` Algorithm parameter. Use one of ${Array.from(implications.keys()).join(', ')}, or leave "alg" out.`,
        'NotSupportedError');
    }
    if (implied !== expected) {
      throw internals.domException(`JSON Web Key Algorithm parameter "alg" ("${jwk.alg}") does not match requested`
        + ` ${parameter} "${expected}". Import the key with the ${parameter} "${implied}".`, 'DataError');
    }
  }

  /**
   * Checks that the JWK's "kty" is `kty`, naming the algorithm in workerd's message otherwise.
   */
  function requireJwkKeyType(jwk, kty, name) {
    if (jwk.kty !== kty) {
      throw internals.domException(`${name} "jwk" key import requires a JSON Web Key with Key Type parameter "kty"`
        + ` equal to "${kty}" (found "${jwk.kty}").`, 'DataError');
    }
  }

  crypto.asymmetric = {
    hostResult,
    generateKeyPair,
    importKey,
    exportKey,
    sign,
    verify,
    peerPublicKey,
    deriveSecret,
    requireJwkAlgorithm,
    requireJwkKeyType,
  };
})
