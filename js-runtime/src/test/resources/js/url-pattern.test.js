// URLPattern: router patterns, the shape of exec() results, canonicalization of each component,
// the normalized pattern strings, and the messages of the errors the constructor throws.

// --- routing ---

test('named group matches one segment', () => {
  const pattern = new URLPattern({ pathname: '/books/:id' });
  assert.equal(pattern.test('https://example.com/books/123'), true);
  assert.equal(pattern.test('https://example.com/books/123/pages'), false);
  assert.equal(pattern.test('https://example.com/books/'), false);
  assert.equal(pattern.exec('https://example.com/books/123').pathname.groups.id, '123');
});

test('wildcard matches the rest', () => {
  const pattern = new URLPattern({ pathname: '/api/*' });
  assert.equal(pattern.exec('https://example.com/api/users/7').pathname.groups[0], 'users/7');
  assert.equal(pattern.exec('https://example.com/api/').pathname.groups[0], '');
  assert.equal(pattern.test('https://example.com/api'), false);
});

test('regexp group limits values', () => {
  const pattern = new URLPattern({ pathname: '/:lang(en|de)/docs' });
  assert.equal(pattern.exec('https://example.com/de/docs').pathname.groups.lang, 'de');
  assert.equal(pattern.test('https://example.com/fr/docs'), false);
  assert.equal(pattern.hasRegExpGroups, true);
  assert.equal(new URLPattern({ pathname: '/books/:id' }).hasRegExpGroups, false);
});

test('optional group with its prefix', () => {
  const pattern = new URLPattern({ pathname: '/books/:id?' });
  assert.equal(pattern.test('https://example.com/books'), true);
  assert.equal(pattern.exec('https://example.com/books').pathname.groups.id, undefined);
  assert.ok('id' in pattern.exec('https://example.com/books').pathname.groups);
  assert.equal(pattern.exec('https://example.com/books/9').pathname.groups.id, '9');
  assert.equal(pattern.test('https://example.com/books/'), false);
});

test('repeated groups', () => {
  const oneOrMore = new URLPattern({ pathname: '/files/:path+' });
  assert.equal(oneOrMore.exec('https://example.com/files/a/b/c').pathname.groups.path, 'a/b/c');
  assert.equal(oneOrMore.test('https://example.com/files'), false);

  const zeroOrMore = new URLPattern({ pathname: '/files/:path*' });
  assert.equal(zeroOrMore.exec('https://example.com/files').pathname.groups.path, undefined);
  assert.equal(zeroOrMore.exec('https://example.com/files/a/b').pathname.groups.path, 'a/b');
});

test('braces make optional text', () => {
  const pattern = new URLPattern({ pathname: '/blog/:slug{.html}?' });
  assert.equal(pattern.exec('https://example.com/blog/hello.html').pathname.groups.slug, 'hello');
  assert.equal(pattern.exec('https://example.com/blog/hello').pathname.groups.slug, 'hello');

  const product = new URLPattern({ pathname: '/product{/}?' });
  assert.equal(product.test('https://example.com/product'), true);
  assert.equal(product.test('https://example.com/product/'), true);
  assert.equal(product.pathname, '/product{/}?');
});

test('full URL string pattern', () => {
  const pattern = new URLPattern('https://*.example.com/:path*');
  assert.equal(pattern.protocol, 'https');
  assert.equal(pattern.hostname, '*.example.com');
  assert.equal(pattern.port, '');
  assert.equal(pattern.pathname, '/:path*');
  assert.equal(pattern.search, '*');
  assert.equal(pattern.hash, '*');
  const result = pattern.exec('https://api.example.com/v1/users?x=1');
  assert.equal(result.hostname.groups[0], 'api');
  assert.equal(result.pathname.groups.path, 'v1/users');
  assert.equal(pattern.test('https://example.com/'), false);
  assert.equal(pattern.test('http://api.example.com/'), false);
});

