// Expected output follows Node's util.inspect with its defaults (depth 2, 80 columns), which
// workerd uses for local console output.

function logged(write) {
  testLog.clear();
  write();
  return testLog.lines();
}

// The message of the single line that console.log(...args) writes.
function format(...args) {
  const lines = logged(() => console.log(...args));
  assert.equal(lines.length, 1, `one line for ${args.length} arguments`);
  assert.ok(lines[0].startsWith('info '), lines[0]);
  return lines[0].slice('info '.length);
}

// ---------------------------------------------------------------------------------------------
// Levels

test('console levels', () => {
  const lines = logged(() => {
    console.log('l');
    console.info('i');
    console.debug('d');
    console.warn('w');
    console.error('e');
  });
  assert.deepEqual(lines, ['info l', 'info i', 'debug d', 'warn w', 'error e']);
});

test('console methods work unbound', () => {
  const { log } = console;
  assert.deepEqual(logged(() => log('free')), ['info free']);
});

test('console.log with no arguments writes an empty line', () => {
  assert.deepEqual(logged(() => console.log()), ['info ']);
});

// ---------------------------------------------------------------------------------------------
// Primitives

test('console primitives', () => {
  assert.equal(format('text', 42, -0, 0, 1.5, NaN, -Infinity, 10n, true, null, undefined), 'text 42 -0 0 1.5 NaN -Infinity 10n true null undefined');
  assert.equal(format(Symbol('tag'), Symbol()), 'Symbol(tag) Symbol()');
});

test('console strings are raw at top level and quoted inside', () => {
  assert.equal(format('a\nb'), 'a\nb');
  assert.equal(format(['x', "it's", 'say "hi"', `both ' and "`]), `[ 'x', "it's", 'say "hi"', \`both ' and "\` ]`);
  assert.equal(format({ s: 'tab\there', c: '\u0001\u007f', slash: 'a\\b' }), "{ s: 'tab\\there', c: '\\x01\\x7F', slash: 'a\\\\b' }");
  assert.equal(format(['\uD800']), "[ '\\ud800' ]");
});

test('console long strings inside objects split at line breaks', () => {
  const text = 'first line of a longer text that goes on\nsecond line of a longer text\nthird line of it';
  assert.equal(format({ text }), "{\n  text: 'first line of a longer text that goes on\\n' +\n    'second line of a longer text\\n' +\n    'third line of it'\n}");
  // Shorter than 80 columns minus the indentation: one piece.
  assert.equal(format({ short: 'a\nb' }), "{ short: 'a\\nb' }");
});

test('console truncates very long strings', () => {
  const message = format(['x'.repeat(10005)]);
  assert.ok(message.endsWith("'... 5 more characters\n]"), message.slice(-40));
});

// ---------------------------------------------------------------------------------------------
// printf-style placeholders

test('console %s', () => {
  assert.equal(format('%s|%s|%s|%s', 'str', 5, -0, 7n), 'str|5|-0|7n');
  assert.equal(format('%s', { a: { b: 1 } }), '{ a: [Object] }');
  assert.equal(format('%s', [1, [2]]), '[ 1, [Array] ]');
  assert.equal(format('%s', { toString() { return 'custom'; } }), 'custom');
  assert.equal(format('%s', null), 'null');
  assert.equal(format('%s', Symbol('s')), 'Symbol(s)');
});

test('console %d %i %f', () => {
  assert.equal(format('%d %d %d %d', 42.5, '7', 3n, Symbol('x')), '42.5 7 3n NaN');
  assert.equal(format('%i %i %i', 42.9, '12px', -0.5), '42 12 -0');
  assert.equal(format('%f %f', '1.25e2', 'abc'), '125 NaN');
  assert.equal(format('%d', {}), 'NaN');
});

test('console %j %o %O %c %%', () => {
  assert.equal(format('%j', { a: [1, 'x'] }), '{"a":[1,"x"]}');
  const circular = {};
  circular.self = circular;
  assert.equal(format('%j', circular), '[Circular]');
  assert.equal(format('%o', [1]), '[ 1, [length]: 1 ]');
  assert.equal(format('%O', { a: { b: { c: { d: 1 } } } }), '{ a: { b: { c: [Object] } } }');
  assert.equal(format('%cstyled', 'color: red'), 'styled');
  assert.equal(format('100%% sure %s', 'yes'), '100% sure yes');
});

