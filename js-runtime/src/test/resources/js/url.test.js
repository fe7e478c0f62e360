// URL and URLSearchParams behaviour that the web-platform-tests data covers thinly: setters that
// guest code relies on, the link between a URL and its searchParams, the statics, error messages
// and the Web IDL shape of the classes.

// --- pathname setter ---

test('pathname setter rewrites a special URL', () => {
  const url = new URL('https://example.com/counter/a/increment?x=1#top');
  const rest = url.pathname.split('/').slice(2).join('/');
  url.pathname = '/' + rest;
  assert.equal(url.pathname, '/a/increment');
  assert.equal(url.href, 'https://example.com/a/increment?x=1#top');
  assert.equal(String(url), 'https://example.com/a/increment?x=1#top');
});

test('pathname setter adds the leading slash', () => {
  const url = new URL('http://example.com/old');
  url.pathname = 'new/path';
  assert.equal(url.href, 'http://example.com/new/path');
});

test('pathname setter resolves dots and backslashes', () => {
  const url = new URL('http://example.com/');
  url.pathname = '/a/./b/../c\\d';
  assert.equal(url.pathname, '/a/c/d');
});

test('pathname setter percent-encodes ? and #', () => {
  const url = new URL('https://example.com/x?keep#frag');
  url.pathname = '/a?b#c d';
  assert.equal(url.pathname, '/a%3Fb%23c%20d');
  assert.equal(url.search, '?keep');
  assert.equal(url.hash, '#frag');
});

test('pathname setter on non-special URL with host', () => {
  const url = new URL('foo://host/one/two');
  url.pathname = 'three\\four';
  assert.equal(url.pathname, '/three\\four');
  assert.equal(url.href, 'foo://host/three\\four');
});

test('pathname setter without host prefixes "/."', () => {
  const url = new URL('foo:/x');
  url.pathname = '//not-a-host/p';
  assert.equal(url.pathname, '//not-a-host/p');
  assert.equal(url.href, 'foo:/.//not-a-host/p');
  assert.equal(new URL(url.href).pathname, '//not-a-host/p');
});

test('pathname setter ignores opaque paths', () => {
  const url = new URL('mailto:someone@example.com');
  url.pathname = '/elsewhere';
  assert.equal(url.href, 'mailto:someone@example.com');
});

test('pathname setter with empty string', () => {
  const url = new URL('https://example.com/a/b');
  url.pathname = '';
  assert.equal(url.href, 'https://example.com/');
});

// --- searchParams, both directions ---

test('searchParams keeps its identity', () => {
  const url = new URL('https://example.com/?a=1');
  assert.ok(url.searchParams === url.searchParams);
});

test('search setter updates searchParams', () => {
  const url = new URL('https://example.com/?a=1');
  const params = url.searchParams;
  url.search = '?b=2&b=3';
  assert.equal(params.get('a'), null);
  assert.deepEqual(params.getAll('b'), ['2', '3']);
  url.search = '';
  assert.equal(params.size, 0);
});

test('href setter updates searchParams', () => {
  const url = new URL('https://example.com/?a=1');
  const params = url.searchParams;
  url.href = 'https://example.org/?c=%20x+y';
  assert.equal(params.get('c'), ' x y');
  assert.equal(params.has('a'), false);
});

test('searchParams changes update the URL', () => {
  const url = new URL('https://example.com/path?a=1#frag');
  url.searchParams.append('b', 'two words');
  assert.equal(url.search, '?a=1&b=two+words');
  assert.equal(url.href, 'https://example.com/path?a=1&b=two+words#frag');
  url.searchParams.set('a', '&=');
  assert.equal(url.search, '?a=%26%3D&b=two+words');
  url.searchParams.sort();
  assert.equal(url.search, '?a=%26%3D&b=two+words');
  url.searchParams.delete('a');
  assert.equal(url.href, 'https://example.com/path?b=two+words#frag');
});

test('deleting the last parameter drops the query', () => {
  const url = new URL('https://example.com/path?only=1');
  url.searchParams.delete('only');
  assert.equal(url.search, '');
  assert.equal(url.href, 'https://example.com/path');
});

test('searchParams adds a missing query', () => {
  const url = new URL('https://example.com/');
  assert.equal(url.searchParams.size, 0);
  url.searchParams.set('q', 'ä');
  assert.equal(url.href, 'https://example.com/?q=%C3%A4');
});

test('searchParams change reserializes the query', () => {
  const url = new URL('https://example.com/?a=b%20c&d');
  url.searchParams.append('e', 'f');
  assert.equal(url.search, '?a=b+c&d=&e=f');
});

// --- statics ---

test('URL.canParse accepts and rejects', () => {
  assert.equal(URL.canParse('https://example.com/'), true);
  assert.equal(URL.canParse('/relative'), false);
  assert.equal(URL.canParse('/relative', 'https://example.com/base'), true);
  assert.equal(URL.canParse('/relative', 'not a base'), false);
  assert.equal(URL.canParse('https://exa mple.com/'), false);
});

