// Encoding APIs: TextEncoder, TextDecoder, atob and btoa, plus fast private helpers for the other
// runtime files (UTF-8 and base64 on hot paths such as request bodies).
//
// UTF-8 and UTF-16 work is done by GraalJS's own TextEncoder and TextDecoder (the js.text-encoding
// option, see RuntimeOptions), which are written in Java. This file takes them off the global
// object and wraps them in classes with Web IDL argument handling, the WHATWG label table and the
// error messages workerd uses. windows-1252 (the encoding behind "latin1", "ascii" and
// "iso-8859-1") is decoded here in JS, because GraalJS does not provide it. The other legacy
// encodings of the Encoding Standard are decoded in Java (dev.mooring.runtime.encoding).
(function (host, internals) {
  'use strict';

  const BuiltinTextEncoder = globalThis.TextEncoder;
  const BuiltinTextDecoder = globalThis.TextDecoder;
  if (typeof BuiltinTextEncoder !== 'function' || typeof BuiltinTextDecoder !== 'function') {
    throw new Error('encoding.js needs the GraalJS option js.text-encoding=true; build the context with RuntimeOptions.LANGUAGE_OPTIONS.');
  }
  delete globalThis.TextEncoder;
  delete globalThis.TextDecoder;

  const utf8Encoder = new BuiltinTextEncoder();
  // For internals.utf8Decode: replaces invalid sequences with U+FFFD and keeps a leading BOM.
  const utf8DecoderKeepingBOM = new BuiltinTextDecoder('utf-8', { ignoreBOM: true });
  const EMPTY_BYTES = new Uint8Array(0);

  // ---------------------------------------------------------------------------------------------
  // Byte sources

  // Java objects that the host passes in (such as read-only ByteBuffers) share one prototype,
  // the same as the empty Java object host.hostObjectSample has.
  const hostPrototype = Object.getPrototypeOf(host.hostObjectSample);

  function isHostObject(value) {
    return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === hostPrototype;
  }

  function isArrayBuffer(value) {
    return value instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && value instanceof SharedArrayBuffer);
  }

  /**
   * Returns a Uint8Array over the bytes of an ArrayBuffer, SharedArrayBuffer, any ArrayBuffer view
   * or a Java ByteBuffer from the host, without copying. Returns undefined for anything else.
   * A view over a host ByteBuffer reads through to Java memory, so copy it with slice() before
   * keeping it.
   */
  function asUint8Array(source) {
    if (source instanceof Uint8Array) {
      return source;
    }
    if (ArrayBuffer.isView(source)) {
      return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
    }
    if (isArrayBuffer(source) || isHostObject(source)) {
      return new Uint8Array(source);
    }
    return undefined;
  }

  // Builds a string from UTF-16 code units (or Latin-1 bytes) in chunks, because
  // String.fromCharCode.apply has an argument count limit.
  function stringFromCodeUnits(units) {
    const CHUNK = 8192;
    if (units.length <= CHUNK) {
      return String.fromCharCode.apply(null, units);
    }
    let result = '';
    for (let start = 0; start < units.length; start += CHUNK) {
      result += String.fromCharCode.apply(null, units.subarray(start, start + CHUNK));
    }
    return result;
  }

  // ---------------------------------------------------------------------------------------------
  // TextEncoder

  const textEncoderSlots = new WeakMap();

  function isTextEncoder(value) {
    return textEncoderSlots.has(value);
  }

  class TextEncoder {
    constructor() {
      textEncoderSlots.set(this, {});
    }

    get encoding() {
      requireBrand(isTextEncoder(this), 'TextEncoder', 'encoding');
      return 'utf-8';
    }

    /** Encodes a string as UTF-8; lone surrogates become U+FFFD. */
    encode(input = '') {
      requireBrand(isTextEncoder(this), 'TextEncoder', 'encode');
      return utf8Encoder.encode(`${input}`);
    }

    /** Encodes as much of a string as fits into a Uint8Array; returns { read, written }. */
    encodeInto(source, destination) {
      requireBrand(isTextEncoder(this), 'TextEncoder', 'encodeInto');
      if (arguments.length < 2) {
        throw new TypeError(`TextEncoder.encodeInto() requires 2 arguments, but only ${arguments.length} were provided.`);
      }
      if (!(destination instanceof Uint8Array)) {
        throw new TypeError('The destination passed to TextEncoder.encodeInto() must be a Uint8Array.');
      }
      const result = utf8Encoder.encodeInto(`${source}`, destination);
      return { read: result.read, written: result.written };
    }
  }

  // ---------------------------------------------------------------------------------------------
  // TextDecoder

  // The WHATWG Encoding Standard's labels of every encoding but "replacement", which TextDecoder
  // rejects as workerd does.
  const ENCODING_BY_LABEL = new Map();
  function addLabels(encoding, labels) {
    for (const label of labels) {
      ENCODING_BY_LABEL.set(label, encoding);
    }
  }
  addLabels('utf-8', ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8']);
  addLabels('utf-16le', ['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode', 'unicodefeff', 'utf-16', 'utf-16le']);
  addLabels('utf-16be', ['unicodefffe', 'utf-16be']);
  addLabels('windows-1252', [
    'ansi_x3.4-1968', 'ascii', 'cp1252', 'cp819', 'csisolatin1', 'ibm819', 'iso-8859-1', 'iso-ir-100',
    'iso8859-1', 'iso88591', 'iso_8859-1', 'iso_8859-1:1987', 'l1', 'latin1', 'us-ascii',
    'windows-1252', 'x-cp1252',
  ]);
  // Legacy encodings, decoded in Java (host.openTextDecoder).
  addLabels('ibm866', ['866', 'cp866', 'csibm866', 'ibm866']);
  addLabels('iso-8859-2', ['csisolatin2', 'iso-8859-2', 'iso-ir-101', 'iso8859-2', 'iso88592', 'iso_8859-2', 'iso_8859-2:1987', 'l2', 'latin2']);
  addLabels('iso-8859-3', ['csisolatin3', 'iso-8859-3', 'iso-ir-109', 'iso8859-3', 'iso88593', 'iso_8859-3', 'iso_8859-3:1988', 'l3', 'latin3']);
  addLabels('iso-8859-4', ['csisolatin4', 'iso-8859-4', 'iso-ir-110', 'iso8859-4', 'iso88594', 'iso_8859-4', 'iso_8859-4:1988', 'l4', 'latin4']);
  addLabels('iso-8859-5', ['csisolatincyrillic', 'cyrillic', 'iso-8859-5', 'iso-ir-144', 'iso8859-5', 'iso88595', 'iso_8859-5', 'iso_8859-5:1988']);
  addLabels('iso-8859-6', [
    'arabic', 'asmo-708', 'csiso88596e', 'csiso88596i', 'csisolatinarabic', 'ecma-114', 'iso-8859-6', 'iso-8859-6-e',
    'iso-8859-6-i', 'iso-ir-127', 'iso8859-6', 'iso88596', 'iso_8859-6', 'iso_8859-6:1987',
  ]);
  addLabels('iso-8859-7', [
    'csisolatingreek', 'ecma-118', 'elot_928', 'greek', 'greek8', 'iso-8859-7', 'iso-ir-126', 'iso8859-7', 'iso88597',
    'iso_8859-7', 'iso_8859-7:1987', 'sun_eu_greek',
  ]);
  addLabels('iso-8859-8', [
    'csiso88598e', 'csisolatinhebrew', 'hebrew', 'iso-8859-8', 'iso-8859-8-e', 'iso-ir-138', 'iso8859-8', 'iso88598',
    'iso_8859-8', 'iso_8859-8:1988', 'visual',
  ]);
  addLabels('iso-8859-8-i', ['csiso88598i', 'iso-8859-8-i', 'logical']);
  addLabels('iso-8859-10', ['csisolatin6', 'iso-8859-10', 'iso-ir-157', 'iso8859-10', 'iso885910', 'l6', 'latin6']);
  addLabels('iso-8859-13', ['iso-8859-13', 'iso8859-13', 'iso885913']);
  addLabels('iso-8859-14', ['iso-8859-14', 'iso8859-14', 'iso885914']);
  addLabels('iso-8859-15', ['csisolatin9', 'iso-8859-15', 'iso8859-15', 'iso885915', 'iso_8859-15', 'l9']);
  addLabels('iso-8859-16', ['iso-8859-16']);
  addLabels('koi8-r', ['cskoi8r', 'koi', 'koi8', 'koi8-r', 'koi8_r']);
  addLabels('koi8-u', ['koi8-ru', 'koi8-u']);
  addLabels('macintosh', ['csmacintosh', 'mac', 'macintosh', 'x-mac-roman']);
  addLabels('windows-874', ['dos-874', 'iso-8859-11', 'iso8859-11', 'iso885911', 'tis-620', 'windows-874']);
  for (const number of [1250, 1251, 1253, 1255, 1256, 1257, 1258]) {
    addLabels(`windows-${number}`, [`cp${number}`, `windows-${number}`, `x-cp${number}`]);
  }
  addLabels('windows-1254', [
    'cp1254', 'csisolatin5', 'iso-8859-9', 'iso-ir-148', 'iso8859-9', 'iso88599', 'iso_8859-9', 'iso_8859-9:1989', 'l5',
    'latin5', 'windows-1254', 'x-cp1254',
  ]);
  addLabels('x-mac-cyrillic', ['x-mac-cyrillic', 'x-mac-ukrainian']);
  addLabels('gbk', ['chinese', 'csgb2312', 'csiso58gb231280', 'gb2312', 'gb_2312', 'gb_2312-80', 'gbk', 'iso-ir-58', 'x-gbk']);
  addLabels('gb18030', ['gb18030']);
  addLabels('big5', ['big5', 'big5-hkscs', 'cn-big5', 'csbig5', 'x-x-big5']);
  addLabels('euc-jp', ['cseucpkdfmtjapanese', 'euc-jp', 'x-euc-jp']);
  addLabels('iso-2022-jp', ['csiso2022jp', 'iso-2022-jp']);
  addLabels('shift_jis', ['csshiftjis', 'ms932', 'ms_kanji', 'shift-jis', 'shift_jis', 'sjis', 'windows-31j', 'x-sjis']);
  addLabels('euc-kr', [
    'cseuckr', 'csksc56011987', 'euc-kr', 'iso-ir-149', 'korean', 'ks_c_5601-1987', 'ks_c_5601-1989', 'ksc5601', 'ksc_5601',
    'windows-949',
  ]);
  addLabels('x-user-defined', ['x-user-defined']);

  // Encodings whose decoding GraalJS's built-in TextDecoder does.
  const BUILTIN_ENCODINGS = new Set(['utf-8', 'utf-16le', 'utf-16be']);

  // windows-1252 differs from Latin-1 only in 0x80..0x9F.
  const WINDOWS_1252_HIGH = new Uint16Array([
    0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
    0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
  ]);

  function decodeWindows1252(bytes) {
    const units = new Uint16Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i];
      units[i] = byte >= 0x80 && byte < 0xa0 ? WINDOWS_1252_HIGH[byte - 0x80] : byte;
    }
    return stringFromCodeUnits(units);
  }

  function encodingForLabel(label) {
    // Labels match after trimming ASCII whitespace and lowercasing ASCII letters.
    const key = label.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '').replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
    return ENCODING_BY_LABEL.get(key);
  }

  // Converts a Web IDL dictionary argument: undefined and null mean "no members".
  function dictionary(value, description) {
    if (value === undefined || value === null) {
      return {};
    }
    if (typeof value !== 'object' && typeof value !== 'function') {
      throw new TypeError(`The ${description} must be an object, got ${typeof value}.`);
    }
    return value;
  }

  const textDecoderSlots = new WeakMap();

  function textDecoderSlotsOf(value, member) {
    const slots = textDecoderSlots.get(value);
    requireBrand(slots !== undefined, 'TextDecoder', member);
    return slots;
  }

  class TextDecoder {
    constructor(label = 'utf-8', options = undefined) {
      const labelString = `${label}`;
      const encoding = encodingForLabel(labelString);
      if (encoding === undefined) {
        throw new RangeError(`"${labelString}" is not a valid encoding.`);
      }
      const init = dictionary(options, 'TextDecoder options');
      const fatal = Boolean(init.fatal);
      const ignoreBOM = Boolean(init.ignoreBOM);
      textDecoderSlots.set(this, {
        encoding,
        fatal,
        ignoreBOM,
        // GraalJS decoder that keeps the streaming state, for UTF-8 and UTF-16.
        decoder: BUILTIN_ENCODINGS.has(encoding) ? new BuiltinTextDecoder(encoding, { fatal, ignoreBOM }) : null,
        // Java decoder that keeps the streaming state, for the legacy encodings but windows-1252.
        legacy: BUILTIN_ENCODINGS.has(encoding) || encoding === 'windows-1252' ? null : host.openTextDecoder(encoding, fatal),
      });
    }

    get encoding() {
      return textDecoderSlotsOf(this, 'encoding').encoding;
    }

    get fatal() {
      return textDecoderSlotsOf(this, 'fatal').fatal;
    }

    get ignoreBOM() {
      return textDecoderSlotsOf(this, 'ignoreBOM').ignoreBOM;
    }

    /**
     * Decodes bytes (an ArrayBuffer, any ArrayBuffer view, or a host ByteBuffer). With
     * { stream: true } an incomplete sequence at the end is kept for the next call.
     */
    decode(input = undefined, options = undefined) {
      const slots = textDecoderSlotsOf(this, 'decode');
      let bytes = EMPTY_BYTES;
      if (input !== undefined) {
        bytes = asUint8Array(input);
        if (bytes === undefined) {
          throw new TypeError('The input passed to TextDecoder.decode() must be an ArrayBuffer or an ArrayBuffer view.');
        }
      }
      const stream = Boolean(dictionary(options, 'TextDecoder.decode() options').stream);
      if (slots.legacy !== null) {
        const text = slots.legacy.decode(bytes.buffer, bytes.byteOffset, bytes.byteLength, stream);
        if (text === null) {
          throw new TypeError('Failed to decode input.');
        }
        return text;
      }
      if (slots.decoder === null) {
        return decodeWindows1252(bytes);
      }
      try {
        return slots.decoder.decode(bytes, { stream });
      } catch (error) {
        // GraalJS throws a TypeError of its own wording for invalid input in fatal mode.
        if (slots.fatal && error instanceof TypeError) {
          throw new TypeError('Failed to decode input.');
        }
        throw error;
      }
    }
  }

  function requireBrand(hasBrand, className, member) {
    if (!hasBrand) {
      throw new TypeError(`Illegal invocation: ${className}.prototype.${member} called on a value that is not a ${className}.`);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Base64 (RFC 4648 standard alphabet, with padding)

  const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const PADDING = 0x3d; // '='
  const BASE64_CHAR_CODES = new Uint8Array(64);
  // Value of each byte when it appears in base64 text: 0..63 for the alphabet, or one of these.
  const WHITESPACE = 64;
  const PAD = 65;
  const INVALID = 255;
  const BASE64_VALUES = new Uint8Array(256).fill(INVALID);
  for (let i = 0; i < 64; i++) {
    BASE64_CHAR_CODES[i] = BASE64_ALPHABET.charCodeAt(i);
    BASE64_VALUES[BASE64_ALPHABET.charCodeAt(i)] = i;
  }
  for (const whitespace of [0x09, 0x0a, 0x0c, 0x0d, 0x20]) {
    BASE64_VALUES[whitespace] = WHITESPACE;
  }
  BASE64_VALUES[PADDING] = PAD;

  // The two characters for each 12-bit value, as one Uint16Array element in platform byte
  // order, so that the encoder stores two characters at a time.
  const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const BASE64_PAIRS = new Uint16Array(4096);
  for (let i = 0; i < 4096; i++) {
    const first = BASE64_CHAR_CODES[i >>> 6];
    const second = BASE64_CHAR_CODES[i & 63];
    BASE64_PAIRS[i] = LITTLE_ENDIAN ? first | (second << 8) : (first << 8) | second;
  }

  /** Encodes bytes as base64 text with padding. */
  function base64Encode(bytes) {
    const length = bytes.length;
    const wholeGroupsEnd = length - (length % 3);
    const out = new Uint8Array(Math.ceil(length / 3) * 4);
    const pairs = new Uint16Array(out.buffer);
    let p = 0;
    let i = 0;
    for (; i < wholeGroupsEnd; i += 3) {
      const group = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      pairs[p] = BASE64_PAIRS[group >>> 12];
      pairs[p + 1] = BASE64_PAIRS[group & 0xfff];
      p += 2;
    }
    const rest = length - wholeGroupsEnd;
    if (rest > 0) {
      const o = 2 * p;
      const group = (bytes[i] << 16) | (rest === 2 ? bytes[i + 1] << 8 : 0);
      out[o] = BASE64_CHAR_CODES[group >>> 18];
      out[o + 1] = BASE64_CHAR_CODES[(group >>> 12) & 63];
      out[o + 2] = rest === 2 ? BASE64_CHAR_CODES[(group >>> 6) & 63] : PADDING;
      out[o + 3] = PADDING;
    }
    // The output is ASCII, which the Java UTF-8 decoder turns into a string fastest.
    return utf8DecoderKeepingBOM.decode(out);
  }

  /**
   * Decodes base64 text by the WHATWG "forgiving-base64 decode" rules: ASCII whitespace anywhere
   * is ignored, padding is optional, and bits left over in the last character are dropped.
   * Returns null when the text is not valid base64.
   */
  function base64DecodeOrNull(text) {
    // Characters outside ASCII become bytes >= 0x80, which are invalid base64 in any case.
    const chars = utf8Encoder.encode(text);
    const length = chars.length;
    const out = new Uint8Array(Math.floor(length / 4) * 3 + 3);
    let o = 0;
    let i = 0;

    // Fast path: whole groups of four alphabet characters.
    const wholeGroupsEnd = length - (length % 4);
    for (; i < wholeGroupsEnd; i += 4) {
      const a = BASE64_VALUES[chars[i]];
      const b = BASE64_VALUES[chars[i + 1]];
      const c = BASE64_VALUES[chars[i + 2]];
      const d = BASE64_VALUES[chars[i + 3]];
      if ((a | b | c | d) > 63) {
        break;
      }
      out[o] = (a << 2) | (b >>> 4);
      out[o + 1] = ((b & 15) << 4) | (c >>> 2);
      out[o + 2] = ((c & 3) << 6) | d;
      o += 3;
    }

    // General path from the first group with whitespace, padding or an invalid character.
    let group = 0;
    let digits = 0;
    let dataChars = i;
    let padChars = 0;
    for (; i < length; i++) {
      const value = BASE64_VALUES[chars[i]];
      if (value < 64) {
        if (padChars > 0) {
          return null; // data after padding
        }
        group = (group << 6) | value;
        dataChars++;
        if (++digits === 4) {
          out[o] = group >>> 16;
          out[o + 1] = (group >>> 8) & 0xff;
          out[o + 2] = group & 0xff;
          o += 3;
          digits = 0;
          group = 0;
        }
      } else if (value === PAD) {
        padChars++;
      } else if (value !== WHITESPACE) {
        return null;
      }
    }
    if (padChars > 2 || (padChars > 0 && (dataChars + padChars) % 4 !== 0) || digits === 1) {
      return null;
    }
    if (digits === 2) {
      out[o++] = group >>> 4;
    } else if (digits === 3) {
      out[o] = group >>> 10;
      out[o + 1] = (group >>> 2) & 0xff;
      o += 2;
    }
    return out.subarray(0, o);
  }

  function base64Decode(text) {
    const bytes = base64DecodeOrNull(text);
    if (bytes === null) {
      throw internals.domException('The string is not valid base64: only whitespace, "+", "/", ASCII letters and digits, and up to two terminal "=" signs when the length is a multiple of 4 are allowed.', 'InvalidCharacterError');
    }
    return bytes;
  }

  function requireArgument(count, name) {
    if (count < 1) {
      throw new TypeError(`${name}() requires 1 argument, but only 0 were provided.`);
    }
  }

  function btoa(data) {
    requireArgument(arguments.length, 'btoa');
    const text = `${data}`;
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code > 0xff) {
        throw internals.domException('btoa() can only operate on characters in the Latin1 (ISO/IEC 8859-1) range.', 'InvalidCharacterError');
      }
      bytes[i] = code;
    }
    return base64Encode(bytes);
  }

  function atob(data) {
    requireArgument(arguments.length, 'atob');
    const bytes = base64DecodeOrNull(`${data}`);
    if (bytes === null) {
      throw internals.domException(
        "atob() called with invalid base64-encoded data. (Only whitespace, '+', '/', alphanumeric ASCII, and up to two terminal '=' signs when the input data length is divisible by 4 are allowed.)",
        'InvalidCharacterError');
    }
    return stringFromCodeUnits(bytes);
  }

  // ---------------------------------------------------------------------------------------------
  // Globals and internals

  for (const [name, value] of [['TextEncoder', TextEncoder], ['TextDecoder', TextDecoder], ['atob', atob], ['btoa', btoa]]) {
    Object.defineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });
  }
  for (const [constructor, tag] of [[TextEncoder, 'TextEncoder'], [TextDecoder, 'TextDecoder']]) {
    Object.defineProperty(constructor.prototype, Symbol.toStringTag, { value: tag, configurable: true });
  }

  /** Encodes a string as UTF-8 into a new Uint8Array; lone surrogates become U+FFFD. */
  internals.utf8Encode = (string) => utf8Encoder.encode(string);
  /** Encodes as much of a string as fits into a Uint8Array; returns { read, written } like encodeInto. */
  internals.utf8EncodeInto = (string, destination) => utf8Encoder.encodeInto(string, destination);
  /** Decodes UTF-8 bytes (Uint8Array, ArrayBuffer or view): U+FFFD for invalid input, a leading BOM kept. */
  internals.utf8Decode = (bytes) => utf8DecoderKeepingBOM.decode(bytes);
  /** Encodes bytes (Uint8Array) as base64 with padding. */
  internals.base64Encode = base64Encode;
  /** Decodes forgiving base64 to a new Uint8Array; throws an InvalidCharacterError DOMException if invalid. */
  internals.base64Decode = base64Decode;
  internals.asUint8Array = asUint8Array;
  internals.isHostObject = isHostObject;
  internals.stringFromCodeUnits = stringFromCodeUnits;
})
