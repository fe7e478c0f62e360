// TextDecoder and TextDecoderStream with the Encoding Standard's legacy encodings. The expected
// code points were checked against Chromium 156's TextDecoder, except where a comment notes that
// Chromium departs from the standard.

function bytes(...values) {
  return new Uint8Array(values);
}

function codePoints(string) {
  return Array.from(string, (character) => character.codePointAt(0).toString(16)).join(' ');
}

function decode(label, input, options = undefined) {
  return codePoints(new TextDecoder(label, options).decode(input));
}

// Every legacy encoding's name, as TextDecoder.encoding gives it.
const LEGACY_ENCODINGS = [
  'ibm866', 'iso-8859-2', 'iso-8859-3', 'iso-8859-4', 'iso-8859-5', 'iso-8859-6', 'iso-8859-7', 'iso-8859-8',
  'iso-8859-8-i', 'iso-8859-10', 'iso-8859-13', 'iso-8859-14', 'iso-8859-15', 'iso-8859-16', 'koi8-r', 'koi8-u',
  'macintosh', 'windows-874', 'windows-1250', 'windows-1251', 'windows-1253', 'windows-1254', 'windows-1255',
  'windows-1256', 'windows-1257', 'windows-1258', 'x-mac-cyrillic', 'gbk', 'gb18030', 'big5', 'euc-jp',
  'iso-2022-jp', 'shift_jis', 'euc-kr', 'x-user-defined',
];

// --- labels --------------------------------------------------------------------------------------

test('legacy labels name their encoding', () => {
  const cases = {
    sjis: 'shift_jis',
    'Shift_JIS': 'shift_jis',
    'x-sjis': 'shift_jis',
    'windows-31j': 'shift_jis',
    ' ms932\t': 'shift_jis',
    gbk: 'gbk',
    GB2312: 'gbk',
    chinese: 'gbk',
    gb18030: 'gb18030',
    big5: 'big5',
    'big5-hkscs': 'big5',
    'EUC-JP': 'euc-jp',
    'iso-2022-jp': 'iso-2022-jp',
    'euc-kr': 'euc-kr',
    korean: 'euc-kr',
    'windows-949': 'euc-kr',
    'KOI8-R': 'koi8-r',
    'koi8-ru': 'koi8-u',
    'iso-8859-2': 'iso-8859-2',
    latin2: 'iso-8859-2',
    '\n iso_8859-2:1987 ': 'iso-8859-2',
    'iso-8859-9': 'windows-1254',
    'tis-620': 'windows-874',
    'x-mac-ukrainian': 'x-mac-cyrillic',
    mac: 'macintosh',
    logical: 'iso-8859-8-i',
    'x-user-defined': 'x-user-defined',
  };
  for (const [label, encoding] of Object.entries(cases)) {
    assert.equal(new TextDecoder(label).encoding, encoding, label);
    assert.equal(new TextDecoderStream(label).encoding, encoding, label);
  }
});

test('every legacy encoding decodes ASCII', () => {
  for (const encoding of LEGACY_ENCODINGS) {
    const decoder = new TextDecoder(encoding);
    assert.equal(decoder.encoding, encoding);
    assert.equal(decoder.decode(new TextEncoder().encode('plain ASCII 123')), 'plain ASCII 123', encoding);
  }
});

test('replacement labels are rejected', () => {
  for (const label of ['replacement', 'iso-2022-kr', 'hz-gb-2312', 'ISO-2022-CN', 'csiso2022kr']) {
    assert.throws(() => new TextDecoder(label), RangeError, `"${label}" is not a valid encoding.`);
  }
});

// --- multi-byte encodings ------------------------------------------------------------------------

test('shift_jis decodes', () => {
  // 日本語, half-width katakana, a backslash (not a yen sign) and 0x80 as U+0080.
  assert.equal(decode('sjis', bytes(0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea, 0xb1, 0x5c, 0x80)), '65e5 672c 8a9e ff71 5c 80');
  // The standard maps 0x8160 as Windows does (U+FF5E); the JDK's Shift_JIS charset gives U+301C.
  assert.equal(decode('shift_jis', bytes(0x81, 0x60)), 'ff5e');
  // NEC row 13, which only Windows' variant has.
  assert.equal(decode('shift_jis', bytes(0x87, 0x40)), '2460');
  // The user-defined area maps to private use.
  assert.equal(decode('shift_jis', bytes(0xf0, 0x40)), 'e000');
});

test('shift_jis rereads an ASCII trail byte', () => {
  assert.equal(decode('shift_jis', bytes(0x81, 0x20, 0xa0, 0x41)), 'fffd 20 fffd 41');
});

test('euc-jp decodes', () => {
  // 日本語, half-width katakana after 0x8E, JIS X 0212 after 0x8F.
  assert.equal(decode('euc-jp', bytes(0xc6, 0xfc, 0xcb, 0xdc, 0xb8, 0xec, 0x8e, 0xb1, 0x8f, 0xb0, 0xa1)), '65e5 672c 8a9e ff71 4e02');
  // The standard's jis0208 index: U+FF5E and NEC row 13, where the JDK's EUC-JP gives U+301C and nothing.
  assert.equal(decode('euc-jp', bytes(0xa1, 0xc1, 0xad, 0xa1)), 'ff5e 2460');
  // Chromium 156 decodes this as U+FFFD, but pointer 0 of jis0208 is U+3000 in the standard.
  assert.equal(decode('euc-jp', bytes(0xa1, 0xa1)), '3000');
});

