const BODY_USED = 'Body has already been used. It can only be used once. Use tee() first if you need to read it twice.';
const STATUS_RANGE = 'Responses may only be constructed with status codes in the range 200 to 599, inclusive.';
const WEBSOCKET_STATUS = 'Responses with a WebSocket must have status code 101.';
const NULL_BODY = 'Response with null body status (101, 204, 205, or 304) cannot have a body.';

// Runs fn with globalThis[name] replaced by value (or removed when value is undefined), then
// restores the original.
function withGlobal(name, value, fn) {
  const had = Object.prototype.hasOwnProperty.call(globalThis, name);
  const original = globalThis[name];
  if (value === undefined) {
    delete globalThis[name];
  } else {
    globalThis[name] = value;
  }
  try {
    return fn();
  } finally {
    if (had) {
      globalThis[name] = original;
    } else {
      delete globalThis[name];
    }
  }
}

// Stands in for the server end of a WebSocketPair.
const fakeWebSocket = new WebSocketPair()[0];

test('Response looks like a native class', () => {
  const response = new Response();
  assert.equal(Object.prototype.toString.call(response), '[object Response]');
  assert.ok(response instanceof Response);
  assert.equal(Object.getOwnPropertyNames(response).length, 0);
  assert.ok(Object.getOwnPropertyDescriptor(Response.prototype, 'status').get);
  assert.equal(typeof Response.json, 'function');
  assert.throws(() => Response(), TypeError);
});

test('Response defaults', () => {
  const response = new Response();
  assert.equal(response.status, 200);
  assert.equal(response.statusText, 'OK');
  assert.equal(response.ok, true);
  assert.equal(response.redirected, false);
  assert.equal(response.url, '');
  assert.equal(response.type, 'default');
  assert.equal(response.webSocket, null);
  assert.equal(response.cf, undefined);
  assert.equal(response.body, null);
  assert.equal(response.bodyUsed, false);
  assert.ok(response.headers instanceof Headers);
});

test('Response status and statusText', () => {
  const response = new Response('x', { status: 404, statusText: 'Nope' });
  assert.equal(response.status, 404);
  assert.equal(response.statusText, 'Nope');
  assert.equal(response.ok, false);
  assert.equal(new Response('x', { status: 201 }).statusText, 'Created');
  assert.equal(new Response('x', { status: 299 }).statusText, 'Successful');
  assert.equal(new Response('x', { status: 599 }).statusText, 'Server Error');
  assert.equal(new Response('x', { status: 404, statusText: '' }).statusText, '');
});

test('Response ok covers 200 to 299', () => {
  assert.equal(new Response(null, { status: 299 }).ok, true);
  assert.equal(new Response(null, { status: 300 }).ok, false);
  assert.equal(new Response(null, { status: 200 }).ok, true);
});

test('Response status must be 200 to 599', () => {
  for (const status of [0, 100, 101, 199, 600, 1000, -1]) {
    assert.throws(() => new Response(null, { status }), RangeError, STATUS_RANGE);
  }
  assert.equal(new Response(null, { status: 599 }).status, 599);
  assert.equal(new Response(null, { status: '203' }).status, 203);
});

test('Response with WebSocket needs status 101', () => {
  const response = new Response(null, { status: 101, webSocket: fakeWebSocket });
  assert.equal(response.status, 101);
  assert.equal(response.webSocket, fakeWebSocket);
  assert.equal(response.statusText, 'Switching Protocols');
  assert.throws(() => new Response(null, { webSocket: fakeWebSocket }), RangeError, WEBSOCKET_STATUS);
  assert.throws(() => new Response(null, { status: 200, webSocket: fakeWebSocket }), RangeError, WEBSOCKET_STATUS);
  assert.throws(() => new Response(null, { status: 101 }), RangeError, STATUS_RANGE);
  assert.throws(() => new Response(null, { status: 101, webSocket: null }), RangeError, STATUS_RANGE);
});

test('Response webSocket must be a WebSocket', () => {
  class FakeWebSocket {}
  withGlobal('WebSocket', FakeWebSocket, () => {
    const socket = new FakeWebSocket();
    assert.equal(new Response(null, { status: 101, webSocket: socket }).webSocket, socket);
    assert.throws(() => new Response(null, { status: 101, webSocket: {} }), TypeError, /webSocket option/);
  });
  assert.throws(() => new Response(null, { status: 101, webSocket: 'socket' }), TypeError, /webSocket option/);
});

