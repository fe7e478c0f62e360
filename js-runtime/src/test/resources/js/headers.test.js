test('Headers looks like a native class', () => {
  const headers = new Headers();
  assert.equal(Object.prototype.toString.call(headers), '[object Headers]');
  assert.ok(headers instanceof Headers);
  assert.equal(typeof Headers.prototype.append, 'function');
  assert.equal(Object.getOwnPropertyNames(headers).length, 0);
  assert.equal(Headers.prototype[Symbol.iterator], Headers.prototype.entries);
  assert.throws(() => Headers(), TypeError);
});

test('Headers names are case-insensitive', () => {
  const headers = new Headers();
  headers.append('X-Custom', 'a');
  assert.equal(headers.get('x-custom'), 'a');
  assert.equal(headers.get('X-CUSTOM'), 'a');
  assert.ok(headers.has('x-CuStOm'));
  headers.delete('X-CUSTOM');
  assert.equal(headers.has('x-custom'), false);
  assert.equal(headers.get('x-custom'), null);
});

test('Headers append combines values with comma', () => {
  const headers = new Headers();
  headers.append('Accept', 'text/html');
  headers.append('accept', 'application/json');
  assert.equal(headers.get('accept'), 'text/html, application/json');
  assert.deepEqual([...headers], [['accept', 'text/html, application/json']]);
});

test('Headers set replaces every value', () => {
  const headers = new Headers([['a', '1'], ['a', '2']]);
  headers.set('A', '3');
  assert.equal(headers.get('a'), '3');
});

test('Headers iteration is sorted and lowercase', () => {
  const headers = new Headers();
  headers.append('Zeta', 'z');
  headers.append('Alpha', 'a');
  headers.append('mIddle', 'm');
  assert.deepEqual([...headers.keys()], ['alpha', 'middle', 'zeta']);
  assert.deepEqual([...headers.values()], ['a', 'm', 'z']);
  assert.deepEqual([...headers.entries()], [['alpha', 'a'], ['middle', 'm'], ['zeta', 'z']]);
});

test('Headers keep set-cookie values separate', () => {
  const headers = new Headers();
  headers.append('Set-Cookie', 'a=1');
  headers.append('X-B', 'b');
  headers.append('set-cookie', 'b=2');
  headers.append('Content-Type', 'text/plain');
  assert.deepEqual([...headers], [
    ['content-type', 'text/plain'],
    ['set-cookie', 'a=1'],
    ['set-cookie', 'b=2'],
    ['x-b', 'b'],
  ]);
  assert.equal(headers.get('set-cookie'), 'a=1, b=2');
  assert.deepEqual(headers.getSetCookie(), ['a=1', 'b=2']);
  assert.deepEqual(new Headers().getSetCookie(), []);
});

test('Headers getSetCookie returns a copy', () => {
  const headers = new Headers([['set-cookie', 'a=1']]);
  headers.getSetCookie().push('b=2');
  assert.deepEqual(headers.getSetCookie(), ['a=1']);
});

test('Headers iterator is a snapshot', () => {
  const headers = new Headers({ a: '1', b: '2' });
  const iterator = headers.keys();
  headers.append('c', '3');
  headers.delete('b');
  assert.deepEqual([...iterator], ['a', 'b']);
});

test('Headers iterator looks native', () => {
  const iterator = new Headers({ a: '1' }).entries();
  assert.equal(Object.prototype.toString.call(iterator), '[object Headers Iterator]');
  assert.equal(iterator[Symbol.iterator](), iterator);
  assert.deepEqual(iterator.next(), { value: ['a', '1'], done: false });
  assert.deepEqual(iterator.next(), { value: undefined, done: true });
});

test('Headers forEach passes value, name, headers', () => {
  const headers = new Headers({ B: '2', a: '1' });
  const seen = [];
  const receiver = {};
  headers.forEach(function (value, name, object) {
    seen.push([value, name, object === headers, this === receiver]);
  }, receiver);
  assert.deepEqual(seen, [['1', 'a', true, true], ['2', 'b', true, true]]);
  assert.throws(() => headers.forEach('nope'), TypeError);
});

test('Headers constructor accepts a record', () => {
  const headers = new Headers({ 'Content-Type': 'text/plain', 'X-Number': 42 });
  assert.equal(headers.get('content-type'), 'text/plain');
  assert.equal(headers.get('x-number'), '42');
});

test('Headers constructor accepts pairs', () => {
  const headers = new Headers([['a', '1'], ['A', '2'], new Set(['b', '3'])]);
  assert.equal(headers.get('a'), '1, 2');
  assert.equal(headers.get('b'), '3');
});

test('Headers constructor accepts a Map', () => {
  const headers = new Headers(new Map([['x', 'y']]));
  assert.equal(headers.get('x'), 'y');
});

test('Headers constructor copies Headers', () => {
  const original = new Headers([['set-cookie', 'a=1'], ['set-cookie', 'b=2'], ['x', '1']]);
  const copy = new Headers(original);
  copy.append('x', '2');
  assert.equal(original.get('x'), '1');
  assert.equal(copy.get('x'), '1, 2');
  assert.deepEqual(copy.getSetCookie(), ['a=1', 'b=2']);
});