test('iso-2022-jp switches character sets', () => {
  const input = bytes(
      0x1b, 0x24, 0x42, 0x46, 0x7c, 0x4b, 0x5c, 0x38, 0x6c, // ESC $ B, then 日本語 in JIS X 0208
      0x1b, 0x28, 0x42, 0x61, // ESC ( B, ASCII
      0x1b, 0x28, 0x49, 0x31, // ESC ( I, half-width katakana
      0x1b, 0x28, 0x4a, 0x5c, 0x7e); // ESC ( J, JIS X 0201 Roman: yen sign and overline
  assert.equal(decode('iso-2022-jp', input), '65e5 672c 8a9e 61 ff71 a5 203e');
});

test('iso-2022-jp rejects invalid escapes', () => {
  // Two escape sequences in a row.
  assert.equal(decode('iso-2022-jp', bytes(0x1b, 0x28, 0x42, 0x1b, 0x28, 0x42, 0x61)), 'fffd 61');
  // ESC $ P is no escape sequence: an error, then "$" and "P" are read again, here as katakana.
  assert.equal(decode('iso-2022-jp', bytes(0x1b, 0x28, 0x49, 0x1b, 0x24, 0x50)), 'fffd ff64 ff90');
  // An escape cut off by the end of the input.
  assert.equal(decode('iso-2022-jp', bytes(0x1b, 0x24)), 'fffd 24');
  assert.throws(() => new TextDecoder('iso-2022-jp', { fatal: true }).decode(bytes(0x0e)), TypeError, 'Failed to decode input.');
});

test('euc-kr decodes windows-949', () => {
  // 한국어, then a Hangul syllable that only the Unified Hangul Code extension has.
  assert.equal(decode('euc-kr', bytes(0xc7, 0xd1, 0xb1, 0xb9, 0xbe, 0xee, 0x81, 0x41)), 'd55c ad6d c5b4 ac02');
  // The user-defined row 0xC9 is not in the standard's index, though the JDK maps it to private use.
  assert.equal(decode('euc-kr', bytes(0xc9, 0xa1)), 'fffd');
});

test('gbk and gb18030 decode', () => {
  // 中文, 0x80 as the euro sign, and 0xA3A0 as U+3000 (the JDK's GB18030 gives private-use U+E5E5).
  for (const label of ['gbk', 'gb18030']) {
    assert.equal(decode(label, bytes(0xd6, 0xd0, 0xce, 0xc4, 0x80, 0xa3, 0xa0)), '4e2d 6587 20ac 3000', label);
  }
  // Four-byte sequences: the first and last of the BMP ranges, the first supplementary code
  // point, and U+9FB8, which GB18030-2022 (and so the JDK) moved to private use.
  assert.equal(decode('gb18030', bytes(0x81, 0x30, 0x81, 0x30, 0x84, 0x31, 0xa4, 0x39, 0x90, 0x30, 0x81, 0x30, 0x82, 0x35, 0x91, 0x31)),
      '80 ffff 10000 9fb8');
});

test('gb18030 rereads an invalid four-byte sequence', () => {
  // 0x81 0x30 0x81 then "A" is an error, and the last three bytes are read again: "0", then
  // 0x81 0x41 as a two-byte character.
  assert.equal(decode('gb18030', bytes(0x81, 0x30, 0x81, 0x41)), 'fffd 30 4e04');
});

test('big5 decodes', () => {
  // 中文 and an HKSCS character.
  assert.equal(decode('big5', bytes(0xa4, 0xa4, 0xa4, 0xe5, 0x87, 0x40)), '4e2d 6587 43f0');
  // Where the JDK's Big5-HKSCS differs: 0xA145 is U+2027 (the JDK gives U+2022), and 0x8E69 is
  // an HKSCS character that the JDK lacks.
  assert.equal(decode('big5', bytes(0xa1, 0x45, 0x8e, 0x69)), '2027 7bb8');
  // Pointer 1133 is a letter and a combining mark. Chromium 156 gets this one wrong.
  assert.equal(decode('big5', bytes(0x88, 0x62)), 'ca 304');
});

// --- single-byte encodings -----------------------------------------------------------------------

test('single-byte encodings decode', () => {
  assert.equal(decode('koi8-r', bytes(0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4)), '41f 440 438 432 435 442');
  assert.equal(decode('latin2', bytes(0xa3)), '141');
  // KOI8-RU's Ukrainian letters, which the JDK's KOI8-U maps to box drawing.
  assert.equal(decode('koi8-u', bytes(0xae, 0xbe)), '45e 40e');
  // A byte that windows-1250 leaves undefined is its C1 control.
  assert.equal(decode('windows-1250', bytes(0x81)), '81');
  // ISO-8859-10 and -14, which the JDK lacks.
  assert.equal(decode('iso-8859-10', bytes(0xa1, 0xff)), '104 138');
  assert.equal(decode('iso-8859-14', bytes(0xa1, 0xfe)), '1e02 177');
  assert.equal(decode('x-user-defined', bytes(0x80, 0xff, 0x41)), 'f780 f7ff 41');
});