test('URL statics require the url argument', () => {
  assert.throws(() => URL.canParse(), TypeError);
  assert.throws(() => URL.parse(), TypeError);
});

test('URL.parse returns a URL or null', () => {
  const url = URL.parse('../b?x', 'https://example.com/a/c');
  assert.ok(url instanceof URL);
  assert.equal(url.href, 'https://example.com/b?x');
  assert.equal(url.searchParams.get('x'), '');
  assert.equal(URL.parse('http://[::1'), null);
  assert.equal(URL.parse('a', 'b'), null);
});

// --- errors ---

test('constructor error names the input', () => {
  assert.throws(() => new URL('not a url'), TypeError, 'Invalid URL string: "not a url"');
});

test('constructor error names the base', () => {
  assert.throws(() => new URL('/path', 'relative-base'), TypeError, 'Invalid base URL string: "relative-base"');
});

test('constructor error shortens long input', () => {
  const input = 'x'.repeat(1000);
  assert.throws(() => new URL(input), TypeError, 'Invalid URL string: "' + 'x'.repeat(256) + '..."');
});

test('constructor requires an argument', () => {
  assert.throws(() => new URL(), TypeError, 'URL constructor requires 1 argument, but only 0 were passed.');
});

test('href setter rejects an invalid URL', () => {
  const url = new URL('https://example.com/');
  assert.throws(() => { url.href = 'https://[bad/'; }, TypeError, 'Invalid URL string: "https://[bad/"');
  assert.equal(url.href, 'https://example.com/');
});

test('URL cannot be called without new', () => {
  assert.throws(() => URL('https://example.com/'), TypeError);
});

test('members reject foreign receivers', () => {
  const getter = Object.getOwnPropertyDescriptor(URL.prototype, 'href').get;
  assert.throws(() => getter.call({}), TypeError);
  assert.throws(() => URLSearchParams.prototype.get.call({}, 'a'), TypeError);
});

// --- other URL behaviour ---

test('toJSON and toString return href', () => {
  const url = new URL('HTTPS://EXAMPLE.com:443/a b');
  assert.equal(url.toJSON(), 'https://example.com/a%20b');
  assert.equal(JSON.stringify({ url }), '{"url":"https://example.com/a%20b"}');
  assert.equal(url.toString(), url.href);
});

test('constructor accepts URL objects', () => {
  const base = new URL('https://example.com/dir/file');
  assert.equal(new URL(base).href, 'https://example.com/dir/file');
  assert.equal(new URL('other', base).href, 'https://example.com/dir/other');
});

test('non-ASCII hosts use nontransitional IDNA', () => {
  assert.equal(new URL('https://Bücher.example/').hostname, 'xn--bcher-kva.example');
  assert.equal(new URL('https://faß.de/').hostname, 'xn--fa-hia.de');
  assert.equal(new URL('https://xn--fa-hia.DE/').hostname, 'xn--fa-hia.de');
  assert.throws(() => new URL('https://a\u200Db.é/'), TypeError);
});

test('lone surrogates become U+FFFD', () => {
  const url = new URL('https://example.com/\uD800?\uDC00#\uD800');
  assert.equal(url.pathname, '/%EF%BF%BD');
  assert.equal(url.search, '?%EF%BF%BD');
  assert.equal(url.hash, '#%EF%BF%BD');
});

test('port setter drops the default port', () => {
  const url = new URL('https://example.com:8443/');
  url.port = '443';
  assert.equal(url.host, 'example.com');
  url.port = '8080abc';
  assert.equal(url.port, '8080');
  url.port = '';
  assert.equal(url.href, 'https://example.com/');
});

test('origin of special and opaque URLs', () => {
  assert.equal(new URL('https://user:pw@example.com:8443/x').origin, 'https://example.com:8443');
  assert.equal(new URL('blob:https://example.com/uuid').origin, 'https://example.com');
  assert.equal(new URL('file:///tmp/x').origin, 'null');
  assert.equal(new URL('foo://example.com/').origin, 'null');
});

test('URL members have the Web IDL shape', () => {
  const href = Object.getOwnPropertyDescriptor(URL.prototype, 'href');
  assert.equal(typeof href.get, 'function');
  assert.equal(typeof href.set, 'function');
  assert.equal(href.enumerable, true);
  assert.equal(Object.getOwnPropertyDescriptor(URL.prototype, 'origin').set, undefined);
  assert.equal(Object.prototype.toString.call(new URL('https://example.com/')), '[object URL]');
  assert.equal(Object.prototype.toString.call(new URLSearchParams()), '[object URLSearchParams]');
  assert.equal(Object.getOwnPropertyDescriptor(globalThis, 'URL').enumerable, false);
  assert.equal(URL.length, 1);
  assert.equal(URLSearchParams.length, 0);
});

// --- URLSearchParams ---