test('Response null body status rejects a body', () => {
  for (const status of [204, 205, 304]) {
    assert.throws(() => new Response('x', { status }), TypeError, NULL_BODY);
    assert.throws(() => new Response(0, { status }), TypeError, NULL_BODY);
    assert.equal(new Response(null, { status }).status, status);
  }
  assert.throws(() => new Response('x', { status: 101, webSocket: fakeWebSocket }), TypeError, NULL_BODY);
});

test('Response null body status accepts an empty body', async () => {
  const response = new Response('', { status: 204 });
  assert.equal(response.body, null);
  assert.equal(response.headers.get('content-type'), null);
  assert.equal(await response.text(), '');
  assert.equal(new Response(new ArrayBuffer(0), { status: 304 }).body, null);
});

test('Response statusText rejects control characters', () => {
  const error = assert.throws(() => new Response(null, { statusText: 'OK\r\nX-Injected: 1' }), TypeError);
  assert.ok(error.message.startsWith('Invalid statusText'), error.message);
  assert.throws(() => new Response(null, { statusText: 'a\tb' }), TypeError, /^Invalid statusText/);
  assert.equal(new Response(null, { statusText: 'Fine \u00e9' }).statusText, 'Fine \u00e9');
});

test('Response headers from init', () => {
  const response = new Response('x', { headers: [['X-A', '1'], ['x-a', '2']] });
  assert.equal(response.headers.get('x-a'), '1, 2');
  response.headers.set('x-b', '3');
  assert.equal(response.headers.get('x-b'), '3');
});

test('Response cf is a copy', () => {
  const cf = { a: { b: 1 } };
  const response = new Response(null, { cf });
  assert.deepEqual(response.cf, cf);
  assert.notEqual(response.cf, cf);
  assert.throws(() => new Response(null, { cf: 1 }), TypeError, /cf option must be an object/);
});

test('Response encodeBody is validated', () => {
  assert.equal(new Response('x', { encodeBody: 'manual' }).status, 200);
  assert.throws(() => new Response('x', { encodeBody: 'gzip' }), TypeError, 'encodeBody: unexpected value: gzip');
});

test('Response rejects a primitive init', () => {
  assert.throws(() => new Response('x', 200), TypeError);
  assert.equal(new Response('x', null).status, 200);
});

test('Response as init copies fields', async () => {
  const source = new Response('source body', { status: 418, headers: { 'X-A': '1' }, cf: { c: 1 } });
  const response = new Response('new body', source);
  assert.equal(response.status, 418);
  assert.equal(response.statusText, "I'm a teapot");
  assert.equal(response.headers.get('x-a'), '1');
  assert.notEqual(response.headers, source.headers);
  assert.deepEqual(response.cf, { c: 1 });
  assert.equal(await response.text(), 'new body');
  assert.equal(source.bodyUsed, false);
});

test('Response as init keeps a custom statusText', () => {
  const source = new Response(null, { status: 404, statusText: 'Gone Fishing' });
  assert.equal(new Response(null, source).statusText, 'Gone Fishing');
});

test('Response from immutable response is mutable', async () => {
  const fetched = testInternals.newResponse(200, 'OK', ['x-a', '1'], new Uint8Array([111, 107]), null);
  assert.throws(() => fetched.headers.set('x-b', '2'), TypeError, "Can't modify immutable headers.");
  const copy = new Response(fetched.body, fetched);
  copy.headers.set('x-b', '2');
  assert.equal(copy.headers.get('x-b'), '2');
  assert.equal(await copy.text(), 'ok');
  assert.equal(fetched.bodyUsed, true);
});

test('Response clone reads independently', async () => {
  const original = new Response('twice', { status: 202, statusText: 'Later', headers: { a: '1' }, cf: { x: 1 } });
  const copy = original.clone();
  assert.equal(copy.status, 202);
  assert.equal(copy.statusText, 'Later');
  assert.deepEqual(copy.cf, { x: 1 });
  copy.headers.set('a', '2');
  assert.equal(original.headers.get('a'), '1');
  assert.equal(await copy.text(), 'twice');
  assert.equal(original.bodyUsed, false);
  assert.equal(await original.text(), 'twice');
});

test('Response clone keeps immutable headers', () => {
  const redirect = Response.redirect('https://example.com/');
  assert.throws(() => redirect.clone().headers.set('a', '1'), TypeError, "Can't modify immutable headers.");
});

