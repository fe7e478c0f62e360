const encoder = new TextEncoder();

function multipart(text) {
  return encoder.encode(text.replace(/\n/g, '\r\n'));
}

test('FormData keeps entries in order and finds them by name', () => {
  const form = new FormData();
  form.append('a', '1');
  form.append('b', 2);
  form.append('a', '3');
  assert.equal(form.get('a'), '1');
  assert.deepEqual(form.getAll('a'), ['1', '3']);
  assert.equal(form.get('b'), '2', 'values become strings');
  assert.equal(form.get('missing'), null);
  assert.equal(form.has('b'), true);
  assert.deepEqual([...form], [['a', '1'], ['b', '2'], ['a', '3']]);
  assert.deepEqual([...form.keys()], ['a', 'b', 'a']);
  assert.deepEqual([...form.values()], ['1', '2', '3']);
});

test('set replaces the first entry of a name and removes the rest', () => {
  const form = new FormData();
  form.append('a', '1');
  form.append('b', '2');
  form.append('a', '3');
  form.set('a', 'x');
  assert.deepEqual([...form.entries()], [['a', 'x'], ['b', '2']]);
  form.set('c', 'y');
  assert.deepEqual([...form.keys()], ['a', 'b', 'c']);
  form.delete('a');
  assert.deepEqual([...form.keys()], ['b', 'c']);
});

test('forEach passes value, name and the form', () => {
  const form = new FormData();
  form.append('a', '1');
  form.append('b', '2');
  const seen = [];
  form.forEach(function (value, name, owner) {
    seen.push([name, value, owner === form, this.tag]);
  }, { tag: 't' });
  assert.deepEqual(seen, [['a', '1', true, 't'], ['b', '2', true, 't']]);
});

test('a Blob value becomes a File named blob or by its filename', () => {
  const form = new FormData();
  form.append('plain', new Blob(['x'], { type: 'text/plain' }));
  form.append('named', new Blob(['y']), 'y.bin');
  const file = new File(['z'], 'z.txt');
  form.append('file', file);
  form.append('renamed', file, 'other.txt');

  const plain = form.get('plain');
  assert.ok(plain instanceof File);
  assert.equal(plain.name, 'blob');
  assert.equal(plain.type, 'text/plain');
  assert.equal(form.get('named').name, 'y.bin');
  assert.equal(form.get('file'), file, 'a File without a new name is kept as it is');
  assert.equal(form.get('renamed').name, 'other.txt');
});

test('FormData checks its arguments', () => {
  const form = new FormData();
  assert.throws(() => form.append('a'), TypeError, 'FormData.append() needs 2 arguments, but got 1.');
  assert.throws(() => form.get(), TypeError, 'FormData.get() needs 1 argument, but got 0.');
  assert.throws(() => form.append('a', 'text', 'name.txt'), TypeError,
    'FormData takes a filename only with a Blob or File value, not with a string.');
  assert.throws(() => FormData.prototype.get.call({}, 'a'), TypeError, 'FormData.prototype.get called on an object that is not a FormData.');
});

