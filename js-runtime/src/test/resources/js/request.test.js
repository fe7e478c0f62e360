const BODY_USED = 'Body has already been used. It can only be used once. Use tee() first if you need to read it twice.';
const GET_WITH_BODY = 'Request with a GET or HEAD method cannot have a body.';

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

// A URL class that only marks what it was given, to see how Request uses the global URL.
class MarkingURL {
  constructor(input) {
    if (String(input).startsWith('bad')) {
      throw new TypeError('Invalid URL: ' + input);
    }
    this.href = 'normalized:' + input;
  }

  toString() {
    return this.href;
  }
}

test('Request looks like a native class', () => {
  const request = new Request('https://example.com/');
  assert.equal(Object.prototype.toString.call(request), '[object Request]');
  assert.ok(request instanceof Request);
  assert.equal(Object.getOwnPropertyNames(request).length, 0);
  assert.ok(Object.getOwnPropertyDescriptor(Request.prototype, 'url').get);
  assert.equal(typeof Request.prototype.clone, 'function');
  assert.throws(() => Request('https://example.com/'), TypeError);
});

test('Request defaults', () => {
  const request = new Request('https://example.com/a?b=c');
  assert.equal(request.url, 'https://example.com/a?b=c');
  assert.equal(request.method, 'GET');
  assert.equal(request.redirect, 'follow');
  assert.ok(request.signal instanceof AbortSignal);
  assert.equal(request.signal.aborted, false);
  assert.equal(request.cf, undefined);
  assert.equal(request.body, null);
  assert.equal(request.bodyUsed, false);
  assert.ok(request.headers instanceof Headers);
  assert.equal([...request.headers].length, 0);
  assert.equal(request.integrity, '');
  assert.equal(request.keepalive, false);
  assert.equal(request.fetcher, null);
  assert.equal(request.cache, undefined);
});

test('Request requires an argument', () => {
  assert.throws(() => new Request(), TypeError, /1 argument required/);
});

test('Request normalizes its URL through URL', () => {
  withGlobal('URL', MarkingURL, () => {
    assert.equal(new Request('https://example.com').url, 'normalized:https://example.com');
    assert.throws(() => new Request('bad-url'), TypeError, 'Fetch API cannot load: bad-url. Requests need a valid absolute URL, such as https://example.com/path.');
  });
});

test('Request rejects relative URLs', () => {
  assert.throws(() => new Request('/path'), TypeError, 'Fetch API cannot load: /path. Requests need a valid absolute URL, such as https://example.com/path.');
  assert.throws(() => new Request('example.com/x'), TypeError, 'Fetch API cannot load: example.com/x. Requests need a valid absolute URL, such as https://example.com/path.');
});

test('Request checks the scheme without URL', () => {
  withGlobal('URL', undefined, () => {
    assert.equal(new Request('https://example.com/x').url, 'https://example.com/x');
    assert.throws(() => new Request('/path'), TypeError, 'Fetch API cannot load: /path. Requests need a valid absolute URL, such as https://example.com/path.');
    assert.throws(() => new Request(''), TypeError, 'Fetch API cannot load: . Requests need a valid absolute URL, such as https://example.com/path.');
  });
});

test('Request accepts a URL object', () => {
  withGlobal('URL', MarkingURL, () => {
    const url = new URL('https://example.com/from-object');
    assert.equal(new Request(url).url, 'normalized:normalized:https://example.com/from-object');
  });
  const urlLike = { toString: () => 'https://example.com/like' };
  assert.equal(new Request(urlLike).url, 'https://example.com/like');
});

test('Request uppercases standard methods', () => {
  const cases = [['get', 'GET'], ['Post', 'POST'], ['put', 'PUT'], ['delete', 'DELETE'],
    ['head', 'HEAD'], ['options', 'OPTIONS']];
  for (const [given, expected] of cases) {
    assert.equal(new Request('https://example.com/', { method: given }).method, expected);
  }
});

test('Request keeps other methods as given', () => {
  assert.equal(new Request('https://example.com/', { method: 'patch' }).method, 'patch');
  assert.equal(new Request('https://example.com/', { method: 'PATCH' }).method, 'PATCH');
  assert.equal(new Request('https://example.com/', { method: 'Purge' }).method, 'Purge');
});