test('Response clone of used body throws', async () => {
  const response = new Response('x');
  await response.text();
  assert.throws(() => response.clone(), TypeError, BODY_USED);
});

test('Response clone with WebSocket throws', () => {
  const response = new Response(null, { status: 101, webSocket: fakeWebSocket });
  assert.throws(() => response.clone(), TypeError, 'Cannot clone a response to a WebSocket handshake.');
});

test('Response.json serializes data', async () => {
  const response = Response.json({ a: [1, 'two'] });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/json');
  assert.deepEqual(await response.json(), { a: [1, 'two'] });
});

test('Response.json keeps init', async () => {
  const response = Response.json('text', { status: 400, headers: { 'X-A': '1' } });
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('x-a'), '1');
  assert.equal(response.headers.get('content-type'), 'application/json');
  assert.equal(await response.text(), '"text"');
});

test('Response.json keeps a given content type', () => {
  const response = Response.json({}, { headers: { 'Content-Type': 'application/vnd.api+json' } });
  assert.equal(response.headers.get('content-type'), 'application/vnd.api+json');
});

test('Response.json with a Response init', async () => {
  const source = new Response(null, { status: 201, headers: { 'X-A': '1' } });
  const response = Response.json([1], source);
  assert.equal(response.status, 201);
  assert.equal(response.headers.get('x-a'), '1');
  assert.equal(response.headers.get('content-type'), 'application/json');
  assert.equal(source.headers.get('content-type'), null);
  assert.deepEqual(await response.json(), [1]);
});

test('Response.json rejects unserializable data', () => {
  assert.throws(() => Response.json(undefined), TypeError, /cannot serialize undefined/);
  assert.throws(() => Response.json(() => 1), TypeError, /cannot serialize function/);
  assert.throws(() => Response.json(1n), TypeError);
  const cyclic = {};
  cyclic.self = cyclic;
  assert.throws(() => Response.json(cyclic), TypeError);
});

test('Response.json checks null body status', () => {
  assert.throws(() => Response.json(null, { status: 204 }), TypeError, NULL_BODY);
});

test('Response.redirect defaults to 302', () => {
  const response = Response.redirect('https://example.com/next');
  assert.equal(response.status, 302);
  assert.equal(response.statusText, 'Found');
  assert.equal(response.headers.get('location'), 'https://example.com/next');
  assert.equal(response.body, null);
  assert.equal(response.redirected, false);
  assert.equal(response.url, '');
});

test('Response.redirect accepts redirect statuses', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    assert.equal(Response.redirect('https://example.com/', status).status, status);
  }
});

test('Response.redirect rejects other statuses', () => {
  for (const status of [200, 300, 304, 404]) {
    assert.throws(() => Response.redirect('https://example.com/', status), RangeError,
      status + ' is not a redirect status code. It must be one of: 301, 302, 303, 307, or 308.');
  }
});

test('Response.redirect parses its URL', () => {
  assert.throws(() => Response.redirect('/relative'), TypeError, 'Unable to parse URL: /relative');
  withGlobal('URL', class {
    constructor(input) {
      this.href = 'parsed:' + input;
    }
  }, () => {
    assert.equal(Response.redirect('https://example.com').headers.get('location'), 'parsed:https://example.com');
  });
  withGlobal('URL', undefined, () => {
    assert.equal(Response.redirect('https://example.com/x').headers.get('location'), 'https://example.com/x');
    assert.throws(() => Response.redirect('nope'), TypeError, 'Unable to parse URL: nope');
  });
});

test('Response.error is a network error', async () => {
  const response = Response.error();
  assert.equal(response.status, 0);
  assert.equal(response.statusText, '');
  assert.equal(response.type, 'error');
  assert.equal(response.ok, false);
  assert.equal(response.body, null);
  assert.equal(await response.text(), '');
});

test('Response subclass works', async () => {
  class Tagged extends Response {}
  const response = new Tagged('x', { status: 201 });
  assert.ok(response instanceof Response);
  assert.equal(response.status, 201);
  assert.equal(await response.text(), 'x');
});

test('newResponse builds a response from host parts', async () => {
  const response = testInternals.newResponse(404, 'Not Here', ['Content-Type', 'text/html', 'set-cookie', 'a=1',
    'set-cookie', 'b=2'], new Uint8Array([60, 112, 62]).buffer, null);
  assert.ok(response instanceof Response);
  assert.equal(response.status, 404);
  assert.equal(response.statusText, 'Not Here');
  assert.equal(response.headers.get('content-type'), 'text/html');
  assert.deepEqual(response.headers.getSetCookie(), ['a=1', 'b=2']);
  assert.equal(response.webSocket, null);
  assert.equal(await response.text(), '<p>');
});

