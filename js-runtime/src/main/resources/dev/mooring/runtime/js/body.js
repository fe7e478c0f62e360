// Body: the base class of Request and Response, holding the body and the read methods.
//
// A body is a BodyStream: an immutable Uint8Array plus a one-way "disturbed" flag. It models
// workerd's buffer-backed ReadableStream and is shared the same way: `new Response(res.body)`
// and a Request passed as RequestInit share one BodyStream, so reading either marks both used.
// clone() gives both sides fresh BodyStreams over the same bytes and disturbs the old one, like
// tee(). A null body (no BodyStream) reads as empty any number of times.
//
// Body is not a global, as in workerd: only Request and Response extend it, and the constructor
// requires a token that only the runtime files hold.
//
// Other runtime files use these internals:
//   Body, bodyToken                           the base class and its constructor token
//   bodyUsedMessage                           workerd's exact TypeError text for a used body
//   extractBody(init) -> {stream, contentType} | null
//   bodyStreamOf(body), setBodyStream(body, stream)
//   consumeBody(body) -> Uint8Array | null    marks the body used; throws if it already was
//   bodyStreamFromBytes(bytes) -> BodyStream  takes ownership of the Uint8Array
//   isBodyStream(value), isBodyStreamDisturbed(stream), bodyStreamLength(stream)
//   readBodyStream(stream) -> Uint8Array      marks it disturbed; throws if it already was
//   detachBodyStream(stream) -> BodyStream    a new stream over the same bytes; disturbs the old one
//   teeBodyStream(stream) -> [BodyStream, BodyStream]  the same, twice
//   bytesFromHost(data) -> Uint8Array         copies an ArrayBuffer, view or Java ByteBuffer
//   encodeUtf8(string) -> Uint8Array, decodeUtf8(bytes) -> string
// The Uint8Arrays these return are shared between BodyStreams: copy them before handing them out.
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

  // --- BodyStream ----------------------------------------------------------------------------

  // NOTE: A stand-in for ReadableStream, which the runtime does not have yet. It lets code test
  // `body !== null`, read `locked`, and pass the body to another Request or Response, but it has
  // no getReader(), pipeTo(), pipeThrough(), tee() or async iteration.
  const bodyStreamSlots = new WeakMap();

  function bodyStreamSlotsOf(value) {
    return slotsOf(bodyStreamSlots, value);
  }

  class BodyStream {
    constructor(token, bytes) {
      if (token !== bodyToken) {
        throw new TypeError('Illegal constructor');
      }
      bodyStreamSlots.set(this, { bytes, disturbed: false });
    }

    get locked() {
      return bodyStreamSlotsOf(this).disturbed;
    }

    static {
      internals.bodyStreamFromBytes = (bytes) => new BodyStream(bodyToken, bytes);
      internals.isBodyStream = (value) => bodyStreamSlots.has(value);
      internals.isBodyStreamDisturbed = (stream) => bodyStreamSlotsOf(stream).disturbed;
      internals.bodyStreamLength = (stream) => bodyStreamSlotsOf(stream).bytes.length;

      internals.detachBodyStream = (stream) => {
        const slots = bodyStreamSlotsOf(stream);
        slots.disturbed = true;
        return new BodyStream(bodyToken, slots.bytes);
      };

      internals.teeBodyStream = (stream) => {
        const slots = bodyStreamSlotsOf(stream);
        slots.disturbed = true;
        return [new BodyStream(bodyToken, slots.bytes), new BodyStream(bodyToken, slots.bytes)];
      };

      // Marks the stream disturbed and returns its bytes, which the caller must not modify.
      internals.readBodyStream = (stream) => {
        const slots = bodyStreamSlotsOf(stream);
        if (slots.disturbed) {
          throw new TypeError(BODY_USED_MESSAGE);
        }
        slots.disturbed = true;
        return slots.bytes;
      };
    }
  }

  Object.defineProperty(BodyStream.prototype, Symbol.toStringTag, { value: 'ReadableStream', configurable: true });
  internals.markNotSerializable(BodyStream);

  // --- Body extraction -----------------------------------------------------------------------

  function copyBytes(buffer, offset, length) {
    return new Uint8Array(buffer, offset, length).slice();
  }

  // Implements "extract a body" for the body kinds this runtime has. Returns null for no body.
  // Anything that is not a known kind is converted with String(), as workerd does.
  function extractBody(init) {
    if (init === null || init === undefined) {
      return null;
    }
    if (typeof init === 'string') {
      return { stream: internals.bodyStreamFromBytes(encodeUtf8(init)), contentType: TEXT_CONTENT_TYPE };
    }
    if (init instanceof ArrayBuffer ||
        (typeof SharedArrayBuffer === 'function' && init instanceof SharedArrayBuffer)) {
      return { stream: internals.bodyStreamFromBytes(copyBytes(init, 0, init.byteLength)), contentType: null };
    }
    if (ArrayBuffer.isView(init)) {
      const bytes = copyBytes(init.buffer, init.byteOffset, init.byteLength);
      return { stream: internals.bodyStreamFromBytes(bytes), contentType: null };
    }
    if (internals.isBodyStream(init)) {
      if (internals.isBodyStreamDisturbed(init)) {
        throw new TypeError(DISTURBED_STREAM_MESSAGE);
      }
      return { stream: init, contentType: null };
    }
    const blobBytes = internals.blobBytes(init);
    if (blobBytes !== undefined) {
      // A Blob's bytes never change, so the stream can share them.
      return { stream: internals.bodyStreamFromBytes(blobBytes), contentType: init.type === '' ? null : init.type };
    }
    if (internals.isFormData(init)) {
      const encoded = internals.encodeFormData(init);
      return { stream: internals.bodyStreamFromBytes(encoded.bytes), contentType: encoded.contentType };
    }
    if (typeof URLSearchParams === 'function' && init instanceof URLSearchParams) {
      return { stream: internals.bodyStreamFromBytes(encodeUtf8(String(init))), contentType: FORM_CONTENT_TYPE };
    }
    if (typeof init === 'symbol') {
      throw new TypeError('Cannot use a Symbol as a body: pass a string, an ArrayBuffer or an ArrayBuffer view.');
    }
    if (typeof init === 'object' && typeof init[Symbol.asyncIterator] === 'function') {
      // workerd reads async iterables as streams. Converting one to "[object ...]" would send
      // the wrong bytes, so reject it instead.
      throw new TypeError('Async iterables are not supported as a body yet: pass a string, ' +
          'an ArrayBuffer or an ArrayBuffer view.');
    }
    const text = String(init);
    return { stream: internals.bodyStreamFromBytes(encodeUtf8(text)), contentType: TEXT_CONTENT_TYPE };
  }

  // --- Body ----------------------------------------------------------------------------------

  const bodySlots = new WeakMap();

  function bodySlotsOf(value) {
    return slotsOf(bodySlots, value);
  }

  // Returns the body's bytes, which other BodyStreams may share, so callers copy them before
  // handing them out.
  function readBodyBytes(slots) {
    if (slots.stream === null) {
      return new Uint8Array(0);
    }
    return internals.readBodyStream(slots.stream);
  }

  class Body {
    // `extracted` is null or a result of extractBody(); its content type is set on `headers`
    // unless they already have one.
    constructor(token, headers, extracted) {
      if (token !== bodyToken) {
        throw new TypeError('Illegal constructor');
      }
      bodySlots.set(this, { stream: extracted === null ? null : extracted.stream });
      if (extracted !== null && extracted.contentType !== null) {
        internals.setHeaderIfAbsent(headers, 'content-type', extracted.contentType);
      }
    }

    get body() {
      return bodySlotsOf(this).stream;
    }

    get bodyUsed() {
      const slots = bodySlotsOf(this);
      return slots.stream !== null && internals.isBodyStreamDisturbed(slots.stream);
    }

    async arrayBuffer() {
      return readBodyBytes(bodySlotsOf(this)).slice().buffer;
    }

    async bytes() {
      return readBodyBytes(bodySlotsOf(this)).slice();
    }

    async text() {
      return decodeUtf8(readBodyBytes(bodySlotsOf(this)));
    }

    async json() {
      return JSON.parse(decodeUtf8(readBodyBytes(bodySlotsOf(this))));
    }

    /** Returns a Blob of the body, typed by the Content-Type header. */
    async blob() {
      const bytes = readBodyBytes(bodySlotsOf(this)).slice();
      const type = this.headers.get('content-type');
      return internals.newBlob(bytes, type === null ? '' : type);
    }

    /** Parses a multipart/form-data or application/x-www-form-urlencoded body, by its Content-Type. */
    async formData() {
      const bytes = readBodyBytes(bodySlotsOf(this));
      return internals.parseFormData(bytes, this.headers.get('content-type'));
    }

    static {
      internals.Body = Body;
      internals.bodyToken = bodyToken;
      internals.markNotSerializable(Body);
      internals.bodyUsedMessage = BODY_USED_MESSAGE;
      internals.extractBody = extractBody;
      internals.encodeUtf8 = encodeUtf8;
      internals.decodeUtf8 = decodeUtf8;
      internals.bodyStreamOf = (body) => bodySlotsOf(body).stream;

      internals.consumeBody = (body) => {
        const slots = bodySlotsOf(body);
        return slots.stream === null ? null : internals.readBodyStream(slots.stream);
      };

      // Replaces the stream, for clone() and for building a Request from another one.
      internals.setBodyStream = (body, stream) => {
        bodySlotsOf(body).stream = stream;
      };
    }
  }

  // Reads an ArrayBuffer, a typed array or DataView, or a Java ByteBuffer into a new Uint8Array.
  internals.bytesFromHost = (data) => {
    if (ArrayBuffer.isView(data)) {
      return copyBytes(data.buffer, data.byteOffset, data.byteLength);
    }
    return new Uint8Array(data).slice();
  };
})