test('Request rejects forbidden methods', () => {
  for (const method of ['CONNECT', 'connect', 'TRACE', 'trace', 'TRACK', 'Track']) {
    assert.throws(() => new Request('https://example.com/', { method }), TypeError,
      'Invalid HTTP method string: ' + method + '. CONNECT, TRACE and TRACK are forbidden methods.');
  }
});

test('Request rejects invalid method tokens', () => {
  assert.throws(() => new Request('https://example.com/', { method: 'BAD METHOD' }), TypeError,
    'Invalid HTTP method string: BAD METHOD');
  assert.throws(() => new Request('https://example.com/', { method: '' }), TypeError,
    'Invalid HTTP method string: ');
});

test('Request GET or HEAD cannot have a body', () => {
  assert.throws(() => new Request('https://example.com/', { body: 'x' }), TypeError, GET_WITH_BODY);
  assert.throws(() => new Request('https://example.com/', { method: 'HEAD', body: 'x' }), TypeError, GET_WITH_BODY);
  assert.throws(() => new Request('https://example.com/', { method: 'get', body: new Uint8Array(0) }), TypeError,
    GET_WITH_BODY);
  assert.equal(new Request('https://example.com/', { body: null }).body, null);
});

test('Request changing method to GET keeps body check', () => {
  const post = new Request('https://example.com/', { method: 'POST', body: 'x' });
  assert.throws(() => new Request(post, { method: 'GET' }), TypeError, GET_WITH_BODY);
  assert.equal(post.bodyUsed, false);
});

test('Request with POST body', async () => {
  const request = new Request('https://example.com/', { method: 'POST', body: '{"a":1}' });
  assert.notEqual(request.body, null);
  assert.deepEqual(await request.json(), { a: 1 });
  assert.equal(request.bodyUsed, true);
  await assert.rejects(request.text(), TypeError, BODY_USED);
});

test('Request number body is a string', async () => {
  const request = new Request('https://example.com/', { method: 'PUT', body: 7 });
  assert.equal(await request.text(), '7');
});

test('Request headers from init', () => {
  const request = new Request('https://example.com/', { headers: { 'X-A': '1' } });
  assert.equal(request.headers.get('x-a'), '1');
  request.headers.set('x-b', '2');
  assert.equal(request.headers.get('x-b'), '2');
});

test('Request redirect option', () => {
  assert.equal(new Request('https://example.com/', { redirect: 'manual' }).redirect, 'manual');
  assert.equal(new Request('https://example.com/', { redirect: 'MANUAL' }).redirect, 'manual');
  assert.equal(new Request('https://example.com/', { redirect: 'follow' }).redirect, 'follow');
  const message = 'Invalid redirect value, must be one of "follow" or "manual" ("error" won\'t be implemented ' +
    'since it does not make sense at the edge; use "manual" and check the response status code).';
  assert.throws(() => new Request('https://example.com/', { redirect: 'error' }), TypeError, message);
  assert.throws(() => new Request('https://example.com/', { redirect: 'other' }), TypeError, message);
});

test('Request signal option', () => {
  const signal = new AbortController().signal;
  const request = new Request('https://example.com/', { signal });
  assert.equal(request.signal, signal);
  assert.equal(request.clone().signal, signal);
  assert.equal(new Request(request).signal, signal);
  assert.equal(new Request('https://example.com/', request).signal, signal);
  assert.equal(new Request(request, {}).signal, signal);
  const other = AbortSignal.abort();
  assert.equal(new Request(request, { signal: other }).signal, other);
});

test('Request signal rejects values that are not signals', () => {
  assert.throws(() => new Request('https://example.com/', { signal: {} }), TypeError,
      "Failed to construct 'Request': the signal option must be an AbortSignal or null.");
  assert.throws(() => new Request('https://example.com/', { signal: new AbortController() }), TypeError, /signal/);
});

test('Request without a signal returns one that never aborts', () => {
  const request = new Request('https://example.com/');
  const signal = request.signal;
  assert.ok(signal instanceof AbortSignal);
  assert.equal(signal.aborted, false);
  assert.equal(request.signal, signal);
  assert.equal(testInternals.requestSignal(request), null);
  const copy = new Request(request);
  assert.ok(copy.signal instanceof AbortSignal);
  assert.notEqual(copy.signal, signal);
});

test('Request with signal null drops the signal', () => {
  const controller = new AbortController();
  const request = new Request('https://example.com/', { signal: controller.signal });
  const dropped = new Request(request, { signal: null });
  assert.equal(testInternals.requestSignal(dropped), null);
  assert.notEqual(dropped.signal, controller.signal);
  controller.abort();
  assert.equal(dropped.signal.aborted, false);
});

