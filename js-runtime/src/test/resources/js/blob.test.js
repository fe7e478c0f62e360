function bytesOf(array) {
  return Array.from(array);
}

test('a Blob joins strings as UTF-8, buffers, views and other Blobs', async () => {
  const inner = new Blob(['é']);
  const view = new Uint8Array([9, 1, 2, 3]).subarray(1, 3);
  const blob = new Blob(['a', new Uint8Array([0xff]).buffer, view, inner, 7]);
  assert.equal(blob.size, 7);
  assert.deepEqual(bytesOf(await blob.bytes()), [0x61, 0xff, 1, 2, 0xc3, 0xa9, 0x37]);
});

test('a Blob keeps its bytes when the parts change later', async () => {
  const source = new Uint8Array([1, 2, 3]);
  const blob = new Blob([source]);
  source[0] = 99;
  assert.deepEqual(bytesOf(new Uint8Array(await blob.arrayBuffer())), [1, 2, 3]);
  const copy = await blob.bytes();
  copy[1] = 42;
  assert.deepEqual(bytesOf(await blob.bytes()), [1, 2, 3], 'bytes() returns a copy');
});

test('Blob type normalization', () => {
  assert.equal(new Blob([], { type: 'Text/HTML;Charset=UTF-8' }).type, 'text/html;charset=utf-8');
  assert.equal(new Blob([], { type: 'text/plain\u00e9' }).type, '');
  assert.equal(new Blob([], { type: 'text/\nplain' }).type, '');
  assert.equal(new Blob().type, '');
  assert.equal(new Blob().size, 0);
});

test('slice takes positions from either end and clamps them', async () => {
  const blob = new Blob(['abcdef'], { type: 'text/plain' });
  assert.equal(await blob.slice(1, 3).text(), 'bc');
  assert.equal(await blob.slice(-2).text(), 'ef');
  assert.equal(await blob.slice(-100, 100).text(), 'abcdef');
  assert.equal(await blob.slice(4, 2).text(), '');
  assert.equal(blob.slice(0, 1).type, '', 'a slice has no type unless given one');
  assert.equal(blob.slice(0, 1, 'Text/CSV').type, 'text/csv');
});

test('text() decodes UTF-8 without a byte order mark and replaces invalid bytes', async () => {
  assert.equal(await new Blob([new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69])]).text(), 'hi');
  assert.equal(await new Blob([new Uint8Array([0x61, 0xff, 0x62])]).text(), 'a\ufffdb');
});

test('native endings turn CR and CRLF into LF in strings only', async () => {
  const blob = new Blob(['a\r\nb\rc', new Uint8Array([13, 10])], { endings: 'native' });
  assert.deepEqual(bytesOf(await blob.bytes()), [0x61, 10, 0x62, 10, 0x63, 13, 10]);
  assert.equal(await new Blob(['a\r\n']).text(), 'a\r\n', 'transparent is the default');
  assert.throws(() => new Blob([], { endings: 'windows' }), TypeError,
    'The "endings" option must be "transparent" or "native", not "windows".');
});

test('a Blob rejects parts that are not a sequence', () => {
  assert.throws(() => new Blob('abc'), TypeError,
    'The parts of a Blob must be an array (or other iterable) of strings, ArrayBuffers, views or Blobs.');
  assert.throws(() => new Blob(null), TypeError);
});

test('a File has a name, a type and a modification time', async () => {
  const file = new File(['hello'], 'greeting.txt', { type: 'Text/Plain', lastModified: 1234.9 });
  assert.ok(file instanceof Blob);
  assert.equal(file.name, 'greeting.txt');
  assert.equal(file.type, 'text/plain');
  assert.equal(file.lastModified, 1234);
  assert.equal(await file.text(), 'hello');
  assert.equal(Object.prototype.toString.call(file), '[object File]');

  const before = Date.now();
  const untimed = new File([], 'empty');
  assert.ok(untimed.lastModified >= before, 'lastModified defaults to now, not earlier');
  assert.ok(untimed.lastModified <= Date.now(), 'lastModified defaults to now, not later');
  assert.throws(() => new File(['x']), TypeError,
    'File needs its bits and a name: new File(bits, name, options), but got 1 argument.');
});

test('Blob getters and methods reject other objects', async () => {
  assert.throws(() => Blob.prototype.slice.call({}), TypeError, 'Blob.prototype.slice called on an object that is not a Blob.');
  await assert.rejects(Blob.prototype.text.call({}), TypeError);
  assert.throws(() => Object.getOwnPropertyDescriptor(File.prototype, 'name').get.call(new Blob()), TypeError,
    'File.prototype.name called on an object that is not a File.');
});

test('a Blob is a body with its type as Content-Type', async () => {
  const response = new Response(new Blob(['{"a":1}'], { type: 'application/json' }));
  assert.equal(response.headers.get('content-type'), 'application/json');
  assert.deepEqual(await response.json(), { a: 1 });

  const untyped = new Request('https://example.com/', { method: 'POST', body: new Blob(['x']) });
  assert.equal(untyped.headers.get('content-type'), null);
  assert.equal(await untyped.text(), 'x');
});

test('blob() reads a body into a Blob typed by its Content-Type', async () => {
  const blob = await new Response('héllo', { headers: { 'content-type': 'Text/Plain; charset=UTF-8' } }).blob();
  assert.ok(blob instanceof Blob);
  assert.equal(blob.type, 'text/plain; charset=utf-8');
  assert.equal(await blob.text(), 'héllo');
  assert.equal((await new Response(new Uint8Array([1, 2])).blob()).type, '');
});

test('a Blob stream can be a body', async () => {
  const blob = new Blob(['streamed']);
  assert.equal(await new Response(blob.stream()).text(), 'streamed');
});

test('Blob and File structuredClone', async () => {
  const blob = structuredClone(new Blob([new Uint8Array([0, 255, 7])], { type: 'application/x-test' }));
  assert.ok(blob instanceof Blob);
  assert.equal(blob.type, 'application/x-test');
  assert.deepEqual(Array.from(await blob.bytes()), [0, 255, 7]);

  const file = new File(['data'], 'notes.txt', { type: 'text/plain', lastModified: 42 });
  const [first, second] = structuredClone([file, file]);
  assert.ok(first instanceof File);
  assert.equal(first, second, 'a repeated File stays one object');
  assert.notEqual(first, file);
  assert.equal(first.name, 'notes.txt');
  assert.equal(first.type, 'text/plain');
  assert.equal(first.lastModified, 42);
  assert.equal(await first.text(), 'data');
});