test('console placeholders without arguments stay', () => {
  assert.equal(format('%s and %d'), '%s and %d');
  assert.equal(format('%s and %d', 'one'), 'one and %d');
  assert.equal(format('%x %s', 'y'), '%x y');
  assert.equal(format('%% alone'), '%% alone');
  assert.equal(format('a %% b', 1), 'a % b 1');
});

test('console extra arguments follow the format', () => {
  assert.equal(format('%s:', 'key', 'value', { n: 1 }), "key: value { n: 1 }");
  assert.equal(format(1, '%s', 'x'), '1 %s x');
});

// ---------------------------------------------------------------------------------------------
// Objects and arrays

test('console arrays and objects', () => {
  assert.equal(format([1, 2, 3]), '[ 1, 2, 3 ]');
  assert.equal(format({ a: 1, b: 'x' }), "{ a: 1, b: 'x' }");
  assert.equal(format([], {}), '[] {}');
  assert.equal(format({ 'needs-quotes': 1, _ok: 2, 3: 'three', __proto__x: 4 }), "{ '3': 'three', 'needs-quotes': 1, _ok: 2, __proto__x: 4 }");
  assert.equal(format({ u: undefined, n: null, f: false }), '{ u: undefined, n: null, f: false }');
});

test('console nesting stops at depth 2', () => {
  assert.equal(format({ a: { b: { c: { d: 1 } } } }), '{ a: { b: { c: [Object] } } }');
  assert.equal(format([[[[1]]]]), '[ [ [ [Array] ] ] ]');
  class Inner {}
  assert.equal(format({ a: { b: { c: new Inner() } } }), '{ a: { b: { c: Inner {} } } }');
  assert.equal(format({ a: { b: { c: Object.assign(new Inner(), { x: 1 }) } } }), '{ a: { b: { c: [Inner] } } }');
});

test('console arrays with holes and extra properties', () => {
  const array = [1, , 3];
  array.extra = true;
  assert.equal(format(array), '[ 1, <1 empty item>, 3, extra: true ]');
  assert.equal(format(new Array(5)), '[ <5 empty items> ]');
  assert.equal(format([1, , , 4]), '[ 1, <2 empty items>, 4 ]');
});

test('console long arrays are grouped and truncated', () => {
  const numbers = Array.from({ length: 120 }, (_, i) => i);
  const message = format(numbers);
  const lines = message.split('\n');
  assert.equal(lines[0], '[');
  assert.equal(lines[1], '   0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11,');
  assert.equal(lines[9], '  96, 97, 98, 99,');
  assert.equal(lines[10], '  ... 20 more items');
  assert.equal(lines[11], ']');
});

test('console number arrays align right', () => {
  assert.equal(format(Array.from({ length: 10 }, (_, i) => i * 100)), '[\n    0, 100, 200, 300,\n  400, 500, 600, 700,\n  800, 900\n]');
});

test('console string arrays align left', () => {
  const items = Array.from({ length: 12 }, (_, i) => 'item' + i);
  assert.equal(format(items), "[\n  'item0',  'item1',\n  'item2',  'item3',\n  'item4',  'item5',\n  'item6',  'item7',\n  'item8',  'item9',\n  'item10', 'item11'\n]");
});

test('console breaks long objects into lines', () => {
  const value = { alpha: 'aaaaaaaaaaaaaaaaaaaa', beta: 'bbbbbbbbbbbbbbbbbbbbbb', gamma: 'cccccccccccccccccccccc', delta: 1 };
  assert.equal(format(value), "{\n  alpha: 'aaaaaaaaaaaaaaaaaaaa',\n  beta: 'bbbbbbbbbbbbbbbbbbbbbb',\n  gamma: 'cccccccccccccccccccccc',\n  delta: 1\n}");
});

test('console keeps the four innermost levels compact', () => {
  const value = { level1: { level2: { level3: 'x' } }, other: [1, 2] };
  assert.equal(format(value), "{ level1: { level2: { level3: 'x' } }, other: [ 1, 2 ] }");
});

test('console circular references', () => {
  const value = { name: 'root' };
  value.self = value;
  assert.equal(format(value), "<ref *1> { name: 'root', self: [Circular *1] }");
  const a = { b: {} };
  a.b.a = a;
  a.b.b = a.b;
  assert.equal(format(a), '<ref *1> { b: <ref *2> { a: [Circular *1], b: [Circular *2] } }');
  const list = [1];
  list.push(list);
  assert.equal(format(list), '<ref *1> [ 1, [Circular *1] ]');
});