test('unmapped single byte is an error', () => {
  assert.equal(decode('iso-8859-3', bytes(0xa5)), 'fffd');
  assert.throws(() => new TextDecoder('iso-8859-3', { fatal: true }).decode(bytes(0xa5)), TypeError, 'Failed to decode input.');
});

// --- streaming, fatal and BOM --------------------------------------------------------------------

test('character split across decode calls', () => {
  const cases = [
    ['shift_jis', bytes(0x93, 0xfa), '65e5'],
    ['euc-jp', bytes(0x8f, 0xb0, 0xa1), '4e02'],
    ['gb18030', bytes(0x90, 0x30, 0x81, 0x30), '10000'],
    ['big5', bytes(0x88, 0x62), 'ca 304'],
    ['euc-kr', bytes(0xc7, 0xd1), 'd55c'],
    ['iso-2022-jp', bytes(0x1b, 0x24, 0x42, 0x46, 0x7c), '65e5'],
  ];
  for (const [encoding, input, expected] of cases) {
    for (let split = 0; split <= input.length; split++) {
      const decoder = new TextDecoder(encoding);
      const text = decoder.decode(input.subarray(0, split), { stream: true }) + decoder.decode(input.subarray(split));
      assert.equal(codePoints(text), expected, `${encoding} split at ${split}`);
    }
    const oneByteAtATime = new TextDecoder(encoding);
    let text = '';
    for (const value of input) {
      text += oneByteAtATime.decode(bytes(value), { stream: true });
    }
    text += oneByteAtATime.decode();
    assert.equal(codePoints(text), expected, `${encoding} one byte at a time`);
  }
});

test('incomplete character at the end', () => {
  const decoder = new TextDecoder('shift_jis');
  assert.equal(decoder.decode(bytes(0x41, 0x93), { stream: true }), 'A');
  assert.equal(codePoints(decoder.decode()), 'fffd');
  // The flush ended the stream, so the next call starts a new one.
  assert.equal(codePoints(decoder.decode(bytes(0xfa))), 'fffd');

  const fatal = new TextDecoder('gb18030', { fatal: true });
  assert.equal(fatal.decode(bytes(0x81, 0x30), { stream: true }), '');
  assert.throws(() => fatal.decode(), TypeError, 'Failed to decode input.');
  assert.equal(codePoints(fatal.decode(bytes(0xd6, 0xd0))), '4e2d');
});

test('fatal decoder throws on invalid input', () => {
  const decoder = new TextDecoder('euc-kr', { fatal: true });
  assert.equal(decoder.fatal, true);
  assert.throws(() => decoder.decode(bytes(0xc7, 0x20)), TypeError, 'Failed to decode input.');
  assert.equal(codePoints(decoder.decode(bytes(0xc7, 0xd1))), 'd55c');
});

test('legacy encodings keep a leading BOM', () => {
  // Only UTF-8 and UTF-16 have a byte order mark. In windows-1251 these bytes are "п»ї".
  assert.equal(decode('windows-1251', bytes(0xef, 0xbb, 0xbf)), '43f bb 457');
  assert.equal(decode('windows-1251', bytes(0xef, 0xbb, 0xbf), { ignoreBOM: true }), '43f bb 457');
});

test('decode reads views at their offsets', () => {
  const buffer = new Uint8Array([0xff, 0x93, 0xfa, 0xff]);
  assert.equal(decode('shift_jis', buffer.subarray(1, 3)), '65e5');
  assert.equal(decode('shift_jis', new DataView(buffer.buffer, 1, 2)), '65e5');
  assert.equal(decode('shift_jis', buffer.buffer.slice(1, 3)), '65e5');
});

test('TextDecoderStream decodes shift_jis split anywhere', async () => {
  const text = '日本語のテキスト、ｶﾀｶﾅ and ASCII';
  // The same text in Shift_JIS (the JDK's windows-31j encoder gives these bytes).
  const encoded = bytes(
      0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea, 0x82, 0xcc, 0x83, 0x65, 0x83, 0x4c, 0x83, 0x58, 0x83, 0x67, 0x81, 0x41,
      0xb6, 0xc0, 0xb6, 0xc5, 0x20, 0x61, 0x6e, 0x64, 0x20, 0x41, 0x53, 0x43, 0x49, 0x49);
  for (let size = 1; size <= 5; size++) {
    const stream = new TextDecoderStream('sjis');
    const writer = stream.writable.getWriter();
    for (let offset = 0; offset < encoded.length; offset += size) {
      writer.write(encoded.subarray(offset, offset + size));
    }
    writer.close();
    let decoded = '';
    for await (const piece of stream.readable) {
      decoded += piece;
    }
    assert.equal(decoded, text, `chunks of ${size} bytes`);
  }
});
