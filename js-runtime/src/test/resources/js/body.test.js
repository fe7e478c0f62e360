const BODY_USED = 'Body has already been used. It can only be used once. Use tee() first if you need to read it twice.';

function bytesOf(string) {
  return Array.from(testInternals.encodeUtf8(string));
}

// Runs fn with globalThis[name] replaced by value, then restores the original.
function withGlobal(name, value, fn) {
  const had = Object.prototype.hasOwnProperty.call(globalThis, name);
  const original = globalThis[name];
  globalThis[name] = value;
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

test('Body is not a global', () => {
  assert.equal(typeof globalThis.Body, 'undefined');
  const BodyPrototype = Object.getPrototypeOf(Request.prototype);
  assert.equal(Object.getPrototypeOf(Response.prototype), BodyPrototype);
  assert.equal(BodyPrototype.constructor.name, 'Body');
  assert.throws(() => new BodyPrototype.constructor(), TypeError, 'Illegal constructor');
});

test('Body read methods are on the shared prototype', () => {
  const BodyPrototype = Object.getPrototypeOf(Response.prototype);
  for (const name of ['arrayBuffer', 'bytes', 'text', 'json']) {
    assert.equal(typeof BodyPrototype[name], 'function', name);
    assert.equal(Object.prototype.hasOwnProperty.call(Response.prototype, name), false, name);
  }
  assert.ok(Object.getOwnPropertyDescriptor(BodyPrototype, 'bodyUsed').get);
  assert.ok(Object.getOwnPropertyDescriptor(BodyPrototype, 'body').get);
});

test('string body is UTF-8 text', async () => {
  const response = new Response('h\u00e9llo \u2603 \u{1F600}');
  assert.equal(await response.text(), 'h\u00e9llo \u2603 \u{1F600}');
});

test('string body bytes are UTF-8', async () => {
  const bytes = await new Response('\u00e9\u{1F600}').bytes();
  assert.deepEqual(Array.from(bytes), [0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]);
});

test('lone surrogates encode as U+FFFD', async () => {
  const bytes = await new Response('a\ud800b\udc00').bytes();
  assert.deepEqual(Array.from(bytes), [0x61, 0xef, 0xbf, 0xbd, 0x62, 0xef, 0xbf, 0xbd]);
});

test('string body sets text content type', () => {
  assert.equal(new Response('x').headers.get('content-type'), 'text/plain;charset=UTF-8');
  assert.equal(new Request('https://example.com/', { method: 'POST', body: 'x' }).headers.get('content-type'),
    'text/plain;charset=UTF-8');
});

test('string body keeps a given content type', () => {
  const response = new Response('{}', { headers: { 'Content-Type': 'application/json' } });
  assert.equal(response.headers.get('content-type'), 'application/json');
});

test('number body is converted to a string', async () => {
  const response = new Response(42);
  assert.equal(response.headers.get('content-type'), 'text/plain;charset=UTF-8');
  assert.equal(await response.text(), '42');
  assert.equal(+(await new Response(1.5).text()), 1.5);
});

test('other values are converted with String', async () => {
  assert.equal(await new Response(true).text(), 'true');
  assert.equal(await new Response({}).text(), '[object Object]');
  assert.equal(await new Response({ toString: () => 'custom' }).text(), 'custom');
  assert.equal(await new Response(['a', 'b']).text(), 'a,b');
  assert.equal(await new Response(10n).text(), '10');
});

test('symbol body is rejected', () => {
  assert.throws(() => new Response(Symbol('x')), TypeError);
});

test('an async iterable body is read as a stream of its byte chunks', async () => {
  const iterable = { async *[Symbol.asyncIterator]() { yield new Uint8Array([0x68]); yield new Uint8Array([0x69]); } };
  assert.equal(await new Response(iterable).text(), 'hi');
  const strings = { async *[Symbol.asyncIterator]() { yield 'a'; } };
  await assert.rejects(new Response(strings).text(), TypeError, 'This ReadableStream did not return bytes.');
});

test('ArrayBuffer body is copied', async () => {
  const source = new Uint8Array([1, 2, 3]);
  const response = new Response(source.buffer);
  source[0] = 9;
  assert.deepEqual(Array.from(await response.bytes()), [1, 2, 3]);
  assert.equal(response.headers.get('content-type'), null);
});

test('typed array body uses its view only', async () => {
  const buffer = new Uint8Array([0, 1, 2, 3, 4, 5]).buffer;
  const response = new Response(new Uint8Array(buffer, 2, 3));
  assert.deepEqual(Array.from(await response.bytes()), [2, 3, 4]);
});

test('DataView and wide arrays give raw bytes', async () => {
  const wide = new Uint16Array([0x0102, 0x0304]);
  const expected = Array.from(new Uint8Array(wide.buffer));
  assert.deepEqual(Array.from(await new Response(wide).bytes()), expected);
  const view = new DataView(new Uint8Array([7, 8, 9]).buffer, 1, 2);
  assert.deepEqual(Array.from(await new Response(view).bytes()), [8, 9]);
});

test('arrayBuffer returns a fresh ArrayBuffer', async () => {
  const buffer = await new Response('abc').arrayBuffer();
  assert.ok(buffer instanceof ArrayBuffer);
  assert.deepEqual(Array.from(new Uint8Array(buffer)), [97, 98, 99]);
});

test('bytes returns a Uint8Array', async () => {
  const bytes = await new Response('abc').bytes();
  assert.ok(bytes instanceof Uint8Array);
  assert.equal(bytes.byteLength, 3);
});

test('json parses the body', async () => {
  assert.deepEqual(await new Response('{"a":[1,2]}').json(), { a: [1, 2] });
});

test('json rejects invalid JSON with SyntaxError', async () => {
  await assert.rejects(new Response('{nope').json(), SyntaxError);
});

test('second read rejects with TypeError', async () => {
  const response = new Response('once');
  assert.equal(response.bodyUsed, false);
  const first = response.text();
  assert.equal(response.bodyUsed, true);
  assert.equal(await first, 'once');
  await assert.rejects(response.text(), TypeError, BODY_USED);
  await assert.rejects(response.json(), TypeError, BODY_USED);
  await assert.rejects(response.arrayBuffer(), TypeError, BODY_USED);
  await assert.rejects(response.bytes(), TypeError, BODY_USED);
});

test('read methods reject rather than throw', () => {
  const response = new Response('x');
  response.text();
  const promise = response.text();
  assert.ok(promise instanceof Promise);
  promise.catch(() => {});
});

test('null body reads as empty every time', async () => {
  const response = new Response(null);
  assert.equal(response.body, null);
  assert.equal(await response.text(), '');
  assert.equal(await response.text(), '');
  assert.equal((await response.arrayBuffer()).byteLength, 0);
  assert.equal((await response.bytes()).length, 0);
  assert.equal(response.bodyUsed, false);
  await assert.rejects(response.json(), SyntaxError);
});

test('undefined body is a null body', () => {
  assert.equal(new Response().body, null);
  assert.equal(new Response(undefined).body, null);
  assert.equal(new Response(undefined).headers.get('content-type'), null);
});

test('empty string body is not null', async () => {
  const response = new Response('');
  assert.notEqual(response.body, null);
  assert.equal(await response.text(), '');
  assert.equal(response.bodyUsed, true);
});

test('body getter stands in for a stream', async () => {
  const response = new Response('x');
  const body = response.body;
  assert.notEqual(body, null);
  assert.equal(response.body, body);
  assert.equal(Object.prototype.toString.call(body), '[object ReadableStream]');
  assert.equal(body.locked, false);
  await response.text();
  assert.equal(body.locked, true);
});

test('body of a response can be reused', async () => {
  const original = new Response('shared', { status: 201 });
  const copy = new Response(original.body, original);
  assert.equal(copy.status, 201);
  assert.equal(await copy.text(), 'shared');
  assert.equal(original.bodyUsed, true);
  await assert.rejects(original.text(), TypeError, BODY_USED);
});

test('used stream cannot become a body', async () => {
  const original = new Response('x');
  const stream = original.body;
  await original.text();
  assert.throws(() => new Response(stream), TypeError,
    'This ReadableStream is disturbed (has already been read from), and cannot be used as a body.');
});

test('URLSearchParams body is form encoded', async () => {
  const Params = typeof URLSearchParams === 'function'
    ? URLSearchParams
    : class URLSearchParams {
        toString() {
          return 'a=1&b=%C3%A9';
        }
      };
  const response = withGlobal('URLSearchParams', Params, () => {
    const params = new Params();
    if (typeof params.append === 'function') {
      params.append('a', '1');
      params.append('b', '\u00e9');
    }
    return new Response(params);
  });
  assert.equal(response.headers.get('content-type'), 'application/x-www-form-urlencoded;charset=UTF-8');
  assert.equal(await response.text(), 'a=1&b=%C3%A9');
});

test('UTF-8 decoding replaces invalid bytes', () => {
  const cases = [
    [[0xff], '\ufffd'],
    [[0x80], '\ufffd'],
    [[0xe2, 0x82], '\ufffd'],
    [[0xe2, 0x41], '\ufffdA'],
    [[0xc0, 0x80], '\ufffd\ufffd'],
    [[0xed, 0xa0, 0x80], '\ufffd\ufffd\ufffd'],
    [[0xf4, 0x90, 0x80, 0x80], '\ufffd\ufffd\ufffd\ufffd'],
    [[0xf0, 0x9f, 0x98], '\ufffd'],
    [[0xf0, 0x9f, 0x98, 0x80], '\u{1F600}'],
    [[0xef, 0xbb, 0xbf, 0x61], 'a'],
    [[0x61, 0xef, 0xbb, 0xbf], 'a\ufeff'],
  ];
  for (const [bytes, expected] of cases) {
    assert.equal(testInternals.decodeUtf8(new Uint8Array(bytes)), expected, 'bytes ' + bytes);
  }
});

test('UTF-8 round trip of every plane', () => {
  const text = 'a\u007f\u0080\u07ff\u0800\uffff\u{10000}\u{10ffff}';
  assert.deepEqual(bytesOf(text), [
    0x61, 0x7f, 0xc2, 0x80, 0xdf, 0xbf, 0xe0, 0xa0, 0x80, 0xef, 0xbf, 0xbf,
    0xf0, 0x90, 0x80, 0x80, 0xf4, 0x8f, 0xbf, 0xbf,
  ]);
  assert.equal(testInternals.decodeUtf8(testInternals.encodeUtf8(text)), text);
});

test('large body decodes across chunks', async () => {
  const text = '\u00e9'.repeat(20000) + 'end';
  assert.equal(await new Response(text).text(), text);
});

test('formData() and blob() read a stream body', async () => {
  const encoder = new TextEncoder();
  const form = new Request('https://example.com/', {
    method: 'POST',
    body: ReadableStream.from([encoder.encode('a=1&'), encoder.encode('b=2')]),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const data = await form.formData();
  assert.equal(data.get('a'), '1');
  assert.equal(data.get('b'), '2');
  const blob = await new Response(ReadableStream.from([encoder.encode('xy')]), { headers: { 'content-type': 'text/x' } }).blob();
  assert.equal(blob.type, 'text/x');
  assert.equal(await blob.text(), 'xy');
});