test('Request cf is a copy of init.cf', () => {
  const cf = { cacheTtl: 5, nested: { a: [1, 2] } };
  const request = new Request('https://example.com/', { cf });
  assert.deepEqual(request.cf, cf);
  assert.notEqual(request.cf, cf);
  cf.nested.a.push(3);
  assert.deepEqual(request.cf.nested.a, [1, 2]);
  assert.equal(request.cf, request.cf);
  assert.throws(() => new Request('https://example.com/', { cf: 'x' }), TypeError, /cf option must be an object/);
});

test('Request integrity must be empty', () => {
  assert.equal(new Request('https://example.com/', { integrity: '' }).integrity, '');
  assert.throws(() => new Request('https://example.com/', { integrity: 'sha256-x' }), TypeError,
    'Subrequest integrity checking is not implemented. The integrity option must be either undefined or an empty string.');
});

test('Request cache option', () => {
  assert.equal(new Request('https://example.com/', { cache: 'no-store' }).cache, 'no-store');
  assert.throws(() => new Request('https://example.com/', { cache: 'force-cache' }), TypeError,
    'Unsupported cache mode: force-cache');
});

test('Request reads each init member once', () => {
  const reads = [];
  const init = {};
  for (const name of ['redirect', 'method', 'headers', 'body', 'signal']) {
    Object.defineProperty(init, name, {
      get() {
        reads.push(name);
        return undefined;
      },
    });
  }
  new Request('https://example.com/', init);
  assert.deepEqual(reads, ['body', 'headers', 'method', 'redirect', 'signal']);
});

test('Request rejects a primitive init', () => {
  assert.throws(() => new Request('https://example.com/', 'POST'), TypeError);
  assert.equal(new Request('https://example.com/', null).method, 'GET');
});

test('Request from Request copies fields', async () => {
  const original = new Request('https://example.com/a', {
    method: 'POST',
    headers: { 'X-A': '1' },
    body: 'payload',
    redirect: 'manual',
    cf: { colo: 'LHR' },
  });
  const copy = new Request(original);
  assert.equal(copy.url, 'https://example.com/a');
  assert.equal(copy.method, 'POST');
  assert.equal(copy.redirect, 'manual');
  assert.deepEqual(copy.cf, { colo: 'LHR' });
  assert.equal(copy.headers.get('x-a'), '1');
  assert.notEqual(copy.headers, original.headers);
  assert.equal(await copy.text(), 'payload');
});

test('Request from Request takes the body', async () => {
  const original = new Request('https://example.com/', { method: 'POST', body: 'once' });
  const copy = new Request(original);
  assert.equal(original.bodyUsed, true);
  assert.equal(copy.bodyUsed, false);
  await assert.rejects(original.text(), TypeError, BODY_USED);
  assert.equal(await copy.text(), 'once');
});

test('Request from used Request is rejected', async () => {
  const original = new Request('https://example.com/', { method: 'POST', body: 'once' });
  await original.text();
  assert.throws(() => new Request(original), TypeError, 'Cannot reconstruct a Request with a used body.');
});

test('Request from used Request with new body', async () => {
  const original = new Request('https://example.com/', { method: 'POST', body: 'once' });
  await original.text();
  const copy = new Request(original, { body: 'again' });
  assert.equal(await copy.text(), 'again');
  const empty = new Request(original, { body: null });
  assert.equal(empty.body, null);
});

test('Request from Request with init overrides', () => {
  const original = new Request('https://example.com/', { headers: { a: '1' } });
  const copy = new Request(original, { method: 'DELETE', headers: { b: '2' } });
  assert.equal(copy.method, 'DELETE');
  assert.equal(copy.headers.get('a'), null);
  assert.equal(copy.headers.get('b'), '2');
  assert.equal(copy.url, 'https://example.com/');
});

test('Request as init copies its fields', async () => {
  const source = new Request('https://example.com/original', {
    method: 'PUT',
    headers: { 'X-From': 'source' },
    body: 'from source',
    redirect: 'manual',
    cf: { a: 1 },
  });
  const request = new Request('https://example.com/new', source);
  assert.equal(request.url, 'https://example.com/new');
  assert.equal(request.method, 'PUT');
  assert.equal(request.redirect, 'manual');
  assert.equal(request.headers.get('x-from'), 'source');
  assert.notEqual(request.headers, source.headers);
  assert.deepEqual(request.cf, { a: 1 });
  assert.notEqual(request.cf, source.cf);
  assert.equal(source.bodyUsed, false);
  assert.equal(await request.text(), 'from source');
});

