// fetch(): outbound HTTP requests from guest code, sent by the host within its egress policy.
//
// fetch(input, init) builds its request exactly as `new Request(input, init)` does, so whatever
// the constructor throws, fetch() rejects with. Only http: and https: URLs can be fetched. Any
// other scheme rejects with TypeError "Fetch API cannot load: <url>", as in workerd from
// compatibility date 2021-11-10 (fetch_refuses_unknown_protocols); the message also names the
// scheme.
//
// The host sends the request (host.outboundFetch, see HostFunctions.java) and follows redirects
// itself for redirect "follow", at most 20, checking every hop against the allowlist. Redirect
// "manual" returns the 3xx response. Redirect "error" never gets here: the Request constructor
// rejects it with TypeError, as workerd's does.
//
// Errors: when the host's policy blocks a request, or the network fails, times out or sends a
// body over the size limit, the promise rejects with a plain Error whose message names the host
// or URL, and the option to change where one applies. workerd also rejects with a plain Error when its network blocks an
// address (it reports "internal error" and logs the cause). Redirect problems reject with
// TypeError and workerd's messages ("Too many redirects.", "Invalid Location header; unable to
// follow redirect.").
//
// The response's headers are immutable, its url is the final URL without fragment, and
// redirected says whether a redirect was followed. A response to HEAD has no body.
//
// Aborting: with a signal that has already aborted, fetch() rejects with its reason and sends
// nothing. When the signal aborts while the host is sending, the promise rejects with the
// reason at once, and the host stops the request and closes its connection.
// A request with `Upgrade: websocket` opens a WebSocket instead (see websocket.js): a 101
// response with `webSocket` set, or the server's response as it is when it refuses.
//
// NOTE: the host reads the whole response body before the promise resolves, so a signal that
// aborts after that no longer affects the response. In workerd it also errors the body stream.
(function (host, internals) {
  'use strict';

  const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
  const ERROR_TYPES = { Error, TypeError };

  function checkScheme(url) {
    const match = SCHEME.exec(url);
    const scheme = match === null ? '' : match[1].toLowerCase();
    if (scheme !== 'http' && scheme !== 'https') {
      throw new TypeError('Fetch API cannot load: ' + url + '. fetch() supports only http: and https: URLs, not ' +
          scheme + ': URLs.');
    }
  }

  function hostError(name, message) {
    const Type = Object.prototype.hasOwnProperty.call(ERROR_TYPES, name) ? ERROR_TYPES[name] : Error;
    return new Type(message);
  }

  internals.hostError = hostError;

  function fetch(input, init = undefined) {
    let request;
    try {
      if (arguments.length === 0) {
        throw new TypeError("Failed to execute 'fetch': 1 argument required, but only 0 present.");
      }
      request = new Request(input, init);
      checkScheme(request.url);
    } catch (error) {
      return Promise.reject(error);
    }
    return internals.abortableHostCall(internals.requestSignal(request), (resolve, reject) => {
      // Reading the parts marks the body used, as workerd leaves a Request given to fetch().
      const parts = internals.requestParts(request);
      if (internals.isWebSocketUpgrade(parts.headers)) {
        return internals.fetchWebSocket(parts, resolve, reject);
      }
      const isHead = parts.method === 'HEAD';
      const manual = parts.manualResponseEncoding;
      const send = () => host.outboundFetch(parts.method, parts.url, parts.headers, parts.body, request.redirect,
          manual ? 'manual' : 'automatic',
          function settle(kind, a, b, c, d, e, f) {
            if (kind === 'ok') {
              // The host has decoded a gzip body unless the request set encodeResponseBody
              // "manual". Returned as it is, a decoded body leaves the host gzipped again, and a
              // manual one leaves as the server sent it.
              resolve(internals.newResponse(a, b, c, isHead ? null : d, null, e, f, manual));
            } else {
              reject(hostError(a, b));
            }
          });
      if (!(parts.body instanceof Promise)) {
        return send();
      }
      // A stream body is read to its end first; an abort meanwhile means nothing is sent.
      let cancelled = false;
      let cancelSend = null;
      internals.whenBodyRead(parts, () => {
        if (!cancelled) {
          cancelSend = send();
        }
      }, reject);
      return () => {
        cancelled = true;
        if (typeof cancelSend === 'function') {
          cancelSend();
        }
      };
    });
  }

  Object.defineProperty(globalThis, 'fetch', { value: fetch, writable: true, configurable: true });
})
