function bytes(...values) {
  return new Uint8Array(values);
}

function codePoints(string) {
  return Array.from(string, (character) => character.codePointAt(0).toString(16));
}

// ---------------------------------------------------------------------------------------------
// TextEncoder

test('TextEncoder encoding is utf-8', () => {
  assert.equal(new TextEncoder().encoding, 'utf-8');
});

test('TextEncoder encodes UTF-8', () => {
  assert.deepEqual(new TextEncoder().encode('aé€😀'), bytes(0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80));
});

test('TextEncoder replaces lone surrogates', () => {
  assert.deepEqual(new TextEncoder().encode('a\uD800b'), bytes(0x61, 0xef, 0xbf, 0xbd, 0x62));
  assert.deepEqual(new TextEncoder().encode('\uDC00'), bytes(0xef, 0xbf, 0xbd));
});

test('TextEncoder converts its argument to a string', () => {
  const encoder = new TextEncoder();
  assert.deepEqual(encoder.encode(), bytes());
  assert.deepEqual(encoder.encode(undefined), bytes());
  assert.deepEqual(encoder.encode(null), bytes(0x6e, 0x75, 0x6c, 0x6c));
  assert.deepEqual(encoder.encode(12), bytes(0x31, 0x32));
  assert.throws(() => encoder.encode(Symbol('s')), TypeError);
});

test('TextEncoder.encodeInto fills the destination', () => {
  const destination = new Uint8Array(8);
  const result = new TextEncoder().encodeInto('hé!', destination);
  assert.deepEqual(result, { read: 3, written: 4 });
  assert.deepEqual(destination, bytes(0x68, 0xc3, 0xa9, 0x21, 0, 0, 0, 0));
});

test('TextEncoder.encodeInto stops before a character that does not fit', () => {
  const destination = new Uint8Array(4);
  const result = new TextEncoder().encodeInto('a😀', destination);
  assert.deepEqual(result, { read: 1, written: 1 });
  const partial = new TextEncoder().encodeInto('hé', new Uint8Array(2));
  assert.deepEqual(partial, { read: 1, written: 1 });
});

test('TextEncoder.encodeInto writes into a subarray', () => {
  const buffer = new Uint8Array(6);
  new TextEncoder().encodeInto('ok', buffer.subarray(2));
  assert.deepEqual(buffer, bytes(0, 0, 0x6f, 0x6b, 0, 0));
});

test('TextEncoder.encodeInto rejects other destinations', () => {
  const encoder = new TextEncoder();
  assert.throws(() => encoder.encodeInto('a', new Uint16Array(2)), TypeError);
  assert.throws(() => encoder.encodeInto('a', new ArrayBuffer(2)), TypeError);
  assert.throws(() => encoder.encodeInto('a'), TypeError);
});

test('TextEncoder methods check the receiver', () => {
  assert.throws(() => TextEncoder.prototype.encode.call({}, 'a'), TypeError);
  assert.throws(() => TextEncoder(), TypeError);
});

// ---------------------------------------------------------------------------------------------
// TextDecoder

test('TextDecoder defaults', () => {
  const decoder = new TextDecoder();
  assert.equal(decoder.encoding, 'utf-8');
  assert.equal(decoder.fatal, false);
  assert.equal(decoder.ignoreBOM, false);
  assert.equal(Object.prototype.toString.call(decoder), '[object TextDecoder]');
});

test('TextDecoder labels', () => {
  const cases = {
    'utf-8': 'utf-8',
    UTF8: 'utf-8',
    ' unicode-1-1-utf-8 \n': 'utf-8',
    'utf-16': 'utf-16le',
    'UTF-16LE': 'utf-16le',
    'ucs-2': 'utf-16le',
    'utf-16be': 'utf-16be',
    latin1: 'windows-1252',
    'us-ascii': 'windows-1252',
    'ISO-8859-1': 'windows-1252',
  };
  for (const [label, encoding] of Object.entries(cases)) {
    assert.equal(new TextDecoder(label).encoding, encoding, label);
  }
});

test('TextDecoder rejects unknown labels', () => {
  assert.throws(() => new TextDecoder('foo'), RangeError, '"foo" is not a valid encoding.');
  assert.throws(() => new TextDecoder('utf-7'), RangeError, '"utf-7" is not a valid encoding.');
  assert.throws(() => new TextDecoder('replacement'), RangeError);
  assert.throws(() => new TextDecoder('utf\u00a08'), RangeError);
});

test('TextDecoder decodes UTF-8', () => {
  const decoder = new TextDecoder();
  assert.equal(decoder.decode(bytes(0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80)), 'aé€😀');
  assert.equal(decoder.decode(), '');
  assert.equal(decoder.decode(undefined), '');
});

