// URL and URLSearchParams, as the WHATWG URL Standard defines them (https://url.spec.whatwg.org/).
//
// The parser is the standard's "basic URL parser": one state machine over the UTF-16 code units of
// the input, with the same states and state overrides as the standard. Some states only collect
// code points until a delimiter (authority, host, path segment, query, fragment). These scan ahead
// to the delimiter and percent-encode the range in one step, so the common case allocates one slice
// per component and nothing per character. No regular expressions run while parsing.
//
// A parsed URL is a URLRecord: the standard's URL record, with the host stored already serialized
// (a domain, "[v6 address]", a dotted IPv4 address, an opaque host, or "" for the empty host) and
// the path either an array of segments or, for an opaque path, a string.
//
// ASCII domains are lowercased here. Domains with other code points go to host.domainToAscii
// (UTS #46 ToASCII in Java, see DomainNames.java), which returns null for an invalid domain.
//
// Other runtime files reach the original classes through internals.URL and
// internals.URLSearchParams, which guest code cannot replace.
(function (host, internals) {
  'use strict';

  // Maximum length of the input quoted in a parse error message, in UTF-16 code units. Longer inputs
  // are cut and end in "...", so that an error for a huge string stays readable in logs.
  const MAX_QUOTED_INPUT = 256;

  // ---------------------------------------------------------------------------------------------
  // Percent-encode sets, as one bit per set in a table indexed by ASCII code unit. Every set
  // contains all code points above U+007E, which the encoder checks without the table.

  const C0_CONTROL_SET = 1;
  const FRAGMENT_SET = 2;
  const QUERY_SET = 4;
  const SPECIAL_QUERY_SET = 8;
  const PATH_SET = 16;
  const USERINFO_SET = 32;
  const COMPONENT_SET = 64;
  const FORM_SET = 128;

  const ENCODE_SETS = new Uint8Array(128);
  (function buildEncodeSets() {
    function add(bits, characters) {
      for (let i = 0; i < characters.length; i++) ENCODE_SETS[characters.charCodeAt(i)] |= bits;
    }
    // Each set is its predecessor plus some code points; a code point's bits name every set it is in.
    const fromC0 = C0_CONTROL_SET | FRAGMENT_SET | QUERY_SET | SPECIAL_QUERY_SET | PATH_SET | USERINFO_SET | COMPONENT_SET | FORM_SET;
    for (let c = 0; c <= 0x1f; c++) ENCODE_SETS[c] |= fromC0;
    ENCODE_SETS[0x7f] |= fromC0;
    add(FRAGMENT_SET | QUERY_SET | SPECIAL_QUERY_SET | PATH_SET | USERINFO_SET | COMPONENT_SET | FORM_SET, ' "<>');
    add(FRAGMENT_SET | PATH_SET | USERINFO_SET | COMPONENT_SET | FORM_SET, '`');
    add(QUERY_SET | SPECIAL_QUERY_SET | PATH_SET | USERINFO_SET | COMPONENT_SET | FORM_SET, '#');
    add(SPECIAL_QUERY_SET | COMPONENT_SET | FORM_SET, "'");
    add(PATH_SET | USERINFO_SET | COMPONENT_SET | FORM_SET, '?^{}');
    add(USERINFO_SET | COMPONENT_SET | FORM_SET, '/:;=@[\\]|');
    add(COMPONENT_SET | FORM_SET, '$%&+,');
    add(FORM_SET, "!()~");
  })();

  const PERCENT_HEX = [];
  for (let b = 0; b < 256; b++) PERCENT_HEX.push('%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase());

  // Returns out followed by the UTF-8 bytes of one code point, percent-encoded.
  function percentEncodeCodePoint(out, codePoint) {
    if (codePoint < 0x80) return out + PERCENT_HEX[codePoint];
    if (codePoint < 0x800) {
      return out + PERCENT_HEX[0xc0 | (codePoint >> 6)] + PERCENT_HEX[0x80 | (codePoint & 0x3f)];
    }
    if (codePoint < 0x10000) {
      return out + PERCENT_HEX[0xe0 | (codePoint >> 12)] + PERCENT_HEX[0x80 | ((codePoint >> 6) & 0x3f)]
          + PERCENT_HEX[0x80 | (codePoint & 0x3f)];
    }
    return out + PERCENT_HEX[0xf0 | (codePoint >> 18)] + PERCENT_HEX[0x80 | ((codePoint >> 12) & 0x3f)]
        + PERCENT_HEX[0x80 | ((codePoint >> 6) & 0x3f)] + PERCENT_HEX[0x80 | (codePoint & 0x3f)];
  }

  // UTF-8 percent-encodes input[start, end) with the given set. Returns a slice of the input when
  // nothing needs encoding. With spaceAsPlus, U+0020 becomes "+" (the form serializer's rule). A lone
  // surrogate, which only a caller that skipped the USVString conversion can pass, becomes U+FFFD.
  function percentEncode(input, start, end, set, spaceAsPlus) {
    let i = start;
    while (i < end) {
      const c = input.charCodeAt(i);
      if (c > 0x7e || (ENCODE_SETS[c] & set) !== 0) break;
      i++;
    }
    if (i === end) return start === 0 && end === input.length ? input : input.slice(start, end);

    let out = input.slice(start, i);
    let runStart = i;
    for (; i < end; i++) {
      let c = input.charCodeAt(i);
      if (c <= 0x7e && (ENCODE_SETS[c] & set) === 0) continue;
      if (runStart < i) out += input.slice(runStart, i);
      runStart = i + 1;
      if (c === 0x20 && spaceAsPlus) {
        out += '+';
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < end ? input.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          runStart = i + 1;
        } else {
          c = 0xfffd;
        }
      }
      out = percentEncodeCodePoint(out, c);
    }
    if (runStart < end) out += input.slice(runStart, end);
    return out;
  }

  function hexValue(c) {
    if (c >= 0x30 && c <= 0x39) return c - 0x30;
    if (c >= 0x41 && c <= 0x46) return c - 0x37;
    if (c >= 0x61 && c <= 0x66) return c - 0x57;
    return -1;
  }

  // Percent-decodes the UTF-8 encoding of input and decodes the bytes as UTF-8 without BOM
  // handling, replacing invalid sequences with U+FFFD. With plusAsSpace, "+" bytes become spaces
  // first (the form parser's rule), so "%2B" still decodes to "+".
  function percentDecode(input, plusAsSpace) {
    if (input.indexOf('%') === -1) {
      return plusAsSpace && input.indexOf('+') !== -1 ? input.replaceAll('+', ' ') : input;
    }
    const bytes = new Uint8Array(input.length * 3);
    let length = 0;
    for (let i = 0; i < input.length; i++) {
      let c = input.charCodeAt(i);
      if (c === 0x25 && i + 2 < input.length) {
        const high = hexValue(input.charCodeAt(i + 1));
        const low = high < 0 ? -1 : hexValue(input.charCodeAt(i + 2));
        if (low >= 0) {
          bytes[length++] = (high << 4) | low;
          i += 2;
          continue;
        }
      }
      if (c < 0x80) {
        bytes[length++] = plusAsSpace && c === 0x2b ? 0x20 : c;
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < input.length ? input.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
        } else {
          c = 0xfffd;
        }
      }
      if (c < 0x800) {
        bytes[length++] = 0xc0 | (c >> 6);
      } else if (c < 0x10000) {
        bytes[length++] = 0xe0 | (c >> 12);
        bytes[length++] = 0x80 | ((c >> 6) & 0x3f);
      } else {
        bytes[length++] = 0xf0 | (c >> 18);
        bytes[length++] = 0x80 | ((c >> 12) & 0x3f);
        bytes[length++] = 0x80 | ((c >> 6) & 0x3f);
      }
      bytes[length++] = 0x80 | (c & 0x3f);
    }
    return decodeUtf8(bytes, length);
  }

  // The Encoding Standard's UTF-8 decoder: each maximal invalid subsequence becomes one U+FFFD.
  function decodeUtf8(bytes, length) {
    const units = [];
    let out = '';
    let codePoint = 0;
    let bytesSeen = 0;
    let bytesNeeded = 0;
    let lower = 0x80;
    let upper = 0xbf;
    for (let i = 0; i < length; i++) {
      const b = bytes[i];
      if (bytesNeeded === 0) {
        if (b <= 0x7f) {
          units.push(b);
        } else if (b >= 0xc2 && b <= 0xdf) {
          bytesNeeded = 1;
          codePoint = b & 0x1f;
        } else if (b >= 0xe0 && b <= 0xef) {
          if (b === 0xe0) lower = 0xa0;
          if (b === 0xed) upper = 0x9f;
          bytesNeeded = 2;
          codePoint = b & 0xf;
        } else if (b >= 0xf0 && b <= 0xf4) {
          if (b === 0xf0) lower = 0x90;
          if (b === 0xf4) upper = 0x8f;
          bytesNeeded = 3;
          codePoint = b & 0x7;
        } else {
          units.push(0xfffd);
        }
      } else if (b < lower || b > upper) {
        // The sequence ends early: emit one replacement and read this byte again as a lead byte.
        codePoint = bytesNeeded = bytesSeen = 0;
        lower = 0x80;
        upper = 0xbf;
        units.push(0xfffd);
        i--;
      } else {
        lower = 0x80;
        upper = 0xbf;
        codePoint = (codePoint << 6) | (b & 0x3f);
        bytesSeen++;
        if (bytesSeen === bytesNeeded) {
          if (codePoint < 0x10000) {
            units.push(codePoint);
          } else {
            units.push(0xd800 + ((codePoint - 0x10000) >> 10), 0xdc00 + ((codePoint - 0x10000) & 0x3ff));
          }
          codePoint = bytesNeeded = bytesSeen = 0;
        }
      }
      if (units.length >= 4096) {
        out += String.fromCharCode.apply(null, units);
        units.length = 0;
      }
    }
    if (bytesNeeded !== 0) units.push(0xfffd);
    return out + String.fromCharCode.apply(null, units);
  }

  // ---------------------------------------------------------------------------------------------
  // Conversions at the API boundary (Web IDL).

  // Web IDL's USVString conversion: ToString (which rejects symbols), then lone surrogates to U+FFFD.
  function toUSVString(value) {
    const string = typeof value === 'string' ? value : `${value}`;
    return string.isWellFormed() ? string : string.toWellFormed();
  }

  function requireArguments(actual, required, method) {
    if (actual < required) {
      throw new TypeError(`${method} requires ${required} argument${required === 1 ? '' : 's'}, but only ${actual} ${actual === 1 ? 'was' : 'were'} passed.`);
    }
  }

  function quoteInput(input) {
    const visible = input.length > MAX_QUOTED_INPUT ? input.slice(0, MAX_QUOTED_INPUT) + '...' : input;
    return JSON.stringify(visible);
  }

  // ---------------------------------------------------------------------------------------------
  // URL records and their serialization.

  const SPECIAL_SCHEMES = new Map([['ftp', 21], ['file', null], ['http', 80], ['https', 443], ['ws', 80], ['wss', 443]]);

  function defaultPort(scheme) {
    const port = SPECIAL_SCHEMES.get(scheme);
    return port === undefined ? null : port;
  }

  class URLRecord {
    constructor() {
      this.scheme = '';
      this.special = false;
      this.username = '';
      this.password = '';
      this.host = null;
      this.port = null;
      this.path = [];
      this.query = null;
      this.fragment = null;
    }

    setScheme(scheme) {
      this.scheme = scheme;
      this.special = SPECIAL_SCHEMES.has(scheme);
    }

    hasOpaquePath() {
      return typeof this.path === 'string';
    }

    includesCredentials() {
      return this.username !== '' || this.password !== '';
    }

    cannotHaveCredentialsOrPort() {
      return this.host === null || this.host === '' || this.scheme === 'file';
    }
  }

  function serializePath(url) {
    const path = url.path;
    if (typeof path === 'string') return path;
    let out = '';
    for (let i = 0; i < path.length; i++) out += '/' + path[i];
    return out;
  }

  function serializeURL(url, excludeFragment) {
    let out = url.scheme + ':';
    if (url.host !== null) {
      out += '//';
      if (url.username !== '' || url.password !== '') {
        out += url.username;
        if (url.password !== '') out += ':' + url.password;
        out += '@';
      }
      out += url.host;
      if (url.port !== null) out += ':' + url.port;
    } else if (typeof url.path !== 'string' && url.path.length > 1 && url.path[0] === '') {
      // Without "/." the serialized path "//x" would be read back as the host "x".
      out += '/.';
    }
    out += serializePath(url);
    if (url.query !== null) out += '?' + url.query;
    if (!excludeFragment && url.fragment !== null) out += '#' + url.fragment;
    return out;
  }

  function serializeOrigin(url) {
    switch (url.scheme) {
      case 'ftp':
      case 'http':
      case 'https':
      case 'ws':
      case 'wss':
        return url.scheme + '://' + url.host + (url.port === null ? '' : ':' + url.port);
      case 'blob': {
        // A blob URL has the origin of the URL in its path, for http and https only.
        const pathURL = basicParse(serializePath(url), null, null, 0);
        if (pathURL !== null && (pathURL.scheme === 'http' || pathURL.scheme === 'https')) return serializeOrigin(pathURL);
        return 'null';
      }
      default:
        // Opaque origins, including file: URLs, whose origin the standard leaves to the implementation.
        return 'null';
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Hosts.

  function isForbiddenHostCodePoint(c) {
    switch (c) {
      case 0x00: case 0x09: case 0x0a: case 0x0d: case 0x20: case 0x23: case 0x2f: case 0x3a:
      case 0x3c: case 0x3e: case 0x3f: case 0x40: case 0x5b: case 0x5c: case 0x5d: case 0x5e: case 0x7c:
        return true;
      default:
        return false;
    }
  }

  function isForbiddenDomainCodePoint(c) {
    return c <= 0x1f || c === 0x25 || c === 0x7f || isForbiddenHostCodePoint(c);
  }

  // Parses a host. Returns the serialized host, or null for failure. isOpaque is true for hosts of
  // non-special URLs, which are only percent-encoded.
  function parseHost(input, isOpaque) {
    if (input.charCodeAt(0) === 0x5b) {
      if (input.charCodeAt(input.length - 1) !== 0x5d) return null;
      const address = parseIPv6(input, 1, input.length - 1);
      return address === null ? null : '[' + serializeIPv6(address) + ']';
    }
    if (isOpaque) return parseOpaqueHost(input);

    const domain = percentDecode(input, false);
    const asciiDomain = domainToAscii(domain);
    if (asciiDomain === null) return null;
    for (let i = 0; i < asciiDomain.length; i++) {
      if (isForbiddenDomainCodePoint(asciiDomain.charCodeAt(i))) return null;
    }
    if (endsInANumber(asciiDomain)) {
      const address = parseIPv4(asciiDomain);
      return address === null ? null : serializeIPv4(address);
    }
    return asciiDomain;
  }

  // The standard's "domain to ASCII" with beStrict false, or null for failure. An ASCII domain is
  // only lowercased, because UTS #46 changes nothing else in ASCII when UseSTD3ASCIIRules is off.
  // The standard also lowercases an ASCII domain whose "xn--" labels fail UTS #46 validation, since
  // browsers accept such hosts. The caller checks the forbidden code points afterwards.
  function domainToAscii(domain) {
    let hasUpper = false;
    for (let i = 0; i < domain.length; i++) {
      const c = domain.charCodeAt(i);
      if (c >= 0x80) {
        const result = host.domainToAscii(domain, false);
        return result === null || result === undefined || result === '' ? null : result;
      }
      if (c >= 0x41 && c <= 0x5a) hasUpper = true;
    }
    return hasUpper ? domain.toLowerCase() : domain;
  }

  function parseOpaqueHost(input) {
    for (let i = 0; i < input.length; i++) {
      if (isForbiddenHostCodePoint(input.charCodeAt(i))) return null;
    }
    return percentEncode(input, 0, input.length, C0_CONTROL_SET, false);
  }

  // Returns true when the last label (ignoring one trailing dot) is a decimal number or a hexadecimal
  // IPv4 number such as "0x1f", which makes the host an IPv4 address or invalid.
  function endsInANumber(domain) {
    let end = domain.length;
    if (end > 0 && domain.charCodeAt(end - 1) === 0x2e) end--;
    const start = domain.lastIndexOf('.', end - 1) + 1;
    if (start >= end) return false;
    let allDigits = true;
    for (let i = start; i < end; i++) {
      const c = domain.charCodeAt(i);
      if (c < 0x30 || c > 0x39) {
        allDigits = false;
        break;
      }
    }
    if (allDigits) return true;
    if (end - start < 2 || domain.charCodeAt(start) !== 0x30 || (domain.charCodeAt(start + 1) | 0x20) !== 0x78) return false;
    for (let i = start + 2; i < end; i++) {
      if (hexValue(domain.charCodeAt(i)) < 0) return false;
    }
    return true;
  }

  // Returns the value of one part of an IPv4 address in decimal, octal ("0" prefix) or hexadecimal
  // ("0x" prefix), or -1 for failure. Values past 2^53 lose precision but stay above every limit.
  function parseIPv4Number(part) {
    if (part === '') return -1;
    let radix = 10;
    let start = 0;
    if (part.length >= 2 && part.charCodeAt(0) === 0x30) {
      if ((part.charCodeAt(1) | 0x20) === 0x78) {
        radix = 16;
        start = 2;
      } else {
        radix = 8;
        start = 1;
      }
    }
    let value = 0;
    for (let i = start; i < part.length; i++) {
      const digit = hexValue(part.charCodeAt(i));
      if (digit < 0 || digit >= radix) return -1;
      value = value * radix + digit;
    }
    return value;
  }

  // Parses an IPv4 address with one to four parts; the last part fills the remaining bytes.
  // Returns the address as a number, or null for failure.
  function parseIPv4(input) {
    const parts = input.split('.');
    if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
    if (parts.length > 4) return null;
    const numbers = [];
    for (const part of parts) {
      const number = parseIPv4Number(part);
      if (number < 0) return null;
      numbers.push(number);
    }
    for (let i = 0; i < numbers.length - 1; i++) {
      if (numbers[i] > 255) return null;
    }
    const last = numbers[numbers.length - 1];
    if (last >= 256 ** (5 - numbers.length)) return null;
    let address = last;
    for (let i = 0; i < numbers.length - 1; i++) address += numbers[i] * 256 ** (3 - i);
    return address;
  }

  function serializeIPv4(address) {
    return (address >>> 24) + '.' + ((address >>> 16) & 255) + '.' + ((address >>> 8) & 255) + '.' + (address & 255);
  }

  // Parses the IPv6 address in input[start, end), the text between the brackets. Returns eight
  // 16-bit pieces, or null for failure.
  function parseIPv6(input, start, end) {
    const address = [0, 0, 0, 0, 0, 0, 0, 0];
    let pieceIndex = 0;
    let compress = -1;
    let pointer = start;
    const at = (i) => (i < end ? input.charCodeAt(i) : -1);

    if (at(pointer) === 0x3a) {
      if (at(pointer + 1) !== 0x3a) return null;
      pointer += 2;
      pieceIndex++;
      compress = pieceIndex;
    }
    while (at(pointer) !== -1) {
      if (pieceIndex === 8) return null;
      if (at(pointer) === 0x3a) {
        if (compress !== -1) return null;
        pointer++;
        pieceIndex++;
        compress = pieceIndex;
        continue;
      }
      let value = 0;
      let length = 0;
      while (length < 4 && hexValue(at(pointer)) >= 0) {
        value = value * 0x10 + hexValue(at(pointer));
        pointer++;
        length++;
      }
      if (at(pointer) === 0x2e) {
        // An embedded IPv4 address fills the last two pieces.
        if (length === 0) return null;
        pointer -= length;
        if (pieceIndex > 6) return null;
        let numbersSeen = 0;
        while (at(pointer) !== -1) {
          let ipv4Piece = -1;
          if (numbersSeen > 0) {
            if (at(pointer) === 0x2e && numbersSeen < 4) pointer++;
            else return null;
          }
          let c = at(pointer);
          if (c < 0x30 || c > 0x39) return null;
          while (c >= 0x30 && c <= 0x39) {
            const number = c - 0x30;
            if (ipv4Piece === -1) ipv4Piece = number;
            else if (ipv4Piece === 0) return null;
            else ipv4Piece = ipv4Piece * 10 + number;
            if (ipv4Piece > 255) return null;
            pointer++;
            c = at(pointer);
          }
          address[pieceIndex] = address[pieceIndex] * 0x100 + ipv4Piece;
          numbersSeen++;
          if (numbersSeen === 2 || numbersSeen === 4) pieceIndex++;
        }
        if (numbersSeen !== 4) return null;
        break;
      } else if (at(pointer) === 0x3a) {
        pointer++;
        if (at(pointer) === -1) return null;
      } else if (at(pointer) !== -1) {
        return null;
      }
      address[pieceIndex] = value;
      pieceIndex++;
    }
    if (compress !== -1) {
      let swaps = pieceIndex - compress;
      pieceIndex = 7;
      while (pieceIndex !== 0 && swaps > 0) {
        const swapped = address[compress + swaps - 1];
        address[compress + swaps - 1] = address[pieceIndex];
        address[pieceIndex] = swapped;
        pieceIndex--;
        swaps--;
      }
    } else if (pieceIndex !== 8) {
      return null;
    }
    return address;
  }

  // Serializes eight pieces, writing the first longest run of two or more zero pieces as "::".
  function serializeIPv6(address) {
    let compressStart = -1;
    let compressLength = 1;
    for (let i = 0; i < 8;) {
      if (address[i] !== 0) {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && address[j] === 0) j++;
      if (j - i > compressLength) {
        compressStart = i;
        compressLength = j - i;
      }
      i = j;
    }
    let out = '';
    for (let i = 0; i < 8; i++) {
      if (i === compressStart) {
        out += i === 0 ? '::' : ':';
        i += compressLength - 1;
        continue;
      }
      out += address[i].toString(16);
      if (i < 7) out += ':';
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // The basic URL parser.

  const SCHEME_START = 1;
  const SCHEME = 2;
  const NO_SCHEME = 3;
  const SPECIAL_RELATIVE_OR_AUTHORITY = 4;
  const PATH_OR_AUTHORITY = 5;
  const RELATIVE = 6;
  const RELATIVE_SLASH = 7;
  const SPECIAL_AUTHORITY_SLASHES = 8;
  const SPECIAL_AUTHORITY_IGNORE_SLASHES = 9;
  const AUTHORITY = 10;
  const HOST = 11;
  const HOSTNAME = 12;
  const PORT = 13;
  const FILE = 14;
  const FILE_SLASH = 15;
  const FILE_HOST = 16;
  const PATH_START = 17;
  const PATH = 18;
  const OPAQUE_PATH = 19;
  const QUERY = 20;
  const FRAGMENT = 21;

  function isAsciiAlpha(c) {
    return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  }

  function isSchemeCodePoint(c) {
    return isAsciiAlpha(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
  }

  // Removes leading and trailing C0 controls and spaces (done only for a whole URL, not a setter's
  // value), then every tab and newline (done always).
  function prepareInput(input, trim) {
    let start = 0;
    let end = input.length;
    if (trim) {
      while (start < end && input.charCodeAt(start) <= 0x20) start++;
      while (end > start && input.charCodeAt(end - 1) <= 0x20) end--;
    }
    let hasTabOrNewline = false;
    for (let i = start; i < end; i++) {
      const c = input.charCodeAt(i);
      if (c === 0x09 || c === 0x0a || c === 0x0d) {
        hasTabOrNewline = true;
        break;
      }
    }
    const trimmed = start === 0 && end === input.length ? input : input.slice(start, end);
    if (!hasTabOrNewline) return trimmed;
    let out = '';
    let runStart = 0;
    for (let i = 0; i < trimmed.length; i++) {
      const c = trimmed.charCodeAt(i);
      if (c === 0x09 || c === 0x0a || c === 0x0d) {
        out += trimmed.slice(runStart, i);
        runStart = i + 1;
      }
    }
    return out + trimmed.slice(runStart);
  }

  function isWindowsDriveLetter(string) {
    if (string.length !== 2 || !isAsciiAlpha(string.charCodeAt(0))) return false;
    const c = string.charCodeAt(1);
    return c === 0x3a || c === 0x7c;
  }

  function isNormalizedWindowsDriveLetter(string) {
    return string.length === 2 && isAsciiAlpha(string.charCodeAt(0)) && string.charCodeAt(1) === 0x3a;
  }

  function startsWithWindowsDriveLetter(input, pointer) {
    if (input.length - pointer < 2) return false;
    if (!isAsciiAlpha(input.charCodeAt(pointer))) return false;
    const second = input.charCodeAt(pointer + 1);
    if (second !== 0x3a && second !== 0x7c) return false;
    if (input.length - pointer === 2) return true;
    const third = input.charCodeAt(pointer + 2);
    return third === 0x2f || third === 0x5c || third === 0x3f || third === 0x23;
  }

  function isSingleDotSegment(segment) {
    return segment === '.' || (segment.length === 3 && segment.toLowerCase() === '%2e');
  }

  function isDoubleDotSegment(segment) {
    switch (segment.length) {
      case 2:
        return segment === '..';
      case 4: {
        const lower = segment.toLowerCase();
        return lower === '.%2e' || lower === '%2e.';
      }
      case 6:
        return segment.toLowerCase() === '%2e%2e';
      default:
        return false;
    }
  }

  function shortenPath(url) {
    const path = url.path;
    if (url.scheme === 'file' && path.length === 1 && isNormalizedWindowsDriveLetter(path[0])) return;
    path.pop();
  }

  // The basic URL parser. Without url, parses input (against base, a URLRecord or null) and returns
  // a new URLRecord, or null for failure. With url and stateOverride, as the setters call it,
  // changes url in place; the result then only says whether the parse failed (null), and changes
  // made before a failure stay, as the standard specifies.
  function basicParse(rawInput, base, url, stateOverride) {
    if (url === null) url = new URLRecord();
    const input = prepareInput(rawInput, stateOverride === 0);
    const length = input.length;
    let state = stateOverride === 0 ? SCHEME_START : stateOverride;
    let pointer = 0;

    // Each state reads c at pointer (-1 past the end). "Next code point" is pointer + 1; staying at
    // the same pointer makes the next state process c again, as "decrease pointer by 1" does in the
    // standard. The loop ends once pointer has moved past the end-of-input position.
    while (pointer <= length) {
      const c = pointer < length ? input.charCodeAt(pointer) : -1;
      switch (state) {
        case SCHEME_START:
          if (isAsciiAlpha(c)) {
            state = SCHEME;
          } else if (stateOverride === 0) {
            state = NO_SCHEME;
          } else {
            return null;
          }
          break;

        case SCHEME: {
          let end = pointer;
          while (end < length && isSchemeCodePoint(input.charCodeAt(end))) end++;
          if (end === length || input.charCodeAt(end) !== 0x3a) {
            if (stateOverride !== 0) return null;
            state = NO_SCHEME;
            pointer = 0;
            break;
          }
          const scheme = input.slice(pointer, end).toLowerCase();
          if (stateOverride !== 0) {
            const newIsSpecial = SPECIAL_SCHEMES.has(scheme);
            if (url.special !== newIsSpecial) return url;
            if ((url.includesCredentials() || url.port !== null) && scheme === 'file') return url;
            if (url.scheme === 'file' && url.host === '') return url;
          }
          url.setScheme(scheme);
          if (stateOverride !== 0) {
            if (url.port !== null && url.port === defaultPort(scheme)) url.port = null;
            return url;
          }
          pointer = end + 1;
          if (scheme === 'file') {
            state = FILE;
          } else if (url.special && base !== null && base.scheme === scheme) {
            state = SPECIAL_RELATIVE_OR_AUTHORITY;
          } else if (url.special) {
            state = SPECIAL_AUTHORITY_SLASHES;
          } else if (pointer < length && input.charCodeAt(pointer) === 0x2f) {
            state = PATH_OR_AUTHORITY;
            pointer++;
          } else {
            url.path = '';
            state = OPAQUE_PATH;
          }
          break;
        }

        case NO_SCHEME:
          if (base === null || (base.hasOpaquePath() && c !== 0x23)) return null;
          if (base.hasOpaquePath()) {
            url.setScheme(base.scheme);
            url.path = base.path;
            url.query = base.query;
            url.fragment = '';
            state = FRAGMENT;
            pointer++;
          } else {
            state = base.scheme === 'file' ? FILE : RELATIVE;
          }
          break;

        case SPECIAL_RELATIVE_OR_AUTHORITY:
          if (c === 0x2f && pointer + 1 < length && input.charCodeAt(pointer + 1) === 0x2f) {
            state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
            pointer += 2;
          } else {
            state = RELATIVE;
          }
          break;

        case PATH_OR_AUTHORITY:
          if (c === 0x2f) {
            state = AUTHORITY;
            pointer++;
          } else {
            state = PATH;
          }
          break;

        case RELATIVE:
          url.setScheme(base.scheme);
          if (c === 0x2f || (url.special && c === 0x5c)) {
            state = RELATIVE_SLASH;
            pointer++;
            break;
          }
          url.username = base.username;
          url.password = base.password;
          url.host = base.host;
          url.port = base.port;
          url.path = base.path.slice();
          url.query = base.query;
          if (c === 0x3f) {
            url.query = '';
            state = QUERY;
          } else if (c === 0x23) {
            url.fragment = '';
            state = FRAGMENT;
          } else if (c !== -1) {
            url.query = null;
            shortenPath(url);
            state = PATH;
            break;
          }
          pointer++;
          break;

        case RELATIVE_SLASH:
          if (url.special && (c === 0x2f || c === 0x5c)) {
            state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
            pointer++;
          } else if (c === 0x2f) {
            state = AUTHORITY;
            pointer++;
          } else {
            url.username = base.username;
            url.password = base.password;
            url.host = base.host;
            url.port = base.port;
            state = PATH;
          }
          break;

        case SPECIAL_AUTHORITY_SLASHES:
          state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
          if (c === 0x2f && pointer + 1 < length && input.charCodeAt(pointer + 1) === 0x2f) pointer += 2;
          break;

        case SPECIAL_AUTHORITY_IGNORE_SLASHES:
          while (pointer < length && (input.charCodeAt(pointer) === 0x2f || input.charCodeAt(pointer) === 0x5c)) pointer++;
          state = AUTHORITY;
          break;

        case AUTHORITY: {
          // The credentials end at the last "@" before the end of the authority. Earlier "@"s belong
          // to them and are percent-encoded, and the first ":" separates username from password.
          let end = pointer;
          let lastAt = -1;
          for (; end < length; end++) {
            const d = input.charCodeAt(end);
            if (d === 0x2f || d === 0x3f || d === 0x23 || (url.special && d === 0x5c)) break;
            if (d === 0x40) lastAt = end;
          }
          if (lastAt !== -1) {
            const colon = input.indexOf(':', pointer);
            if (colon !== -1 && colon < lastAt) {
              url.username = percentEncode(input, pointer, colon, USERINFO_SET, false);
              url.password = percentEncode(input, colon + 1, lastAt, USERINFO_SET, false);
            } else {
              url.username = percentEncode(input, pointer, lastAt, USERINFO_SET, false);
            }
            if (lastAt + 1 === end) return null;
            pointer = lastAt + 1;
          }
          state = HOST;
          break;
        }

        case HOST:
        case HOSTNAME: {
          if (stateOverride !== 0 && url.scheme === 'file') {
            state = FILE_HOST;
            break;
          }
          let end = pointer;
          let insideBrackets = false;
          let atColon = false;
          for (; end < length; end++) {
            const d = input.charCodeAt(end);
            if (d === 0x3a && !insideBrackets) {
              atColon = true;
              break;
            }
            if (d === 0x2f || d === 0x3f || d === 0x23 || (url.special && d === 0x5c)) break;
            if (d === 0x5b) insideBrackets = true;
            else if (d === 0x5d) insideBrackets = false;
          }
          const buffer = input.slice(pointer, end);
          if (atColon) {
            if (buffer === '') return null;
            if (stateOverride === HOSTNAME) return null;
            const parsedHost = parseHost(buffer, !url.special);
            if (parsedHost === null) return null;
            url.host = parsedHost;
            state = PORT;
            pointer = end + 1;
            break;
          }
          if (url.special && buffer === '') return null;
          if (stateOverride !== 0 && buffer === '' && (url.includesCredentials() || url.port !== null)) return null;
          const parsedHost = parseHost(buffer, !url.special);
          if (parsedHost === null) return null;
          url.host = parsedHost;
          if (stateOverride !== 0) return url;
          state = PATH_START;
          pointer = end;
          break;
        }

        case PORT: {
          let end = pointer;
          let port = 0;
          while (end < length) {
            const d = input.charCodeAt(end);
            if (d < 0x30 || d > 0x39) break;
            // Clamp so that a long run of digits stays an exact integer above the limit.
            port = Math.min(port * 10 + (d - 0x30), 0x10000);
            end++;
          }
          const d = end < length ? input.charCodeAt(end) : -1;
          if (d === -1 || d === 0x2f || d === 0x3f || d === 0x23 || (url.special && d === 0x5c) || stateOverride !== 0) {
            if (end > pointer) {
              if (port > 0xffff) return null;
              url.port = port === defaultPort(url.scheme) ? null : port;
              if (stateOverride !== 0) return url;
            }
            if (stateOverride !== 0) return null;
            state = PATH_START;
            pointer = end;
            break;
          }
          return null;
        }

        case FILE:
          url.setScheme('file');
          url.host = '';
          if (c === 0x2f || c === 0x5c) {
            state = FILE_SLASH;
            pointer++;
          } else if (base !== null && base.scheme === 'file') {
            url.host = base.host;
            url.path = base.path.slice();
            url.query = base.query;
            if (c === 0x3f) {
              url.query = '';
              state = QUERY;
              pointer++;
            } else if (c === 0x23) {
              url.fragment = '';
              state = FRAGMENT;
              pointer++;
            } else if (c !== -1) {
              url.query = null;
              if (!startsWithWindowsDriveLetter(input, pointer)) shortenPath(url);
              else url.path = [];
              state = PATH;
            } else {
              pointer++;
            }
          } else {
            state = PATH;
          }
          break;

        case FILE_SLASH:
          if (c === 0x2f || c === 0x5c) {
            state = FILE_HOST;
            pointer++;
            break;
          }
          if (base !== null && base.scheme === 'file') {
            url.host = base.host;
            if (!startsWithWindowsDriveLetter(input, pointer) && base.path.length > 0
                && isNormalizedWindowsDriveLetter(base.path[0])) {
              url.path.push(base.path[0]);
            }
          }
          state = PATH;
          break;

        case FILE_HOST: {
          let end = pointer;
          while (end < length) {
            const d = input.charCodeAt(end);
            if (d === 0x2f || d === 0x5c || d === 0x3f || d === 0x23) break;
            end++;
          }
          const buffer = input.slice(pointer, end);
          if (stateOverride === 0 && isWindowsDriveLetter(buffer)) {
            // "file://C:/x": the drive letter is the first path segment, not a host. The path state
            // reads it again from the same position.
            state = PATH;
            break;
          }
          if (buffer === '') {
            url.host = '';
          } else {
            const parsedHost = parseHost(buffer, !url.special);
            if (parsedHost === null) return null;
            url.host = parsedHost === 'localhost' ? '' : parsedHost;
          }
          if (stateOverride !== 0) return url;
          state = PATH_START;
          pointer = end;
          break;
        }

        case PATH_START:
          if (url.special) {
            state = PATH;
            if (c === 0x2f || c === 0x5c) pointer++;
          } else if (stateOverride === 0 && c === 0x3f) {
            url.query = '';
            state = QUERY;
            pointer++;
          } else if (stateOverride === 0 && c === 0x23) {
            url.fragment = '';
            state = FRAGMENT;
            pointer++;
          } else if (c !== -1) {
            state = PATH;
            if (c === 0x2f) pointer++;
          } else {
            if (stateOverride !== 0 && url.host === null) url.path.push('');
            pointer++;
          }
          break;

        case PATH: {
          // One segment per pass: scan to its end, then apply the dot-segment and drive-letter rules.
          let end = pointer;
          for (; end < length; end++) {
            const d = input.charCodeAt(end);
            if (d === 0x2f || (url.special && d === 0x5c)) break;
            if (stateOverride === 0 && (d === 0x3f || d === 0x23)) break;
          }
          let segment = percentEncode(input, pointer, end, PATH_SET, false);
          const d = end < length ? input.charCodeAt(end) : -1;
          const atSlash = d === 0x2f || (url.special && d === 0x5c);
          if (isDoubleDotSegment(segment)) {
            shortenPath(url);
            if (!atSlash) url.path.push('');
          } else if (isSingleDotSegment(segment)) {
            if (!atSlash) url.path.push('');
          } else {
            if (url.scheme === 'file' && url.path.length === 0 && isWindowsDriveLetter(segment)) {
              segment = segment.charAt(0) + ':';
            }
            url.path.push(segment);
          }
          pointer = end + 1;
          if (d === 0x3f) {
            url.query = '';
            state = QUERY;
          } else if (d === 0x23) {
            url.fragment = '';
            state = FRAGMENT;
          }
          break;
        }

        case OPAQUE_PATH: {
          let end = pointer;
          while (end < length) {
            const d = input.charCodeAt(end);
            if (d === 0x3f || d === 0x23) break;
            end++;
          }
          // A space just before "?" or "#" is encoded, so that removing the query or fragment later
          // cannot leave a trailing space that the next parse would strip.
          if (end < length && end > pointer && input.charCodeAt(end - 1) === 0x20) {
            url.path = percentEncode(input, pointer, end - 1, C0_CONTROL_SET, false) + '%20';
          } else {
            url.path = percentEncode(input, pointer, end, C0_CONTROL_SET, false);
          }
          const d = end < length ? input.charCodeAt(end) : -1;
          pointer = end + 1;
          if (d === 0x3f) {
            url.query = '';
            state = QUERY;
          } else if (d === 0x23) {
            url.fragment = '';
            state = FRAGMENT;
          }
          break;
        }

        case QUERY: {
          let end = length;
          if (stateOverride === 0) {
            end = input.indexOf('#', pointer);
            if (end === -1) end = length;
          }
          url.query += percentEncode(input, pointer, end, url.special ? SPECIAL_QUERY_SET : QUERY_SET, false);
          pointer = end + 1;
          if (end < length) {
            url.fragment = '';
            state = FRAGMENT;
          }
          break;
        }

        case FRAGMENT:
          url.fragment += percentEncode(input, pointer, length, FRAGMENT_SET, false);
          pointer = length + 1;
          break;

        default:
          throw new Error('URL parser reached an unknown state ' + state);
      }
    }
    return url;
  }

  // ---------------------------------------------------------------------------------------------
  // application/x-www-form-urlencoded.

  // Parses a form-encoded string into a list of [name, value] pairs.
  function parseFormEncoded(input) {
    const list = [];
    const length = input.length;
    let start = 0;
    while (start < length) {
      let end = input.indexOf('&', start);
      if (end === -1) end = length;
      if (end > start) {
        const equals = input.indexOf('=', start);
        if (equals !== -1 && equals < end) {
          list.push([percentDecode(input.slice(start, equals), true), percentDecode(input.slice(equals + 1, end), true)]);
        } else {
          list.push([percentDecode(input.slice(start, end), true), '']);
        }
      }
      start = end + 1;
    }
    return list;
  }

  function serializeFormEncoded(list) {
    let out = '';
    for (let i = 0; i < list.length; i++) {
      const name = list[i][0];
      const value = list[i][1];
      if (i > 0) out += '&';
      out += percentEncode(name, 0, name.length, FORM_SET, true) + '=' + percentEncode(value, 0, value.length, FORM_SET, true);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // The URL class.

  // Set by the static blocks below, so that each class can reach the other's private state.
  let setQueryFromSearchParams;
  let newSearchParamsFor;
  let replaceSearchParamsList;
  let readList;

  // Passed as the first constructor argument by URL.parse, with an already parsed URLRecord as the
  // second. Guest code cannot obtain this object.
  const FROM_RECORD = Object.freeze({});

  // kind is "URL" or "base URL".
  function invalidURL(input, kind) {
    return new TypeError(`Invalid ${kind} string: ${quoteInput(input)}`);
  }

  // Parses url against base as the constructor does, but returns null instead of throwing.
  function parseWithBase(url, base) {
    const input = toUSVString(url);
    let parsedBase = null;
    if (base !== undefined) {
      parsedBase = basicParse(toUSVString(base), null, null, 0);
      if (parsedBase === null) return null;
    }
    return basicParse(input, parsedBase, null, 0);
  }

  // Parsing is the costly part of `new URL(string)`, and servers parse the same few URLs over and
  // over (request.url in each handler, then again for each stub call), so results of absolute URLs
  // are kept by input string. Records are mutable, so the cache holds its own copy and hands out
  // copies. The map is cleared when full, which keeps it bounded without bookkeeping.
  const PARSE_CACHE_LIMIT = 256;
  const parseCache = new Map();

  function copyRecord(record) {
    const copy = new URLRecord();
    copy.scheme = record.scheme;
    copy.special = record.special;
    copy.username = record.username;
    copy.password = record.password;
    copy.host = record.host;
    copy.port = record.port;
    copy.path = typeof record.path === 'string' ? record.path : record.path.slice();
    copy.query = record.query;
    copy.fragment = record.fragment;
    return copy;
  }

  function parseAbsolute(input) {
    const cached = parseCache.get(input);
    if (cached !== undefined) return copyRecord(cached);
    const record = basicParse(input, null, null, 0);
    if (record !== null) {
      if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.clear();
      parseCache.set(input, copyRecord(record));
    }
    return record;
  }

  class URL {
    #url;
    // The URLSearchParams object, created on first use of searchParams; null until then.
    #searchParams = null;
    // The serialized URL, or null after a change until href is read again.
    #href = null;

    constructor(url, base = undefined) {
      if (url === FROM_RECORD) {
        this.#url = base;
        return;
      }
      requireArguments(arguments.length, 1, 'URL constructor');
      const input = toUSVString(url);
      let parsedBase = null;
      if (base !== undefined) {
        const baseInput = toUSVString(base);
        parsedBase = basicParse(baseInput, null, null, 0);
        if (parsedBase === null) throw invalidURL(baseInput, 'base URL');
      }
      const record = parsedBase === null ? parseAbsolute(input) : basicParse(input, parsedBase, null, 0);
      if (record === null) throw invalidURL(input, 'URL');
      this.#url = record;
    }

    static canParse(url, base = undefined) {
      requireArguments(arguments.length, 1, 'URL.canParse');
      return parseWithBase(url, base) !== null;
    }

    static parse(url, base = undefined) {
      requireArguments(arguments.length, 1, 'URL.parse');
      const record = parseWithBase(url, base);
      return record === null ? null : new URL(FROM_RECORD, record);
    }

    static {
      setQueryFromSearchParams = (urlObject, serializedQuery) => {
        urlObject.#url.query = serializedQuery === '' ? null : serializedQuery;
        urlObject.#href = null;
      };
    }

    get href() {
      if (this.#href === null) this.#href = serializeURL(this.#url, false);
      return this.#href;
    }

    set href(value) {
      const input = toUSVString(value);
      const record = basicParse(input, null, null, 0);
      if (record === null) throw invalidURL(input, 'URL');
      this.#url = record;
      this.#href = null;
      if (this.#searchParams !== null) replaceSearchParamsList(this.#searchParams, record.query);
    }

    get origin() {
      return serializeOrigin(this.#url);
    }

    get protocol() {
      return this.#url.scheme + ':';
    }

    set protocol(value) {
      basicParse(toUSVString(value) + ':', null, this.#url, SCHEME_START);
      this.#href = null;
    }

    get username() {
      return this.#url.username;
    }

    set username(value) {
      const input = toUSVString(value);
      if (this.#url.cannotHaveCredentialsOrPort()) return;
      this.#url.username = percentEncode(input, 0, input.length, USERINFO_SET, false);
      this.#href = null;
    }

    get password() {
      return this.#url.password;
    }

    set password(value) {
      const input = toUSVString(value);
      if (this.#url.cannotHaveCredentialsOrPort()) return;
      this.#url.password = percentEncode(input, 0, input.length, USERINFO_SET, false);
      this.#href = null;
    }

    get host() {
      const url = this.#url;
      if (url.host === null) return '';
      return url.port === null ? url.host : url.host + ':' + url.port;
    }

    set host(value) {
      const input = toUSVString(value);
      if (this.#url.hasOpaquePath()) return;
      basicParse(input, null, this.#url, HOST);
      this.#href = null;
    }

    get hostname() {
      const host = this.#url.host;
      return host === null ? '' : host;
    }

    set hostname(value) {
      const input = toUSVString(value);
      if (this.#url.hasOpaquePath()) return;
      basicParse(input, null, this.#url, HOSTNAME);
      this.#href = null;
    }

    get port() {
      const port = this.#url.port;
      return port === null ? '' : String(port);
    }

    set port(value) {
      const input = toUSVString(value);
      if (this.#url.cannotHaveCredentialsOrPort()) return;
      if (input === '') this.#url.port = null;
      else basicParse(input, null, this.#url, PORT);
      this.#href = null;
    }

    get pathname() {
      return serializePath(this.#url);
    }

    set pathname(value) {
      const input = toUSVString(value);
      if (this.#url.hasOpaquePath()) return;
      this.#url.path = [];
      basicParse(input, null, this.#url, PATH_START);
      this.#href = null;
    }

    get search() {
      const query = this.#url.query;
      return query === null || query === '' ? '' : '?' + query;
    }

    set search(value) {
      const input = toUSVString(value);
      const url = this.#url;
      this.#href = null;
      if (input === '') {
        url.query = null;
        if (this.#searchParams !== null) replaceSearchParamsList(this.#searchParams, null);
        return;
      }
      const query = input.charCodeAt(0) === 0x3f ? input.slice(1) : input;
      url.query = '';
      basicParse(query, null, url, QUERY);
      if (this.#searchParams !== null) replaceSearchParamsList(this.#searchParams, query);
    }

    get searchParams() {
      if (this.#searchParams === null) this.#searchParams = newSearchParamsFor(this, this.#url.query);
      return this.#searchParams;
    }

    get hash() {
      const fragment = this.#url.fragment;
      return fragment === null || fragment === '' ? '' : '#' + fragment;
    }

    set hash(value) {
      const input = toUSVString(value);
      const url = this.#url;
      this.#href = null;
      if (input === '') {
        url.fragment = null;
        return;
      }
      url.fragment = '';
      basicParse(input.charCodeAt(0) === 0x23 ? input.slice(1) : input, null, url, FRAGMENT);
    }

    toString() {
      return this.href;
    }

    toJSON() {
      return this.href;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The URLSearchParams class.

  // Passed as the first constructor argument when a URL creates its searchParams object.
  const FOR_URL = Object.freeze({});

  class URLSearchParams {
    // The list of [name, value] pairs; each pair array is private and never handed out.
    #list;
    // The URL object whose query this list mirrors, or null.
    #url = null;

    constructor(init = '') {
      if (init === FOR_URL) {
        this.#list = [];
        return;
      }
      if ((typeof init === 'object' && init !== null) || typeof init === 'function') {
        const iteratorMethod = init[Symbol.iterator];
        this.#list = iteratorMethod === undefined ? listFromRecord(init) : listFromPairs(init, iteratorMethod);
        return;
      }
      const string = toUSVString(init);
      this.#list = parseFormEncoded(string.charCodeAt(0) === 0x3f ? string.slice(1) : string);
    }

    static {
      newSearchParamsFor = (urlObject, query) => {
        const params = new URLSearchParams(FOR_URL);
        params.#url = urlObject;
        params.#list = query === null ? [] : parseFormEncoded(query);
        return params;
      };
      replaceSearchParamsList = (params, query) => {
        params.#list = query === null ? [] : parseFormEncoded(query);
      };
    }

    // Writes the list back to the owning URL's query; called after every change to the list.
    #update() {
      if (this.#url !== null) setQueryFromSearchParams(this.#url, serializeFormEncoded(this.#list));
    }

    get size() {
      return this.#list.length;
    }

    append(name, value) {
      const list = this.#list;
      requireArguments(arguments.length, 2, 'URLSearchParams.append');
      list.push([toUSVString(name), toUSVString(value)]);
      this.#update();
    }

    delete(name, value = undefined) {
      const list = this.#list;
      requireArguments(arguments.length, 1, 'URLSearchParams.delete');
      const key = toUSVString(name);
      const matchValue = value === undefined ? undefined : toUSVString(value);
      this.#list = list.filter((pair) => pair[0] !== key || (matchValue !== undefined && pair[1] !== matchValue));
      this.#update();
    }

    get(name) {
      const list = this.#list;
      requireArguments(arguments.length, 1, 'URLSearchParams.get');
      const key = toUSVString(name);
      for (let i = 0; i < list.length; i++) {
        if (list[i][0] === key) return list[i][1];
      }
      return null;
    }

    getAll(name) {
      const list = this.#list;
      requireArguments(arguments.length, 1, 'URLSearchParams.getAll');
      const key = toUSVString(name);
      const values = [];
      for (let i = 0; i < list.length; i++) {
        if (list[i][0] === key) values.push(list[i][1]);
      }
      return values;
    }

    has(name, value = undefined) {
      const list = this.#list;
      requireArguments(arguments.length, 1, 'URLSearchParams.has');
      const key = toUSVString(name);
      const matchValue = value === undefined ? undefined : toUSVString(value);
      for (let i = 0; i < list.length; i++) {
        if (list[i][0] === key && (matchValue === undefined || list[i][1] === matchValue)) return true;
      }
      return false;
    }

    set(name, value) {
      const list = this.#list;
      requireArguments(arguments.length, 2, 'URLSearchParams.set');
      const key = toUSVString(name);
      const newValue = toUSVString(value);
      const index = list.findIndex((pair) => pair[0] === key);
      if (index === -1) {
        list.push([key, newValue]);
      } else {
        list[index] = [key, newValue];
        this.#list = list.filter((pair, i) => i <= index || pair[0] !== key);
      }
      this.#update();
    }

    // Sorts by name, comparing UTF-16 code units, and keeps the order of pairs with equal names
    // (Array.prototype.sort is stable).
    sort() {
      this.#list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      this.#update();
    }

    forEach(callback, thisArg = undefined) {
      readList(this);
      requireArguments(arguments.length, 1, 'URLSearchParams.forEach');
      if (typeof callback !== 'function') {
        throw new TypeError('URLSearchParams.forEach requires a function as its callback, got ' + typeof callback + '.');
      }
      // Reads the list again on each step, so that changes made by the callback are seen.
      for (let i = 0; i < this.#list.length; i++) {
        const pair = this.#list[i];
        callback.call(thisArg, pair[1], pair[0], this);
      }
    }

    keys() {
      return newSearchParamsIterator(this, KIND_KEYS);
    }

    values() {
      return newSearchParamsIterator(this, KIND_VALUES);
    }

    entries() {
      return newSearchParamsIterator(this, KIND_ENTRIES);
    }

    toString() {
      return serializeFormEncoded(this.#list);
    }

    static {
      readList = (params) => params.#list;
    }
  }

  function listFromPairs(init, iteratorMethod) {
    if (typeof iteratorMethod !== 'function') {
      throw new TypeError('URLSearchParams: the Symbol.iterator property of the init object is not a function.');
    }
    const list = [];
    const iterator = iteratorMethod.call(init);
    for (const pair of { [Symbol.iterator]: () => iterator }) {
      const isObject = (typeof pair === 'object' && pair !== null) || typeof pair === 'function';
      if (!isObject || typeof pair[Symbol.iterator] !== 'function') {
        throw new TypeError('URLSearchParams: each init pair must be an iterable [name, value], got ' + (pair === null ? 'null' : typeof pair) + '.');
      }
      const items = Array.from(pair);
      if (items.length !== 2) {
        throw new TypeError(`URLSearchParams: each init pair must have exactly 2 items, got ${items.length}.`);
      }
      list.push([toUSVString(items[0]), toUSVString(items[1])]);
    }
    return list;
  }

  // Web IDL's record<USVString, USVString>: own enumerable keys in property order. A symbol key
  // throws in the string conversion. Keys that become equal after the conversion keep the first
  // position and the last value.
  function listFromRecord(init) {
    const byName = new Map();
    for (const key of Reflect.ownKeys(init)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(init, key);
      if (descriptor === undefined || !descriptor.enumerable) continue;
      const name = toUSVString(key);
      byName.set(name, toUSVString(init[key]));
    }
    return Array.from(byName, (entry) => [entry[0], entry[1]]);
  }

  // ---------------------------------------------------------------------------------------------
  // URLSearchParams iterators. Like Web IDL's pair iterators they read the live list by index, so
  // pairs appended during iteration are visited.

  const KIND_KEYS = 0;
  const KIND_VALUES = 1;
  const KIND_ENTRIES = 2;

  class URLSearchParamsIterator {
    #params;
    #kind;
    #index = 0;

    constructor(params, kind) {
      this.#params = params;
      this.#kind = kind;
    }

    next() {
      const list = readList(this.#params);
      if (this.#index >= list.length) return { value: undefined, done: true };
      const pair = list[this.#index++];
      const kind = this.#kind;
      const value = kind === KIND_KEYS ? pair[0] : kind === KIND_VALUES ? pair[1] : [pair[0], pair[1]];
      return { value, done: false };
    }
  }

  function newSearchParamsIterator(params, kind) {
    readList(params);
    return new URLSearchParamsIterator(params, kind);
  }

  // ---------------------------------------------------------------------------------------------
  // Installation.

  // Web IDL members are enumerable, unlike class members, and the iterator prototype inherits from
  // %IteratorPrototype% and has no reachable constructor.
  function makeMembersEnumerable(target) {
    for (const key of Reflect.ownKeys(target)) {
      if (key === 'constructor' || key === 'prototype' || key === 'length' || key === 'name') continue;
      const descriptor = Reflect.getOwnPropertyDescriptor(target, key);
      descriptor.enumerable = true;
      Reflect.defineProperty(target, key, descriptor);
    }
  }

  makeMembersEnumerable(URL.prototype);
  makeMembersEnumerable(URL);
  makeMembersEnumerable(URLSearchParams.prototype);
  Object.defineProperty(URLSearchParams.prototype, Symbol.iterator, {
    value: URLSearchParams.prototype.entries, writable: true, enumerable: false, configurable: true,
  });
  Object.defineProperty(URL.prototype, Symbol.toStringTag, { value: 'URL', configurable: true });
  Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag, { value: 'URLSearchParams', configurable: true });

  const iteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
  Object.setPrototypeOf(URLSearchParamsIterator.prototype, iteratorPrototype);
  delete URLSearchParamsIterator.prototype.constructor;
  makeMembersEnumerable(URLSearchParamsIterator.prototype);
  Object.defineProperty(URLSearchParamsIterator.prototype, Symbol.toStringTag, {
    value: 'URLSearchParams Iterator', configurable: true,
  });

  for (const [name, value] of [['URL', URL], ['URLSearchParams', URLSearchParams]]) {
    Object.defineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });
  }
  internals.URL = URL;
  internals.URLSearchParams = URLSearchParams;
})