test('newResponse defaults the statusText', () => {
  assert.equal(testInternals.newResponse(503, null, [], null, null).statusText, 'Service Unavailable');
  assert.equal(testInternals.newResponse(200, undefined, [], null, undefined).webSocket, null);
});

test('newResponse builds WebSocket responses', () => {
  const response = testInternals.newResponse(101, null, ['upgrade', 'websocket'], null, fakeWebSocket);
  assert.equal(response.status, 101);
  assert.equal(response.webSocket, fakeWebSocket);
});

test('newResponse skips status checks', () => {
  assert.equal(testInternals.newResponse(100, null, [], null, null).status, 100);
  assert.equal(testInternals.newResponse(204, null, [], new ArrayBuffer(0), null).body, null);
});

test('newResponse headers are immutable', () => {
  const response = testInternals.newResponse(200, null, ['a', '1'], null, null);
  assert.throws(() => response.headers.append('b', '2'), TypeError, "Can't modify immutable headers.");
});

test('responseParts returns flat parts', () => {
  const response = new Response('body', {
    status: 201,
    headers: [['Set-Cookie', 'z=1'], ['X-A', '1'], ['set-cookie', 'y=2']],
  });
  const parts = testInternals.responseParts(response);
  assert.equal(parts.status, 201);
  assert.equal(parts.statusText, 'Created');
  assert.deepEqual(parts.headers, ['content-type', 'text/plain;charset=UTF-8', 'set-cookie', 'z=1',
    'set-cookie', 'y=2', 'x-a', '1']);
  assert.ok(parts.body instanceof ArrayBuffer);
  assert.deepEqual(Array.from(new Uint8Array(parts.body)), [98, 111, 100, 121]);
  assert.equal(parts.webSocket, null);
  assert.equal(response.bodyUsed, true);
});

test('responseParts of a WebSocket response', () => {
  const parts = testInternals.responseParts(new Response(null, { status: 101, webSocket: fakeWebSocket }));
  assert.equal(parts.status, 101);
  assert.equal(parts.body, null);
  assert.equal(parts.webSocket, fakeWebSocket);
});

test('responseParts rejects used bodies', async () => {
  const response = new Response('x');
  await response.text();
  assert.throws(() => testInternals.responseParts(response), TypeError, BODY_USED);
});

test('responseParts rejects non-responses', () => {
  const message = "Incorrect type for Promise: the Promise did not resolve to 'Response'.";
  assert.throws(() => testInternals.responseParts({ status: 200 }), TypeError, message);
  assert.throws(() => testInternals.responseParts(undefined), TypeError, message);
  assert.throws(() => testInternals.responseParts('ok'), TypeError, message);
  assert.throws(() => testInternals.responseParts(new Request('https://example.com/')), TypeError, message);
});

test('responseParts round trip through newResponse', async () => {
  const original = new Response(new Uint8Array([1, 0, 255]), { status: 299, headers: { 'X-B': 'b', 'X-A': 'a' } });
  const parts = testInternals.responseParts(original);
  const rebuilt = testInternals.newResponse(parts.status, parts.statusText, parts.headers, parts.body, parts.webSocket);
  assert.equal(rebuilt.status, 299);
  assert.equal(rebuilt.statusText, 'Successful');
  assert.deepEqual([...rebuilt.headers], [['x-a', 'a'], ['x-b', 'b']]);
  assert.deepEqual(Array.from(await rebuilt.bytes()), [1, 0, 255]);
});

test('responseParts of Response.json', async () => {
  const parts = testInternals.responseParts(Response.json({ ok: true }));
  assert.deepEqual(parts.headers, ['content-type', 'application/json']);
  assert.equal(testInternals.decodeUtf8(new Uint8Array(parts.body)), '{"ok":true}');
});

test('isResponse recognizes responses only', () => {
  assert.equal(testInternals.isResponse(new Response()), true);
  assert.equal(testInternals.isResponse(Response.error()), true);
  assert.equal(testInternals.isResponse(new Request('https://example.com/')), false);
  assert.equal(testInternals.isResponse(Object.create(Response.prototype)), false);
  assert.equal(testInternals.isResponse(undefined), false);
});
