// Request: the Fetch API request, with workerd's constructor rules.
//
// `new Request(input, init)` takes a URL string, a URL object or a Request as input, and a
// RequestInit dictionary or another Request as init. A Request given as init is read like a
// dictionary of its own fields: method, headers, body, redirect, signal and cf are copied, and the
// body stream is shared (reading either request marks both used). A Request given as input gives
// up its body to the new request unless init supplies one.
//
// The URL is normalized with `new URL(input).href` when a global URL class exists; without one
// the constructor only checks that the string starts with a scheme. A relative URL throws
// TypeError "Fetch API cannot load: <url>" either way.
//
// Host conversions, registered on internals:
//   newRequest(method, url, headers, body, cf) -> Request
//       headers: flat [name0, value0, ...] as a JS array or a ProxyArray (a plain Java List is
//       not readable under HostAccess.CONSTRAINED);
//       body: null, ArrayBuffer, typed array or Java ByteBuffer (copied); cf: object or undefined.
//       The request's headers are immutable, as workerd makes those of incoming requests.
//   requestParts(request) -> { method, url, headers: [flat], body: ArrayBuffer | Promise<ArrayBuffer> | null,
//       manualResponseEncoding }, where manualResponseEncoding is true for encodeResponseBody "manual"
//       a promise for a stream body, which is read to its end (see internals.whenBodyRead)
//       marks the body used, because the request is handed to the host.
//   requestFields(request) -> { method, url, headers: [flat], redirect, cache, cf, encodeResponseBody }
//   newRpcRequest(fields, body) -> Request   a request received over RPC, from requestFields and
//       the body bytes (a Uint8Array that it keeps) or null; its headers are mutable
//   isRequest(value) -> boolean
//   requestSignal(request) -> the AbortSignal given to the request, or null when none was given
(function (host, internals) {
  'use strict';

  const slotsOf = internals.slotsOf;

  const Body = internals.Body;
  const bodyToken = internals.bodyToken;
  const fieldsToken = Symbol('Request fields token');

  const NORMALIZED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
  const FORBIDDEN_METHODS = ['CONNECT', 'TRACE', 'TRACK'];
  const METHOD_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  const CACHE_MODES = ['no-store', 'no-cache', 'reload'];
  const SCHEME_PREFIX = /^[A-Za-z][A-Za-z0-9+.-]*:/;
  // workerd's message stops after the URL. Workers and stubs take only absolute URLs, so the message adds that.
  const RELATIVE_URL_HINT = '. Requests need a valid absolute URL, such as https://example.com/path.';

  function toDomString(value, what) {
    if (typeof value === 'symbol') {
      throw new TypeError('Cannot convert a Symbol value to a string for ' + what + '.');
    }
    return String(value);
  }

  // Returns the URL's serialization, or throws workerd's message for a URL it cannot fetch.
  function normalizeUrl(url) {
    if (typeof URL === 'function') {
      try {
        return new URL(url).href;
      } catch (error) {
        throw new TypeError('Fetch API cannot load: ' + url + RELATIVE_URL_HINT);
      }
    }
    if (!SCHEME_PREFIX.test(url)) {
      throw new TypeError('Fetch API cannot load: ' + url + RELATIVE_URL_HINT);
    }
    return url;
  }

  // Uppercases the six standard methods, whatever their case, and keeps other methods as given.
  function normalizeMethod(value) {
    const method = toDomString(value, 'a method');
    if (!METHOD_TOKEN.test(method)) {
      throw new TypeError('Invalid HTTP method string: ' + method);
    }
    const upper = method.toUpperCase();
    if (FORBIDDEN_METHODS.includes(upper)) {
      throw new TypeError('Invalid HTTP method string: ' + method + '. CONNECT, TRACE and TRACK are forbidden methods.');
    }
    return NORMALIZED_METHODS.includes(upper) ? upper : method;
  }

  function parseRedirect(value) {
    const redirect = toDomString(value, 'redirect').toLowerCase();
    if (redirect !== 'follow' && redirect !== 'manual') {
      throw new TypeError('Invalid redirect value, must be one of "follow" or "manual" ("error" won\'t be ' +
          'implemented since it does not make sense at the edge; use "manual" and check the response status code).');
    }
    return redirect;
  }

  function parseCacheMode(value) {
    const mode = toDomString(value, 'cache');
    if (!CACHE_MODES.includes(mode)) {
      throw new TypeError('Unsupported cache mode: ' + mode);
    }
    return mode;
  }

  function checkSignal(signal) {
    if (signal === null || internals.isAbortSignal(signal)) {
      return signal;
    }
    throw new TypeError("Failed to construct 'Request': the signal option must be an AbortSignal or null.");
  }

  // workerd stores a JSON copy of cf, so later changes to the caller's object do not leak in.
  function copyCf(cf) {
    return cf === undefined ? undefined : JSON.parse(JSON.stringify(cf));
  }

  function checkCf(cf) {
    if (cf === null || typeof cf !== 'object') {
      throw new TypeError("Failed to construct 'Request': the cf option must be an object.");
    }
    return copyCf(cf);
  }

  // Reads each RequestInit member once, in WebIDL order (alphabetical), since getters are observable.
  function readRequestInit(dict) {
    return {
      body: dict.body,
      cache: dict.cache,
      cf: dict.cf,
      encodeResponseBody: dict.encodeResponseBody,
      headers: dict.headers,
      integrity: dict.integrity,
      method: dict.method,
      redirect: dict.redirect,
      signal: dict.signal,
    };
  }

  function deepFreeze(value) {
    if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const key of Object.keys(value)) {
        deepFreeze(value[key]);
      }
    }
    return value;
  }

  function isGetOrHead(method) {
    return method === 'GET' || method === 'HEAD';
  }

  const requestSlots = new WeakMap();

  function requestSlotsOf(value) {
    return slotsOf(requestSlots, value);
  }

  // Runs the constructor's checks and returns the new request's fields. A Request given as
  // input gives up its body only at the end, once every check has passed.
  function buildRequestState(input, init) {
    const state = {
      method: 'GET',
      url: undefined,
      headers: undefined,
      redirect: 'follow',
      signal: null,
      cf: undefined,
      cache: undefined,
      encodeResponseBody: 'automatic',
      extracted: null,
    };

    let inputRequest = null;
    if (internals.isRequest(input)) {
      inputRequest = input;
      const inputSlots = requestSlots.get(input);
      state.url = inputSlots.url;
      state.method = inputSlots.method;
      state.redirect = inputSlots.redirect;
      state.signal = inputSlots.signal;
      state.cache = inputSlots.cache;
      state.encodeResponseBody = inputSlots.encodeResponseBody;
      state.cf = copyCf(inputSlots.cf);
    } else if (internals.URL !== undefined && input instanceof internals.URL) {
      // A URL object's href is already in normal form; parsing it again would change nothing.
      state.url = input.href;
    } else {
      state.url = normalizeUrl(toDomString(input, 'the URL'));
    }

    let initRequest = null;
    let initFields = null;
    if (internals.isRequest(init)) {
      initRequest = init;
    } else if (init !== undefined && init !== null) {
      if (typeof init !== 'object' && typeof init !== 'function') {
        throw new TypeError("Failed to construct 'Request': the init argument must be an object or a Request.");
      }
      initFields = readRequestInit(init);
    }

    // A Request as init, or a body in init (even null), replaces the input request's body.
    const initReplacesBody = initRequest !== null || (initFields !== null && initFields.body !== undefined);
    const takeInputBody = inputRequest !== null && !initReplacesBody;

    if (initRequest !== null) {
      applyRequestAsInit(state, initRequest);
    } else if (initFields !== null) {
      applyInitFields(state, initFields, takeInputBody ? inputRequest : null);
    }

    if (state.headers === undefined) {
      state.headers = inputRequest !== null ? new Headers(requestSlots.get(inputRequest).headers) : new Headers();
    }

    if (takeInputBody && internals.hasBody(inputRequest)) {
      if (inputRequest.bodyUsed) {
        throw new TypeError('Cannot reconstruct a Request with a used body.');
      }
      state.extracted = internals.detachBody(inputRequest);
    }
    return state;
  }

  function applyRequestAsInit(state, other) {
    const otherSlots = requestSlots.get(other);
    state.method = otherSlots.method;
    state.redirect = otherSlots.redirect;
    state.signal = otherSlots.signal;
    state.cache = otherSlots.cache;
    state.encodeResponseBody = otherSlots.encodeResponseBody;
    state.headers = new Headers(otherSlots.headers);
    state.cf = copyCf(otherSlots.cf);
    // Shared, not detached: workerd treats a Request given as init like a dictionary whose
    // body is the other request's stream.
    const shared = internals.shareBody(other);
    if (shared !== null) {
      state.extracted = internals.extractBody(shared.stream);
    }
  }

  // `inputRequest` is the Request given as input when it keeps its body, else null.
  function applyInitFields(state, fields, inputRequest) {
    const { body, cache, cf, encodeResponseBody, headers, integrity, method, redirect, signal } = fields;

    if (integrity !== undefined && toDomString(integrity, 'integrity') !== '') {
      throw new TypeError('Subrequest integrity checking is not implemented. ' +
          'The integrity option must be either undefined or an empty string.');
    }
    if (method !== undefined) {
      state.method = normalizeMethod(method);
    }
    if (headers !== undefined) {
      state.headers = new Headers(headers);
    }
    if (signal !== undefined) {
      state.signal = checkSignal(signal);
    }
    if (cf !== undefined) {
      state.cf = checkCf(cf);
    }
    if (body !== undefined && body !== null) {
      state.extracted = internals.extractBody(body);
      if (isGetOrHead(state.method)) {
        throw new TypeError('Request with a GET or HEAD method cannot have a body.');
      }
    }
    if (redirect !== undefined) {
      state.redirect = parseRedirect(redirect);
    }
    if (cache !== undefined) {
      state.cache = parseCacheMode(cache);
    }
    if (encodeResponseBody !== undefined) {
      const encoding = toDomString(encodeResponseBody, 'encodeResponseBody');
      if (encoding !== 'manual' && encoding !== 'automatic') {
        throw new TypeError('encodeResponseBody: unexpected value: ' + encoding);
      }
      state.encodeResponseBody = encoding;
    }

    // Changing the method of a request that keeps its body must respect the same rule. A GET
    // with a body from the host may still pass through when neither field is given, as in workerd.
    if (method !== undefined || body !== undefined) {
      const keptBody = inputRequest !== null && internals.hasBody(inputRequest);
      if (isGetOrHead(state.method) && (state.extracted !== null || keptBody)) {
        throw new TypeError('Request with a GET or HEAD method cannot have a body.');
      }
    }
  }

  class Request extends Body {
    constructor(input, init = undefined) {
      if (arguments.length === 0) {
        throw new TypeError("Failed to construct 'Request': 1 argument required, but only 0 present.");
      }
      // The runtime passes fieldsToken to build a request from known-good fields.
      const state = input === fieldsToken ? init : buildRequestState(input, init);
      super(bodyToken, state.headers, state.extracted);
      requestSlots.set(this, {
        method: state.method,
        url: state.url,
        headers: state.headers,
        redirect: state.redirect,
        signal: state.signal,
        // The signal that request.signal returns when none was given, made on first read.
        neverAbortingSignal: null,
        cf: state.cf,
        cache: state.cache,
        // 'manual' keeps a gzip body of the response to fetch() as the server sent it.
        encodeResponseBody: state.encodeResponseBody === 'manual' ? 'manual' : 'automatic',
      });
    }

    get method() {
      return requestSlotsOf(this).method;
    }

    get url() {
      return requestSlotsOf(this).url;
    }

    get headers() {
      return requestSlotsOf(this).headers;
    }

    get redirect() {
      return requestSlotsOf(this).redirect;
    }

    // Without a signal of its own, a request returns one that never aborts, the same one on
    // every read, as workerd's does. Copies of the request do not share it.
    get signal() {
      const slots = requestSlotsOf(this);
      if (slots.signal !== null) {
        return slots.signal;
      }
      if (slots.neverAbortingSignal === null) {
        slots.neverAbortingSignal = internals.newNeverAbortingSignal();
      }
      return slots.neverAbortingSignal;
    }

    get cf() {
      return requestSlotsOf(this).cf;
    }

    get cache() {
      return requestSlotsOf(this).cache;
    }

    get fetcher() {
      return null;
    }

    get integrity() {
      return '';
    }

    get keepalive() {
      return false;
    }

    clone() {
      const slots = requestSlotsOf(this);
      if (this.bodyUsed) {
        throw new TypeError(internals.bodyUsedMessage);
      }
      const extracted = internals.teeBody(this);
      return new Request(fieldsToken, {
        method: slots.method,
        url: slots.url,
        headers: internals.cloneHeaders(slots.headers),
        redirect: slots.redirect,
        signal: slots.signal,
        cf: copyCf(slots.cf),
        cache: slots.cache,
        encodeResponseBody: slots.encodeResponseBody,
        extracted,
      });
    }

    static {
      internals.isRequest = (value) => requestSlots.has(value);

      internals.newRequest = (method, url, headers, body, cf) => {
        const bytes = body === null || body === undefined ? null : internals.bytesFromHost(body);
        const methodString = String(method);
        // An empty GET or HEAD body counts as none, so the request can be rebuilt with a new URL.
        const keepBody = bytes !== null && !(bytes.length === 0 && isGetOrHead(methodString));
        return new Request(fieldsToken, {
          method: methodString,
          url: String(url),
          headers: internals.headersFromFlat(headers, true),
          redirect: 'follow',
          signal: null,
          cf: cf === undefined || cf === null ? undefined : deepFreeze(copyCf(cf)),
          cache: undefined,
          extracted: keepBody ? { bytes, stream: null, contentType: null } : null,
        });
      };

      internals.requestSignal = (request) => requestSlotsOf(request).signal;

      // What RPC copies of a request besides its body. workerd copies its signal too; Mooring
      // drops it, so the receiver's request never aborts.
      internals.requestFields = (request) => {
        const slots = requestSlotsOf(request);
        return {
          method: slots.method,
          url: slots.url,
          headers: internals.headersToFlat(slots.headers),
          redirect: slots.redirect,
          cache: slots.cache,
          cf: slots.cf,
          encodeResponseBody: slots.encodeResponseBody,
        };
      };

      internals.newRpcRequest = (fields, body) => new Request(fieldsToken, {
        method: fields.method,
        url: fields.url,
        headers: internals.headersFromFlat(fields.headers, false),
        redirect: fields.redirect,
        signal: null,
        cf: fields.cf,
        cache: fields.cache,
        encodeResponseBody: fields.encodeResponseBody,
        extracted: body === null ? null : { bytes: body, stream: null, contentType: null },
      });

      internals.requestParts = (request) => {
        if (!internals.isRequest(request)) {
          throw new TypeError('Expected a Request, got ' + Object.prototype.toString.call(request) + '.');
        }
        const slots = requestSlots.get(request);
        return {
          method: slots.method,
          url: slots.url,
          headers: internals.headersToFlat(slots.headers),
          body: internals.bodyBufferOf(internals.consumeBody(request)),
          manualResponseEncoding: slots.encodeResponseBody === 'manual',
        };
      };
    }
  }

  Object.defineProperty(Request.prototype, Symbol.toStringTag, { value: 'Request', configurable: true });
  Object.defineProperty(globalThis, 'Request', { value: Request, writable: true, configurable: true });
})