test('hostname groups split at dots', () => {
  const named = new URLPattern({ hostname: ':tenant.example.com' });
  assert.equal(named.exec('https://acme.example.com/').hostname.groups.tenant, 'acme');
  assert.equal(named.test('https://a.b.example.com/'), false);

  const optional = new URLPattern({ hostname: '{*.}?example.com' });
  assert.equal(optional.test('https://example.com/'), true);
  assert.equal(optional.test('https://www.example.com/'), true);
  assert.equal(optional.test('https://example.org/'), false);
});

test('string pattern with search and hash', () => {
  const pattern = new URLPattern('https://example.com/search?q=:query#:section');
  assert.equal(pattern.pathname, '/search');
  assert.equal(pattern.search, 'q=:query');
  assert.equal(pattern.hash, ':section');
  const result = pattern.exec('https://example.com/search?q=cats#top');
  assert.equal(result.search.groups.query, 'cats');
  assert.equal(result.hash.groups.section, 'top');
});

test('string pattern with port and credentials', () => {
  // An unescaped ":pass" would be a named group inside the username.
  const pattern = new URLPattern('http://user\\:pass@localhost:8080/x');
  assert.equal(pattern.username, 'user');
  assert.equal(pattern.password, 'pass');
  assert.equal(pattern.hostname, 'localhost');
  assert.equal(pattern.port, '8080');
  assert.equal(pattern.test('http://user:pass@localhost:8080/x'), true);
  assert.equal(pattern.test('http://localhost:8080/x'), false);
});

test('optional group modifier is not a search', () => {
  const pattern = new URLPattern('https://example.com/:id?');
  assert.equal(pattern.pathname, '/:id?');
  assert.equal(pattern.search, '*');
});

// --- exec result ---

test('exec result shape for a string', () => {
  const pattern = new URLPattern({ pathname: '/books/:id' });
  const result = pattern.exec('https://example.com/books/42?a=1#h');
  assert.deepEqual(result.inputs, ['https://example.com/books/42?a=1#h']);
  assert.deepEqual(result.protocol, { input: 'https', groups: { 0: 'https' } });
  assert.deepEqual(result.hostname, { input: 'example.com', groups: { 0: 'example.com' } });
  assert.deepEqual(result.port, { input: '', groups: { 0: '' } });
  assert.deepEqual(result.pathname, { input: '/books/42', groups: { id: '42' } });
  assert.deepEqual(result.search, { input: 'a=1', groups: { 0: 'a=1' } });
  assert.deepEqual(result.hash, { input: 'h', groups: { 0: 'h' } });
});

test('exec with a base URL string', () => {
  const pattern = new URLPattern({ pathname: '/books/:id' });
  const result = pattern.exec('/books/5', 'https://example.com');
  assert.deepEqual(result.inputs, ['/books/5', 'https://example.com']);
  assert.equal(result.pathname.groups.id, '5');
});

test('exec with a dictionary', () => {
  const pattern = new URLPattern({ pathname: '/books/:id' });
  const input = { pathname: '/books/7' };
  const result = pattern.exec(input);
  assert.deepEqual(result.inputs, [{ pathname: '/books/7' }]);
  assert.equal(result.pathname.groups.id, '7');
  assert.equal(result.protocol.input, '');
});

test('exec returns null on mismatch', () => {
  const pattern = new URLPattern({ pathname: '/books/:id' });
  assert.equal(pattern.exec('https://example.com/films/1'), null);
  assert.equal(pattern.exec('not a url'), null);
  assert.equal(pattern.test('/books/1', 'not a base'), false);
});

test('exec dictionary rejects baseURL argument', () => {
  const pattern = new URLPattern({ pathname: '/a' });
  assert.throws(() => pattern.exec({ pathname: '/a' }, 'https://example.com'), TypeError,
      'URLPattern input is a dictionary, so a baseURL argument is not allowed; put it in the dictionary as baseURL instead.');
});

