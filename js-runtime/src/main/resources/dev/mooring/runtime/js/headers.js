// Headers: the Fetch API header list, with workerd's semantics.
//
// Names are stored lowercase and compared case-insensitively. Each name maps to its values in
// insertion order. Iteration is sorted by name, joins the values of one name with ", ", and keeps
// each set-cookie value as its own entry (workerd's http_headers_getsetcookie behaviour). Iterators
// work on a snapshot taken when they are created, as in workerd, so changes made while iterating
// are not seen.
//
// A Headers object may be immutable: the runtime marks the headers of requests and responses that
// the host delivers, and of Response.redirect(), and append/set/delete then throw TypeError.
// Copies made with `new Headers(other)` are always mutable.
//
// Other runtime files reach the private state through these internals functions:
//   headersFromFlat(flat, immutable) -> Headers   flat = [name0, value0, name1, value1, ...]
//   headersToFlat(headers) -> [name0, value0, ...] one pair per value, sorted by name
//   cloneHeaders(headers) -> Headers               keeps the immutable flag (for clone())
//   setHeaderIfAbsent(headers, name, value)        bypasses the immutable flag and validation
//   isHeaders(value) -> boolean
//   headersAreImmutable(headers) -> boolean
(function (host, internals) {
  'use strict';

  const slotsOf = internals.slotsOf;

  const SET_COOKIE = 'set-cookie';

  // RFC 9110 token characters: visible ASCII except the separators ()<>@,;:\"/[]?={}.
  const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

  function isHttpWhitespace(code) {
    return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
  }

  // Converts like WebIDL: a symbol throws TypeError, and lone surrogates become U+FFFD.
  function toUsvString(value, what) {
    if (typeof value === 'symbol') {
      throw new TypeError('Cannot convert a Symbol value to a string for ' + what + '.');
    }
    const string = String(value);
    return typeof string.toWellFormed === 'function' ? string.toWellFormed() : string;
  }

  function normalizeName(name) {
    const string = toUsvString(name, 'a header name');
    if (!TOKEN.test(string)) {
      throw new TypeError('Invalid header name. ' + JSON.stringify(string) +
          ' is not an HTTP token: use only letters, digits and !#$%&\'*+-.^_`|~, with no spaces.');
    }
    return string.toLowerCase();
  }

  // Trims HTTP whitespace and rejects NUL, CR and LF. Like workerd, non-ASCII characters are
  // accepted (the host sends them as UTF-8). The message names the header but not the value,
  // because values often carry credentials.
  function normalizeValue(name, value) {
    const string = toUsvString(value, 'a header value');
    let start = 0;
    let end = string.length;
    while (start < end && isHttpWhitespace(string.charCodeAt(start))) {
      start++;
    }
    while (end > start && isHttpWhitespace(string.charCodeAt(end - 1))) {
      end--;
    }
    const trimmed = string.slice(start, end);
    if (/[\0\r\n]/.test(trimmed)) {
      throw new TypeError('Invalid header value. The value of header ' + JSON.stringify(String(name)) +
          ' contains a NUL, CR or LF character.');
    }
    return trimmed;
  }

  const headersIteratorSlots = new WeakMap();

  function headersIteratorSlotsOf(value) {
    return slotsOf(headersIteratorSlots, value);
  }

  class HeadersIterator {
    constructor(entries) {
      headersIteratorSlots.set(this, { entries, index: 0 });
    }

    next() {
      const slots = headersIteratorSlotsOf(this);
      if (slots.index >= slots.entries.length) {
        return { value: undefined, done: true };
      }
      return { value: slots.entries[slots.index++], done: false };
    }
  }

  const iteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
  Object.setPrototypeOf(HeadersIterator.prototype, iteratorPrototype);
  Object.defineProperty(HeadersIterator.prototype, Symbol.toStringTag, {
    value: 'Headers Iterator',
    configurable: true,
  });

  const headersSlots = new WeakMap();

  function headersSlotsOf(value) {
    return slotsOf(headersSlots, value);
  }

  function checkMutable(slots) {
    if (slots.immutable) {
      throw new TypeError("Can't modify immutable headers.");
    }
  }

  function appendUnchecked(slots, name, value) {
    const map = entriesOf(slots);
    const values = map.get(name);
    if (values === undefined) {
      map.set(name, [value]);
    } else {
      values.push(value);
    }
  }

  // Returns the name -> values map, unpacking a pending host list first.
  function entriesOf(slots) {
    const list = slots.hostList;
    if (list !== null) {
      slots.hostList = null;
      const map = slots.map;
      for (let i = 0; i < list.length; i += 2) {
        const name = String(list[i]).toLowerCase();
        const values = map.get(name);
        if (values === undefined) {
          map.set(name, [String(list[i + 1])]);
        } else {
          values.push(String(list[i + 1]));
        }
      }
    }
    return slots.map;
  }

  // Returns [name, value] pairs sorted by name, one per name with the values joined by ", ",
  // except for set-cookie, which yields one pair per value.
  function displayedEntries(slots) {
    const map = entriesOf(slots);
    const names = Array.from(map.keys()).sort();
    const entries = [];
    for (const name of names) {
      const values = map.get(name);
      if (name === SET_COOKIE) {
        for (const value of values) {
          entries.push([name, value]);
        }
      } else {
        entries.push([name, values.join(', ')]);
      }
    }
    return entries;
  }

  class Headers {
    constructor(init = undefined) {
      const slots = {
        // Lowercase name -> array of values, in insertion order. Read it through entriesOf(), which
        // first unpacks a pending host list.
        map: new Map(),
        // A flat [name, value, ...] list from the host with lowercase names, kept as it is until the
        // headers are read or changed. Most requests pass through a handler without anyone looking at
        // their headers, and then the list goes back to the host unchanged, with no copying.
        hostList: null,
        immutable: false,
      };
      headersSlots.set(this, slots);
      if (init === undefined) {
        return;
      }
      if (init === null || (typeof init !== 'object' && typeof init !== 'function')) {
        throw new TypeError("Failed to construct 'Headers': the init argument must be a Headers object, " +
            'a sequence of [name, value] pairs or a record of names to values.');
      }
      if (headersSlots.has(init)) {
        const initSlots = headersSlots.get(init);
        if (initSlots.hostList !== null) {
          slots.hostList = initSlots.hostList;
          return;
        }
        for (const [name, values] of initSlots.map) {
          slots.map.set(name, values.slice());
        }
        return;
      }
      if (typeof init[Symbol.iterator] === 'function') {
        for (const pair of init) {
          if (pair === null || typeof pair !== 'object' || typeof pair[Symbol.iterator] !== 'function') {
            throw new TypeError('To initialize a Headers object from a sequence, each element must be a ' +
                '[name, value] sequence.');
          }
          const items = Array.from(pair);
          if (items.length !== 2) {
            throw new TypeError('To initialize a Headers object from a sequence, each inner sequence ' +
                'must have exactly two elements.');
          }
          this.append(items[0], items[1]);
        }
        return;
      }
      for (const name of Object.keys(init)) {
        this.append(name, init[name]);
      }
    }

    append(name, value) {
      const slots = headersSlotsOf(this);
      checkMutable(slots);
      const normalizedValue = normalizeValue(name, value);
      appendUnchecked(slots, normalizeName(name), normalizedValue);
    }

    delete(name) {
      const slots = headersSlotsOf(this);
      checkMutable(slots);
      entriesOf(slots).delete(normalizeName(name));
    }

    get(name) {
      const values = entriesOf(headersSlotsOf(this)).get(normalizeName(name));
      return values === undefined ? null : values.join(', ');
    }

    // A non-standard method that Workers kept from before getSetCookie() existed. Like workerd,
    // it accepts only Set-Cookie, the one header whose values cannot be joined with commas.
    getAll(name) {
      if (normalizeName(name) !== SET_COOKIE) {
        throw new TypeError('getAll() can only be used with the header name "Set-Cookie".');
      }
      return this.getSetCookie();
    }

    getSetCookie() {
      const values = entriesOf(headersSlotsOf(this)).get(SET_COOKIE);
      return values === undefined ? [] : values.slice();
    }

    has(name) {
      return entriesOf(headersSlotsOf(this)).has(normalizeName(name));
    }

    set(name, value) {
      const slots = headersSlotsOf(this);
      checkMutable(slots);
      const normalizedValue = normalizeValue(name, value);
      entriesOf(slots).set(normalizeName(name), [normalizedValue]);
    }

    forEach(callback, thisArg = undefined) {
      if (typeof callback !== 'function') {
        throw new TypeError("Failed to execute 'forEach' on 'Headers': the callback must be a function.");
      }
      for (const [name, value] of displayedEntries(headersSlotsOf(this))) {
        callback.call(thisArg, value, name, this);
      }
    }

    entries() {
      return new HeadersIterator(displayedEntries(headersSlotsOf(this)));
    }

    keys() {
      return new HeadersIterator(displayedEntries(headersSlotsOf(this)).map((entry) => entry[0]));
    }

    values() {
      return new HeadersIterator(displayedEntries(headersSlotsOf(this)).map((entry) => entry[1]));
    }
  }

  internals.isHeaders = (value) => value !== null && typeof value === 'object' && headersSlots.has(value);

  internals.headersAreImmutable = (headers) => headersSlotsOf(headers).immutable;

  // Host headers were validated by the HTTP layer, so like workerd they are stored unchecked.
  internals.headersFromFlat = (flat, immutable) => {
    const headers = new Headers();
    const length = flat === null || flat === undefined ? 0 : flat.length;
    // A Java List has no length under HostAccess.CONSTRAINED; the host wraps it in a ProxyArray.
    if (typeof length !== 'number' || length % 2 !== 0) {
      throw new TypeError('Expected a flat header list [name, value, ...] with an even length ' +
          '(a JS array or a ProxyArray), got ' + Object.prototype.toString.call(flat) + ' with length ' + length + '.');
    }
    const slots = headersSlots.get(headers);
    slots.hostList = flat;
    slots.immutable = Boolean(immutable);
    return headers;
  };

  // A host list that was never unpacked is returned as it came: the same object, in its own order.
  internals.headersToFlat = (headers) => {
    const slots = headersSlotsOf(headers);
    if (slots.hostList !== null) {
      return slots.hostList;
    }
    const map = slots.map;
    const flat = [];
    for (const name of Array.from(map.keys()).sort()) {
      for (const value of map.get(name)) {
        flat.push(name, value);
      }
    }
    return flat;
  };

  internals.cloneHeaders = (headers) => {
    const copy = new Headers(headers);
    headersSlots.get(copy).immutable = headersSlotsOf(headers).immutable;
    return copy;
  };

  internals.setHeaderIfAbsent = (headers, name, value) => {
    const map = entriesOf(headersSlotsOf(headers));
    if (!map.has(name)) {
      map.set(name, [value]);
    }
  };

  Object.defineProperty(Headers.prototype, Symbol.iterator, {
    value: Headers.prototype.entries,
    writable: true,
    configurable: true,
  });
  Object.defineProperty(Headers.prototype, Symbol.toStringTag, { value: 'Headers', configurable: true });
  internals.markNotSerializable(Headers);

  Object.defineProperty(globalThis, 'Headers', { value: Headers, writable: true, configurable: true });
})
