// URL and URLSearchParams, as the WHATWG URL Standard defines them (https://url.spec.whatwg.org/).
//
// The URL parser runs in Java (package dev.mooring.runtime.url). HotSpot compiles Java code
// quickly, while a parser written in JS runs in the GraalJS interpreter until Graal has compiled
// it, which takes seconds of compiler time for a state machine of that size. This file keeps the
// Web IDL surface. host.parseUrl(input, base) returns the values of all of a URL's getters in one
// string, which a URL object splits once and keeps as an array, so getters never call into Java.
// A setter sends the href and the new value to host.setUrlComponent, which applies the
// standard's setter and returns the new values in the same form. See UrlComponents.java for the
// encoding.
//
// URLSearchParams stays here, with its application/x-www-form-urlencoded parser and serializer.
//
// Other runtime files reach the original classes through internals.URL and
// internals.URLSearchParams, which guest code cannot replace.
(function (host, internals) {
  'use strict';

  const slotsOf = internals.slotsOf;

  // Maximum length of the input quoted in a parse error message, in UTF-16 code units. Longer inputs
  // are cut and end in "...", so that an error for a huge string stays readable in logs.
  const MAX_QUOTED_INPUT = 256;

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
  // application/x-www-form-urlencoded, for URLSearchParams. Names and values are percent-encoded
  // and decoded as UTF-8 bytes from encoding.js (internals.utf8Encode and utf8Decode): its encoder
  // turns lone surrogates into U+FFFD, and its decoder replaces each invalid sequence with U+FFFD
  // as the Encoding Standard specifies.

  // Returns whether the form serializer leaves the ASCII code point c as it is.
  function isFormUnencoded(c) {
    return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
        || c === 0x2a || c === 0x2d || c === 0x2e || c === 0x5f;
  }

  // The serializer's output for each byte: the character itself for ASCII letters, digits and
  // "*-._", "+" for a space, and "%XX" for every other byte.
  const FORM_BYTE_TEXT = [];
  for (let b = 0; b < 256; b++) {
    if (isFormUnencoded(b)) FORM_BYTE_TEXT.push(String.fromCharCode(b));
    else if (b === 0x20) FORM_BYTE_TEXT.push('+');
    else FORM_BYTE_TEXT.push('%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase());
  }

  // Serializes a name or value: UTF-8 percent-encodes it with the form set, with a space as "+".
  function formEncode(input) {
    let i = 0;
    while (i < input.length && isFormUnencoded(input.charCodeAt(i))) i++;
    if (i === input.length) return input;
    let out = input.slice(0, i);
    const bytes = internals.utf8Encode(input.slice(i));
    for (let j = 0; j < bytes.length; j++) out += FORM_BYTE_TEXT[bytes[j]];
    return out;
  }

  function hexValue(c) {
    if (c >= 0x30 && c <= 0x39) return c - 0x30;
    if (c >= 0x41 && c <= 0x46) return c - 0x37;
    if (c >= 0x61 && c <= 0x66) return c - 0x57;
    return -1;
  }

  // Parses a name or value: "+" becomes a space, then "%XX" becomes the byte XX (so "%2B" gives
  // "+"), and the bytes are decoded as UTF-8. A "%" not followed by two hex digits stays.
  function formDecode(input) {
    if (input.indexOf('%') === -1) return input.indexOf('+') === -1 ? input : input.replaceAll('+', ' ');
    // Decodes in place: the write position never passes the read position.
    const bytes = internals.utf8Encode(input);
    let length = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === 0x25 && i + 2 < bytes.length) {
        const high = hexValue(bytes[i + 1]);
        const low = high < 0 ? -1 : hexValue(bytes[i + 2]);
        if (low >= 0) {
          bytes[length++] = (high << 4) | low;
          i += 2;
          continue;
        }
      }
      bytes[length++] = b === 0x2b ? 0x20 : b;
    }
    return internals.utf8Decode(bytes.subarray(0, length));
  }

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
          list.push([formDecode(input.slice(start, equals)), formDecode(input.slice(equals + 1, end))]);
        } else {
          list.push([formDecode(input.slice(start, end)), '']);
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
      out += formEncode(name) + '=' + formEncode(value);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // The URL class.

  // Positions in a components array: the getter values that host.parseUrl and host.setUrlComponent
  // return, joined by COMPONENT_SEPARATOR, in the order of UrlComponents.Component in Java.
  const HREF = 0;
  const ORIGIN = 1;
  const PROTOCOL = 2;
  const USERNAME = 3;
  const PASSWORD = 4;
  const HOST = 5;
  const HOSTNAME = 6;
  const PORT = 7;
  const PATHNAME = 8;
  const SEARCH = 9;
  const HASH = 10;
  const COMPONENT_SEPARATOR = '\n';

  // Passed as the first constructor argument by URL.parse, with a components array as the second.
  // Guest code cannot obtain this object.
  const FROM_COMPONENTS = Object.freeze({});

  // kind is "URL" or "base URL".
  function invalidURL(input, kind) {
    return new TypeError(`Invalid ${kind} string: ${quoteInput(input)}`);
  }

  function splitComponents(encoded) {
    return encoded === null ? null : encoded.split(COMPONENT_SEPARATOR);
  }

  // Servers parse the same few URLs over and over (request.url in each handler, then again for
  // each stub call), so the components of absolute URLs are kept by input string, which saves the
  // call into Java. Components arrays are never changed in place, so URL objects share them with
  // the cache. The map is cleared when full, which keeps it bounded without bookkeeping.
  const PARSE_CACHE_LIMIT = 256;
  const parseCache = new Map();

  // Returns the components of an absolute URL, or null when input is not a valid URL string.
  function parseAbsolute(input) {
    const cached = parseCache.get(input);
    if (cached !== undefined) return cached;
    const components = splitComponents(host.parseUrl(input, null));
    if (components !== null) {
      if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.clear();
      parseCache.set(input, components);
    }
    return components;
  }

  // Handlers also apply the same setter to the same URL over and over (a router sets
  // url.pathname on every request), so setter results are kept the same way, by href, setter name
  // and value joined with a separator that cannot occur in an href.
  const setterCache = new Map();

  function applySetter(href, name, value) {
    const key = href + COMPONENT_SEPARATOR + name + COMPONENT_SEPARATOR + value;
    const cached = setterCache.get(key);
    if (cached !== undefined) return cached;
    const components = splitComponents(host.setUrlComponent(href, name, value));
    if (setterCache.size >= PARSE_CACHE_LIMIT) setterCache.clear();
    setterCache.set(key, components);
    return components;
  }

  // Returns the components of input parsed against baseInput (undefined for none), or null when
  // either is not a valid URL string. Both are USVStrings already.
  function parseWithBase(input, baseInput) {
    if (baseInput === undefined) return parseAbsolute(input);
    return splitComponents(host.parseUrl(input, baseInput));
  }

  // The value of a URL's query for the URLSearchParams list: null and "" both give an empty list.
  function queryOf(components) {
    return components[SEARCH].slice(1);
  }

  const urlSlots = new WeakMap();

  function urlSlotsOf(value) {
    return slotsOf(urlSlots, value);
  }

  // Applies the URL setter name through Java. value is a USVString already.
  function setComponent(slots, name, value) {
    slots.components = applySetter(slots.components[HREF], name, value);
  }

  class URL {
    constructor(url, base = undefined) {
      let components;
      if (url === FROM_COMPONENTS) {
        components = base;
      } else {
        requireArguments(arguments.length, 1, 'URL constructor');
        const input = toUSVString(url);
        const baseInput = base === undefined ? undefined : toUSVString(base);
        components = parseWithBase(input, baseInput);
        if (components === null) {
          if (baseInput !== undefined && parseAbsolute(baseInput) === null) throw invalidURL(baseInput, 'base URL');
          throw invalidURL(input, 'URL');
        }
      }
      urlSlots.set(this, {
        // The components array (see HREF above). Setters replace it and never change it in place.
        components,
        // The URLSearchParams object, created on first use of searchParams; null until then.
        searchParams: null,
      });
    }

    static canParse(url, base = undefined) {
      requireArguments(arguments.length, 1, 'URL.canParse');
      const input = toUSVString(url);
      return parseWithBase(input, base === undefined ? undefined : toUSVString(base)) !== null;
    }

    static parse(url, base = undefined) {
      requireArguments(arguments.length, 1, 'URL.parse');
      const input = toUSVString(url);
      const components = parseWithBase(input, base === undefined ? undefined : toUSVString(base));
      return components === null ? null : new URL(FROM_COMPONENTS, components);
    }

    get href() {
      return urlSlotsOf(this).components[HREF];
    }

    set href(value) {
      const input = toUSVString(value);
      const components = parseAbsolute(input);
      if (components === null) throw invalidURL(input, 'URL');
      const slots = urlSlotsOf(this);
      slots.components = components;
      if (slots.searchParams !== null) replaceSearchParamsList(slots.searchParams, queryOf(components));
    }

    get origin() {
      return urlSlotsOf(this).components[ORIGIN];
    }

    get protocol() {
      return urlSlotsOf(this).components[PROTOCOL];
    }

    set protocol(value) {
      setComponent(urlSlotsOf(this), 'protocol', toUSVString(value));
    }

    get username() {
      return urlSlotsOf(this).components[USERNAME];
    }

    set username(value) {
      setComponent(urlSlotsOf(this), 'username', toUSVString(value));
    }

    get password() {
      return urlSlotsOf(this).components[PASSWORD];
    }

    set password(value) {
      setComponent(urlSlotsOf(this), 'password', toUSVString(value));
    }

    get host() {
      return urlSlotsOf(this).components[HOST];
    }

    set host(value) {
      setComponent(urlSlotsOf(this), 'host', toUSVString(value));
    }

    get hostname() {
      return urlSlotsOf(this).components[HOSTNAME];
    }

    set hostname(value) {
      setComponent(urlSlotsOf(this), 'hostname', toUSVString(value));
    }

    get port() {
      return urlSlotsOf(this).components[PORT];
    }

    set port(value) {
      setComponent(urlSlotsOf(this), 'port', toUSVString(value));
    }

    get pathname() {
      return urlSlotsOf(this).components[PATHNAME];
    }

    set pathname(value) {
      setComponent(urlSlotsOf(this), 'pathname', toUSVString(value));
    }

    get search() {
      return urlSlotsOf(this).components[SEARCH];
    }

    // The list of searchParams is parsed from the value as given, before the URL's query
    // percent-encodes it, as the standard specifies.
    set search(value) {
      const input = toUSVString(value);
      const slots = urlSlotsOf(this);
      setComponent(slots, 'search', input);
      if (slots.searchParams !== null) {
        replaceSearchParamsList(slots.searchParams, input.charCodeAt(0) === 0x3f ? input.slice(1) : input);
      }
    }

    get searchParams() {
      const slots = urlSlotsOf(this);
      if (slots.searchParams === null) slots.searchParams = newSearchParamsFor(this, queryOf(slots.components));
      return slots.searchParams;
    }

    get hash() {
      return urlSlotsOf(this).components[HASH];
    }

    set hash(value) {
      setComponent(urlSlotsOf(this), 'hash', toUSVString(value));
    }

    toString() {
      return urlSlotsOf(this).components[HREF];
    }

    toJSON() {
      return urlSlotsOf(this).components[HREF];
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The URLSearchParams class.

  // Passed as the first constructor argument when a URL creates its searchParams object.
  const FOR_URL = Object.freeze({});

  const urlSearchParamsSlots = new WeakMap();

  function urlSearchParamsSlotsOf(value) {
    return slotsOf(urlSearchParamsSlots, value);
  }

  function newSearchParamsFor(urlObject, query) {
    const params = new URLSearchParams(FOR_URL);
    const slots = urlSearchParamsSlots.get(params);
    slots.url = urlObject;
    slots.list = query === null ? [] : parseFormEncoded(query);
    return params;
  }

  function replaceSearchParamsList(params, query) {
    urlSearchParamsSlots.get(params).list = query === null ? [] : parseFormEncoded(query);
  }

  // Writes the list back to the owning URL's query; called after every change to the list.
  function updateUrlQuery(slots) {
    if (slots.url !== null) setComponent(urlSlots.get(slots.url), 'query', serializeFormEncoded(slots.list));
  }

  function compareNames(a, b) {
    if (a[0] < b[0]) {
      return -1;
    }
    return a[0] > b[0] ? 1 : 0;
  }

  class URLSearchParams {
    constructor(init = '') {
      let list;
      if (init === FOR_URL) {
        list = [];
      } else if ((typeof init === 'object' && init !== null) || typeof init === 'function') {
        const iteratorMethod = init[Symbol.iterator];
        list = iteratorMethod === undefined ? listFromRecord(init) : listFromPairs(init, iteratorMethod);
      } else {
        const string = toUSVString(init);
        list = parseFormEncoded(string.charCodeAt(0) === 0x3f ? string.slice(1) : string);
      }
      urlSearchParamsSlots.set(this, {
        // The list of [name, value] pairs; each pair array is private and never handed out.
        list,
        // The URL object whose query this list mirrors, or null.
        url: null,
      });
    }

    get size() {
      return urlSearchParamsSlotsOf(this).list.length;
    }

    append(name, value) {
      const slots = urlSearchParamsSlotsOf(this);
      const list = slots.list;
      requireArguments(arguments.length, 2, 'URLSearchParams.append');
      list.push([toUSVString(name), toUSVString(value)]);
      updateUrlQuery(slots);
    }

    delete(name, value = undefined) {
      const slots = urlSearchParamsSlotsOf(this);
      const list = slots.list;
      requireArguments(arguments.length, 1, 'URLSearchParams.delete');
      const key = toUSVString(name);
      const matchValue = value === undefined ? undefined : toUSVString(value);
      slots.list = list.filter((pair) => pair[0] !== key || (matchValue !== undefined && pair[1] !== matchValue));
      updateUrlQuery(slots);
    }

    get(name) {
      const list = urlSearchParamsSlotsOf(this).list;
      requireArguments(arguments.length, 1, 'URLSearchParams.get');
      const key = toUSVString(name);
      for (let i = 0; i < list.length; i++) {
        if (list[i][0] === key) return list[i][1];
      }
      return null;
    }

    getAll(name) {
      const list = urlSearchParamsSlotsOf(this).list;
      requireArguments(arguments.length, 1, 'URLSearchParams.getAll');
      const key = toUSVString(name);
      const values = [];
      for (let i = 0; i < list.length; i++) {
        if (list[i][0] === key) values.push(list[i][1]);
      }
      return values;
    }

    has(name, value = undefined) {
      const list = urlSearchParamsSlotsOf(this).list;
      requireArguments(arguments.length, 1, 'URLSearchParams.has');
      const key = toUSVString(name);
      const matchValue = value === undefined ? undefined : toUSVString(value);
      for (let i = 0; i < list.length; i++) {
        if (list[i][0] === key && (matchValue === undefined || list[i][1] === matchValue)) return true;
      }
      return false;
    }

    set(name, value) {
      const slots = urlSearchParamsSlotsOf(this);
      const list = slots.list;
      requireArguments(arguments.length, 2, 'URLSearchParams.set');
      const key = toUSVString(name);
      const newValue = toUSVString(value);
      const index = list.findIndex((pair) => pair[0] === key);
      if (index === -1) {
        list.push([key, newValue]);
      } else {
        list[index] = [key, newValue];
        slots.list = list.filter((pair, i) => i <= index || pair[0] !== key);
      }
      updateUrlQuery(slots);
    }

    // Sorts by name, comparing UTF-16 code units, and keeps the order of pairs with equal names
    // (Array.prototype.sort is stable).
    sort() {
      const slots = urlSearchParamsSlotsOf(this);
      slots.list.sort(compareNames);
      updateUrlQuery(slots);
    }

    forEach(callback, thisArg = undefined) {
      const slots = urlSearchParamsSlotsOf(this);
      requireArguments(arguments.length, 1, 'URLSearchParams.forEach');
      if (typeof callback !== 'function') {
        throw new TypeError('URLSearchParams.forEach requires a function as its callback, got ' + typeof callback + '.');
      }
      // Reads the list again on each step, so that changes made by the callback are seen.
      for (let i = 0; i < slots.list.length; i++) {
        const pair = slots.list[i];
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
      return serializeFormEncoded(urlSearchParamsSlotsOf(this).list);
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

  const urlSearchParamsIteratorSlots = new WeakMap();

  function urlSearchParamsIteratorSlotsOf(value) {
    return slotsOf(urlSearchParamsIteratorSlots, value);
  }

  class URLSearchParamsIterator {
    constructor(paramsSlots, kind) {
      urlSearchParamsIteratorSlots.set(this, { paramsSlots, kind, index: 0 });
    }

    next() {
      const slots = urlSearchParamsIteratorSlotsOf(this);
      const list = slots.paramsSlots.list;
      if (slots.index >= list.length) return { value: undefined, done: true };
      const pair = list[slots.index++];
      const kind = slots.kind;
      const value = kind === KIND_KEYS ? pair[0] : kind === KIND_VALUES ? pair[1] : [pair[0], pair[1]];
      return { value, done: false };
    }
  }

  function newSearchParamsIterator(params, kind) {
    return new URLSearchParamsIterator(urlSearchParamsSlotsOf(params), kind);
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
  internals.markNotSerializable(URL);
  Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag, { value: 'URLSearchParams', configurable: true });
  internals.markNotSerializable(URLSearchParams);

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