test('Request as init shares its body', async () => {
  const source = new Request('https://example.com/', { method: 'POST', body: 'shared' });
  const request = new Request('https://example.com/other', source);
  assert.equal(request.body, source.body);
  await request.text();
  assert.equal(source.bodyUsed, true);
});

test('Request as init with used body is rejected', async () => {
  const source = new Request('https://example.com/', { method: 'POST', body: 'x' });
  await source.text();
  assert.throws(() => new Request('https://example.com/', source), TypeError,
    'This ReadableStream is disturbed (has already been read from), and cannot be used as a body.');
});

test('Request as init replaces input body', async () => {
  const input = new Request('https://example.com/a', { method: 'POST', body: 'input body' });
  const init = new Request('https://example.com/b', { method: 'PATCH', body: 'init body' });
  const request = new Request(input, init);
  assert.equal(request.url, 'https://example.com/a');
  assert.equal(request.method, 'PATCH');
  assert.equal(await request.text(), 'init body');
  assert.equal(input.bodyUsed, false);
});

test('Request as init for a GET upgrade', () => {
  // The chat demo forwards the WebSocket upgrade with stub.fetch(url, request).
  const incoming = new Request('https://chat.example/api/room/abc/websocket', {
    headers: { Upgrade: 'websocket' },
  });
  const forwarded = new Request('https://dummy-url/websocket', incoming);
  assert.equal(forwarded.method, 'GET');
  assert.equal(forwarded.headers.get('upgrade'), 'websocket');
  assert.equal(forwarded.body, null);
});

test('Request clone copies everything', async () => {
  const original = new Request('https://example.com/', {
    method: 'POST',
    headers: { a: '1' },
    body: 'cloned',
    redirect: 'manual',
    cf: { x: 1 },
  });
  const copy = original.clone();
  assert.ok(copy instanceof Request);
  assert.equal(copy.method, 'POST');
  assert.equal(copy.url, original.url);
  assert.equal(copy.redirect, 'manual');
  assert.deepEqual(copy.cf, { x: 1 });
  assert.notEqual(copy.cf, original.cf);
  copy.headers.set('a', '2');
  assert.equal(original.headers.get('a'), '1');
  assert.equal(await copy.text(), 'cloned');
  assert.equal(original.bodyUsed, false);
  assert.equal(await original.text(), 'cloned');
});

test('Request clone of used body throws', async () => {
  const request = new Request('https://example.com/', { method: 'POST', body: 'x' });
  await request.text();
  assert.throws(() => request.clone(), TypeError, BODY_USED);
});

test('Request clone of null body', () => {
  const copy = new Request('https://example.com/').clone();
  assert.equal(copy.body, null);
  assert.equal(copy.bodyUsed, false);
});

test('Request subclass works', async () => {
  class Tagged extends Request {
    get tag() {
      return 'tagged:' + this.method;
    }
  }
  const request = new Tagged('https://example.com/', { method: 'POST', body: 'x' });
  assert.equal(request.tag, 'tagged:POST');
  assert.equal(await request.text(), 'x');
});

test('Request getters reject other receivers', () => {
  const getter = Object.getOwnPropertyDescriptor(Request.prototype, 'url').get;
  assert.throws(() => getter.call({}), TypeError);
});

test('newRequest builds a request from host parts', async () => {
  const body = new Uint8Array([104, 105]).buffer;
  const request = testInternals.newRequest('POST', 'https://example.com/in',
    ['Content-Type', 'text/plain', 'X-Multi', 'a', 'x-multi', 'b'], body, { colo: 'AMS' });
  assert.ok(request instanceof Request);
  assert.equal(request.method, 'POST');
  assert.equal(request.url, 'https://example.com/in');
  assert.equal(request.headers.get('x-multi'), 'a, b');
  assert.deepEqual(request.cf, { colo: 'AMS' });
  assert.equal(await request.text(), 'hi');
});