test('console class instances show their class', () => {
  class Counter {
    constructor() {
      this.value = 1;
    }
  }
  class Empty {}
  assert.equal(format(new Counter()), 'Counter { value: 1 }');
  assert.equal(format(new Empty()), 'Empty {}');
  assert.equal(format(Object.create(null)), '[Object: null prototype] {}');
  assert.equal(format(Object.assign(Object.create(null), { a: 1 })), '[Object: null prototype] { a: 1 }');
});

test('console toStringTag', () => {
  assert.equal(format({ [Symbol.toStringTag]: 'Tagged', a: 1 }), "{ a: 1, Symbol(Symbol.toStringTag): 'Tagged' }");
  class Tagged {
    get [Symbol.toStringTag]() {
      return 'Label';
    }
  }
  assert.equal(format(new Tagged()), 'Tagged [Label] {}');
});

test('console symbol keys and accessors', () => {
  assert.equal(format({ [Symbol('k')]: 1 }), '{ Symbol(k): 1 }');
  const value = {
    get onlyGet() { return 1; },
    set onlySet(v) {},
    get both() { return 1; },
    set both(v) {},
  };
  assert.equal(format(value), '{ onlyGet: [Getter], onlySet: [Setter], both: [Getter/Setter] }');
});

// ---------------------------------------------------------------------------------------------
// Built-in types

test('console Map and Set', () => {
  assert.equal(format(new Map([['a', 1], [{ k: 1 }, [2]]])), "Map(2) { 'a' => 1, { k: 1 } => [ 2 ] }");
  assert.equal(format(new Set([1, 'two'])), "Set(2) { 1, 'two' }");
  assert.equal(format(new Map(), new Set()), 'Map(0) {} Set(0) {}');
  assert.equal(format({ a: { b: new Map([[1, new Set([1])]]) } }), '{ a: { b: Map(1) { 1 => [Set] } } }');
});

test('console Date and RegExp', () => {
  assert.equal(format(new Date(0)), '1970-01-01T00:00:00.000Z');
  assert.equal(format(new Date(NaN)), 'Invalid Date');
  assert.equal(format(/ab+c/gi, [/x/]), '/ab+c/gi [ /x/ ]');
});

test('console functions and classes', () => {
  function named() {}
  class Base {}
  class Derived extends Base {}
  assert.equal(format(named, () => {}), '[Function: named] [Function (anonymous)]');
  assert.equal(format(async function load() {}, function* generate() {}, async function* stream() {}),
    '[AsyncFunction: load] [GeneratorFunction: generate] [AsyncGeneratorFunction: stream]');
  assert.equal(format(Base, Derived), '[class Base] [class Derived extends Base]');
  assert.equal(format(Math.max), '[Function: max]');
  assert.equal(format({ handler: named }), '{ handler: [Function: named] }');
  const withProperty = function tagged() {};
  withProperty.version = 2;
  assert.equal(format(withProperty), '[Function: tagged] { version: 2 }');
});

test('console boxed primitives', () => {
  assert.equal(format([new Number(3), new String('ab'), new Boolean(false), Object(1n), Object(Symbol('s'))]),
    "[\n  [Number: 3],\n  [String: 'ab'],\n  [Boolean: false],\n  [BigInt: 1n],\n  [Symbol: Symbol(s)]\n]");
});

test('console typed arrays and buffers', () => {
  assert.equal(format(new Uint8Array([1, 2, 3])), 'Uint8Array(3) [ 1, 2, 3 ]');
  assert.equal(format(new BigInt64Array(2)), 'BigInt64Array(2) [ 0n, 0n ]');
  assert.equal(format(new Float64Array(0)), 'Float64Array(0) []');
  assert.equal(format(new Uint8Array([1, 255]).buffer), 'ArrayBuffer { [Uint8Contents]: <01 ff>, byteLength: 2 }');
  assert.equal(format(new DataView(new ArrayBuffer(2))),
    'DataView {\n  byteLength: 2,\n  byteOffset: 0,\n  buffer: ArrayBuffer { [Uint8Contents]: <00 00>, byteLength: 2 }\n}');
  const long = format(new Uint8Array(101).buffer);
  assert.ok(long.includes('00 ... 1 more byte>'), long);
});