// --- options and base URLs ---

test('ignoreCase applies to pathname', () => {
  const pattern = new URLPattern({ pathname: '/Books/:id' }, { ignoreCase: true });
  assert.equal(pattern.test('https://example.com/books/1'), true);
  assert.equal(pattern.test('https://example.com/BOOKS/1'), true);
  assert.equal(new URLPattern({ pathname: '/Books/:id' }).test('https://example.com/books/1'), false);

  const withBase = new URLPattern('/Books', 'https://example.com', { ignoreCase: true });
  assert.equal(withBase.test('https://example.com/BOOKS'), true);
});

test('relative string pattern with baseURL', () => {
  const pattern = new URLPattern('/books/:id', 'https://example.com:8080/ignored?q#h');
  assert.equal(pattern.protocol, 'https');
  assert.equal(pattern.hostname, 'example.com');
  assert.equal(pattern.port, '8080');
  assert.equal(pattern.pathname, '/books/:id');
  // The pattern gives a pathname, so the search and hash of the base URL are not inherited.
  assert.equal(pattern.search, '*');
  assert.equal(pattern.hash, '*');
  assert.equal(pattern.username, '*');
  assert.equal(pattern.test('https://example.com:8080/books/1'), true);
  assert.equal(pattern.test('https://example.com:8080/books/1?q'), true);
  assert.equal(pattern.test('https://example.com/books/1'), false);
});

test('search pattern inherits base pathname', () => {
  const pattern = new URLPattern('?q=:query', 'https://example.com/a?b#c');
  assert.equal(pattern.pathname, '/a');
  assert.equal(pattern.search, 'q=:query');
  assert.equal(pattern.hash, '*');
  assert.equal(pattern.exec('https://example.com/a?q=x#y').search.groups.query, 'x');
});

test('dictionary baseURL resolves relative pathname', () => {
  const pattern = new URLPattern({ pathname: 'c/:d', baseURL: 'https://example.com/a/b' });
  assert.equal(pattern.pathname, '/a/c/:d');
  assert.equal(pattern.hostname, 'example.com');
});

test('baseURL characters are escaped', () => {
  const pattern = new URLPattern({ pathname: '/x', baseURL: 'https://example.com:8080/' });
  assert.equal(pattern.port, '8080');
  const escaped = new URLPattern({ baseURL: 'https://example.com/a+b(c)' });
  assert.equal(escaped.pathname, '/a\\+b\\(c\\)');
  assert.equal(escaped.test('https://example.com/a+b(c)'), true);
});

// --- canonicalization ---

test('hostname is lowercased and IDNA encoded', () => {
  assert.equal(new URLPattern({ hostname: 'EXAMPLE.com' }).hostname, 'example.com');
  assert.equal(new URLPattern({ hostname: 'bücher.example' }).hostname, 'xn--bcher-kva.example');
  assert.equal(new URLPattern({ hostname: 'bücher.example' }).test('https://BÜCHER.example/'), true);
  // A ":" in an IPv6 pattern must be escaped, or it starts a group name.
  assert.equal(new URLPattern({ hostname: '[\\:\\:AB]' }).hostname, '[\\:\\:ab]');
  assert.equal(new URLPattern({ hostname: '[\\:\\:AB]' }).test('https://[::ab]/'), true);
  assert.equal(new URLPattern({ hostname: '[\\:\\:1]' }).test({ hostname: '[::1]' }), true);
});

