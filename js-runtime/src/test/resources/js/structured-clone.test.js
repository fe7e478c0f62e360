// structuredClone() runs internals.serialize and internals.deserialize, so these tests cover the
// storage serializer too. WebApiInternalsTest (Java) checks the byte format and host buffers.

function roundTrip(value) {
  return structuredClone(value);
}

function expectDataCloneError(value, message) {
  const error = assert.throws(() => structuredClone(value), DOMException, message);
  assert.equal(error.name, 'DataCloneError');
  assert.equal(error.code, 25);
  return error;
}

// ---------------------------------------------------------------------------------------------
// Primitives

test('structuredClone primitives', () => {
  for (const value of [undefined, null, true, false, 0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 53, -(2 ** 53),
    0.5, -1.25, 1e300, Number.MIN_VALUE, Number.MAX_VALUE, Infinity, -Infinity, '', 'text']) {
    assert.equal(roundTrip(value), value, String(value));
  }
});

test('structuredClone keeps -0 and NaN', () => {
  assert.ok(Object.is(roundTrip(-0), -0));
  assert.ok(Object.is(roundTrip(0), 0));
  assert.ok(Number.isNaN(roundTrip(NaN)));
  assert.ok(Object.is(roundTrip([-0])[0], -0));
});

test('structuredClone BigInt', () => {
  for (const value of [0n, 1n, -1n, 255n, 256n, -256n, 2n ** 64n, -(2n ** 64n) + 1n, 2n ** 1000n + 12345n, -(10n ** 50n)]) {
    assert.equal(roundTrip(value), value, String(value));
  }
});

test('structuredClone strings keep every code unit', () => {
  const strings = [
    'ascii only',
    'Latin-1 \u00e9\u00ff',
    'BMP \u20ac\u4e2d\uffff',
    'astral \u{1F600}\u{10FFFF}',
    'lone high \uD800 end',
    'lone low \uDC00',
    '\uDBFF',
    'reversed pair \uDC00\uD800',
    '\u0000nul\u0000',
    '\uFEFFleading BOM',
    'x'.repeat(100000),
    '\u00e9'.repeat(40000) + '\uD800',
  ];
  for (const value of strings) {
    assert.equal(roundTrip(value), value, value.slice(0, 20));
  }
});