test('a FormData body is multipart/form-data with a random boundary', async () => {
  const form = new FormData();
  form.append('name', 'Ada "L"\nLovelace');
  form.append('file', new File([new Uint8Array([0, 255, 13, 10])], 'data.bin'));
  form.append('note', new File(['hi'], 'a\\b.txt', { type: 'text/plain' }));
  const request = new Request('https://example.com/', { method: 'POST', body: form });
  const contentType = request.headers.get('content-type');
  const boundary = /^multipart\/form-data; boundary=([0-9a-f]{32})$/.exec(contentType)[1];
  const bytes = new Uint8Array(await request.clone().arrayBuffer());
  const text = new TextDecoder('latin1').decode(bytes);
  assert.equal(text,
    `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nAda "L"\nLovelace\r\n`
    + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="data.bin"\r\n`
    + 'Content-Type: application/octet-stream\r\n\r\n\u0000\u00ff\r\n\r\n'
    + `--${boundary}\r\nContent-Disposition: form-data; name="note"; filename="a\\\\b.txt"\r\n`
    + `Content-Type: text/plain\r\n\r\nhi\r\n--${boundary}--`);

  const other = new Request('https://example.com/', { method: 'POST', body: new FormData() });
  assert.notEqual(other.headers.get('content-type'), contentType, 'each body gets its own boundary');
});

test('multipart name escaping', async () => {
  const form = new FormData();
  form.append('say "hi"\n', 'x');
  const text = await new Response(form).text();
  assert.ok(text.includes('name="say %22hi%22%0A"'), text);
  const bad = new FormData();
  bad.append('ends\\', 'x');
  assert.throws(() => new Response(bad), TypeError, 'A FormData name or filename cannot end with a backslash: "ends\\\\".');
});

test('formData() reads back what a FormData body wrote', async () => {
  const form = new FormData();
  form.append('text', 'héllo\r\nworld');
  form.append('file', new File([new Uint8Array([0, 13, 10, 45, 45, 255])], 'raw.bin', { type: 'application/x-raw' }));
  form.append('text', '');
  const parsed = await new Response(form).formData();
  assert.deepEqual(parsed.getAll('text'), ['héllo\r\nworld', '']);
  const file = parsed.get('file');
  assert.ok(file instanceof File);
  assert.equal(file.name, 'raw.bin');
  assert.equal(file.type, 'application/x-raw');
  assert.deepEqual(Array.from(await file.bytes()), [0, 13, 10, 45, 45, 255]);
});

test('formData() lenient multipart syntax', async () => {
  const body = encoder.encode('preamble\n--XyZ\nContent-Disposition: form-data; name="a"\n\n1\n--XyZ\n'
    + 'content-disposition: form-data; name="f"; filename="f.txt"\ncontent-type: text/plain\n\nfile body\n--XyZ--\n');
  const form = await new Response(body, { headers: { 'content-type': 'multipart/form-data; boundary="XyZ"' } }).formData();
  assert.equal(form.get('a'), '1');
  assert.equal(form.get('f').name, 'f.txt');
  assert.equal(await form.get('f').text(), 'file body');
});

test('formData() parses application/x-www-form-urlencoded bodies', async () => {
  const form = await new Request('https://example.com/', { method: 'POST', body: new URLSearchParams('a=1&b=x+y&a=%C3%A9') }).formData();
  assert.deepEqual([...form], [['a', '1'], ['b', 'x y'], ['a', 'é']]);
  await assert.rejects(new Response('a=1', { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=latin1' } }).formData(),
    TypeError, 'Non-utf-8 application/x-www-form-urlencoded body (charset=latin1). Send the form as UTF-8.');
});

test('formData() names what is wrong with a body it cannot parse', async () => {
  const typed = (body, type) => new Response(body, { headers: { 'content-type': type } }).formData();
  await assert.rejects(new Response('a=1').formData(), TypeError,
    'Unrecognized Content-Type header value "text/plain;charset=UTF-8". FormData can only parse the following MIME types:'
    + ' multipart/form-data, application/x-www-form-urlencoded');
  await assert.rejects(typed('x', 'multipart/form-data'), TypeError, /^No boundary string in Content-Type header/);
  await assert.rejects(typed('nothing here', 'multipart/form-data; boundary=b'), TypeError,
    'No initial boundary string (or you have a truncated message).');
  await assert.rejects(typed(multipart('--b\nContent-Disposition: form-data; name="a"\n\nunfinished'), 'multipart/form-data; boundary=b'),
    TypeError, 'No subsequent boundary string after multipart message.');
  await assert.rejects(typed(multipart('--b\nContent-Type: text/plain\n\nx\n--b--'), 'multipart/form-data; boundary=b'),
    TypeError, 'No valid Content-Disposition header found in FormData part.');
  await assert.rejects(typed(multipart('--b\nContent-Disposition: attachment; name="a"\n\nx\n--b--'), 'multipart/form-data; boundary=b'),
    TypeError, /^Content-Disposition header for FormData part must have the value "form-data"/);
  await assert.rejects(typed(multipart('--b\nContent-Disposition: form-data\n\nx\n--b--'), 'multipart/form-data; boundary=b'),
    TypeError, 'Content-Disposition header in FormData part is missing a name.');
  await assert.rejects(typed(multipart('--bX'), 'multipart/form-data; boundary=b'),
    TypeError, 'Boundary string was not succeeded by CRLF, LF, or \'--\'.');
});

test('a FormData cannot be stored or cloned', () => {
  const error = assert.throws(() => structuredClone(new FormData()));
  assert.equal(error.name, 'DataCloneError');
});