test('console errors print their stack', () => {
  function fail() {
    return new TypeError('bad thing');
  }
  const error = fail();
  assert.equal(format(error), error.stack);
  assert.ok(format(error).startsWith('TypeError: bad thing\n    at fail'));
});

test('console errors inside objects are indented', () => {
  const error = new RangeError('inner');
  const message = format({ error });
  assert.ok(message.startsWith('{\n  error: RangeError: inner\n      at '), message);
  assert.ok(message.endsWith('\n}'), message);
});

test('console error without frames is bracketed', () => {
  const error = new Error('plain');
  error.stack = 'Error: plain';
  assert.equal(format(error), '[Error: plain]');
  const noStack = new Error('gone');
  delete noStack.stack;
  assert.equal(format(noStack), '[Error: gone]');
});

test('console error extra properties and cause', () => {
  const error = new Error('with code');
  error.stack = 'Error: with code\n    at here (file.js:1:1)';
  error.code = 'E_CODE';
  assert.equal(format(error), "Error: with code\n    at here (file.js:1:1) {\n  code: 'E_CODE'\n}");
  const withCause = new Error('outer', { cause: 'reason' });
  withCause.stack = 'Error: outer\n    at there (file.js:2:2)';
  assert.equal(format(withCause), "Error: outer\n    at there (file.js:2:2) {\n  [cause]: 'reason'\n}");
});

test('console error subclass names', () => {
  class ValidationError extends Error {}
  const error = new ValidationError('invalid');
  error.stack = 'Error: invalid\n    at check (file.js:3:3)';
  assert.equal(format(error), 'ValidationError: invalid\n    at check (file.js:3:3)');
});

test('console DOMException', () => {
  const exception = new DOMException('gone', 'NotFoundError');
  exception.stack = 'NotFoundError: gone\n    at find (file.js:4:4)';
  assert.equal(format(exception), 'DOMException [NotFoundError]: gone\n    at find (file.js:4:4)');
});

test('console promises and weak collections', () => {
  assert.equal(format(Promise.resolve(1)), 'Promise { <unknown> }');
  assert.equal(format(new WeakMap(), new WeakSet()), 'WeakMap { <items unknown> } WeakSet { <items unknown> }');
});

test('console custom inspect function', () => {
  const custom = Symbol.for('nodejs.util.inspect.custom');
  const value = { [custom](depth, options) { return `Custom<${depth},${options.breakLength}>`; } };
  assert.equal(format(value), 'Custom<2,80>');
  assert.equal(format({ nested: value }), '{ nested: Custom<1,80> }');
  const returnsObject = { [custom]() { return { replaced: true }; } };
  assert.equal(format(returnsObject), '{ replaced: true }');
});

test('console formatting that throws is reported', () => {
  const custom = Symbol.for('nodejs.util.inspect.custom');
  const throwing = {
    [custom]() {
      throw new Error('inspect failed');
    },
  };
  const lines = logged(() => console.log(throwing));
  assert.equal(lines.length, 1);
  assert.ok(lines[0].startsWith('info <Formatting threw (Error: inspect failed'), lines[0]);
});

// ---------------------------------------------------------------------------------------------
// Other console methods

test('console.assert', () => {
  const lines = logged(() => {
    console.assert(true, 'never shown');
    console.assert(1 === 2, 'math is %s', 'broken');
    console.assert(false);
    console.assert(0, { detail: 1 });
  });
  assert.deepEqual(lines, ['error Assertion failed: math is broken', 'error Assertion failed', 'error Assertion failed { detail: 1 }']);
});

test('console.trace', () => {
  function where() {
    console.trace('at %d', 5);
  }
  const lines = logged(where);
  assert.equal(lines.length, 1);
  assert.ok(lines[0].startsWith('error Trace: at 5\n    at where (console.test.js:'), lines[0]);
  assert.ok(!lines[0].includes('mooring:runtime/'), lines[0]);
  assert.ok(logged(() => console.trace())[0].startsWith('error Trace\n    at '));
});

