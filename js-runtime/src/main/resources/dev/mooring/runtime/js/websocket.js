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
// Registered on internals:
//   newWebSocket(id) -> WebSocket            a wrapper for an end the host handed over
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
    constructor(url, protocols) {
      if (url !== constructToken) {
        throw new Error('Outgoing WebSockets (new WebSocket(url)) are not supported by Mooring. '
          + 'Use new WebSocketPair() to serve WebSockets.');
      }
      super();
      webSocketSlots.set(this, {
        id: protocols,
        // 'none', 'accepted' (accept()), 'hibernatable' (state.acceptWebSocket()) or 'response'.
        mode: 'none',
        readyState: OPEN,
        closeSent: false,
        binaryType: 'arraybuffer',
        // The host's sender for text, made on the first send of text (see send()).
        sender: null,
      });
    }

    static get CONNECTING() { return CONNECTING; }
    static get OPEN() { return OPEN; }
    static get CLOSING() { return CLOSING; }
    static get CLOSED() { return CLOSED; }

    get readyState() {
      return webSocketSlotsOf(this).readyState;
    }

    get url() {
      return null;
    }

    get protocol() {
      return '';
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

  internals.isWebSocket = (value) => webSocketSlots.has(value);

  internals.newWebSocket = (id) => new WebSocket(constructToken, id);

  internals.webSocketIdOf = (ws, forResponse) => {
    const slots = webSocketSlotsOf(ws);
    if (forResponse) {
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
    if (slots.mode === 'response') {
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
