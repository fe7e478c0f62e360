// FormData, and the two encodings a body gives it: multipart/form-data (RFC 7578) and
// application/x-www-form-urlencoded.
//
// A FormData is an ordered list of entries. Each has a name and a value, a string or a File. The
// list lives in a WeakMap of this file. Encoding follows workerd: a random hex boundary, names and file
// names with '"' and newlines percent-escaped, and a file's type or application/octet-stream.
// Parsing reads bytes, so a file part keeps its exact bytes; a part without a filename becomes a
// string.
//
// Other runtime files use these internals:
//   isFormData(value)
//   encodeFormData(formData) -> { bytes: Uint8Array, contentType }
//   parseFormData(bytes, contentType) -> FormData   throws workerd's TypeErrors for bad input
(function (host, internals) {
  'use strict';

  const entriesOf = new WeakMap();

  class FormData {
    constructor() {
      entriesOf.set(this, []);
    }

    /** Adds an entry; a Blob becomes a File named `filename`, or "blob" without one. */
    append(name, value, filename = undefined) {
      requireArguments(arguments.length, 2, 'append');
      entriesOfForm(this, 'append').push(newEntry(name, value, filename, arguments.length));
    }

    /** Replaces the first entry named `name` and removes the others, or appends when there is none. */
    set(name, value, filename = undefined) {
      requireArguments(arguments.length, 2, 'set');
      const entries = entriesOfForm(this, 'set');
      const entry = newEntry(name, value, filename, arguments.length);
      const first = entries.findIndex((each) => each.name === entry.name);
      if (first < 0) {
        entries.push(entry);
        return;
      }
      entries[first] = entry;
      for (let i = entries.length - 1; i > first; i--) {
        if (entries[i].name === entry.name) {
          entries.splice(i, 1);
        }
      }
    }

    delete(name) {
      requireArguments(arguments.length, 1, 'delete');
      const entries = entriesOfForm(this, 'delete');
      const text = `${name}`;
      for (let i = entries.length - 1; i >= 0; i--) {
        if (entries[i].name === text) {
          entries.splice(i, 1);
        }
      }
    }

    get(name) {
      requireArguments(arguments.length, 1, 'get');
      const text = `${name}`;
      const entry = entriesOfForm(this, 'get').find((each) => each.name === text);
      return entry === undefined ? null : entry.value;
    }

    getAll(name) {
      requireArguments(arguments.length, 1, 'getAll');
      const text = `${name}`;
      return entriesOfForm(this, 'getAll').filter((each) => each.name === text).map((each) => each.value);
    }

    has(name) {
      requireArguments(arguments.length, 1, 'has');
      const text = `${name}`;
      return entriesOfForm(this, 'has').some((each) => each.name === text);
    }

    forEach(callback, thisArg = undefined) {
      if (typeof callback !== 'function') {
        throw new TypeError('FormData.forEach needs a function to call for each entry.');
      }
      // Iterates over a live list, as the spec's iterator does: entries added meanwhile are visited.
      const entries = entriesOfForm(this, 'forEach');
      for (let i = 0; i < entries.length; i++) {
        callback.call(thisArg, entries[i].value, entries[i].name, this);
      }
    }

    * entries() {
      const entries = entriesOfForm(this, 'entries');
      for (let i = 0; i < entries.length; i++) {
        yield [entries[i].name, entries[i].value];
      }
    }

    * keys() {
      const entries = entriesOfForm(this, 'keys');
      for (let i = 0; i < entries.length; i++) {
        yield entries[i].name;
      }
    }

    * values() {
      const entries = entriesOfForm(this, 'values');
      for (let i = 0; i < entries.length; i++) {
        yield entries[i].value;
      }
    }

    [Symbol.iterator]() {
      return this.entries();
    }
  }

  function entriesOfForm(formData, method) {
    const entries = typeof formData === 'object' && formData !== null ? entriesOf.get(formData) : undefined;
    if (entries === undefined) {
      throw new TypeError(`FormData.prototype.${method} called on an object that is not a FormData.`);
    }
    return entries;
  }

  function requireArguments(given, needed, method) {
    if (given < needed) {
      throw new TypeError(`FormData.${method}() needs ${needed} argument${needed === 1 ? '' : 's'}, but got ${given}.`);
    }
  }

  // The spec's "create an entry": a string value is converted to a string, a Blob to a File.
  function newEntry(name, value, filename, argumentCount) {
    const bytes = internals.blobBytes(value);
    if (bytes === undefined) {
      if (argumentCount > 2) {
        throw new TypeError('FormData takes a filename only with a Blob or File value, not with a string.');
      }
      return { name: `${name}`, value: `${value}` };
    }
    if (value instanceof File && filename === undefined) {
      return { name: `${name}`, value };
    }
    const fileName = filename !== undefined ? `${filename}` : (value instanceof File ? value.name : 'blob');
    const lastModified = value instanceof File ? value.lastModified : undefined;
    return { name: `${name}`, value: new File([value], fileName, { type: value.type, lastModified }) };
  }

  // ---- multipart/form-data ------------------------------------------------------------------

  const CRLF = internals.utf8Encode('\r\n');
  // The ends of a part's headers, after the last header line: LF LF or LF CR LF. Each array fills
  // its own buffer, which the host reads whole.
  const LF_LF = new Uint8Array([0x0a, 0x0a]);
  const LF_CRLF = new Uint8Array([0x0a, 0x0d, 0x0a]);

  function encodeFormData(formData) {
    const boundary = randomBoundary();
    const chunks = [];
    for (const entry of entriesOfForm(formData, 'encode')) {
      let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapedName(entry.name)}"`;
      if (typeof entry.value === 'string') {
        chunks.push(internals.utf8Encode(head + '\r\n\r\n'), internals.utf8Encode(entry.value), CRLF);
        continue;
      }
      const type = entry.value.type === '' ? 'application/octet-stream' : entry.value.type;
      head += `; filename="${escapedName(entry.value.name)}"\r\nContent-Type: ${type}\r\n\r\n`;
      chunks.push(internals.utf8Encode(head), internals.blobBytes(entry.value), CRLF);
    }
    chunks.push(internals.utf8Encode(`--${boundary}--`));
    // A Blob of the chunks joins them into one new array.
    return { bytes: internals.blobBytes(new Blob(chunks)), contentType: `multipart/form-data; boundary=${boundary}` };
  }

  // 16 random bytes in hex: a boundary that a part's content is most unlikely to contain.
  function randomBoundary() {
    const bytes = new Uint8Array(host.randomBytes(16));
    let hex = '';
    for (const byte of bytes) {
      hex += byte.toString(16).padStart(2, '0');
    }
    return hex;
  }

  // Escapes a name for a quoted Content-Disposition parameter as workerd (and Chrome) do.
  function escapedName(name) {
    if (name.endsWith('\\')) {
      throw new TypeError(`A FormData name or filename cannot end with a backslash: ${JSON.stringify(name)}.`);
    }
    return name.replace(/\\/g, '\\\\').replace(/"/g, '%22').replace(/\n/g, '%0A');
  }

  function parseFormData(bytes, contentType) {
    const mime = contentType === null ? null : parseMimeType(contentType);
    const formData = new FormData();
    if (mime !== null && mime.essence === 'multipart/form-data') {
      const boundary = mime.parameters.get('boundary');
      if (boundary === undefined || boundary === '') {
        throw new TypeError('No boundary string in Content-Type header. The multipart/form-data MIME type requires a'
          + ' boundary parameter, e.g. \'Content-Type: multipart/form-data; boundary="abcd"\'. See RFC 7578, section 4.');
      }
      parseMultipart(bytes, boundary, entriesOf.get(formData));
      return formData;
    }
    if (mime !== null && mime.essence === 'application/x-www-form-urlencoded') {
      const charset = mime.parameters.get('charset');
      if (charset !== undefined && !['utf-8', 'utf8', 'unicode-1-1-utf-8'].includes(charset.toLowerCase())) {
        throw new TypeError(`Non-utf-8 application/x-www-form-urlencoded body (charset=${charset}). Send the form as UTF-8.`);
      }
      for (const [name, value] of new URLSearchParams(internals.utf8Decode(bytes))) {
        entriesOf.get(formData).push({ name, value });
      }
      return formData;
    }
    throw new TypeError(`Unrecognized Content-Type header value ${JSON.stringify(contentType)}. FormData can only parse`
      + ' the following MIME types: multipart/form-data, application/x-www-form-urlencoded');
  }

  // Reads the parts between "--boundary" lines: headers, a blank line, then the content up to the
  // next line break before a boundary. The first boundary may start the body or follow a preamble.
  function parseMultipart(bytes, boundary, entries) {
    const dashBoundary = internals.utf8Encode(`--${boundary}`).slice();
    const delimiter = internals.utf8Encode(`\n--${boundary}`).slice();
    let position = startsWith(bytes, dashBoundary, 0) ? dashBoundary.length : afterMatch(bytes, delimiter, 0);
    if (position < 0) {
      throw new TypeError('No initial boundary string (or you have a truncated message).');
    }
    while (true) {
      if (bytes[position] === 0x2d && bytes[position + 1] === 0x2d) {
        return;
      }
      position = afterLineBreak(bytes, position);

      const headersEnd = findHeadersEnd(bytes, position);
      if (headersEnd === null) {
        throw new TypeError('No multipart message header termination found.');
      }
      const part = partHeaders(internals.utf8Decode(bytes.subarray(position, headersEnd.start)));
      position = headersEnd.end;

      const next = indexOf(bytes, delimiter, position, bytes.length);
      if (next < 0) {
        throw new TypeError('No subsequent boundary string after multipart message.');
      }
      const contentEnd = next > position && bytes[next - 1] === 0x0d ? next - 1 : next;
      const content = bytes.subarray(position, contentEnd);
      entries.push({
        name: part.name,
        value: part.filename === undefined ? internals.utf8Decode(content)
          : new File([content], part.filename, { type: part.type }),
      });
      position = next + delimiter.length;
    }
  }

  function afterLineBreak(bytes, position) {
    if (bytes[position] === 0x0d && bytes[position + 1] === 0x0a) {
      return position + 2;
    }
    if (bytes[position] === 0x0a) {
      return position + 1;
    }
    throw new TypeError('Boundary string was not succeeded by CRLF, LF, or \'--\'.');
  }

  // Finds the blank line that ends a part's headers (CRLF or LF line breaks). The search for LF LF
  // stops where LF CR LF was found, so a body with CRLF line breaks is not scanned to its end.
  function findHeadersEnd(bytes, from) {
    const crlf = indexOf(bytes, LF_CRLF, from, bytes.length);
    const lf = indexOf(bytes, LF_LF, from, crlf < 0 ? bytes.length : crlf + LF_LF.length);
    if (lf >= 0) {
      return { start: lf, end: lf + LF_LF.length };
    }
    return crlf < 0 ? null : { start: crlf, end: crlf + LF_CRLF.length };
  }

  // Reads a part's Content-Disposition (which must be form-data with a name) and Content-Type.
  function partHeaders(text) {
    let disposition;
    let type = '';
    for (const line of text.split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon <= 0) {
        if (line.trim() !== '') {
          throw new TypeError(`FormData part had invalid headers: ${JSON.stringify(line)} has no "name: value" form.`);
        }
        continue;
      }
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-disposition') {
        disposition = value;
      } else if (name === 'content-type') {
        type = value;
      }
    }
    if (disposition === undefined) {
      throw new TypeError('No valid Content-Disposition header found in FormData part.');
    }
    const parsed = parseHeaderParameters(disposition);
    if (parsed.value.toLowerCase() !== 'form-data') {
      throw new TypeError('Content-Disposition header for FormData part must have the value "form-data", possibly'
        + ` followed by parameters. Got: "${parsed.value}"`);
    }
    const name = parsed.parameters.get('name');
    if (name === undefined) {
      throw new TypeError('Content-Disposition header in FormData part is missing a name.');
    }
    return { name, filename: parsed.parameters.get('filename'), type };
  }

  // Parses "type/subtype; name=value; name=\"quoted\"" into the lowercased essence and parameters.
  function parseMimeType(text) {
    const parsed = parseHeaderParameters(text);
    const essence = parsed.value.toLowerCase();
    return /^[^\s/]+\/[^\s/]+$/.test(essence) ? { essence, parameters: parsed.parameters } : null;
  }

  // Splits a header value into its first item and its parameters, with quoted strings unescaped.
  // Parameter names are lowercased; a repeated name keeps its first value.
  function parseHeaderParameters(text) {
    const semicolon = text.indexOf(';');
    const value = (semicolon < 0 ? text : text.slice(0, semicolon)).trim();
    const parameters = new Map();
    const pattern = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
    let match;
    while ((match = pattern.exec(text)) !== null) {
      const name = match[1].toLowerCase();
      if (!parameters.has(name)) {
        parameters.set(name, match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3].trim());
      }
    }
    return { value, parameters };
  }

  function startsWith(bytes, prefix, at) {
    if (at + prefix.length > bytes.length) {
      return false;
    }
    for (let i = 0; i < prefix.length; i++) {
      if (bytes[at + i] !== prefix[i]) {
        return false;
      }
    }
    return true;
  }

  // Searches in Java, because a loop over the bytes in JS boxes each byte while it runs interpreted.
  // `pattern` must fill its own buffer; the match must end by `end`.
  function indexOf(bytes, pattern, from, end) {
    const at = host.indexOfBytes(bytes.buffer, bytes.byteOffset + from, bytes.byteOffset + end, pattern.buffer);
    return at < 0 ? -1 : at - bytes.byteOffset;
  }

  function afterMatch(bytes, pattern, from) {
    const at = indexOf(bytes, pattern, from, bytes.length);
    return at < 0 ? -1 : at + pattern.length;
  }

  internals.isFormData = (value) => typeof value === 'object' && value !== null && entriesOf.has(value);
  internals.encodeFormData = encodeFormData;
  internals.parseFormData = parseFormData;

  Object.defineProperty(FormData.prototype, Symbol.toStringTag, { value: 'FormData', configurable: true });
  internals.markNotSerializable(FormData);
  Object.defineProperty(globalThis, 'FormData', { value: FormData, writable: true, enumerable: false, configurable: true });
})
