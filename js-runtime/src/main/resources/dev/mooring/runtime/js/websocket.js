// WebSocket and WebSocketPair, as Workers have them: a pair's two ends are linked, one goes back
// to the client in `new Response(null, {status: 101, webSocket})`, and the other is accepted
// here, either with accept() (events through addEventListener) or with
// state.acceptWebSocket() (events through the object's webSocketMessage/Close/Error handlers,
// which lets the object be evicted while the socket stays connected).
//
// The host owns the connection; a WebSocket object holds only the end's numeric id. The host
// bridge (HostFunctions.java) creates pairs, accepts, sends and closes; it delivers events of
// ends accepted with accept() through internals.dispatchWebSocketEvent.
//
// Outgoing sockets: `new WebSocket(url, protocols)` and fetch() with `Upgrade: websocket`
// (through internals.fetchWebSocket) ask the host to open a connection (host.outboundWebSocket,
// see HostFunctions.java), within the same egress policy as fetch(). The host makes the
// connection the network side of a new pair and hands over the other end, so the socket is used
// as a served one is. Where they differ, this follows workerd. A fetch()ed socket needs accept().
// A constructed one is CONNECTING until the server switches protocols. Then it accepts itself
// and fires `open`, or it fires `error` and a 1006 `close` when the connection fails. Neither
// can be given to state.acceptWebSocket(), because neither has a peer in this runtime.
//
// Registered on internals:
//   newWebSocket(id) -> WebSocket            a wrapper for an end the host handed over
//   isWebSocketUpgrade(headers)              whether a flat header list requests a WebSocket
//   fetchWebSocket(parts, resolve, reject) -> cancel   fetch() of a WebSocket
//   webSocketIdOf(ws, forResponse) -> id     the end's id; marks it as given to a Response
//   acceptHibernatable(ws) -> id             checks and marks an end for state.acceptWebSocket()
//   webSocketClosed(ws, code, reason)        records that the peer closed a hibernatable end
//   dispatchWebSocketEvent(id, kind, data, code, reason, wasClean, finalState)
//   isWebSocket(value), WebSocketRequestResponsePair
(function (host, internals) {
  'use strict';

  const slotsOf = internals.slotsOf;

  const CONNECTING = 0;
  const OPEN = 1;
  const CLOSING = 2;
  const CLOSED = 3;
  const MAX_ATTACHMENT_BYTES = 16384;
  const MAX_CLOSE_REASON_BYTES = 123;
  const constructToken = Symbol('WebSocket');

  // Ends accepted with accept() in this context, by id, to route their events.
  const accepted = new Map();

  const CONSTRUCTOR_ERROR = 'WebSocket Constructor: ';
  // RFC 6455 section 4.1: a subprotocol is a token of visible ASCII without separators.
  const PROTOCOL_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

  // Checks the arguments of `new WebSocket(url, protocols)` as workerd does and returns the
  // http: or https: URL to connect to and the subprotocols to offer.
  function outgoingTarget(url, protocols) {
    let parsed;
    try {
      parsed = new URL(String(url));
    } catch (error) {
      throw new DOMException(CONSTRUCTOR_ERROR + 'The url is invalid.', 'SyntaxError');
    }
    if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
      throw new DOMException(CONSTRUCTOR_ERROR + 'The url scheme must be ws or wss.', 'SyntaxError');
    }
    if (parsed.hash !== '' || String(url).includes('#')) {
      throw new DOMException(CONSTRUCTOR_ERROR + 'The url fragment must be empty.', 'SyntaxError');
    }

    let offered = [];
    if (typeof protocols === 'string') {
      if (!PROTOCOL_TOKEN.test(protocols)) {
        throw new DOMException(CONSTRUCTOR_ERROR + 'The protocol header token is invalid.', 'SyntaxError');
      }
      offered = [protocols];
    } else if (protocols !== undefined && protocols !== null) {
      offered = Array.from(protocols, String);
      for (let i = 0; i < offered.length; i++) {
        if (!PROTOCOL_TOKEN.test(offered[i])) {
          throw new DOMException(CONSTRUCTOR_ERROR + 'One of the protocol header tokens is invalid.', 'SyntaxError');
        }
        if (offered.indexOf(offered[i]) !== i) {
          throw new DOMException(CONSTRUCTOR_ERROR + 'The protocols header cannot have repeating values.', 'SyntaxError');
        }
      }
    }

    // Credentials in the URL are not sent, as in workerd, so an Authorization header must carry them.
    parsed.username = '';
    parsed.password = '';
    const href = parsed.href;
    const httpUrl = parsed.protocol === 'wss:' ? 'https' + href.slice(3) : 'http' + href.slice(2);
    return { url: httpUrl, protocols: offered };
  }

  // The subprotocols a fetch() request offers in its Sec-WebSocket-Protocol header.
  function offeredProtocols(flatHeaders) {
    const offered = [];
    for (let i = 0; i < flatHeaders.length; i += 2) {
      if (flatHeaders[i].toLowerCase() === 'sec-websocket-protocol') {
        for (const token of flatHeaders[i + 1].split(',')) {
          const trimmed = token.trim();
          if (trimmed !== '') offered.push(trimmed);
        }
      }
    }
    return offered;
  }

  function isValidCloseCode(code) {
    return code >= 1000 && code <= 4999 && code !== 1004 && code !== 1005 && code !== 1006 && code !== 1015;
  }

  // Cuts a close reason to at most 123 UTF-8 bytes, the room a close frame has, at a character
  // boundary. Older compatibility dates do not validate the length (the chat demo passes stacks).
  function truncateReason(reason) {
    let bytes = 0;
    for (let i = 0; i < reason.length; i++) {
      const code = reason.codePointAt(i);
      const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      if (bytes + size > MAX_CLOSE_REASON_BYTES) return reason.slice(0, i);
      bytes += size;
      if (code > 0xffff) i++;
    }
    return reason;
  }

  function toHostData(message) {
    if (typeof message === 'string') return message;
    if (message instanceof ArrayBuffer) return message;
    if (ArrayBuffer.isView(message)) {
      return message.buffer.slice(message.byteOffset, message.byteOffset + message.byteLength);
    }
    return String(message);
  }

  const webSocketSlots = new WeakMap();

  function webSocketSlotsOf(value) {
    return slotsOf(webSocketSlots, value);
  }

  class WebSocket extends EventTarget {
    constructor(url, protocols = undefined) {
      if (arguments.length === 0) {
        throw new TypeError("Failed to construct 'WebSocket': 1 argument required, but only 0 present.");
      }
      const target = url === constructToken ? null : outgoingTarget(url, protocols);
      super();
      webSocketSlots.set(this, {
        id: target === null ? protocols : null,
        // 'none', 'accepted' (accept()), 'hibernatable' (state.acceptWebSocket()), 'response',
        // or for a constructed socket 'connecting' and, when that failed, 'failed'.
        mode: target === null ? 'none' : 'connecting',
        readyState: target === null ? OPEN : CONNECTING,
        closeSent: false,
        binaryType: 'arraybuffer',
        // The host's sender for text, made on the first send of text (see send()).
        sender: null,
        // Set for a socket this runtime opened: 'constructed' (new WebSocket()) or 'fetched'.
        outgoing: target === null ? null : 'constructed',
        url: target === null ? null : String(url),
        protocol: '',
        // Stops a constructed socket's handshake; null once it settled.
        cancelConnect: null,
      });
      if (target !== null) {
        connect(this, target);
      }
    }

    static get CONNECTING() { return CONNECTING; }
    static get OPEN() { return OPEN; }
    static get CLOSING() { return CLOSING; }
    static get CLOSED() { return CLOSED; }

    get readyState() {
      return webSocketSlotsOf(this).readyState;
    }

    get url() {
      return webSocketSlotsOf(this).url;
    }

    get protocol() {
      return webSocketSlotsOf(this).protocol;
    }

    get extensions() {
      return '';
    }

    get binaryType() {
      return webSocketSlotsOf(this).binaryType;
    }

    set binaryType(value) {
      if (value !== 'arraybuffer' && value !== 'blob') {
        throw new TypeError('binaryType must be "arraybuffer" or "blob".');
      }
      webSocketSlotsOf(this).binaryType = value;
    }

    accept(options = undefined) {
      const slots = webSocketSlotsOf(this);
      if (slots.mode === 'connecting' || slots.mode === 'failed') {
        throw new TypeError("Websockets obtained from the 'new WebSocket()' constructor cannot call accept");
      }
      if (slots.mode === 'hibernatable') {
        throw new TypeError("Can't accept() WebSocket after enabling hibernation.");
      }
      if (slots.mode === 'response') {
        throw new TypeError("Can't accept() WebSocket that was already used in a response.");
      }
      if (slots.mode === 'accepted') {
        return;
      }
      // The host throws when the object is at its WebSocket limit. Mark the end accepted only
      // after that, so send() on a rejected end throws and the end does not stay in the map.
      host.wsAccept(slots.id);
      slots.mode = 'accepted';
      accepted.set(slots.id, this);
    }

    send(message) {
      // A room calls this once per client and message, so it looks its slots up itself.
      const slots = webSocketSlots.get(this);
      if (slots === undefined) {
        throw new TypeError('Illegal invocation');
      }
      if (slots.mode === 'failed') {
        // A constructed socket that never connected drops messages, as workerd's does after its error.
        return;
      }
      if (slots.mode !== 'accepted' && slots.mode !== 'hibernatable') {
        throw new TypeError('You must call one of accept() or state.acceptWebSocket() on this WebSocket before sending messages.');
      }
      if (slots.closeSent) {
        throw new TypeError("Can't call WebSocket send() after close().");
      }
      if (slots.readyState === CLOSED) {
        // The peer is gone; workerd drops the message silently.
        return;
      }
      // A string skips the conversion call, since a room sends one per client and message.
      const data = typeof message === 'string' ? message : toHostData(message);
      if (typeof data !== 'string') {
        host.wsSend(slots.id, data);
        return;
      }
      // Text goes through a Java object with a method for it, which costs less per call than a
      // host function.
      if (slots.sender === null) {
        slots.sender = host.wsSender(slots.id);
      }
      slots.sender.sendText(data);
    }

    close(code = undefined, reason = undefined) {
      if (code === undefined && reason !== undefined) {
        throw new DOMException('If you specify a WebSocket close reason, you must also specify a code.', 'InvalidAccessError');
      }
      let closeCode = null;
      if (code !== undefined) {
        closeCode = Number(code);
        if (!isValidCloseCode(closeCode)) {
          throw new DOMException('Invalid WebSocket close code: ' + code + '.', 'InvalidAccessError');
        }
      }
      const slots = webSocketSlotsOf(this);
      if (slots.closeSent || slots.readyState === CLOSED) {
        return;
      }
      if (slots.mode === 'connecting') {
        // The events come later, as in workerd, where the cancelled handshake reports them.
        slots.cancelConnect();
        markFailed(this);
        const ws = this;
        queueMicrotask(() => dispatchFailure(ws, new Error('Called close before connection was established.')));
        return;
      }
      if (slots.mode !== 'accepted' && slots.mode !== 'hibernatable') {
        throw new TypeError('You must call one of accept() or state.acceptWebSocket() on this WebSocket before closing it.');
      }
      slots.closeSent = true;
      slots.readyState = CLOSING;
      host.wsClose(slots.id, closeCode, reason === undefined ? '' : truncateReason(String(reason)));
    }

    serializeAttachment(value) {
      const bytes = internals.serialize(value);
      if (bytes.byteLength > MAX_ATTACHMENT_BYTES) {
        throw new Error("A WebSocket 'attachment' cannot be larger than " + MAX_ATTACHMENT_BYTES
          + " bytes.'attachment' was " + bytes.byteLength + ' bytes.');
      }
      const slots = webSocketSlotsOf(this);
      if ('closedAttachment' in slots) {
        slots.closedAttachment = bytes.slice().buffer;
        return;
      }
      host.wsSetAttachment(slots.id, bytes.slice().buffer);
    }

    deserializeAttachment() {
      const slots = webSocketSlotsOf(this);
      const stored = 'closedAttachment' in slots ? slots.closedAttachment : host.wsGetAttachment(slots.id);
      return stored === null || stored === undefined ? null : internals.deserialize(stored);
    }
  }
  Object.defineProperty(WebSocket.prototype, Symbol.toStringTag, { value: 'WebSocket', configurable: true });
  for (const [name, value] of [['CONNECTING', CONNECTING], ['OPEN', OPEN], ['CLOSING', CLOSING], ['CLOSED', CLOSED]]) {
    Object.defineProperty(WebSocket.prototype, name, { value, enumerable: true });
  }

  function receive(ws, kind, data, code, reason, wasClean, finalState) {
    const slots = webSocketSlots.get(ws);
    if (kind === 'message') {
      const payload = typeof data === 'string' ? data : new Uint8Array(data).slice().buffer;
      ws.dispatchEvent(new MessageEvent('message', { data: payload }));
    } else if (kind === 'close') {
      internals.webSocketClosed(ws, finalState);
      accepted.delete(slots.id);
      ws.dispatchEvent(new CloseEvent('close', { code, reason, wasClean }));
    } else if (kind === 'error') {
      internals.webSocketClosed(ws, finalState);
      accepted.delete(slots.id);
      ws.dispatchEvent(new ErrorEvent('error', { message: String(data), error: new Error(String(data)) }));
    }
  }

  // Asks the host for the connection of a constructed socket, which fires open once it is up.
  function connect(ws, target) {
    const slots = webSocketSlots.get(ws);
    let settledAtOnce = null;
    let connecting = true;
    const cancel = host.outboundWebSocket(target.url, [], target.protocols, function settle(kind, a, b, c) {
      const error = kind === 'open' ? null : kind === 'ok'
        ? new TypeError('Failed to establish the WebSocket connection: expected server to reply with HTTP status code '
          + '101 (switching protocols), but received ' + a + ' instead.')
        : internals.hostError(a, b);
      if (connecting) {
        // The host refused before starting, as outside any event; workerd throws then.
        settledAtOnce = error;
        return;
      }
      slots.cancelConnect = null;
      if (slots.mode !== 'connecting') {
        return;
      }
      if (error !== null) {
        failConnect(ws, error);
        return;
      }
      slots.id = a;
      slots.protocol = b;
      try {
        host.wsAccept(a);
      } catch (limitError) {
        failConnect(ws, limitError);
        return;
      }
      slots.mode = 'accepted';
      accepted.set(a, ws);
      slots.readyState = OPEN;
      ws.dispatchEvent(new Event('open'));
    });
    connecting = false;
    if (settledAtOnce !== null) {
      throw settledAtOnce;
    }
    slots.cancelConnect = typeof cancel === 'function' ? cancel : () => {};
  }

  // Ends a constructed socket whose connection did not come about: error, then a 1006 close.
  function failConnect(ws, error) {
    markFailed(ws);
    dispatchFailure(ws, error);
  }

  function markFailed(ws) {
    const slots = webSocketSlots.get(ws);
    slots.mode = 'failed';
    slots.readyState = CLOSED;
    slots.cancelConnect = null;
  }

  function dispatchFailure(ws, error) {
    ws.dispatchEvent(new ErrorEvent('error', { message: String(error), error }));
    ws.dispatchEvent(new CloseEvent('close', { code: 1006, reason: 'Failed to establish websocket connection', wasClean: false }));
  }

  internals.isWebSocketUpgrade = (flatHeaders) => {
    for (let i = 0; i < flatHeaders.length; i += 2) {
      if (flatHeaders[i].toLowerCase() === 'upgrade' && flatHeaders[i + 1].trim().toLowerCase() === 'websocket') {
        return true;
      }
    }
    return false;
  };

  // fetch() of a request with `Upgrade: websocket`: a 101 response whose webSocket needs accept(),
  // or the server's response as it is when it does not switch protocols.
  internals.fetchWebSocket = (parts, resolve, reject) => host.outboundWebSocket(parts.url, parts.headers,
    offeredProtocols(parts.headers), function settle(kind, a, b, c, d, e, f) {
      if (kind === 'open') {
        const ws = new WebSocket(constructToken, a);
        const slots = webSocketSlots.get(ws);
        slots.outgoing = 'fetched';
        slots.protocol = b;
        const headers = ['upgrade', 'websocket', 'connection', 'upgrade'];
        if (b !== '') headers.push('sec-websocket-protocol', b);
        resolve(internals.newResponse(101, 'Switching Protocols', headers, null, ws, parts.url, false));
      } else if (kind === 'ok') {
        // The server refused the upgrade; its body is as it came, as for any response to fetch().
        resolve(internals.newResponse(a, b, c, d, null, e, f, true));
      } else {
        reject(internals.hostError(a, b));
      }
    });

  internals.isWebSocket = (value) => webSocketSlots.has(value);

  internals.newWebSocket = (id) => new WebSocket(constructToken, id);

  internals.webSocketIdOf = (ws, forResponse) => {
    const slots = webSocketSlotsOf(ws);
    if (forResponse) {
      if (slots.outgoing === 'constructed') {
        throw new TypeError("Can't return WebSocket in a Response if it was created with `new WebSocket()`");
      }
      if (slots.mode === 'accepted') {
        throw new TypeError("Can't return WebSocket in a Response after calling accept().");
      }
      if (slots.mode === 'hibernatable') {
        throw new TypeError("Can't return WebSocket in a Response after calling acceptWebSocket().");
      }
      slots.mode = 'response';
    }
    return slots.id;
  };

  // Checks that `ws` may become hibernatable, lets `register(id)` hand it to the host, and marks it
  // hibernatable only if that returned: a socket the host refuses keeps its state.
  internals.acceptHibernatable = (ws, register) => {
    const slots = webSocketSlotsOf(ws);
    // workerd counts a socket accepted for hibernation as accepted too, so a second call gets
    // this message as well.
    if (slots.mode === 'accepted' || slots.mode === 'hibernatable') {
      throw new Error("Cannot call `acceptWebSocket()` if the WebSocket was already accepted via `accept()`");
    }
    // An outgoing socket has no pair in this runtime whose other end could wait for it.
    if (slots.mode === 'response' || slots.outgoing !== null) {
      throw new Error('Cannot call `acceptWebSocket()` on this WebSocket because its pair has already been accepted or used in a Response.');
    }
    register(slots.id);
    slots.mode = 'hibernatable';
  };

  internals.wrapHibernatable = (id) => {
    const ws = new WebSocket(constructToken, id);
    webSocketSlots.get(ws).mode = 'hibernatable';
    return ws;
  };

  // Marks a socket closed. The host drops a closed connection, so the socket keeps what its
  // close handler may still read: finalState is [attachment bytes or null, tags or null].
  internals.webSocketClosed = (ws, finalState) => {
    const slots = webSocketSlotsOf(ws);
    slots.readyState = CLOSED;
    if (finalState !== null && finalState !== undefined) {
      slots.closedAttachment = finalState[0] ?? null;
      slots.closedTags = finalState[1] === null || finalState[1] === undefined ? null : Array.from(finalState[1]);
    }
  };

  // Returns the tags of a closed socket, null for one that was not hibernatable, or undefined
  // while the host still has the connection.
  internals.closedTagsOf = (ws) => {
    const slots = webSocketSlotsOf(ws);
    return 'closedTags' in slots ? slots.closedTags : undefined;
  };

  internals.dispatchWebSocketEvent = (id, kind, data, code, reason, wasClean, finalState) => {
    const ws = accepted.get(id);
    if (ws !== undefined) {
      receive(ws, kind, data, code, reason, wasClean, finalState);
    }
  };

  class WebSocketPair {
    constructor() {
      const ids = host.wsNewPair();
      Object.defineProperty(this, 0, { value: new WebSocket(constructToken, ids[0]), enumerable: true });
      Object.defineProperty(this, 1, { value: new WebSocket(constructToken, ids[1]), enumerable: true });
    }
  }
  Object.defineProperty(WebSocketPair.prototype, Symbol.toStringTag, { value: 'WebSocketPair', configurable: true });
  internals.markNotSerializable(WebSocketPair);

  const MAX_AUTO_RESPONSE_BYTES = 2048;

  const webSocketRequestResponsePairSlots = new WeakMap();

  function webSocketRequestResponsePairSlotsOf(value) {
    return slotsOf(webSocketRequestResponsePairSlots, value);
  }

  class WebSocketRequestResponsePair {

    constructor(request, response) {
      const req = String(request);
      const res = String(response);
      const requestSize = internals.utf8Encode(req).length;
      if (requestSize > MAX_AUTO_RESPONSE_BYTES) {
        throw new RangeError('Request cannot be larger than ' + MAX_AUTO_RESPONSE_BYTES + ' bytes. A request of size '
          + requestSize + ' was provided.');
      }
      const responseSize = internals.utf8Encode(res).length;
      if (responseSize > MAX_AUTO_RESPONSE_BYTES) {
        throw new RangeError('Response cannot be larger than ' + MAX_AUTO_RESPONSE_BYTES + ' bytes. A response of size '
          + responseSize + ' was provided.');
      }
      webSocketRequestResponsePairSlots.set(this, { request: req, response: res });
    }

    get request() {
      return webSocketRequestResponsePairSlotsOf(this).request;
    }

    get response() {
      return webSocketRequestResponsePairSlotsOf(this).response;
    }
  }

  internals.WebSocketRequestResponsePair = WebSocketRequestResponsePair;
  Object.defineProperty(globalThis, 'WebSocket', { value: WebSocket, writable: true, configurable: true });
  Object.defineProperty(globalThis, 'WebSocketPair', { value: WebSocketPair, writable: true, configurable: true });
  Object.defineProperty(globalThis, 'WebSocketRequestResponsePair',
    { value: WebSocketRequestResponsePair, writable: true, configurable: true });
})
