// Response: the Fetch API response, with workerd's constructor rules.
//
// Differences from the WHATWG standard that workerd has, and this class keeps:
// - statusText defaults to the usual reason phrase ("OK", "Not Found"), not "".
// - A WebSocket response must have status 101, and 101 is allowed only with a WebSocket.
// - A null-body status (101, 204, 205, 304) accepts a zero-length body and treats it as null.
// - Response.error() has mutable headers.
// - The init dictionary takes encodeBody, "automatic" (the default) or "manual". With "automatic"
//   and a Content-Encoding of exactly "gzip", the host compresses the body on its way to a client.
//   With "manual" the body is taken to be compressed already and goes out as written. There is no
//   property to read it by, but a Response given as init, clone() and RPC carry it over.
//
// Host conversions, registered on internals:
//   newResponse(status, statusText, headers, body, webSocket, url, redirected, manualEncoding) -> Response
//       headers is a flat [name0, value0, ...] list, as a JS array or a ProxyArray.
//       body is null, an ArrayBuffer, a typed array or a Java ByteBuffer, and is copied.
//       A null or undefined statusText means the default reason phrase.
//       url and redirected, given for a response to fetch(), are what the url and redirected
//       getters return; without them they return "" and false.
//       It skips the status range checks and drops an empty body for a null-body status. The
//       headers are immutable, as workerd makes those of responses returned by fetch().
//       manualEncoding true gives encodeBody "manual": the body is already in its Content-Encoding.
//   newStreamResponse(status, statusText, headers, channel, url, manualEncoding) -> Response
//       a stub's response whose body the host streams from the object (see hostBodyStream).
//   responseParts(response) -> { status, statusText, headers: [flat], body, stream, webSocket,
//       manualEncoding }
//       marks a bytes body used, because the response is handed to the host. body is an
//       ArrayBuffer or null; stream is null, or the body's stream when the host must stream it
//       (the caller then reads it with streamToHost).
//   responseFields(response) -> { status, statusText, headers: [flat], cf, webSocket, encodeBody }
//   newRpcResponse(fields, body) -> Response   a response received over RPC, from responseFields
//       and the body bytes (a Uint8Array that it keeps) or null; its headers are mutable.
//       Status 0 gives Response.error().
//   isResponse(value) -> boolean
(function (host, internals) {
  'use strict';

  const slotsOf = internals.slotsOf;

  const Body = internals.Body;
  const bodyToken = internals.bodyToken;
  const fieldsToken = Symbol('Response fields token');

  const NULL_BODY_STATUSES = [101, 204, 205, 304];
  const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
  const JSON_CONTENT_TYPE = 'application/json';

  const REASON_PHRASES = new Map([
    [100, 'Continue'], [101, 'Switching Protocols'], [102, 'Processing'], [103, 'Early Hints'],
    [200, 'OK'], [201, 'Created'], [202, 'Accepted'], [203, 'Non-Authoritative Information'],
    [204, 'No Content'], [205, 'Reset Content'], [206, 'Partial Content'], [207, 'Multi-Status'],
    [208, 'Already Reported'], [226, 'IM Used'],
    [300, 'Multiple Choices'], [301, 'Moved Permanently'], [302, 'Found'], [303, 'See Other'],
    [304, 'Not Modified'], [305, 'Use Proxy'], [307, 'Temporary Redirect'], [308, 'Permanent Redirect'],
    [400, 'Bad Request'], [401, 'Unauthorized'], [402, 'Payment Required'], [403, 'Forbidden'],
    [404, 'Not Found'], [405, 'Method Not Allowed'], [406, 'Not Acceptable'],
    [407, 'Proxy Authentication Required'], [408, 'Request Timeout'], [409, 'Conflict'], [410, 'Gone'],
    [411, 'Length Required'], [412, 'Precondition Failed'], [413, 'Payload Too Large'],
    [414, 'URI Too Long'], [415, 'Unsupported Media Type'], [416, 'Range Not Satisfiable'],
    [417, 'Expectation Failed'], [418, "I'm a teapot"], [421, 'Misdirected Request'],
    [422, 'Unprocessable Entity'], [423, 'Locked'], [424, 'Failed Dependency'], [426, 'Upgrade Required'],
    [428, 'Precondition Required'], [429, 'Too Many Requests'], [431, 'Request Header Fields Too Large'],
    [451, 'Unavailable For Legal Reasons'],
    [500, 'Internal Server Error'], [501, 'Not Implemented'], [502, 'Bad Gateway'],
    [503, 'Service Unavailable'], [504, 'Gateway Timeout'], [505, 'HTTP Version Not Supported'],
    [506, 'Variant Also Negotiates'], [507, 'Insufficient Storage'], [508, 'Loop Detected'],
    [510, 'Not Extended'], [511, 'Network Authentication Required'],
  ]);

  // Returns the reason phrase workerd reports when none was given: the registered phrase, or
  // else the name of the status class.
  function defaultStatusText(status) {
    const phrase = REASON_PHRASES.get(status);
    if (phrase !== undefined) {
      return phrase;
    }
    if (status >= 200 && status < 300) return 'Successful';
    if (status >= 300 && status < 400) return 'Redirection';
    if (status >= 400 && status < 500) return 'Client Error';
    if (status >= 500 && status < 600) return 'Server Error';
    return '';
  }

  function toDomString(value, what) {
    if (typeof value === 'symbol') {
      throw new TypeError('Cannot convert a Symbol value to a string for ' + what + '.');
    }
    return String(value);
  }

  // Converts like a WebIDL long: NaN and infinities become 0, fractions are truncated.
  function toStatusCode(value) {
    const number = Number(value);
    return Number.isFinite(number) ? Math.trunc(number) : 0;
  }

  function checkStatusText(statusText) {
    for (let i = 0; i < statusText.length; i++) {
      if (statusText.charCodeAt(i) < 0x20) {
        throw new TypeError('Invalid statusText: ' + JSON.stringify(statusText) +
            ' contains a control character, which could inject a header.');
      }
    }
  }

  function checkWebSocket(webSocket) {
    if (webSocket === null || webSocket === undefined) {
      return null;
    }
    if (typeof WebSocket === 'function' ? webSocket instanceof WebSocket : typeof webSocket === 'object') {
      return webSocket;
    }
    throw new TypeError("Failed to construct 'Response': the webSocket option must be a WebSocket or null.");
  }

  function copyCf(cf) {
    return cf === undefined ? undefined : JSON.parse(JSON.stringify(cf));
  }

  function parseRedirectUrl(url) {
    if (typeof URL === 'function') {
      try {
        return new URL(url).href;
      } catch (error) {
        throw new TypeError('Unable to parse URL: ' + url);
      }
    }
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url)) {
      throw new TypeError('Unable to parse URL: ' + url);
    }
    return url;
  }

  const responseSlots = new WeakMap();

  function responseSlotsOf(value) {
    return slotsOf(responseSlots, value);
  }

  function buildResponseState(body, init) {
    const state = {
      status: 200,
      statusText: undefined,
      headers: undefined,
      cf: undefined,
      webSocket: null,
      encodeBody: 'automatic',
      extracted: null,
    };

    if (internals.isResponse(init)) {
      const initSlots = responseSlots.get(init);
      state.status = initSlots.status;
      if (initSlots.statusText !== undefined && initSlots.statusText !== defaultStatusText(initSlots.status)) {
        state.statusText = initSlots.statusText;
      }
      state.headers = new Headers(initSlots.headers);
      state.cf = copyCf(initSlots.cf);
      state.webSocket = initSlots.webSocket;
      state.encodeBody = initSlots.encodeBody;
    } else if (init !== undefined && init !== null) {
      if (typeof init !== 'object' && typeof init !== 'function') {
        throw new TypeError("Failed to construct 'Response': the init argument must be an object or a Response.");
      }
      applyResponseInitDict(state, init);
    }
    if (state.headers === undefined) {
      state.headers = new Headers();
    }

    if (state.webSocket === null) {
      if (state.status < 200 || state.status > 599) {
        throw new RangeError('Responses may only be constructed with status codes in the range 200 to 599, inclusive.');
      }
    } else if (state.status !== 101) {
      throw new RangeError('Responses with a WebSocket must have status code 101.');
    }
    if (state.statusText !== undefined) {
      checkStatusText(state.statusText);
    }

    const extracted = internals.extractBody(body);
    if (extracted !== null && NULL_BODY_STATUSES.includes(state.status)) {
      if (internals.extractedLength(extracted) !== 0) {
        throw new TypeError('Response with null body status (101, 204, 205, or 304) cannot have a body.');
      }
      // workerd still accepts a zero-length body here, for scripts written during its beta.
      return state;
    }
    state.extracted = extracted;
    return state;
  }

  // Reads the ResponseInit members in WebIDL order (alphabetical).
  function applyResponseInitDict(state, dict) {
    const cf = dict.cf;
    const encodeBody = dict.encodeBody;
    const headers = dict.headers;
    const status = dict.status;
    const statusText = dict.statusText;
    const webSocket = dict.webSocket;

    if (status !== undefined) {
      state.status = toStatusCode(status);
    }
    if (statusText !== undefined) {
      state.statusText = toDomString(statusText, 'statusText');
    }
    if (encodeBody !== undefined) {
      const encoding = toDomString(encodeBody, 'encodeBody');
      if (encoding !== 'manual' && encoding !== 'automatic') {
        throw new TypeError('encodeBody: unexpected value: ' + encoding);
      }
      state.encodeBody = encoding;
    }
    if (headers !== undefined) {
      state.headers = new Headers(headers);
    }
    if (cf !== undefined) {
      if (cf === null || typeof cf !== 'object') {
        throw new TypeError("Failed to construct 'Response': the cf option must be an object.");
      }
      state.cf = copyCf(cf);
    }
    state.webSocket = checkWebSocket(webSocket);
  }

  class Response extends Body {
    constructor(body = null, init = undefined) {
      // The runtime passes fieldsToken to build a response from known-good fields.
      const state = body === fieldsToken ? init : buildResponseState(body, init);
      super(bodyToken, state.headers, state.extracted);
      responseSlots.set(this, {
        status: state.status,
        statusText: state.statusText,
        headers: state.headers,
        cf: state.cf,
        webSocket: state.webSocket,
        // 'manual' when the body is already in the coding its Content-Encoding names, so the host
        // sends it as it is. workerd keeps this without a property to read it by, and so does Mooring.
        encodeBody: state.encodeBody === 'manual' ? 'manual' : 'automatic',
        url: state.url === undefined ? '' : state.url,
        redirected: state.redirected === true,
      });
    }

    static error() {
      return new Response(fieldsToken, {
        status: 0,
        statusText: '',
        headers: new Headers(),
        cf: undefined,
        webSocket: null,
        extracted: null,
      });
    }

    static redirect(url, status = 302) {
      const code = toStatusCode(status);
      if (!REDIRECT_STATUSES.includes(code)) {
        throw new RangeError(code + ' is not a redirect status code. It must be one of: 301, 302, 303, 307, or 308.');
      }
      const location = parseRedirectUrl(toDomString(url, 'the URL'));
      if (/[\0\r\n]/.test(location)) {
        throw new TypeError("Redirect URL cannot contain '\\r', '\\n', or '\\0': " + url);
      }
      return new Response(fieldsToken, {
        status: code,
        statusText: undefined,
        headers: internals.headersFromFlat(['location', location], true),
        cf: undefined,
        webSocket: null,
        extracted: null,
      });
    }

    static json(data, init = undefined) {
      const text = JSON.stringify(data);
      if (text === undefined) {
        throw new TypeError('Response.json() cannot serialize ' + (typeof data) + ' to JSON: pass an object, ' +
            'array, string, number, boolean or null.');
      }
      let jsonInit;
      if (internals.isResponse(init)) {
        const initSlots = responseSlots.get(init);
        jsonInit = {
          status: initSlots.status,
          statusText: initSlots.statusText,
          headers: new Headers(initSlots.headers),
          cf: initSlots.cf,
          encodeBody: initSlots.encodeBody,
          webSocket: initSlots.webSocket,
        };
      } else if (init === undefined || init === null) {
        jsonInit = { headers: new Headers() };
      } else {
        if (typeof init !== 'object' && typeof init !== 'function') {
          throw new TypeError('Response.json(): the init argument must be an object or a Response.');
        }
        jsonInit = {
          cf: init.cf,
          encodeBody: init.encodeBody,
          headers: new Headers(init.headers),
          status: init.status,
          statusText: init.statusText,
          webSocket: init.webSocket,
        };
      }
      internals.setHeaderIfAbsent(jsonInit.headers, 'content-type', JSON_CONTENT_TYPE);
      return new Response(text, jsonInit);
    }

    get status() {
      return responseSlotsOf(this).status;
    }

    get statusText() {
      const slots = responseSlotsOf(this);
      return slots.statusText === undefined ? defaultStatusText(slots.status) : slots.statusText;
    }

    get headers() {
      return responseSlotsOf(this).headers;
    }

    get ok() {
      const slots = responseSlotsOf(this);
      return slots.status >= 200 && slots.status < 300;
    }

    get redirected() {
      return responseSlotsOf(this).redirected;
    }

    get url() {
      return responseSlotsOf(this).url;
    }

    get type() {
      return responseSlotsOf(this).status === 0 ? 'error' : 'default';
    }

    get webSocket() {
      return responseSlotsOf(this).webSocket;
    }

    get cf() {
      return responseSlotsOf(this).cf;
    }

    clone() {
      const slots = responseSlotsOf(this);
      if (slots.webSocket !== null) {
        throw new TypeError('Cannot clone a response to a WebSocket handshake.');
      }
      if (this.bodyUsed) {
        throw new TypeError(internals.bodyUsedMessage);
      }
      const extracted = internals.teeBody(this);
      return new Response(fieldsToken, {
        status: slots.status,
        statusText: slots.statusText,
        headers: internals.cloneHeaders(slots.headers),
        cf: copyCf(slots.cf),
        webSocket: null,
        encodeBody: slots.encodeBody,
        extracted,
        url: slots.url,
        redirected: slots.redirected,
      });
    }

    static {
      internals.isResponse = (value) => responseSlots.has(value);

      internals.newResponse = (status, statusText, headers, body, webSocket, url, redirected, manualEncoding) => {
        const code = toStatusCode(status);
        let bytes = body === null || body === undefined ? null : internals.bytesFromHost(body);
        if (bytes !== null && bytes.length === 0 && NULL_BODY_STATUSES.includes(code)) {
          bytes = null;
        }
        return new Response(fieldsToken, {
          status: code,
          statusText: statusText === null || statusText === undefined ? undefined : String(statusText),
          headers: internals.headersFromFlat(headers, true),
          cf: undefined,
          webSocket: webSocket === undefined ? null : webSocket,
          encodeBody: manualEncoding === true ? 'manual' : 'automatic',
          extracted: bytes === null ? null : { bytes, stream: null, contentType: null },
          url: url === null || url === undefined ? '' : String(url),
          redirected: redirected === true,
        });
      };

      // A response to stub.fetch() whose body the object streams, read through the host.
      internals.newStreamResponse = (status, statusText, headers, channel, url, manualEncoding) => new Response(fieldsToken, {
        status: toStatusCode(status),
        statusText: statusText === null || statusText === undefined ? undefined : String(statusText),
        headers: internals.headersFromFlat(headers, true),
        cf: undefined,
        webSocket: null,
        encodeBody: manualEncoding === true ? 'manual' : 'automatic',
        extracted: { bytes: null, stream: internals.hostBodyStream(channel), contentType: null },
        url: String(url),
        redirected: false,
      });

      // What RPC copies of a response besides its body. As in workerd, url and redirected stay behind.
      internals.responseFields = (response) => {
        const slots = responseSlotsOf(response);
        return {
          status: slots.status,
          statusText: response.statusText,
          headers: internals.headersToFlat(slots.headers),
          cf: slots.cf,
          webSocket: slots.webSocket,
          encodeBody: slots.encodeBody,
        };
      };

      internals.newRpcResponse = (fields, body) => {
        if (fields.status === 0) {
          return Response.error();
        }
        return new Response(fieldsToken, {
          status: fields.status,
          statusText: fields.statusText,
          headers: internals.headersFromFlat(fields.headers, false),
          cf: fields.cf,
          webSocket: null,
          encodeBody: fields.encodeBody,
          extracted: body === null ? null : { bytes: body, stream: null, contentType: null },
          url: '',
          redirected: false,
        });
      };

      internals.responseParts = (response) => {
        if (!internals.isResponse(response)) {
          throw new TypeError("Incorrect type for Promise: the Promise did not resolve to 'Response'.");
        }
        const slots = responseSlots.get(response);
        const stream = internals.liveBodyStream(response);
        return {
          status: slots.status,
          statusText: response.statusText,
          headers: internals.headersToFlat(slots.headers),
          body: stream === null ? internals.bodyBufferOf(internals.consumeBody(response)) : null,
          stream,
          webSocket: slots.webSocket,
          manualEncoding: slots.encodeBody === 'manual',
        };
      };
    }
  }

  Object.defineProperty(Response.prototype, Symbol.toStringTag, { value: 'Response', configurable: true });
  Object.defineProperty(globalThis, 'Response', { value: Response, writable: true, configurable: true });
})
