// fetch() against the test context's fake host (FakeFetchHost.java): echo.test and any other
// host echo the request they received as JSON, redirect.test redirects, blocked.test is rejected,
// hang.test never responds. Every call that reaches the host leaves a console line
// "fetch <method> <url> redirect=<mode>", and every cancel of one a line "fetch cancelled <url>".

const GET_WITH_BODY = 'Request with a GET or HEAD method cannot have a body.';

function fetchLines() {
  return testLog.lines().filter((line) => line.startsWith('fetch '));
}

// Returns what the fake host received, read from the echo in the response body.
async function received(response) {
  return JSON.parse(await response.text());
}

// Returns the value of a header in the echo's flat header list, or undefined.
function headerOf(echo, name) {
  for (let i = 0; i < echo.headers.length; i += 2) {
    if (echo.headers[i].toLowerCase() === name) return echo.headers[i + 1];
  }
  return undefined;
}

test('fetch is a global function', () => {
  assert.equal(typeof fetch, 'function');
  assert.equal(fetch.name, 'fetch');
  assert.equal(fetch.length, 1);
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  assert.ok(descriptor.writable);
  assert.ok(descriptor.configurable);
});

test('fetch of a URL string sends a GET and returns the response', async () => {
  testLog.clear();
  const response = await fetch('https://Echo.test/a?b=c#frag');
  assert.ok(response instanceof Response);
  assert.equal(response.status, 200);
  assert.equal(response.statusText, 'OK');
  assert.equal(response.ok, true);
  assert.equal(response.url, 'https://echo.test/a?b=c');
  assert.equal(response.redirected, false);
  assert.equal(response.headers.get('x-echo'), 'yes');
  const echo = await received(response);
  assert.equal(echo.method, 'GET');
  assert.equal(echo.url, 'https://echo.test/a?b=c');
  assert.deepEqual(echo.headers, []);
  assert.equal(echo.body, null);
  assert.deepEqual(fetchLines(), ['fetch GET https://echo.test/a?b=c#frag redirect=follow']);
});

test('fetch returns a promise even when the request is invalid', () => {
  const result = fetch('/relative');
  assert.ok(result instanceof Promise);
  return assert.rejects(result, TypeError, 'Fetch API cannot load: /relative. Requests need a valid absolute URL, such as https://example.com/path.');
});

test('fetch without arguments rejects with TypeError', async () => {
  await assert.rejects(() => fetch(), TypeError, "Failed to execute 'fetch': 1 argument required, but only 0 present.");
});

test('fetch sends method, headers and body from init', async () => {
  const response = await fetch('https://echo.test/post', {
    method: 'post',
    headers: { 'X-Custom': 'one', 'Content-Type': 'text/x-test' },
    body: 'h\u00e9llo',
  });
  const echo = await received(response);
  assert.equal(echo.method, 'POST');
  assert.equal(headerOf(echo, 'x-custom'), 'one');
  assert.equal(headerOf(echo, 'content-type'), 'text/x-test');
  assert.equal(echo.body, 'h\u00e9llo');
});

test('fetch sets the content type of a string body', async () => {
  const echo = await received(await fetch('https://echo.test/', { method: 'PUT', body: 'text' }));
  assert.equal(headerOf(echo, 'content-type'), 'text/plain;charset=UTF-8');
});

test('fetch sends binary bodies unchanged', async () => {
  const bytes = new Uint8Array([104, 105, 33]);
  const echo = await received(await fetch('https://echo.test/', { method: 'POST', body: bytes.buffer }));
  assert.equal(echo.body, 'hi!');
});

test('fetch of a Request uses its fields and consumes its body', async () => {
  const request = new Request('https://echo.test/from-request', {
    method: 'PATCH',
    headers: { 'x-from': 'request' },
    body: 'payload',
    redirect: 'manual',
  });
  testLog.clear();
  const echo = await received(await fetch(request));
  assert.equal(echo.method, 'PATCH');
  assert.equal(echo.url, 'https://echo.test/from-request');
  assert.equal(headerOf(echo, 'x-from'), 'request');
  assert.equal(echo.body, 'payload');
  assert.equal(request.bodyUsed, true);
  assert.deepEqual(fetchLines(), ['fetch PATCH https://echo.test/from-request redirect=manual']);
});

test('fetch of a Request with init overrides its fields', async () => {
  const request = new Request('https://echo.test/x', { method: 'POST', body: 'old', headers: { 'x-a': '1' } });
  const echo = await received(await fetch(request, { method: 'PUT', body: 'new', headers: { 'x-b': '2' } }));
  assert.equal(echo.method, 'PUT');
  assert.equal(echo.body, 'new');
  assert.equal(headerOf(echo, 'x-a'), undefined);
  assert.equal(headerOf(echo, 'x-b'), '2');
  assert.equal(request.bodyUsed, false);
});

