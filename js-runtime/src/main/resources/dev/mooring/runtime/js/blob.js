// Blob and File, as in the File API and workerd: immutable bytes with a MIME type, and for a File
// a name and a modification time.
//
// A Blob's bytes are one Uint8Array that no one writes after the constructor, so slice() and a
// Blob made from other Blobs share or copy bytes without any of them changing later. The bytes
// and the type live in a WeakMap of this file, never in private class members, so that every
// context's Blobs have one shape (see RuntimeScripts).
//
// Other runtime files use these internals:
//   newBlob(bytes, type) -> Blob         takes ownership of the Uint8Array; normalizes the type
//   blobBytes(blob) -> Uint8Array | undefined   the shared bytes, or undefined for a non-Blob
(function (host, internals) {
  'use strict';

  const blobSlots = new WeakMap();
  const fileSlots = new WeakMap();
  const constructing = Symbol('constructing');

  class Blob {
    /**
     * `blobParts` is a sequence of ArrayBuffers, views, Blobs and strings, which count as UTF-8.
     * `options` may give `type`, and `endings`: "transparent" keeps line endings in strings, and
     * "native" makes each one \n.
     */
    constructor(blobParts = undefined, options = undefined) {
      if (blobParts === constructing) {
        return;
      }
      const endings = endingsOf(options);
      blobSlots.set(this, { bytes: bytesOfParts(blobParts, endings), type: normalizedType(options === undefined || options === null ? undefined : options.type) });
    }

    get size() {
      return slotsOf(this, 'size').bytes.length;
    }

    get type() {
      return slotsOf(this, 'type').type;
    }

    /** Returns a Blob of the bytes from `start` to `end`; negative positions count from the end. */
    slice(start = undefined, end = undefined, contentType = undefined) {
      const bytes = slotsOf(this, 'slice').bytes;
      const from = relativePosition(start, 0, bytes.length);
      const to = relativePosition(end, bytes.length, bytes.length);
      return newBlob(bytes.subarray(from, Math.max(from, to)), normalizedType(contentType));
    }

    async arrayBuffer() {
      return slotsOf(this, 'arrayBuffer').bytes.slice().buffer;
    }

    async bytes() {
      return slotsOf(this, 'bytes').bytes.slice();
    }

    /** Decodes the bytes as UTF-8, without a leading byte order mark, as body.text() does. */
    async text() {
      const bytes = slotsOf(this, 'text').bytes;
      const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
      return internals.utf8Decode(hasBom ? bytes.subarray(3) : bytes);
    }

    /** Returns a ReadableStream whose one Uint8Array chunk is a copy of the bytes. */
    stream() {
      return internals.readableStreamFromBytes(slotsOf(this, 'stream').bytes);
    }
  }

  class File extends Blob {
    /** `fileBits` as for Blob; `options` may also give `lastModified` in milliseconds since the epoch. */
    constructor(fileBits, fileName, options = undefined) {
      if (arguments.length < 2) {
        throw new TypeError(`File needs its bits and a name: new File(bits, name, options), but got ${arguments.length} argument${arguments.length === 1 ? '' : 's'}.`);
      }
      super(fileBits, options);
      const lastModified = options === undefined || options === null || options.lastModified === undefined
        ? Date.now() : Number(options.lastModified);
      fileSlots.set(this, { name: `${fileName}`, lastModified: Number.isFinite(lastModified) ? Math.trunc(lastModified) : 0 });
    }

    get name() {
      return fileSlotsOf(this, 'name').name;
    }

    get lastModified() {
      return fileSlotsOf(this, 'lastModified').lastModified;
    }
  }

  function slotsOf(blob, member) {
    const slots = typeof blob === 'object' && blob !== null ? blobSlots.get(blob) : undefined;
    if (slots === undefined) {
      throw new TypeError(`Blob.prototype.${member} called on an object that is not a Blob.`);
    }
    return slots;
  }

  function fileSlotsOf(file, member) {
    const slots = typeof file === 'object' && file !== null ? fileSlots.get(file) : undefined;
    if (slots === undefined) {
      throw new TypeError(`File.prototype.${member} called on an object that is not a File.`);
    }
    return slots;
  }

  function endingsOf(options) {
    const endings = options === undefined || options === null || options.endings === undefined ? 'transparent' : `${options.endings}`;
    if (endings !== 'transparent' && endings !== 'native') {
      throw new TypeError(`The "endings" option must be "transparent" or "native", not "${endings}".`);
    }
    return endings;
  }

  // The File API's rule: a type with a character outside U+0020 to U+007E becomes "", any other
  // is lowercased.
  function normalizedType(type) {
    if (type === undefined) {
      return '';
    }
    const text = `${type}`;
    return /^[\x20-\x7e]*$/.test(text) ? text.toLowerCase() : '';
  }

  // Concatenates the parts into one new Uint8Array.
  function bytesOfParts(blobParts, endings) {
    if (blobParts === undefined) {
      return new Uint8Array(0);
    }
    if (blobParts === null || typeof blobParts !== 'object' || typeof blobParts[Symbol.iterator] !== 'function') {
      throw new TypeError('The parts of a Blob must be an array (or other iterable) of strings, ArrayBuffers, views or Blobs.');
    }
    const chunks = [];
    let length = 0;
    for (const part of blobParts) {
      const chunk = bytesOfPart(part, endings);
      chunks.push(chunk);
      length += chunk.length;
    }
    const bytes = new Uint8Array(length);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    return bytes;
  }

  function bytesOfPart(part, endings) {
    if (part instanceof ArrayBuffer) {
      return new Uint8Array(part);
    }
    if (ArrayBuffer.isView(part)) {
      return new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
    }
    const slots = typeof part === 'object' && part !== null ? blobSlots.get(part) : undefined;
    if (slots !== undefined) {
      return slots.bytes;
    }
    const text = `${part}`;
    return internals.utf8Encode(endings === 'native' ? text.replace(/\r\n?/g, '\n') : text);
  }

  // The File API's slice() positions: relative to the end when negative, clamped to the size.
  function relativePosition(position, fallback, size) {
    if (position === undefined) {
      return fallback;
    }
    const number = Math.trunc(Number(position)) || 0;
    return number < 0 ? Math.max(size + number, 0) : Math.min(number, size);
  }

  function newBlob(bytes, type) {
    const blob = new Blob(constructing);
    blobSlots.set(blob, { bytes, type });
    return blob;
  }

  internals.newBlob = (bytes, type) => newBlob(bytes, normalizedType(type));
  internals.blobBytes = (value) => {
    const slots = typeof value === 'object' && value !== null ? blobSlots.get(value) : undefined;
    return slots === undefined ? undefined : slots.bytes;
  };

  Object.defineProperty(Blob.prototype, Symbol.toStringTag, { value: 'Blob', configurable: true });
  Object.defineProperty(File.prototype, Symbol.toStringTag, { value: 'File', configurable: true });
  for (const [name, value] of [['Blob', Blob], ['File', File]]) {
    Object.defineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });
  }
})