test('structuredClone strings at length thresholds', () => {
  for (const length of [0, 1, 31, 32, 33, 42, 43, 127, 128, 129, 16383, 16384, 16385]) {
    for (const unit of ['a', '\u00e9', '\u20ac', '\uD800']) {
      const value = unit.repeat(length);
      assert.equal(roundTrip(value), value, `${length} x U+${unit.charCodeAt(0).toString(16)}`);
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Objects

test('structuredClone spec case 8', () => {
  class P {}
  const value = {
    m: new Map([[1, 'x']]),
    s: new Set([2]),
    d: new Date(0),
    r: /a/gi,
    b: 10n,
    u: new Uint8Array([1, 2]),
    e: new RangeError('z'),
  };
  const self = { name: 'self' };
  self.me = self;
  value.self = self;
  value.p = new P();

  const copy = roundTrip(value);
  assert.ok(copy.m instanceof Map);
  assert.equal(copy.m.get(1), 'x');
  assert.ok(copy.s instanceof Set);
  assert.ok(copy.s.has(2));
  assert.ok(copy.d instanceof Date);
  assert.equal(copy.d.getTime(), 0);
  assert.ok(copy.r instanceof RegExp);
  assert.equal(copy.r.source, 'a');
  assert.equal(copy.r.flags, 'gi');
  assert.equal(copy.b, 10n);
  assert.ok(copy.u instanceof Uint8Array);
  assert.deepEqual(Array.from(copy.u), [1, 2]);
  assert.ok(copy.e instanceof RangeError);
  assert.equal(copy.e.message, 'z');
  assert.equal(copy.self.me, copy.self);
  assert.equal(Object.getPrototypeOf(copy.p), Object.prototype);
  assert.notEqual(copy, value);
});

test('structuredClone spec case 8 function', () => {
  expectDataCloneError(() => 1, '() => 1 could not be cloned.');
});

test('structuredClone plain object keeps key order', () => {
  const value = { b: 1, a: 2, 10: 'ten', 2: 'two', z: { nested: [1, 2] } };
  const copy = roundTrip(value);
  assert.deepEqual(Object.keys(copy), ['2', '10', 'b', 'a', 'z']);
  assert.deepEqual(copy, value);
});

test('structuredClone keeps undefined inside containers', () => {
  const copy = roundTrip({ a: undefined, list: [undefined, 1] });
  assert.ok(Object.hasOwn(copy, 'a'));
  assert.equal(copy.a, undefined);
  assert.equal(copy.list.length, 2);
  assert.ok(Object.hasOwn(copy.list, 0));
});

test('structuredClone drops symbols and non-enumerable properties', () => {
  const value = { visible: 1, [Symbol('hidden')]: 2 };
  Object.defineProperty(value, 'secret', { value: 3, enumerable: false });
  const copy = roundTrip(value);
  assert.deepEqual(Reflect.ownKeys(copy), ['visible']);
});

test('structuredClone evaluates getters', () => {
  let calls = 0;
  const copy = roundTrip({ get computed() { calls++; return 'value'; } });
  assert.equal(calls, 1);
  assert.deepEqual(Object.getOwnPropertyDescriptor(copy, 'computed'), { value: 'value', writable: true, enumerable: true, configurable: true });
});

test('structuredClone class instance becomes plain object', () => {
  class Point {
    #secret = 1;
    constructor() {
      this.x = 1;
      this.y = 2;
    }
    get sum() {
      return this.x + this.y;
    }
  }
  const copy = roundTrip(new Point());
  assert.equal(Object.getPrototypeOf(copy), Object.prototype);
  assert.deepEqual(copy, { x: 1, y: 2 });
});

test('structuredClone null-prototype object', () => {
  const value = Object.create(null);
  value.a = 1;
  const copy = roundTrip(value);
  assert.equal(Object.getPrototypeOf(copy), Object.prototype);
  assert.equal(copy.a, 1);
});

test('structuredClone own __proto__ key', () => {
  const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
  const copy = roundTrip(value);
  assert.equal(Object.getPrototypeOf(copy), Object.prototype);
  assert.ok(Object.hasOwn(copy, '__proto__'));
  assert.equal(Object.getOwnPropertyDescriptor(copy, '__proto__').value.polluted, true);
  assert.equal(copy.polluted, undefined);
  assert.equal({}.polluted, undefined);
});

test('structuredClone arrays keep holes, length and extra properties', () => {
  const value = [1, , 3, undefined];
  value.length = 6;
  value.label = 'extra';
  const copy = roundTrip(value);
  assert.ok(Array.isArray(copy));
  assert.equal(copy.length, 6);
  assert.equal(Object.hasOwn(copy, 1), false);
  assert.equal(Object.hasOwn(copy, 3), true);
  assert.equal(Object.hasOwn(copy, 4), false);
  assert.equal(copy.label, 'extra');
  assert.deepEqual(Object.keys(copy), ['0', '2', '3', 'label']);
});

test('structuredClone sparse arrays', () => {
  const value = [];
  value[5] = 'five';
  value[4294967294] = 'last';
  value.name = 'sparse';
  const copy = roundTrip(value);
  assert.equal(copy.length, 4294967295);
  assert.equal(copy[5], 'five');
  assert.equal(copy[4294967294], 'last');
  assert.equal(copy.name, 'sparse');
  assert.deepEqual(Object.keys(copy), ['5', '4294967294', 'name']);
});

test('structuredClone empty arrays and objects', () => {
  assert.deepEqual(roundTrip([]), []);
  assert.deepEqual(roundTrip({}), {});
  const withName = [];
  withName.tag = 1;
  assert.deepEqual(Object.keys(roundTrip(withName)), ['tag']);
});

test('structuredClone large array', () => {
  const length = 50000;
  const value = [];
  for (let i = 0; i < length; i++) {
    if (i % 3 === 0) {
      value.push(i);
    } else if (i % 3 === 1) {
      value.push(`s${i}`);
    } else {
      value.push({ i });
    }
  }
  const copy = roundTrip(value);
  assert.equal(copy.length, length);
  assert.equal(copy[49998], 49998);
  assert.equal(copy[49999], 's49999');
  assert.equal(copy[49997].i, 49997);
  assert.equal(copy[2].i, 2);
});

test('structuredClone array subclass becomes Array', () => {
  class List extends Array {}
  const copy = roundTrip(List.from([1, 2]));
  assert.equal(Object.getPrototypeOf(copy), Array.prototype);
  assert.deepEqual(copy, [1, 2]);
});

test('structuredClone Map and Set keep order and identity', () => {
  const key = { id: 1 };
  const value = new Map([['b', 1], [key, 'object key'], [NaN, 'nan'], ['a', key]]);
  const copy = roundTrip(value);
  assert.deepEqual([...copy.keys()].slice(0, 1), ['b']);
  const copiedKey = [...copy.keys()][1];
  assert.deepEqual(copiedKey, { id: 1 });
  assert.equal(copy.get(copiedKey), 'object key');
  assert.equal(copy.get('a'), copiedKey);
  assert.equal(copy.get(NaN), 'nan');

  const set = roundTrip(new Set([3, 'x', key, key]));
  assert.deepEqual([...set].slice(0, 2), [3, 'x']);
  assert.equal(set.size, 3);
});

test('structuredClone Map containing itself', () => {
  const map = new Map();
  map.set(map, map);
  const copy = roundTrip(map);
  assert.equal(copy.get(copy), copy);
  const set = new Set();
  set.add(set);
  const setCopy = roundTrip(set);
  assert.ok(setCopy.has(setCopy));
});

test('structuredClone Map and Set subclasses', () => {
  class Registry extends Map {}
  const copy = roundTrip(new Registry([[1, 2]]));
  assert.equal(Object.getPrototypeOf(copy), Map.prototype);
  assert.equal(copy.get(1), 2);
});

test('structuredClone Date', () => {
  for (const time of [0, -1, 1700000000123, 8.64e15, -8.64e15]) {
    assert.equal(roundTrip(new Date(time)).getTime(), time);
  }
  assert.ok(Number.isNaN(roundTrip(new Date(NaN)).getTime()));
});

test('structuredClone RegExp keeps source and flags only', () => {
  const value = /a(b)+[c-d]\//dgimsuy;
  value.lastIndex = 3;
  value.extra = 'dropped';
  const copy = roundTrip(value);
  assert.equal(copy.source, value.source);
  assert.equal(copy.flags, 'dgimsuy');
  assert.equal(copy.lastIndex, 0);
  assert.equal(copy.extra, undefined);
  assert.equal(roundTrip(/x/v).flags, 'v');
});

test('structuredClone primitive wrappers', () => {
  const copy = roundTrip([new Number(-0), new String('s\uD800'), new Boolean(false), Object(7n)]);
  assert.ok(copy[0] instanceof Number);
  assert.ok(Object.is(copy[0].valueOf(), -0));
  assert.ok(copy[1] instanceof String);
  assert.equal(copy[1].valueOf(), 's\uD800');
  assert.ok(copy[2] instanceof Boolean);
  assert.equal(copy[2].valueOf(), false);
  assert.equal(typeof copy[3], 'object');
  assert.equal(copy[3].valueOf(), 7n);
});

// ---------------------------------------------------------------------------------------------
// Binary data

test('structuredClone ArrayBuffer', () => {
  const buffer = new Uint8Array([0, 1, 2, 254, 255]).buffer;
  const copy = roundTrip(buffer);
  assert.ok(copy instanceof ArrayBuffer);
  assert.notEqual(copy, buffer);
  assert.deepEqual(copy, buffer);
  assert.equal(roundTrip(new ArrayBuffer(0)).byteLength, 0);
});

test('structuredClone resizable ArrayBuffer', () => {
  const buffer = new ArrayBuffer(4, { maxByteLength: 64 });
  new Uint8Array(buffer).set([9, 8, 7, 6]);
  const copy = roundTrip(buffer);
  assert.equal(copy.resizable, true);
  assert.equal(copy.maxByteLength, 64);
  assert.deepEqual(Array.from(new Uint8Array(copy)), [9, 8, 7, 6]);
});

test('structuredClone every typed array kind', () => {
  const kinds = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
    Float32Array, Float64Array, BigInt64Array, BigUint64Array];
  if (typeof Float16Array === 'function') {
    kinds.push(Float16Array);
  }
  for (const Kind of kinds) {
    const big = Kind === BigInt64Array || Kind === BigUint64Array;
    const value = new Kind(big ? [1n, 2n, 3n] : [1, 2, 3]);
    const copy = roundTrip(value);
    assert.equal(Object.getPrototypeOf(copy), Kind.prototype, Kind.name);
    assert.deepEqual(Array.from(copy), Array.from(value), Kind.name);
  }
});

test('structuredClone view keeps offset and length', () => {
  const buffer = new ArrayBuffer(16);
  new Uint8Array(buffer).forEach((_, i, array) => { array[i] = i; });
  const view = new Uint16Array(buffer, 4, 3);
  const copy = roundTrip(view);
  assert.equal(copy.byteOffset, 4);
  assert.equal(copy.length, 3);
  assert.equal(copy.buffer.byteLength, 16);
  assert.deepEqual(Array.from(copy), Array.from(view));
});

test('structuredClone DataView', () => {
  const view = new DataView(new ArrayBuffer(8), 2, 4);
  view.setInt16(0, -2);
  const copy = roundTrip(view);
  assert.ok(copy instanceof DataView);
  assert.equal(copy.byteOffset, 2);
  assert.equal(copy.byteLength, 4);
  assert.equal(copy.getInt16(0), -2);
});

test('structuredClone views share one buffer', () => {
  const buffer = new ArrayBuffer(8);
  const value = { bytes: new Uint8Array(buffer, 1, 2), view: new DataView(buffer), words: new Float64Array(buffer), raw: buffer };
  const copy = roundTrip(value);
  assert.equal(copy.bytes.buffer, copy.view.buffer);
  assert.equal(copy.view.buffer, copy.words.buffer);
  assert.equal(copy.raw, copy.words.buffer);
  copy.bytes[0] = 42;
  assert.equal(new Uint8Array(copy.raw)[1], 42);
});

test('structuredClone same view twice', () => {
  const view = new Uint8Array([5]);
  const copy = roundTrip([view, view]);
  assert.equal(copy[0], copy[1]);
});

test('structuredClone typed array drops extra properties', () => {
  const view = new Uint8Array(2);
  view.note = 'x';
  assert.equal(roundTrip(view).note, undefined);
});

test('structuredClone rejects detached buffers', () => {
  const buffer = new ArrayBuffer(4);
  const view = new Uint8Array(buffer);
  buffer.transfer();
  expectDataCloneError(buffer, 'An ArrayBuffer is detached and could not be cloned.');
  expectDataCloneError(view, 'An ArrayBuffer is detached and could not be cloned.');
});

// ---------------------------------------------------------------------------------------------
// Errors

test('structuredClone error types', () => {
  for (const Type of [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError]) {
    const error = new Type('message of ' + Type.name);
    const copy = roundTrip(error);
    assert.equal(Object.getPrototypeOf(copy), Type.prototype, Type.name);
    assert.equal(copy.name, Type.name);
    assert.equal(copy.message, error.message);
    assert.equal(copy.stack, error.stack);
  }
});

test('structuredClone error subclasses become their named type', () => {
  class ValidationError extends TypeError {}
  const copy = roundTrip(new ValidationError('bad'));
  assert.equal(Object.getPrototypeOf(copy), TypeError.prototype);
  class Custom extends Error {
    constructor() {
      super('custom');
      this.name = 'CustomError';
    }
  }
  const custom = roundTrip(new Custom());
  assert.equal(Object.getPrototypeOf(custom), Error.prototype);
  assert.equal(custom.message, 'custom');
});

test('structuredClone AggregateError becomes Error', () => {
  const copy = roundTrip(new AggregateError([new Error('a')], 'many'));
  assert.equal(Object.getPrototypeOf(copy), Error.prototype);
  assert.equal(copy.message, 'many');
});

test('structuredClone error without message', () => {
  const copy = roundTrip(new Error());
  assert.equal(Object.hasOwn(copy, 'message'), false);
  assert.equal(copy.message, '');
});

test('structuredClone error drops other properties', () => {
  const error = new Error('x');
  error.code = 'E_X';
  assert.equal(roundTrip(error).code, undefined);
});

test('structuredClone error cause', () => {
  const error = new Error('outer', { cause: { reason: 'inner', list: [1] } });
  const copy = roundTrip(error);
  assert.deepEqual(copy.cause, { reason: 'inner', list: [1] });
  assert.equal(Object.getOwnPropertyDescriptor(copy, 'cause').enumerable, false);
  assert.equal(Object.hasOwn(roundTrip(new Error('no cause')), 'cause'), false);
  assert.equal(Object.hasOwn(roundTrip(new Error('undefined cause', { cause: undefined })), 'cause'), true);
});

test('structuredClone error cause cycle', () => {
  const error = new Error('loop');
  error.cause = { error };
  const copy = roundTrip(error);
  assert.equal(copy.cause.error, copy);
});

test('structuredClone long cause chain', () => {
  let error = new Error('root');
  for (let i = 0; i < 5000; i++) {
    error = new Error(`level ${i}`, { cause: error });
  }
  let copy = roundTrip(error);
  let depth = 0;
  while (copy.cause !== undefined) {
    copy = copy.cause;
    depth++;
  }
  assert.equal(depth, 5000);
  assert.equal(copy.message, 'root');
});

test('structuredClone DOMException', () => {
  const exception = new DOMException('stopped', 'AbortError');
  const copy = roundTrip(exception);
  assert.ok(copy instanceof DOMException);
  assert.equal(copy.name, 'AbortError');
  assert.equal(copy.message, 'stopped');
  assert.equal(copy.code, 20);
  assert.equal(copy.stack, exception.stack);
});

// ---------------------------------------------------------------------------------------------
// References

test('structuredClone shared references', () => {
  const shared = { n: 1 };
  const copy = roundTrip({ a: shared, b: shared, list: [shared] });
  assert.equal(copy.a, copy.b);
  assert.equal(copy.a, copy.list[0]);
  assert.notEqual(copy.a, shared);
});

test('structuredClone circular references', () => {
  const a = { name: 'a' };
  const b = { name: 'b', a };
  a.b = b;
  a.self = a;
  const list = [a, b];
  list.push(list);
  const copy = roundTrip(list);
  assert.equal(copy[2], copy);
  assert.equal(copy[0].self, copy[0]);
  assert.equal(copy[0].b, copy[1]);
  assert.equal(copy[1].a, copy[0]);
});

test('structuredClone deep nesting', () => {
  const depth = 10000;
  let array = [];
  const rootArray = array;
  let object = {};
  const rootObject = object;
  let map = new Map();
  const rootMap = map;

  for (let i = 0; i < depth; i++) {
    const nextArray = [];
    array.push(nextArray);
    array = nextArray;
    const nextObject = {};
    object.child = nextObject;
    object = nextObject;
    const nextMap = new Map();
    map.set(i, nextMap);
    map = nextMap;
  }

  let copiedArray = roundTrip(rootArray);
  let copiedObject = roundTrip(rootObject);
  let copiedMap = roundTrip(rootMap);
  let levels = 0;
  while (copiedArray.length === 1) {
    copiedArray = copiedArray[0];
    copiedObject = copiedObject.child;
    copiedMap = copiedMap.get(levels);
    levels++;
  }
  assert.equal(levels, depth);
  assert.deepEqual(copiedObject, {});
  assert.equal(copiedMap.size, 0);
});

test('structuredClone nested getter runs its own clone', () => {
  const inner = { value: [1, 2] };
  const value = {
    before: 'x',
    get nested() {
      return structuredClone(inner);
    },
    after: inner,
  };
  const copy = roundTrip(value);
  assert.deepEqual(copy.nested, inner);
  assert.equal(copy.after.value[1], 2);
  assert.notEqual(copy.nested, copy.after);
});

test('structuredClone getter that throws', () => {
  const value = { get broken() { throw new Error('getter failed'); } };
  assert.throws(() => roundTrip(value), Error, 'getter failed');
  // The serializer is reusable after the failure.
  assert.deepEqual(roundTrip({ fine: [1] }), { fine: [1] });
});

// ---------------------------------------------------------------------------------------------
// Values that do not clone

test('structuredClone rejects functions', () => {
  expectDataCloneError(function named() { return 1; }, 'function named() { return 1; } could not be cloned.');
  expectDataCloneError({ nested: { method() {} } }, 'method() {} could not be cloned.');
  expectDataCloneError(class Thing {}, 'class Thing {} could not be cloned.');
});

test('structuredClone rejects symbols', () => {
  expectDataCloneError(Symbol('tag'), 'Symbol(tag) could not be cloned.');
  expectDataCloneError([Symbol()], 'Symbol() could not be cloned.');
  expectDataCloneError(Object(Symbol('boxed')), '#<Symbol> could not be cloned.');
});

test('structuredClone rejects weak collections and promises', () => {
  expectDataCloneError(new WeakMap(), '#<WeakMap> could not be cloned.');
  expectDataCloneError(new WeakSet(), '#<WeakSet> could not be cloned.');
  expectDataCloneError(new WeakRef({}), '#<WeakRef> could not be cloned.');
  expectDataCloneError({ p: Promise.resolve(1) }, '#<Promise> could not be cloned.');
  class MyPromise extends Promise {}
  expectDataCloneError(MyPromise.resolve(1), '#<MyPromise> could not be cloned.');
});

test('structuredClone rejects SharedArrayBuffer', () => {
  expectDataCloneError(new SharedArrayBuffer(4), '#<SharedArrayBuffer> could not be cloned.');
});

// ---------------------------------------------------------------------------------------------
// Arguments and transfer

test('structuredClone requires a value', () => {
  assert.throws(() => structuredClone(), TypeError);
  assert.equal(structuredClone(undefined), undefined);
});

test('structuredClone options must be an object', () => {
  assert.throws(() => structuredClone(1, 5), TypeError);
  assert.equal(structuredClone(1, null), 1);
  assert.equal(structuredClone(1, {}), 1);
  assert.equal(structuredClone(1, { transfer: [] }), 1);
  assert.throws(() => structuredClone(1, { transfer: 5 }), TypeError);
});

test('structuredClone transfers ArrayBuffers', () => {
  const buffer = new Uint8Array([1, 2, 3]).buffer;
  const view = new Uint8Array(buffer, 1);
  const copy = structuredClone({ buffer, view }, { transfer: [buffer] });
  assert.equal(buffer.detached, true);
  assert.equal(buffer.byteLength, 0);
  assert.deepEqual(Array.from(new Uint8Array(copy.buffer)), [1, 2, 3]);
  assert.equal(copy.view.buffer, copy.buffer);
  assert.deepEqual(Array.from(copy.view), [2, 3]);
});

test('structuredClone transfers the buffer of a view', () => {
  const view = new Uint8Array([7, 8]);
  const copy = structuredClone(view, { transfer: [view, view.buffer] });
  assert.equal(view.buffer.detached, true);
  assert.deepEqual(Array.from(copy), [7, 8]);
});

test('structuredClone transfer of a buffer not in the value', () => {
  const buffer = new ArrayBuffer(2);
  assert.equal(structuredClone('x', { transfer: [buffer] }), 'x');
  assert.equal(buffer.detached, true);
});

test('structuredClone rejects bad transfer lists', () => {
  assert.throws(() => structuredClone(1, { transfer: [{}] }), TypeError, 'Object is not transferable');
  const detached = new ArrayBuffer(1);
  detached.transfer();
  const error = assert.throws(() => structuredClone(1, { transfer: [detached] }), DOMException);
  assert.equal(error.name, 'DataCloneError');
  const shared = assert.throws(() => structuredClone(1, { transfer: [new SharedArrayBuffer(1)] }));
  assert.equal(shared.name, 'TypeError');
});

test('structuredClone keeps buffers when cloning fails', () => {
  const buffer = new ArrayBuffer(2);
  assert.throws(() => structuredClone({ buffer, f() {} }, { transfer: [buffer] }), DOMException);
  assert.equal(buffer.detached, false);
});

// ---------------------------------------------------------------------------------------------
// Fuzz round trip

// A deterministic generator (mulberry32) so failures reproduce.
function randomGenerator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generateValue(random, depth, pool) {
  const pick = (n) => Math.floor(random() * n);
  const choice = pick(depth > 3 ? 12 : 20);
  switch (choice) {
    case 0: return undefined;
    case 1: return null;
    case 2: return random() < 0.5;
    case 3: return pick(2000) - 1000;
    case 4: return [0.1, -0, NaN, Infinity, -Infinity, 1e308, 2 ** 31, -(2 ** 31) - 1, Number.EPSILON][pick(9)];
    case 5: return BigInt(pick(1e9)) * (random() < 0.5 ? -1n : 1n) * 10n ** BigInt(pick(30));
    case 6:
    case 7: {
      let text = '';
      const length = pick(60);
      for (let i = 0; i < length; i++) {
        const kind = pick(5);
        if (kind === 0) {
          text += String.fromCharCode(0xd800 + pick(0x800)); // any surrogate, often unpaired
        } else if (kind === 1) {
          text += String.fromCodePoint(0x10000 + pick(0xfffff));
        } else if (kind === 2) {
          text += String.fromCharCode(pick(0x10000));
        } else {
          text += String.fromCharCode(pick(0x80));
        }
      }
      return text;
    }
    case 8: return new Date(pick(2e12));
    case 9: return [/x+/g, /[a-z]/iu, /^$/m][pick(3)];
    case 10: return pool.length > 0 ? pool[pick(pool.length)] : 'empty pool';
    case 11: {
      const bytes = new Uint8Array(pick(20));
      bytes.forEach((_, i) => { bytes[i] = pick(256); });
      return random() < 0.5 ? bytes : bytes.buffer;
    }
    case 12:
    case 13: {
      const array = [];
      pool.push(array);
      const length = pick(6);
      for (let i = 0; i < length; i++) {
        if (random() < 0.9) {
          array[i] = generateValue(random, depth + 1, pool);
        }
      }
      array.length = length;
      return array;
    }
    case 14:
    case 15: {
      const object = {};
      pool.push(object);
      const count = pick(6);
      for (let i = 0; i < count; i++) {
        object[random() < 0.2 ? String(pick(100)) : `k${pick(1000)}`] = generateValue(random, depth + 1, pool);
      }
      return object;
    }
    case 16: {
      const map = new Map();
      pool.push(map);
      const count = pick(4);
      for (let i = 0; i < count; i++) {
        map.set(generateValue(random, depth + 1, pool), generateValue(random, depth + 1, pool));
      }
      return map;
    }
    case 17: {
      const set = new Set();
      pool.push(set);
      const count = pick(4);
      for (let i = 0; i < count; i++) {
        set.add(generateValue(random, depth + 1, pool));
      }
      return set;
    }
    case 18: return new [Error, TypeError, RangeError][pick(3)](`error ${pick(100)}`);
    default: return [new Number(pick(9)), new String('w'), new Boolean(true)][pick(3)];
  }
}

// Compares two graphs: same shape, same values, and identity preserved pairwise.
function sameGraph(actual, expected, pairs = new Map()) {
  if (typeof expected !== 'object' || expected === null) {
    return Object.is(actual, expected);
  }
  if (typeof actual !== 'object' || actual === null) {
    return false;
  }
  if (pairs.has(expected)) {
    return pairs.get(expected) === actual;
  }
  pairs.set(expected, actual);
  if (Object.getPrototypeOf(actual) !== Object.getPrototypeOf(expected)) {
    return false;
  }

  if (expected instanceof Date) return Object.is(actual.getTime(), expected.getTime());
  if (expected instanceof RegExp) return actual.source === expected.source && actual.flags === expected.flags;
  if (expected instanceof ArrayBuffer) return sameGraph(new Uint8Array(actual), new Uint8Array(expected), new Map());
  if (expected instanceof Uint8Array) return actual.length === expected.length && expected.every((byte, i) => actual[i] === byte);
  if (expected instanceof Error) return actual.message === expected.message && actual.stack === expected.stack;
  if (expected instanceof Number || expected instanceof String || expected instanceof Boolean) {
    return Object.is(actual.valueOf(), expected.valueOf());
  }
  if (expected instanceof Map) {
    const actualEntries = [...actual];
    const expectedEntries = [...expected];
    return actualEntries.length === expectedEntries.length &&
      expectedEntries.every(([key, value], i) => sameGraph(actualEntries[i][0], key, pairs) && sameGraph(actualEntries[i][1], value, pairs));
  }
  if (expected instanceof Set) {
    const actualValues = [...actual];
    const expectedValues = [...expected];
    return actualValues.length === expectedValues.length && expectedValues.every((value, i) => sameGraph(actualValues[i], value, pairs));
  }

  if (Array.isArray(expected) && actual.length !== expected.length) {
    return false;
  }
  const expectedKeys = Object.keys(expected);
  const actualKeys = Object.keys(actual);
  return expectedKeys.length === actualKeys.length &&
    expectedKeys.every((key, i) => actualKeys[i] === key && sameGraph(actual[key], expected[key], pairs));
}

test('structuredClone fuzz round trip', () => {
  const random = randomGenerator(20240611);
  for (let iteration = 0; iteration < 400; iteration++) {
    const value = generateValue(random, 0, []);
    const copy = roundTrip(value);
    assert.ok(sameGraph(copy, value), `iteration ${iteration}`);
  }
});

test('structuredClone global is not enumerable', () => {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'structuredClone');
  assert.equal(descriptor.enumerable, false);
  assert.equal(structuredClone.length, 1);
});

test('runtime objects are refused rather than copied as empty objects', () => {
  const instances = [
    ['URL', new URL('https://example.com/')],
    ['URLSearchParams', new URLSearchParams('a=1')],
    ['Headers', new Headers({ a: '1' })],
    ['Body', new Request('https://example.com/')],
    ['Body', new Response('text')],
    ['ReadableStream', new Response('text').body],
    ['ReadableStream', new ReadableStream()],
    ['WritableStream', new WritableStream()],
    ['TransformStream', new TransformStream()],
    ['ReadableStreamDefaultReader', new ReadableStream().getReader()],
    ['WritableStreamDefaultWriter', new WritableStream().getWriter()],
    ['CountQueuingStrategy', new CountQueuingStrategy({ highWaterMark: 1 })],
    ['Event', new Event('ping')],
    ['EventTarget', new EventTarget()],
    ['EventTarget', AbortSignal.abort()],
    ['AbortController', new AbortController()],
    ['WebSocketPair', new WebSocketPair()],
    ['EventTarget', new WebSocketPair()[0]],
    ['Crypto', crypto],
    ['SubtleCrypto', crypto.subtle],
    ['Performance', performance],
    ['Navigator', navigator],
  ];
  for (const [type, value] of instances) {
    const error = assert.throws(() => structuredClone({ nested: value }), DOMException);
    assert.equal(error.name, 'DataCloneError', type);
    assert.equal(error.message, `Could not serialize object of type "${type}". This type does not support serialization.`, type);
  }
});