test('console.dir', () => {
  const custom = Symbol.for('nodejs.util.inspect.custom');
  assert.deepEqual(logged(() => console.dir({ a: { b: { c: { d: 1 } } } }, { depth: 0 })), ['info { a: [Object] }']);
  assert.deepEqual(logged(() => console.dir({ a: { b: { c: { d: 1 } } } }, { depth: null })), ['info {\n  a: { b: { c: { d: 1 } } }\n}']);
  assert.deepEqual(logged(() => console.dir('text')), ["info 'text'"]);
  assert.deepEqual(logged(() => console.dir({ [custom]() { return 'custom'; } })), ['info {\n  Symbol(nodejs.util.inspect.custom): [Function: [nodejs.util.inspect.custom]]\n}']);
});

test('console.table', () => {
  const lines = logged(() => console.table([{ a: 1, b: 'Y' }, { a: 'Z', b: 2 }]));
  assert.deepEqual(lines, ['info ' + [
    '┌─────────┬─────┬─────┐',
    '│ (index) │ a   │ b   │',
    '├─────────┼─────┼─────┤',
    '│ 0       │ 1   │ \'Y\' │',
    '│ 1       │ \'Z\' │ 2   │',
    '└─────────┴─────┴─────┘',
  ].join('\n')]);
});

test('console.table with primitive rows and a column filter', () => {
  const values = logged(() => console.table(['x', 'y']));
  assert.ok(values[0].includes('│ (index) │ Values │'), values[0]);
  assert.ok(values[0].includes("│ 0       │ 'x'    │"), values[0]);
  const filtered = logged(() => console.table([{ a: 1, b: 2 }], ['b']));
  assert.ok(filtered[0].includes('│ (index) │ b │'), filtered[0]);
  assert.deepEqual(logged(() => console.table('not tabular')), ['info not tabular']);
});

test('console.count', () => {
  const lines = logged(() => {
    console.count();
    console.count();
    console.count('x');
    console.countReset();
    console.count();
    console.countReset('missing');
  });
  assert.deepEqual(lines, ['info default: 1', 'info default: 2', 'info x: 1', 'info default: 1', "warn Count for 'missing' does not exist"]);
});

test('console.time', () => {
  const lines = logged(() => {
    console.time('job');
    console.time('job');
    console.timeLog('job', 'step', 1);
    console.timeEnd('job');
    console.timeEnd('job');
  });
  assert.equal(lines.length, 4);
  assert.equal(lines[0], "warn Label 'job' already exists for console.time()");
  assert.ok(/^info job: \d+(\.\d+)?m?s step 1$/.test(lines[1]), lines[1]);
  assert.ok(/^info job: \d+(\.\d+)?m?s$/.test(lines[2]), lines[2]);
  assert.equal(lines[3], "warn No such label 'job' for console.timeEnd()");
});

test('console.group indents', () => {
  const lines = logged(() => {
    console.group('Outer');
    console.log('one\ntwo');
    console.group();
    console.warn({ a: 1 });
    console.groupEnd();
    console.groupEnd();
    console.groupEnd();
    console.log('back');
  });
  assert.deepEqual(lines, ['info Outer', 'info   one\n  two', 'warn     { a: 1 }', 'info back']);
});

// ---------------------------------------------------------------------------------------------
// performance and navigator

test('performance.now counts from timeOrigin', () => {
  const before = Date.now();
  const now = performance.now();
  const after = Date.now();
  assert.equal(typeof performance.timeOrigin, 'number');
  assert.ok(now >= 0, String(now));
  assert.ok(performance.timeOrigin + now >= before, 'not before the call');
  assert.ok(performance.timeOrigin + now <= after, 'not after the call');
  assert.ok(performance.now() >= now);
});

test('navigator.userAgent', () => {
  assert.equal(navigator.userAgent, 'Cloudflare-Workers');
  assert.equal(navigator.hardwareConcurrency, 1);
  assert.throws(() => new Navigator(), TypeError);
  assert.throws(() => new Performance(), TypeError);
});

test('reportError logs the error as uncaught and does not throw', () => {
  const error = new RangeError('reported');
  const lines = logged(() => reportError(error));
  assert.equal(lines.length, 1);
  assert.equal(lines[0], 'error Uncaught ' + error.stack);
});

test('console errors show stacks as the log of an uncaught error does', () => {
  const error = new Error('tidy');
  error.stack = 'Error: tidy\n    at handle (/worker.js:3:23)\n    at fetch (mooring:runtime/dispatcher.js:9:1)\n    at /lib/util.js:1:2';
  assert.equal(format(error), 'Error: tidy\n    at handle (worker.js:3:23)\n    at lib/util.js:1:2');
});