test('TextDecoder replaces invalid UTF-8', () => {
  const decoder = new TextDecoder();
  assert.deepEqual(codePoints(decoder.decode(bytes(0xff, 0x41))), ['fffd', '41']);
  assert.deepEqual(codePoints(decoder.decode(bytes(0xc0, 0x80))), ['fffd', 'fffd']);
  assert.deepEqual(codePoints(decoder.decode(bytes(0xed, 0xa0, 0x80))), ['fffd', 'fffd', 'fffd']);
  assert.deepEqual(codePoints(decoder.decode(bytes(0xf0, 0x90, 0x41))), ['fffd', '41']);
  assert.deepEqual(codePoints(decoder.decode(bytes(0xe2, 0x82))), ['fffd']);
});

test('TextDecoder fatal throws on invalid input', () => {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  assert.equal(decoder.fatal, true);
  assert.throws(() => decoder.decode(bytes(0xff)), TypeError, 'Failed to decode input.');
  assert.throws(() => decoder.decode(bytes(0xe2, 0x82)), TypeError, 'Failed to decode input.');
  assert.equal(decoder.decode(bytes(0x41)), 'A');
});

test('TextDecoder fatal stream fails at the end', () => {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  assert.equal(decoder.decode(bytes(0xe2, 0x82), { stream: true }), '');
  assert.throws(() => decoder.decode(), TypeError, 'Failed to decode input.');
  assert.equal(decoder.decode(bytes(0x42)), 'B');
});

test('TextDecoder strips a leading BOM', () => {
  assert.equal(new TextDecoder().decode(bytes(0xef, 0xbb, 0xbf, 0x41)), 'A');
  assert.equal(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes(0xef, 0xbb, 0xbf, 0x41)), '\uFEFFA');
  assert.equal(new TextDecoder('utf-8', { ignoreBOM: true }).ignoreBOM, true);
});

test('TextDecoder strips the BOM once per stream', () => {
  const decoder = new TextDecoder();
  assert.equal(decoder.decode(bytes(0xef, 0xbb), { stream: true }), '');
  assert.equal(decoder.decode(bytes(0xbf, 0x41, 0xef, 0xbb, 0xbf), { stream: true }), 'A\uFEFF');
  assert.equal(decoder.decode(), '');
  // A new stream after a flush strips its BOM again.
  assert.equal(decoder.decode(bytes(0xef, 0xbb, 0xbf, 0x43)), 'C');
});

test('TextDecoder streams characters split across chunks', () => {
  const decoder = new TextDecoder();
  const encoded = new TextEncoder().encode('a€😀z');
  let text = '';
  for (const byte of encoded) {
    text += decoder.decode(bytes(byte), { stream: true });
  }
  text += decoder.decode();
  assert.equal(text, 'a€😀z');
});

test('TextDecoder flushes an incomplete sequence', () => {
  const decoder = new TextDecoder();
  assert.equal(decoder.decode(bytes(0xf0, 0x9f), { stream: true }), '');
  assert.deepEqual(codePoints(decoder.decode()), ['fffd']);
});

test('TextDecoder accepts buffers and any view', () => {
  const decoder = new TextDecoder();
  const source = new TextEncoder().encode('xyHELLOzw');
  assert.equal(decoder.decode(source.buffer), 'xyHELLOzw');
  assert.equal(decoder.decode(source.subarray(2, 7)), 'HELLO');
  assert.equal(decoder.decode(new DataView(source.buffer, 2, 5)), 'HELLO');
  assert.equal(decoder.decode(new Uint16Array(new Uint8Array([0x41, 0x42, 0x43, 0x44]).buffer)), 'ABCD');
  assert.equal(decoder.decode(new Int8Array([0x4f, 0x4b])), 'OK');
});

test('TextDecoder rejects other inputs', () => {
  const decoder = new TextDecoder();
  assert.throws(() => decoder.decode('text'), TypeError);
  assert.throws(() => decoder.decode({}), TypeError);
  assert.throws(() => decoder.decode([65]), TypeError);
  assert.throws(() => decoder.decode(null), TypeError);
});

test('TextDecoder utf-16le', () => {
  const decoder = new TextDecoder('utf-16le');
  assert.equal(decoder.decode(bytes(0x68, 0x00, 0x69, 0x00)), 'hi');
  assert.equal(decoder.decode(bytes(0xff, 0xfe, 0x41, 0x00)), 'A');
  assert.equal(decoder.decode(bytes(0x3d, 0xd8, 0x00, 0xde)), '😀');
  assert.deepEqual(codePoints(decoder.decode(bytes(0x41, 0x00, 0x42))), ['41', 'fffd']);
  assert.deepEqual(codePoints(decoder.decode(bytes(0x00, 0xd8, 0x41, 0x00))), ['fffd', '41']);
});

test('TextDecoder utf-16le stream keeps surrogate pairs', () => {
  const decoder = new TextDecoder('utf-16le');
  assert.equal(decoder.decode(bytes(0x3d, 0xd8, 0x00), { stream: true }), '');
  assert.equal(decoder.decode(bytes(0xde)), '😀');
});

test('TextDecoder utf-16le fatal', () => {
  const decoder = new TextDecoder('utf-16le', { fatal: true });
  assert.throws(() => decoder.decode(bytes(0x00, 0xd8)), TypeError, 'Failed to decode input.');
  assert.throws(() => decoder.decode(bytes(0x41)), TypeError, 'Failed to decode input.');
});