test('default port is dropped', () => {
  assert.equal(new URLPattern({ protocol: 'https', port: '443' }).port, '');
  assert.equal(new URLPattern({ protocol: 'http', port: '80' }).port, '');
  assert.equal(new URLPattern({ protocol: 'https', port: '80' }).port, '80');
  assert.equal(new URLPattern({ protocol: 'http', port: '443' }).port, '443');
  assert.equal(new URLPattern({ port: '443' }).port, '443');
  assert.equal(new URLPattern({ protocol: 'foo', port: '80' }).port, '80');
  assert.equal(new URLPattern({ protocol: 'http', port: '443' }).test('http://example.com:443/'), true);
  assert.equal(new URLPattern({ port: '' }).test({ protocol: 'https', port: '443' }), true);
  assert.equal(new URLPattern('https://example.com:443/').port, '');
  assert.equal(new URLPattern({ protocol: 'https', port: '443' }).test('https://example.com/'), true);
});

test('protocol is lowercased and trailing colon stripped', () => {
  assert.equal(new URLPattern({ protocol: 'HTTPS:' }).protocol, 'https');
});

test('pathname is percent-encoded', () => {
  assert.equal(new URLPattern({ pathname: '/caf\u00e9 menu' }).pathname, '/caf%C3%A9%20menu');
  assert.equal(new URLPattern({ pathname: '/caf\u00e9' }).test('https://example.com/caf\u00e9'), true);
});

test('pathname dot segments are resolved', () => {
  assert.equal(new URLPattern({ pathname: '/a/./b/../c' }).pathname, '/a/c');
  assert.equal(new URLPattern({ pathname: '/a/./b/../c/:d' }).pathname, '/a/c/:d');
  // Each run of fixed text is canonicalized alone, so ".." cannot remove a group's segment.
  assert.equal(new URLPattern({ pathname: '/a/../:b' }).pathname, '//:b');
});

test('search and hash are encoded', () => {
  assert.equal(new URLPattern({ search: '?q=a b' }).search, 'q=a%20b');
  assert.equal(new URLPattern({ hash: '#a b' }).hash, 'a%20b');
  assert.equal(new URLPattern({ search: "a'b" }).search, "a'b");
});

test('opaque pathname for non-special protocol', () => {
  const pattern = new URLPattern({ protocol: 'data', pathname: 'text/plain,:rest' });
  assert.equal(pattern.pathname, 'text/plain,:rest');
  assert.equal(pattern.exec('data:text/plain,hello').pathname.groups.rest, 'hello');
});

// --- pattern strings ---

test('pattern string getters', () => {
  assert.equal(new URLPattern({ pathname: '/a/:b' }).pathname, '/a/:b');
  assert.equal(new URLPattern({}).pathname, '*');
  assert.equal(new URLPattern({ pathname: '/a/(\\d+)' }).pathname, '/a/(\\d+)');
  assert.equal(new URLPattern({ pathname: '/:a(.*)' }).pathname, '/:a(.*)');
  assert.equal(new URLPattern({ pathname: '/*' }).pathname, '/*');
  assert.equal(new URLPattern({ pathname: '/{:a}b' }).pathname, '/{:a}b');
  assert.equal(new URLPattern({ pathname: '/:a\\b' }).pathname, '{/:a}b');
  assert.equal(new URLPattern({ pathname: '/{:a\\b}' }).pathname, '/{:a\\b}');
  assert.equal(new URLPattern({ pathname: '/{x}' }).pathname, '/x');
  assert.equal(new URLPattern({ pathname: '/a\\:b' }).pathname, '/a\\:b');
});

test('class shape', () => {
  assert.equal(Object.prototype.toString.call(new URLPattern({})), '[object URLPattern]');
  assert.equal(Object.getOwnPropertyDescriptor(globalThis, 'URLPattern').enumerable, false);
  assert.equal(typeof URLPattern.prototype.exec, 'function');
});

// --- errors ---

test('relative pattern without baseURL', () => {
  assert.throws(() => new URLPattern('/books/:id'), TypeError,
      'Invalid URLPattern "/books/:id": a relative pattern needs a baseURL.');
});

test('baseURL argument with dictionary', () => {
  assert.throws(() => new URLPattern({ pathname: '/a' }, 'https://example.com'), TypeError,
      'Invalid URLPattern: a baseURL argument is allowed only with a string pattern; put it in the dictionary as baseURL instead.');
});

