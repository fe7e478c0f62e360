test('WebSocketPair has two linked WebSockets', () => {
  const pair = new WebSocketPair();
  assert.ok(pair[0] instanceof WebSocket);
  assert.ok(pair[1] instanceof WebSocket);
  assert.notEqual(pair[0], pair[1]);
  assert.deepEqual(Object.keys(pair), ['0', '1']);
  assert.equal(Object.prototype.toString.call(pair[0]), '[object WebSocket]');
});

test('new WebSocket() checks its URL and protocols before connecting, as workerd does', () => {
  const cases = [
    [['not a url'], 'WebSocket Constructor: The url is invalid.'],
    [['https://example.com/'], 'WebSocket Constructor: The url scheme must be ws or wss.'],
    [['wss://example.com/#part'], 'WebSocket Constructor: The url fragment must be empty.'],
    [['wss://example.com/', 'chat v2'], 'WebSocket Constructor: The protocol header token is invalid.'],
    [['wss://example.com/', ['chat', 'a,b']], 'WebSocket Constructor: One of the protocol header tokens is invalid.'],
    [['wss://example.com/', ['chat', 'chat']], 'WebSocket Constructor: The protocols header cannot have repeating values.'],
  ];
  for (const [args, message] of cases) {
    const error = assert.throws(() => new WebSocket(...args), DOMException, message);
    assert.equal(error.name, 'SyntaxError');
  }
  assert.throws(() => new WebSocket(), TypeError);
});

test('send before accept throws', () => {
  const [, server] = Object.values(new WebSocketPair());
  assert.throws(() => server.send('x'), TypeError,
    'You must call one of accept() or state.acceptWebSocket() on this WebSocket before sending messages.');
});

test('send after close throws', () => {
  const server = new WebSocketPair()[1];
  server.accept();
  server.close(1000, 'done');
  assert.throws(() => server.send('x'), TypeError, "Can't call WebSocket send() after close().");
  assert.equal(server.readyState, WebSocket.CLOSING);
});

test('close checks the code and the reason', () => {
  const server = new WebSocketPair()[1];
  server.accept();
  const invalid = assert.throws(() => server.close(999), DOMException, 'Invalid WebSocket close code: 999.');
  assert.equal(invalid.name, 'InvalidAccessError');
  for (const code of [1004, 1005, 1006, 1015, 5000]) {
    assert.throws(() => server.close(code), DOMException, 'Invalid WebSocket close code: ' + code + '.');
  }
  const error = assert.throws(() => server.close(undefined, 'why'), DOMException);
  assert.equal(error.name, 'InvalidAccessError');
});

test('close cuts long reasons to 123 UTF-8 bytes', () => {
  testLog.clear();
  const server = new WebSocketPair()[1];
  server.accept();
  server.close(1011, '\u00e9'.repeat(100));
  const line = testLog.lines().find((l) => l.includes(' close '));
  const reason = line.slice(line.indexOf('1011 ') + 5);
  assert.equal(reason, '\u00e9'.repeat(61));
});

test('a second close is ignored', () => {
  testLog.clear();
  const server = new WebSocketPair()[1];
  server.accept();
  server.close(1000, 'a');
  server.close(1000, 'b');
  assert.equal(testLog.lines().filter((l) => l.includes(' close ')).length, 1);
});

test('attachments round-trip and are null when unset', () => {
  const server = new WebSocketPair()[1];
  assert.equal(server.deserializeAttachment(), null);
  server.serializeAttachment({ name: 'alice', since: new Date(0) });
  const attachment = server.deserializeAttachment();
  assert.equal(attachment.name, 'alice');
  assert.ok(attachment.since instanceof Date);
});

test('attachments over 16 KiB are rejected', () => {
  const server = new WebSocketPair()[1];
  assert.throws(() => server.serializeAttachment('x'.repeat(20000)), Error,
    /A WebSocket 'attachment' cannot be larger than 16384 bytes/);
});

test('accept after a response rejects', () => {
  const [client] = Object.values(new WebSocketPair());
  testInternals.webSocketIdOf(client, true);
  assert.throws(() => client.accept(), TypeError, /already used in a response/);
});

test('accepted socket cannot go in a response', () => {
  const server = new WebSocketPair()[1];
  server.accept();
  assert.throws(() => testInternals.webSocketIdOf(server, true), TypeError,
    "Can't return WebSocket in a Response after calling accept().");
});

test('dispatched events reach listeners', () => {
  const server = new WebSocketPair()[1];
  const seen = [];
  server.addEventListener('message', (event) => seen.push('message ' + event.data));
  server.addEventListener('close', (event) => seen.push('close ' + event.code + ' ' + event.reason + ' ' + event.wasClean));
  server.accept();
  const id = testInternals.webSocketIdOf(server, false);
  testInternals.dispatchWebSocketEvent(id, 'message', 'hello', 0, '', false);
  testInternals.dispatchWebSocketEvent(id, 'close', null, 1000, 'bye', true);
  assert.deepEqual(seen, ['message hello', 'close 1000 bye true']);
  assert.equal(server.readyState, WebSocket.CLOSED);
});

test('WebSocketRequestResponsePair checks sizes', () => {
  const pair = new WebSocketRequestResponsePair('ping', 'pong');
  assert.equal(pair.request, 'ping');
  assert.equal(pair.response, 'pong');
  assert.throws(() => new WebSocketRequestResponsePair('x'.repeat(2049), 'y'), RangeError,
    'Request cannot be larger than 2048 bytes. A request of size 2049 was provided.');
});

test('EventTarget listeners run once with the once option', () => {
  const target = new EventTarget();
  let count = 0;
  target.addEventListener('ping', () => count++, { once: true });
  target.dispatchEvent(new Event('ping'));
  target.dispatchEvent(new Event('ping'));
  assert.equal(count, 1);
});

test('send routes text and binary', () => {
  const server = new WebSocketPair()[1];
  server.accept();
  testLog.clear();
  server.send('hello');
  server.send(42);
  server.send(new Uint8Array([1, 2, 3]));
  const lines = testLog.lines().map((line) => line.replace(/^ws \d+ /, ''));
  assert.deepEqual(lines, ['send hello', 'send 42', 'send binary']);
});