test('TextDecoder utf-16be', () => {
  assert.equal(new TextDecoder('utf-16be').decode(bytes(0x00, 0x68, 0x00, 0x69)), 'hi');
});

test('TextDecoder windows-1252', () => {
  const decoder = new TextDecoder('latin1');
  assert.deepEqual(codePoints(decoder.decode(bytes(0x41, 0x80, 0x81, 0x9f, 0xa0, 0xe9, 0xff))), ['41', '20ac', '81', '178', 'a0', 'e9', 'ff']);
  assert.equal(new TextDecoder('ascii', { fatal: true }).decode(bytes(0x80)), '€');
});

test('TextDecoder options must be an object', () => {
  assert.throws(() => new TextDecoder('utf-8', 5), TypeError);
  assert.throws(() => new TextDecoder().decode(bytes(), 'stream'), TypeError);
  assert.equal(new TextDecoder('utf-8', null).fatal, false);
});

test('TextDecoder round-trips every code point', () => {
  let text = '';
  for (let codePoint = 0; codePoint <= 0x10ffff; codePoint += codePoint < 0x800 ? 1 : 97) {
    if (codePoint < 0xd800 || codePoint > 0xdfff) {
      text += String.fromCodePoint(codePoint);
    }
  }
  assert.equal(new TextDecoder().decode(new TextEncoder().encode(text)), text);
});

// ---------------------------------------------------------------------------------------------
// atob and btoa

test('btoa encodes Latin-1', () => {
  assert.equal(btoa(''), '');
  assert.equal(btoa('a'), 'YQ==');
  assert.equal(btoa('ab'), 'YWI=');
  assert.equal(btoa('abc'), 'YWJj');
  assert.equal(btoa('\x00\xff\xfe'), 'AP/+');
  let everyByte = '';
  for (let i = 0; i < 256; i++) {
    everyByte += String.fromCharCode(i);
  }
  assert.equal(atob(btoa(everyByte)), everyByte);
});

test('btoa converts its argument to a string', () => {
  assert.equal(btoa(42), btoa('42'));
  assert.equal(btoa(null), btoa('null'));
  assert.equal(btoa(undefined), btoa('undefined'));
  assert.throws(() => btoa(), TypeError);
});

test('btoa rejects characters above U+00FF', () => {
  const error = assert.throws(() => btoa('€'), DOMException,
    'btoa() can only operate on characters in the Latin1 (ISO/IEC 8859-1) range.');
  assert.equal(error.name, 'InvalidCharacterError');
  assert.equal(error.code, 5);
});

test('atob decodes forgiving base64', () => {
  const cases = {
    '': '',
    YQ: 'a',
    'YQ==': 'a',
    YWI: 'ab',
    'YWI=': 'ab',
    YWJj: 'abc',
    ' YW\tJj\n': 'abc',
    'Y W J j': 'abc',
    'YQ= =': 'a',
    ab: 'i',
    abc: 'i\xb7',
    abcd: 'i\xb7\x1d',
    'AP/+': '\x00\xff\xfe',
    '\fYQ\r': 'a',
  };
  for (const [input, expected] of Object.entries(cases)) {
    assert.equal(atob(input), expected, JSON.stringify(input));
  }
});

test('atob ignores leftover bits', () => {
  assert.equal(atob('YR'), 'a');
  assert.equal(atob('YWJ'), 'ab');
});

test('atob rejects invalid base64', () => {
  const message = "atob() called with invalid base64-encoded data. (Only whitespace, '+', '/', alphanumeric ASCII, and up to two terminal '=' signs when the input data length is divisible by 4 are allowed.)";
  for (const input of ['a', 'abcde', 'YQ=', 'YQ===', 'Y===', '=', '====', 'YQ==YQ==', 'ab=c', 'a-b_', 'YWJj\u00ff', '€€€€', 'YQ\u00a0', 'abcd=', 'abc==']) {
    const error = assert.throws(() => atob(input), DOMException, message);
    assert.equal(error.name, 'InvalidCharacterError', JSON.stringify(input));
  }
});

test('atob converts its argument to a string', () => {
  assert.equal(atob(null), atob('null'));
  assert.throws(() => atob(undefined), DOMException);
  assert.throws(() => atob(), TypeError);
});

test('atob and btoa round-trip long input', () => {
  let text = '';
  for (let i = 0; i < 70000; i++) {
    text += String.fromCharCode((i * 7919) & 0xff);
  }
  const encoded = btoa(text);
  assert.equal(encoded.length, Math.ceil(text.length / 3) * 4);
  assert.equal(atob(encoded), text);
});

test('encoding globals are not enumerable', () => {
  for (const name of ['TextEncoder', 'TextDecoder', 'atob', 'btoa']) {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
    assert.equal(descriptor.enumerable, false, name);
    assert.equal(typeof descriptor.value, 'function', name);
  }
});