test('URLSearchParams parses a query string', () => {
  const params = new URLSearchParams('??a=1&b=%zz&&c=x+y%2B&=empty&d');
  assert.deepEqual([...params], [['?a', '1'], ['b', '%zz'], ['c', 'x y+'], ['', 'empty'], ['d', '']]);
});

test('URLSearchParams accepts pairs and records', () => {
  assert.equal(new URLSearchParams([['a', 1], ['a', 2]]).toString(), 'a=1&a=2');
  assert.equal(new URLSearchParams({ b: 'x', c: true }).toString(), 'b=x&c=true');
  const original = new URLSearchParams('d=4');
  const copy = new URLSearchParams(original);
  copy.append('e', '5');
  assert.equal(original.toString(), 'd=4');
  assert.equal(copy.toString(), 'd=4&e=5');
  assert.equal(new URLSearchParams(new Map([['m', 'n']])).toString(), 'm=n');
});

test('URLSearchParams rejects malformed pairs', () => {
  assert.throws(() => new URLSearchParams([['a']]), TypeError);
  assert.throws(() => new URLSearchParams([['a', 'b', 'c']]), TypeError);
  assert.throws(() => new URLSearchParams([1]), TypeError);
  assert.throws(() => new URLSearchParams(['ab']), TypeError);
  assert.throws(() => new URLSearchParams([{ length: 2, 0: 'a', 1: 'b' }]), TypeError);
});

test('URLSearchParams rejects symbol record keys', () => {
  assert.throws(() => new URLSearchParams({ [Symbol('s')]: 'x' }), TypeError);
});

test('URLSearchParams has and delete by value', () => {
  const params = new URLSearchParams('a=1&a=2&b=1');
  assert.equal(params.has('a', '2'), true);
  assert.equal(params.has('a', '3'), false);
  params.delete('a', '1');
  assert.equal(params.toString(), 'a=2&b=1');
  params.delete('a', undefined);
  assert.equal(params.toString(), 'b=1');
});

test('URLSearchParams set keeps one pair', () => {
  const params = new URLSearchParams('a=1&b=2&a=3&c=4&a=5');
  params.set('a', 'x');
  assert.equal(params.toString(), 'a=x&b=2&c=4');
  assert.equal(params.size, 3);
});

test('URLSearchParams sort is stable by code units', () => {
  const params = new URLSearchParams([['z', '1'], ['\uFB03', '2'], ['a', '3'], ['\uD83C\uDF08', '4'], ['z', '5'], ['a', '6']]);
  params.sort();
  assert.deepEqual([...params.keys()], ['a', 'a', 'z', 'z', '\uD83C\uDF08', '\uFB03']);
  assert.deepEqual([...params.values()], ['3', '6', '1', '5', '4', '2']);
});

test('URLSearchParams toString uses form encoding', () => {
  const params = new URLSearchParams();
  params.append('a b', "*-._~!'()+&=/é");
  assert.equal(params.toString(), 'a+b=*-._%7E%21%27%28%29%2B%26%3D%2F%C3%A9');
});

test('URLSearchParams iterators are live', () => {
  const params = new URLSearchParams('a=1');
  const seen = [];
  for (const [name, value] of params) {
    seen.push(name + '=' + value);
    if (name === 'a') params.append('b', '2');
  }
  assert.deepEqual(seen, ['a=1', 'b=2']);
  const iterator = params.entries();
  assert.equal(Object.prototype.toString.call(iterator), '[object URLSearchParams Iterator]');
  assert.equal(typeof iterator[Symbol.iterator], 'function');
  assert.ok(params[Symbol.iterator] === params.entries);
});

test('URLSearchParams forEach arguments', () => {
  const params = new URLSearchParams('a=1&b=2');
  const calls = [];
  params.forEach(function (value, name, target) {
    calls.push([value, name, target === params, this.tag]);
  }, { tag: 't' });
  assert.deepEqual(calls, [['1', 'a', true, 't'], ['2', 'b', true, 't']]);
  assert.throws(() => params.forEach('not a function'), TypeError);
});

test('URLSearchParams methods require arguments', () => {
  const params = new URLSearchParams();
  assert.throws(() => params.append('a'), TypeError, 'URLSearchParams.append requires 2 arguments, but only 1 was passed.');
  assert.throws(() => params.get(), TypeError);
  assert.throws(() => params.set('a'), TypeError);
});

test('URLSearchParams decodes invalid UTF-8 per byte', () => {
  const params = new URLSearchParams('a=%ED%A0%80&b=%F0%9F%8C&%EF%BB%BFc=%zz+%2B');
  assert.equal(params.get('a'), '\uFFFD\uFFFD\uFFFD');
  assert.equal(params.get('b'), '\uFFFD');
  assert.equal(params.get('\uFEFFc'), '%zz +');
});

test('URLSearchParams encodes non-ASCII and surrogates', () => {
  const params = new URLSearchParams();
  params.append('\uD800x', '\uD83C\uDF08 é');
  assert.equal(params.toString(), '%EF%BF%BDx=%F0%9F%8C%88+%C3%A9');
});