test('fetch takes a Request as init', async () => {
  const init = new Request('https://ignored.test/', { method: 'DELETE', headers: { 'x-init': 'yes' } });
  const echo = await received(await fetch('https://echo.test/target', init));
  assert.equal(echo.method, 'DELETE');
  assert.equal(echo.url, 'https://echo.test/target');
  assert.equal(headerOf(echo, 'x-init'), 'yes');
});

test('fetch takes a URL object', async () => {
  const echo = await received(await fetch(new URL('http://echo.test:8080/p?q=1')));
  assert.equal(echo.url, 'http://echo.test:8080/p?q=1');
});

test('fetch rejects a used Request without calling the host', async () => {
  const request = new Request('https://echo.test/', { method: 'POST', body: 'once' });
  await request.text();
  testLog.clear();
  await assert.rejects(() => fetch(request), TypeError);
  assert.deepEqual(fetchLines(), []);
});

test('fetch rejects constructor errors without calling the host', async () => {
  testLog.clear();
  await assert.rejects(() => fetch('https://echo.test/', { body: 'x' }), TypeError, GET_WITH_BODY);
  await assert.rejects(() => fetch('https://echo.test/', { method: 'bad method' }), TypeError,
      'Invalid HTTP method string: bad method');
  await assert.rejects(() => fetch('https://echo.test/', { method: 'TRACE' }), TypeError, /forbidden methods/);
  assert.deepEqual(fetchLines(), []);
});

test('fetch rejects schemes other than http and https', async () => {
  testLog.clear();
  await assert.rejects(() => fetch('ftp://files.test/a'), TypeError,
      'Fetch API cannot load: ftp://files.test/a. fetch() supports only http: and https: URLs, not ftp: URLs.');
  await assert.rejects(() => fetch('wss://echo.test/'), TypeError, /not wss: URLs/);
  await assert.rejects(() => fetch('data:text/plain,hi'), TypeError, /not data: URLs/);
  await assert.rejects(() => fetch('file:///etc/hosts'), TypeError, /not file: URLs/);
  assert.deepEqual(fetchLines(), []);
});

test('fetch with redirect follow reports the final URL', async () => {
  const response = await fetch('https://redirect.test/start');
  assert.equal(response.status, 200);
  assert.equal(response.redirected, true);
  assert.equal(response.url, 'https://echo.test/landed');
});

test('fetch with redirect manual returns the redirect response', async () => {
  const response = await fetch('https://redirect.test/start', { redirect: 'manual' });
  assert.equal(response.status, 302);
  assert.equal(response.statusText, 'Found');
  assert.equal(response.headers.get('location'), 'https://echo.test/landed');
  assert.equal(response.redirected, false);
  assert.equal(response.url, 'https://redirect.test/start');
  assert.equal(response.body, null);
});

test('fetch with redirect error rejects with TypeError', async () => {
  testLog.clear();
  await assert.rejects(() => fetch('https://redirect.test/start', { redirect: 'error' }), TypeError,
      /Invalid redirect value, must be one of "follow" or "manual"/);
  assert.deepEqual(fetchLines(), []);
});

test('fetch rejects with the host error type and message', async () => {
  const error = await assert.rejects(() => fetch('https://blocked.test/'), Error,
      'fetch() to blocked.test was blocked by the fake host.');
  assert.equal(error.name, 'Error');
  assert.equal(Object.getPrototypeOf(error), Error.prototype);
});

test('fetch passes status and status text from the host', async () => {
  const created = await fetch('https://echo.test/status/201');
  assert.equal(created.status, 201);
  assert.equal(created.statusText, 'Custom');
  assert.equal(created.ok, true);
  const missing = await fetch('https://echo.test/status/404');
  assert.equal(missing.status, 404);
  assert.equal(missing.ok, false);
});

test('fetch response to HEAD has no body', async () => {
  const response = await fetch('https://echo.test/', { method: 'HEAD' });
  assert.equal(response.status, 200);
  assert.equal(response.body, null);
  assert.equal(await response.text(), '');
});

test('fetch response headers are immutable', async () => {
  const response = await fetch('https://echo.test/');
  assert.throws(() => response.headers.set('x-echo', 'no'), TypeError);
  const copy = new Response(response.body, response);
  copy.headers.set('x-echo', 'no');
  assert.equal(copy.headers.get('x-echo'), 'no');
});

test('fetch response clone keeps url and redirected', async () => {
  const response = await fetch('https://redirect.test/start');
  const clone = response.clone();
  assert.equal(clone.url, 'https://echo.test/landed');
  assert.equal(clone.redirected, true);
  assert.deepEqual(await received(clone), await received(response));
});