test('Headers constructor rejects wrong pair length', () => {
  assert.throws(() => new Headers([['a', '1', '2']]), TypeError,
    'To initialize a Headers object from a sequence, each inner sequence must have exactly two elements.');
  assert.throws(() => new Headers([['a']]), TypeError,
    'To initialize a Headers object from a sequence, each inner sequence must have exactly two elements.');
  assert.throws(() => new Headers(['ab']), TypeError);
});

test('Headers constructor rejects primitives', () => {
  assert.throws(() => new Headers('a: b'), TypeError);
  assert.throws(() => new Headers(42), TypeError);
  assert.throws(() => new Headers(null), TypeError);
  assert.equal([...new Headers(undefined)].length, 0);
});

test('Headers rejects invalid names', () => {
  const headers = new Headers();
  for (const name of ['bad name', '', 'a:b', 'caf\u00e9', 'x\n', '(x)']) {
    const error = assert.throws(() => headers.append(name, 'v'), TypeError);
    assert.ok(error.message.startsWith('Invalid header name.'), error.message);
    assert.ok(error.message.includes(JSON.stringify(name)), error.message);
  }
  assert.throws(() => headers.get('bad name'), TypeError, /^Invalid header name\./);
  assert.throws(() => headers.has('bad name'), TypeError, /^Invalid header name\./);
  assert.throws(() => headers.delete('bad name'), TypeError, /^Invalid header name\./);
  assert.throws(() => headers.set('bad name', 'v'), TypeError, /^Invalid header name\./);
  assert.throws(() => new Headers({ 'bad name': 'v' }), TypeError, /^Invalid header name\./);
});

test('Headers accept all token characters', () => {
  const name = "!#$%&'*+-.^_`|~09azAZ";
  const headers = new Headers([[name, 'v']]);
  assert.equal(headers.get(name), 'v');
  assert.deepEqual([...headers.keys()], [name.toLowerCase()]);
});

test('Headers rejects NUL, CR and LF in values', () => {
  const headers = new Headers();
  for (const value of ['a\0b', 'a\rb', 'a\nb']) {
    const error = assert.throws(() => headers.append('X-Secret', value), TypeError);
    assert.ok(error.message.startsWith('Invalid header value.'), error.message);
    assert.ok(error.message.includes('"X-Secret"'), error.message);
    assert.ok(!error.message.includes(value), 'the message must not echo the value');
  }
  assert.throws(() => headers.set('x', 'a\nb'), TypeError, /^Invalid header value\./);
});

test('Headers trims HTTP whitespace from values', () => {
  const headers = new Headers();
  headers.append('a', ' \t value \r\n');
  headers.set('b', '\n\nx y\t');
  assert.equal(headers.get('a'), 'value');
  assert.equal(headers.get('b'), 'x y');
});

test('Headers keeps non-ASCII values', () => {
  const headers = new Headers({ 'x-name': 'Zo\u00eb \u2603' });
  assert.equal(headers.get('x-name'), 'Zo\u00eb \u2603');
});

test('Headers converts values to strings', () => {
  const headers = new Headers();
  headers.set('a', 1);
  headers.set('b', null);
  headers.set('c', { toString: () => 'custom' });
  assert.equal(headers.get('a'), '1');
  assert.equal(headers.get('b'), 'null');
  assert.equal(headers.get('c'), 'custom');
  assert.throws(() => headers.set('d', Symbol('s')), TypeError);
});

test('Headers checks the value before the name', () => {
  assert.throws(() => new Headers().set('bad name', 'a\nb'), TypeError, /^Invalid header value\./);
});

test('Headers methods reject other receivers', () => {
  assert.throws(() => Headers.prototype.get.call({}, 'a'), TypeError);
  assert.throws(() => Headers.prototype.append.call({}, 'a', 'b'), TypeError);
});

test('Response.redirect headers are immutable', () => {
  const headers = Response.redirect('https://example.com/next').headers;
  assert.throws(() => headers.set('x', '1'), TypeError, "Can't modify immutable headers.");
  assert.throws(() => headers.append('x', '1'), TypeError, "Can't modify immutable headers.");
  assert.throws(() => headers.delete('location'), TypeError, "Can't modify immutable headers.");
  assert.equal(headers.get('location'), 'https://example.com/next');
});

test('Headers immutable check comes first', () => {
  const headers = Response.redirect('https://example.com/').headers;
  assert.throws(() => headers.set('bad name', 'a\nb'), TypeError, "Can't modify immutable headers.");
});

test('Headers copy of immutable headers is mutable', () => {
  const copy = new Headers(Response.redirect('https://example.com/').headers);
  copy.set('x', '1');
  assert.equal(copy.get('x'), '1');
});

test('Headers getAll answers for Set-Cookie only', () => {
  const headers = new Headers([['Set-Cookie', 'a=1'], ['set-cookie', 'b=2'], ['x-a', '1']]);
  assert.deepEqual(headers.getAll('SET-COOKIE'), ['a=1', 'b=2']);
  assert.throws(() => headers.getAll('x-a'), TypeError, 'getAll() can only be used with the header name "Set-Cookie".');
});
