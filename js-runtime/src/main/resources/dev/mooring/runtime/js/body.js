// Body: the base class of Request and Response, holding the body and the read methods.
//
// A body is null, a byte buffer, or a ReadableStream (readable-stream.js). A body made from bytes keeps
// the Uint8Array and a "used" flag. Such bodies come from a string, a buffer, a Blob, FormData,
// URLSearchParams, or the host's requests and responses. They make their ReadableStream only
// when guest code reads `.body`, so text(), json() and the host's reads never build a stream.
// Once made, the stream is the body, and reading through either disturbs both.
//
// `new Response(stream)` and a Request passed as RequestInit share one ReadableStream, so reading
// either marks both used. clone() tees the body: two bodies over the same bytes, or two branches
// of the stream. A null body reads as empty any number of times.
//
// A body read by text(), json() and the others, or by the host, must be a stream of
// BufferSources. Any other chunk fails the read with workerd's TypeError ("This ReadableStream
// did not return bytes."). Such a read of a stream waits for it to close, so a body that never
// ends is never read.
//
// Body is not a global, as in workerd: only Request and Response extend it, and the constructor
// requires a token that only the runtime files hold.
//
// Other runtime files use these internals:
//   Body, bodyToken                           the base class and its constructor token
//   bodyUsedMessage                           workerd's exact TypeError text for a used body
//   extractBody(init) -> {bytes, stream, contentType} | null   one of bytes and stream is null
//   extractedLength(extracted) -> number      the byte count, or -1 when a stream must be read
//   hasBody(body) -> boolean
//   shareBody(body) -> extracted | null       the same stream, for a Request given as init
//   detachBody(body) -> extracted | null      moves the body out; the old one counts as used
//   teeBody(body) -> extracted | null         for clone(): keeps one branch, returns the other
//   liveBodyStream(body) -> ReadableStream | null   a stream body the host must stream
//   consumeBody(body) -> Uint8Array | Promise<Uint8Array> | null
//       marks the body used; throws TypeError if it was, or if its stream is locked
//   bodyBufferOf(bytes) -> ArrayBuffer | Promise<ArrayBuffer> | null   a copy, for the host
//   whenBodyRead(parts, proceed, fail)        calls proceed(parts) once parts.body is an ArrayBuffer
//   bytesFromHost(data) -> Uint8Array         copies an ArrayBuffer, view or Java ByteBuffer
//   encodeUtf8(string) -> Uint8Array, decodeUtf8(bytes) -> string
// The Uint8Arrays these return are shared between bodies: copy them before handing them out.
(function (host, internals) {
  'use strict';

  const slotsOf = internals.slotsOf;

  const BODY_USED_MESSAGE = 'Body has already been used. It can only be used once. ' +
      'Use tee() first if you need to read it twice.';
  const DISTURBED_STREAM_MESSAGE = 'This ReadableStream is disturbed (has already been read from), ' +
      'and cannot be used as a body.';
  const TEXT_CONTENT_TYPE = 'text/plain;charset=UTF-8';
  const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded;charset=UTF-8';

  const bodyToken = Symbol('Body constructor token');

  // --- UTF-8 ---------------------------------------------------------------------------------

  // Encodes a string as UTF-8; lone surrogates become U+FFFD, as for a USVString.
  function encodeUtf8(string) {
    return internals.utf8Encode(string);
  }

  // The WHATWG "UTF-8 decode": strips a leading BOM and replaces each maximal invalid subpart
  // with U+FFFD.
  function decodeUtf8(bytes) {
    const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    return internals.utf8Decode(hasBom ? bytes.subarray(3) : bytes);
  }

  // --- Body extraction -----------------------------------------------------------------------

  function copyBytes(buffer, offset, length) {
    return new Uint8Array(buffer, offset, length).slice();
  }

  function bytesBody(bytes, contentType) {
    return { bytes, stream: null, contentType };
  }

  // Implements "extract a body" for the body kinds this runtime has. Returns null for no body.
  // Anything that is not a known kind is converted with String(), as workerd does.
  function extractBody(init) {
    if (init === null || init === undefined) {
      return null;
    }
    if (typeof init === 'string') {
      return bytesBody(encodeUtf8(init), TEXT_CONTENT_TYPE);
    }
    if (init instanceof ArrayBuffer ||
        (typeof SharedArrayBuffer === 'function' && init instanceof SharedArrayBuffer)) {
      return bytesBody(copyBytes(init, 0, init.byteLength), null);
    }
    if (ArrayBuffer.isView(init)) {
      return bytesBody(copyBytes(init.buffer, init.byteOffset, init.byteLength), null);
    }
    if (internals.isReadableStream(init)) {
      if (internals.isStreamDisturbed(init)) {
        throw new TypeError(DISTURBED_STREAM_MESSAGE);
      }
      if (internals.isStreamLocked(init)) {
        throw new TypeError('This ReadableStream is currently locked to a reader.');
      }
      return { bytes: null, stream: init, contentType: null };
    }
    const blobBytes = internals.blobBytes(init);
    if (blobBytes !== undefined) {
      // A Blob's bytes never change, so the body can share them.
      return bytesBody(blobBytes, init.type === '' ? null : init.type);
    }
    if (internals.isFormData(init)) {
      const encoded = internals.encodeFormData(init);
      return bytesBody(encoded.bytes, encoded.contentType);
    }
    if (typeof URLSearchParams === 'function' && init instanceof URLSearchParams) {
      return bytesBody(encodeUtf8(String(init)), FORM_CONTENT_TYPE);
    }
    if (typeof init === 'symbol') {
      throw new TypeError('Cannot use a Symbol as a body: pass a string, an ArrayBuffer or an ArrayBuffer view.');
    }
    if (typeof init === 'object' && typeof init[Symbol.asyncIterator] === 'function') {
      // workerd reads async iterables as streams of their values.
      return { bytes: null, stream: ReadableStream.from(init), contentType: null };
    }
    return bytesBody(encodeUtf8(String(init)), TEXT_CONTENT_TYPE);
  }

  // --- Body ----------------------------------------------------------------------------------

  const bodySlots = new WeakMap();
  const EMPTY_BYTES = new Uint8Array(0);

  function bodySlotsOf(value) {
    return slotsOf(bodySlots, value);
  }

  // Returns the body's bytes, or a promise of them for a stream. Bytes from a buffer body are
  // shared, so callers copy them before handing them out.
  function readBodyBytes(slots) {
    if (slots.stream !== null) {
      return internals.takeStreamBytes(slots.stream);
    }
    if (slots.bytes === null) {
      return EMPTY_BYTES;
    }
    if (slots.used) {
      throw new TypeError(BODY_USED_MESSAGE);
    }
    slots.used = true;
    return slots.bytes;
  }

  // The body's ReadableStream, made on first use for a buffer body.
  function streamOf(slots) {
    if (slots.stream === null && slots.bytes !== null) {
      slots.stream = slots.used ? internals.consumedStream() : internals.readableStreamFromBytes(slots.bytes);
      slots.bytes = null;
    }
    return slots.stream;
  }

  class Body {
    // `extracted` is null or a result of extractBody(); its content type is set on `headers`
    // unless they already have one.
    constructor(token, headers, extracted) {
      if (token !== bodyToken) {
        throw new TypeError('Illegal constructor');
      }
      bodySlots.set(this, {
        bytes: extracted === null ? null : extracted.bytes,
        stream: extracted === null ? null : extracted.stream,
        used: false,
      });
      if (extracted !== null && extracted.contentType !== null) {
        internals.setHeaderIfAbsent(headers, 'content-type', extracted.contentType);
      }
    }

    get body() {
      return streamOf(bodySlotsOf(this));
    }

    get bodyUsed() {
      const slots = bodySlotsOf(this);
      return slots.stream !== null ? internals.isStreamDisturbed(slots.stream) : slots.bytes !== null && slots.used;
    }

    // Each method awaits only a stream body's bytes, so a buffer body's read takes no extra
    // turn of the microtask queue.
    async arrayBuffer() {
      const bytes = readBodyBytes(bodySlotsOf(this));
      return ownedCopy(bytes instanceof Promise ? await bytes : bytes).buffer;
    }

    async bytes() {
      const bytes = readBodyBytes(bodySlotsOf(this));
      return ownedCopy(bytes instanceof Promise ? await bytes : bytes);
    }

    async text() {
      const bytes = readBodyBytes(bodySlotsOf(this));
      return decodeUtf8(bytes instanceof Promise ? await bytes : bytes);
    }

    async json() {
      const bytes = readBodyBytes(bodySlotsOf(this));
      return JSON.parse(decodeUtf8(bytes instanceof Promise ? await bytes : bytes));
    }

    /** Returns a Blob of the body, typed by the Content-Type header. */
    async blob() {
      const bytes = readBodyBytes(bodySlotsOf(this));
      const type = this.headers.get('content-type');
      return internals.newBlob(ownedCopy(bytes instanceof Promise ? await bytes : bytes), type === null ? '' : type);
    }

    /** Parses a multipart/form-data or application/x-www-form-urlencoded body, by its Content-Type. */
    async formData() {
      const bytes = readBodyBytes(bodySlotsOf(this));
      return internals.parseFormData(bytes instanceof Promise ? await bytes : bytes, this.headers.get('content-type'));
    }

    static {
      internals.Body = Body;
      internals.bodyToken = bodyToken;
      internals.markNotSerializable(Body);
      internals.bodyUsedMessage = BODY_USED_MESSAGE;
      internals.extractBody = extractBody;
      internals.encodeUtf8 = encodeUtf8;
      internals.decodeUtf8 = decodeUtf8;

      internals.extractedLength = (extracted) => (extracted.bytes !== null
        ? extracted.bytes.length : internals.pristineStreamLength(extracted.stream));

      internals.hasBody = (body) => {
        const slots = bodySlotsOf(body);
        return slots.bytes !== null || slots.stream !== null;
      };

      internals.shareBody = (body) => {
        const stream = streamOf(bodySlotsOf(body));
        return stream === null ? null : { bytes: null, stream, contentType: null };
      };

      internals.detachBody = (body) => {
        const slots = bodySlotsOf(body);
        if (slots.stream !== null) {
          return { bytes: null, stream: internals.forwardStream(slots.stream), contentType: null };
        }
        if (slots.bytes === null) {
          return null;
        }
        slots.used = true;
        return bytesBody(slots.bytes, null);
      };

      internals.teeBody = (body) => {
        const slots = bodySlotsOf(body);
        if (slots.stream !== null) {
          const [mine, theirs] = internals.teeStream(slots.stream);
          slots.stream = mine;
          return { bytes: null, stream: theirs, contentType: null };
        }
        return slots.bytes === null ? null : bytesBody(slots.bytes, null);
      };

      // The body's stream when the host must stream it: a stream that is not an unread one made
      // from bytes. Null for bytes, for no body, and for such a stream, which consumeBody reads at once.
      internals.liveBodyStream = (body) => {
        const stream = bodySlotsOf(body).stream;
        return stream === null || internals.isPristineBytesStream(stream) ? null : stream;
      };

      internals.consumeBody = (body) => {
        const slots = bodySlotsOf(body);
        return slots.bytes === null && slots.stream === null ? null : readBodyBytes(slots);
      };
    }
  }

  // Body bytes may be shared with other bodies, Blobs and streams, so callers get a copy.
  function ownedCopy(bytes) {
    return bytes.slice();
  }

  // Copies the body bytes for the host. A promise of bytes gives a promise of the copy, and null
  // stays null.
  internals.bodyBufferOf = (bytes) => {
    if (bytes === null) {
      return null;
    }
    if (bytes instanceof Promise) {
      return bytes.then((read) => read.slice().buffer);
    }
    return bytes.slice().buffer;
  };

  // Calls proceed(parts) once parts.body is an ArrayBuffer or null. That is at once for a buffer
  // body, and after the read for a stream body. A failed read calls fail(error) instead.
  internals.whenBodyRead = (parts, proceed, fail) => {
    if (!(parts.body instanceof Promise)) {
      return proceed(parts);
    }
    parts.body.then((buffer) => {
      parts.body = buffer;
      proceed(parts);
    }, fail);
    return undefined;
  };

  // Reads an ArrayBuffer, a typed array or DataView, or a Java ByteBuffer into a new Uint8Array.
  internals.bytesFromHost = (data) => {
    if (ArrayBuffer.isView(data)) {
      return copyBytes(data.buffer, data.byteOffset, data.byteLength);
    }
    return new Uint8Array(data).slice();
  };
})