test('Response built from a fetched one has no url', async () => {
  const response = await fetch('https://redirect.test/start');
  const rebuilt = new Response('x', response);
  assert.equal(rebuilt.url, '');
  assert.equal(rebuilt.redirected, false);
});

test('fetch calls reach the host in call order', async () => {
  testLog.clear();
  const first = fetch('https://echo.test/1');
  const second = fetch('https://echo.test/2', { method: 'POST', body: '2' });
  assert.deepEqual(fetchLines(), [
    'fetch GET https://echo.test/1 redirect=follow',
    'fetch POST https://echo.test/2 redirect=follow',
  ]);
  assert.equal((await received(await first)).url, 'https://echo.test/1');
  assert.equal((await received(await second)).body, '2');
});

test('fetch with an aborted signal rejects without calling the host', async () => {
  const request = new Request('https://echo.test/', { method: 'POST', body: 'kept' });
  testLog.clear();
  const error = await assert.rejects(() => fetch(request, { signal: AbortSignal.abort() }), DOMException,
      'The operation was aborted');
  assert.equal(error.name, 'AbortError');
  const reason = new Error('my reason');
  assert.equal(await assert.rejects(fetch('https://echo.test/', { signal: AbortSignal.abort(reason) })), reason);
  assert.deepEqual(fetchLines(), []);
});

test('fetch aborted in flight rejects with the reason and cancels', async () => {
  const controller = new AbortController();
  testLog.clear();
  const pending = fetch('https://hang.test/slow', { signal: controller.signal });
  const reason = { why: 'changed my mind' };
  controller.abort(reason);
  assert.equal(await assert.rejects(pending), reason);
  assert.deepEqual(fetchLines(), ['fetch GET https://hang.test/slow redirect=follow', 'fetch cancelled https://hang.test/slow']);
});

test('fetch rejects before abort listeners run', async () => {
  const controller = new AbortController();
  const order = [];
  const pending = fetch('https://hang.test/', { signal: controller.signal }).catch(() => order.push('rejected'));
  controller.signal.addEventListener('abort', () => {
    order.push('listener');
    testLog.clear();
  });
  controller.abort();
  await pending;
  assert.deepEqual(order, ['listener', 'rejected']);
  assert.deepEqual(fetchLines(), [], 'the host request was cancelled before the listener ran');
});

test('fetch aborted by AbortSignal.timeout rejects with TimeoutError', async () => {
  testLog.clear();
  const start = testLog.now();
  const error = await assert.rejects(fetch('https://hang.test/', { signal: AbortSignal.timeout(3000) }), DOMException,
      'The operation was aborted due to timeout');
  assert.equal(error.name, 'TimeoutError');
  assert.equal(testLog.now() - start, 3000);
  assert.deepEqual(fetchLines(), ['fetch GET https://hang.test/ redirect=follow', 'fetch cancelled https://hang.test/']);
});

test('fetch uses the signal of a Request input', async () => {
  const controller = new AbortController();
  const request = new Request('https://hang.test/', { signal: controller.signal });
  const pending = fetch(request);
  controller.abort('from the request');
  assert.equal(await assert.rejects(pending), 'from the request');
});

test('fetch settled before abort keeps its response', async () => {
  const controller = new AbortController();
  testLog.clear();
  const response = await fetch('https://echo.test/done', { signal: controller.signal });
  controller.abort();
  assert.equal(response.status, 200);
  assert.equal((await received(response)).url, 'https://echo.test/done');
  assert.deepEqual(fetchLines(), ['fetch GET https://echo.test/done redirect=follow']);
});

test('fetch sends a stream body once it closes', async () => {
  testLog.clear();
  const { readable, writable } = new TransformStream();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  setTimeout(async () => {
    await writer.write(encoder.encode('stre'));
    await writer.write(encoder.encode('amed'));
    await writer.close();
  }, 10);
  const response = await fetch('https://echo.test/upload', { method: 'POST', body: readable });
  const echo = await received(response);
  assert.equal(echo.body, 'streamed');
  assert.equal(readable.locked, true, 'fetch() reads the body to its end');
});

test('fetch rejects a stream body chunk that is not bytes', async () => {
  testLog.clear();
  const body = new ReadableStream({ start(controller) { controller.enqueue('text'); controller.close(); } });
  await assert.rejects(fetch('https://echo.test/', { method: 'POST', body }), TypeError,
    'This ReadableStream did not return bytes.');
  assert.deepEqual(fetchLines(), [], 'nothing reaches the host');
});

test('fetch aborted while reading a stream body sends nothing', async () => {
  testLog.clear();
  const controller = new AbortController();
  const body = new ReadableStream({ pull() {} });
  const pending = fetch('https://echo.test/', { method: 'POST', body, signal: controller.signal });
  controller.abort();
  await assert.rejects(pending, DOMException, 'The operation was aborted');
  assert.deepEqual(fetchLines(), []);
});