test('invalid baseURL', () => {
  assert.throws(() => new URLPattern({ pathname: '/a', baseURL: 'nope' }), TypeError,
      'Invalid baseURL "nope": it is not an absolute URL.');
});

test('duplicate group name', () => {
  assert.throws(() => new URLPattern({ pathname: '/:a/:a' }), TypeError,
      'Invalid pathname pattern "/:a/:a": duplicate group name "a".');
});

test('invalid regexp group', () => {
  assert.throws(() => new URLPattern({ pathname: '/(a' }), TypeError,
      'Invalid pathname pattern "/(a": a regexp group is not closed at index 1.');
  assert.throws(() => new URLPattern({ pathname: '/()' }), TypeError,
      'Invalid pathname pattern "/()": a regexp group is empty at index 1.');
  assert.throws(() => new URLPattern({ pathname: '/(?x)' }), TypeError,
      'Invalid pathname pattern "/(?x)": a regexp group must not start with "?" at index 1.');
  assert.throws(() => new URLPattern({ pathname: '/((a))' }), TypeError,
      'Invalid pathname pattern "/((a))": a group nested in a regexp group must be non-capturing, as in "(?:...)" at index 1.');
  assert.throws(() => new URLPattern({ pathname: '/(\u00e9)' }), TypeError,
      'Invalid pathname pattern "/(\u00e9)": a regexp group may contain only ASCII characters at index 1.');
  assert.throws(() => new URLPattern({ pathname: '/([a)' }), TypeError,
      /^Invalid pathname pattern "\/\(\[a\)": its regexp groups do not form a valid regular expression \(.+\)\.$/);
});

test('invalid names and escapes', () => {
  assert.throws(() => new URLPattern({ pathname: '/:' }), TypeError,
      'Invalid pathname pattern "/:": a ":" must be followed by a group name at index 1.');
  assert.throws(() => new URLPattern({ pathname: '/a\\' }), TypeError,
      'Invalid pathname pattern "/a\\\\": a backslash at the end escapes nothing at index 2.');
});

test('unbalanced braces', () => {
  assert.throws(() => new URLPattern({ pathname: '/{a' }), TypeError,
      'Invalid pathname pattern "/{a": expected "}" but found the end of the pattern at index 3.');
  assert.throws(() => new URLPattern({ pathname: '/a}' }), TypeError,
      'Invalid pathname pattern "/a}": expected the end of the pattern but found "}" at index 2.');
  assert.throws(() => new URLPattern({ pathname: '/{a{b}}' }), TypeError,
      'Invalid pathname pattern "/{a{b}}": expected "}" but found "{" at index 3.');
});

test('invalid component values', () => {
  assert.throws(() => new URLPattern({ protocol: 'ht tp' }), TypeError,
      'Invalid protocol "ht tp": it is not a valid URL scheme.');
  assert.throws(() => new URLPattern({ port: 'abc' }), TypeError,
      'Invalid port "abc": a port is a decimal number from 0 to 65535.');
  assert.throws(() => new URLPattern({ port: '65536' }), TypeError,
      'Invalid port "65536": a port is a decimal number from 0 to 65535.');
  assert.throws(() => new URLPattern({ hostname: 'a b' }), TypeError,
      'Invalid hostname "a b": the URL parser rejects it.');
  assert.throws(() => new URLPattern({ hostname: 'bad/host' }), TypeError,
      'Invalid hostname "bad/host": the URL parser rejects it.');
  assert.throws(() => new URLPattern({ hostname: '[\\:\\:x]' }), TypeError,
      'Invalid IPv6 hostname "[::x]": "x" is not a hex digit, ":", "[" or "]".');
});

test('invalid input URL makes test false', () => {
  const pattern = new URLPattern({ port: '8080' });
  assert.equal(pattern.test({ port: 'abc' }), false);
});
