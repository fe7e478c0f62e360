// Web Crypto's key derivation algorithms PBKDF2 and HKDF: importKey in the "raw" format and
// deriveBits, which deriveKey uses too. Their keys are never extractable, so the key's material,
// its bytes in a Uint8Array of its own, never leaves this file. The derivations come from the host
// intrinsics pbkdf2 and hkdf, which use the JDK's Mac.
(function (host, internals) {
  'use strict';

  const crypto = internals.webCrypto;
  const USAGES = ['deriveKey', 'deriveBits'];

  // The output length of each digest in bits. Both derivations give at most 255 digests: HKDF
  // because its block counter is one byte (RFC 5869), PBKDF2 because workerd applies the same
  // limit to it (src/workerd/api/crypto/pbkdf2.c++).
  const DIGEST_BITS = new Map([['SHA-1', 160], ['SHA-256', 256], ['SHA-384', 384], ['SHA-512', 512], ['MD5', 128]]);
  const MAX_BLOCKS = 255;
  // Cloudflare's limit. The derivation runs in Java on the event loop, where the CPU limit cannot
  // stop it, so a larger count would hold up every object of the loop.
  const MAX_ITERATIONS = 100000;

  crypto.register(derivationAlgorithm('PBKDF2', (algorithm, slots, length) => {
    const hash = crypto.hashOf(algorithm);
    const salt = crypto.algorithmBytes(algorithm, 'salt');
    if (algorithm.iterations === undefined) {
      throw new TypeError('Missing field "iterations" in "algorithm".');
    }
    requireByteLength('PBKDF2', hash, length, false);
    const iterations = iterationCount(algorithm.iterations);
    return crypto.bufferFromHost(host.pbkdf2(hash, slots.material.buffer, salt, iterations, length / 8));
  }));

  crypto.register(derivationAlgorithm('HKDF', (algorithm, slots, length) => {
    const hash = crypto.hashOf(algorithm);
    const salt = crypto.algorithmBytes(algorithm, 'salt');
    const info = crypto.algorithmBytes(algorithm, 'info');
    requireByteLength('HKDF', hash, length, true);
    return crypto.bufferFromHost(host.hkdf(hash, slots.material.buffer, salt, info, length / 8));
  }));

  // Returns the registration of a derivation algorithm with its own `deriveBits`. Its importKey
  // runs the checks in workerd's order: usages, then extractable, then the format.
  function derivationAlgorithm(name, deriveBits) {
    return {
      name,
      deriveBits,
      keyLength: noKeyLength,

      importKey(format, keyData, algorithm, extractable, keyUsages) {
        const usages = crypto.usagesFor(keyUsages, USAGES, 'import secret', name);
        if (extractable) {
          throw internals.domException(`${name} keys cannot be extractable. Import the key with extractable set to false.`,
            'SyntaxError');
        }
        if (format !== 'raw') {
          throw internals.domException(`Unrecognized key import format "${format}". Mooring imports ${name} keys only`
            + ' in the "raw" format.', 'NotSupportedError');
        }
        return crypto.newKey('secret', { name }, false, usages, new Uint8Array(keyData));
      },
    };
  }

  // Returns deriveKey's length for a derived PBKDF2 or HKDF key: none, so that the base key's
  // deriveBits rejects the null length, as workerd does.
  function noKeyLength() {
    return null;
  }


  function iterationCount(value) {
    const iterations = Number(value);
    if (!Number.isInteger(iterations) || iterations < 1) {
      throw internals.domException(`Invalid PBKDF2 iterations ${value}. Use a whole number from 1 to`
        + ` ${MAX_ITERATIONS}.`, 'OperationError');
    }
    if (iterations > MAX_ITERATIONS) {
      throw internals.domException(`Pbkdf2 failed: iteration counts above ${MAX_ITERATIONS} are not supported`
        + ` (requested ${iterations}), as on Cloudflare.`, 'NotSupportedError');
    }
    return iterations;
  }

  // Throws Web Crypto's OperationError unless `length` is a number of bits that the derivation
  // `name` can give: a multiple of 8, at most 255 digests long, and for PBKDF2 more than zero.
  function requireByteLength(name, hash, length, zeroAllowed) {
    if (length === null) {
      throw internals.domException(`${name} cannot derive bits without a length. Pass the length in bits, a multiple`
        + ' of 8, or derive a key of an algorithm with a fixed length, such as AES-GCM.', 'OperationError');
    }
    if (length % 8 !== 0 || (length === 0 && !zeroAllowed)) {
      throw internals.domException(`Invalid ${name} length ${length}. Derive a ${zeroAllowed ? '' : 'non-zero '}multiple`
        + ' of 8 bits.', 'OperationError');
    }
    const maxBits = MAX_BLOCKS * DIGEST_BITS.get(hash);
    if (length > maxBits) {
      throw internals.domException(`Invalid ${name} length ${length}: with ${hash} it derives at most ${maxBits} bits.`,
        'OperationError');
    }
  }
})