test('newRequest copies the body', async () => {
  const source = new Uint8Array([1, 2, 3]);
  const request = testInternals.newRequest('PUT', 'https://example.com/', [], source, undefined);
  source[0] = 9;
  assert.deepEqual(Array.from(await request.bytes()), [1, 2, 3]);
  assert.equal(request.cf, undefined);
});

test('newRequest headers are immutable', () => {
  const request = testInternals.newRequest('GET', 'https://example.com/', ['a', '1'], null, undefined);
  assert.throws(() => request.headers.set('a', '2'), TypeError, "Can't modify immutable headers.");
  assert.throws(() => request.clone().headers.set('a', '2'), TypeError, "Can't modify immutable headers.");
  const rebuilt = new Request(request);
  rebuilt.headers.set('a', '2');
  assert.equal(rebuilt.headers.get('a'), '2');
});

test('newRequest cf is frozen', () => {
  const request = testInternals.newRequest('GET', 'https://example.com/', [], null, { nested: { a: 1 } });
  assert.ok(Object.isFrozen(request.cf));
  assert.ok(Object.isFrozen(request.cf.nested));
  const copy = new Request(request);
  assert.equal(Object.isFrozen(copy.cf), false);
});

test('newRequest drops an empty GET body', () => {
  const request = testInternals.newRequest('GET', 'https://example.com/', [], new ArrayBuffer(0), undefined);
  assert.equal(request.body, null);
  const post = testInternals.newRequest('POST', 'https://example.com/', [], new ArrayBuffer(0), undefined);
  assert.notEqual(post.body, null);
});

test('newRequest rejects odd header lists', () => {
  assert.throws(() => testInternals.newRequest('GET', 'https://example.com/', ['a'], null, undefined), TypeError);
});

test('requestParts returns flat parts', () => {
  const request = new Request('https://example.com/x', {
    method: 'POST',
    headers: [['Set-Cookie', 'a=1'], ['B', '2'], ['set-cookie', 'b=2'], ['a', '0']],
    body: 'data',
  });
  const parts = testInternals.requestParts(request);
  assert.equal(parts.method, 'POST');
  assert.equal(parts.url, 'https://example.com/x');
  assert.deepEqual(parts.headers, ['a', '0', 'b', '2', 'content-type', 'text/plain;charset=UTF-8',
    'set-cookie', 'a=1', 'set-cookie', 'b=2']);
  assert.ok(parts.body instanceof ArrayBuffer);
  assert.deepEqual(Array.from(new Uint8Array(parts.body)), [100, 97, 116, 97]);
  assert.equal(request.bodyUsed, true);
});

test('requestParts of a null body', () => {
  const request = new Request('https://example.com/');
  const parts = testInternals.requestParts(request);
  assert.equal(parts.body, null);
  assert.equal(request.bodyUsed, false);
});

test('requestParts rejects a used body', async () => {
  const request = new Request('https://example.com/', { method: 'POST', body: 'x' });
  await request.text();
  assert.throws(() => testInternals.requestParts(request), TypeError, BODY_USED);
  testInternals.requestParts(new Request('https://example.com/'));
});

test('requestParts rejects non-requests', () => {
  assert.throws(() => testInternals.requestParts({ method: 'GET' }), TypeError, /Expected a Request/);
  assert.throws(() => testInternals.requestParts(new Response('x')), TypeError, /Expected a Request/);
});

test('requestParts round trip through newRequest', async () => {
  const original = new Request('https://example.com/round', {
    method: 'PATCH',
    headers: { 'X-One': '1', 'Set-Cookie': 'c=3' },
    body: new Uint8Array([0, 255, 128]),
  });
  const parts = testInternals.requestParts(original);
  const rebuilt = testInternals.newRequest(parts.method, parts.url, parts.headers, parts.body, undefined);
  assert.equal(rebuilt.method, 'PATCH');
  assert.equal(rebuilt.url, 'https://example.com/round');
  assert.deepEqual([...rebuilt.headers], [['set-cookie', 'c=3'], ['x-one', '1']]);
  assert.deepEqual(Array.from(await rebuilt.bytes()), [0, 255, 128]);
});

test('isRequest recognizes requests only', () => {
  assert.equal(testInternals.isRequest(new Request('https://example.com/')), true);
  assert.equal(testInternals.isRequest(new Response()), false);
  assert.equal(testInternals.isRequest(Object.create(Request.prototype)), false);
  assert.equal(testInternals.isRequest(null), false);
  assert.equal(testInternals.isRequest('https://example.com/'), false);
});
