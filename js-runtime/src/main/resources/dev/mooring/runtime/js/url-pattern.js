// URLPattern, as the WHATWG URL Pattern Standard defines it (https://urlpattern.spec.whatwg.org/).
//
// A pattern has eight components (protocol, username, password, hostname, port, pathname, search,
// hash). Each component's pattern string is tokenized and parsed into a list of parts: fixed text,
// named or numbered groups, wildcards and regexp groups, each with a prefix, a suffix and a
// modifier. The part list then becomes one anchored RegExp and a normalized pattern string.
// Fixed text is canonicalized on the way by the URL parser of url.js (internals.URL), so that a
// pattern and the URLs it is matched against are encoded the same way.
//
// Every RegExp is compiled in the constructor. test() and exec() only parse their input with the
// URL parser and run the eight RegExps over its components, and never touch the network.
(function (host, internals) {
  'use strict';

  const slotsOf = internals.slotsOf;
  const URLClass = internals.URL;

  const COMPONENTS = ['protocol', 'username', 'password', 'hostname', 'port', 'pathname', 'search', 'hash'];
  const SPECIAL_SCHEME_PORTS = new Map([
    ['ftp', '21'], ['file', null], ['http', '80'], ['https', '443'], ['ws', '80'], ['wss', '443'],
  ]);
  const FULL_WILDCARD_REGEXP = '.*';
  // A URL with a scheme that is not special, for canonicalizing a component without a protocol.
  // It has no default port and encodes its query with the query percent-encode set, which leaves
  // "'" alone.
  const NON_SPECIAL_DUMMY_URL = 'mooring-pattern://dummy.invalid/';

  // The standard compiles with the "v" flag. A GraalJS version without it falls back to "u", which
  // accepts the same group syntax but not set notation inside character classes.
  const REGEXP_FLAGS = (() => {
    try {
      new RegExp('', 'v');
      return 'v';
    } catch {
      return 'u';
    }
  })();

  // ---------------------------------------------------------------------------------------------
  // Tokenizer.

  const ID_START = /[$_\p{ID_Start}]/u;
  const ID_CONTINUE = /[$\u200c\u200d\p{ID_Continue}]/u;

  function isValidNameCodePoint(character, first) {
    return (first ? ID_START : ID_CONTINUE).test(character);
  }

  function isAscii(character) {
    return character.codePointAt(0) <= 0x7f;
  }

  // Splits a pattern string into tokens of types open, close, regexp, name, char, escaped-char,
  // other-modifier, asterisk, invalid-char and end. With the "strict" policy an invalid sequence
  // throws, and with "lenient" (used by the constructor string parser) it becomes an invalid-char
  // token, because that parser only looks for delimiters and leaves errors to the pattern parser.
  function tokenize(input, policy, describePattern) {
    const tokens = [];
    let index = 0;

    function characterAt(position) {
      return String.fromCodePoint(input.codePointAt(position));
    }

    function addToken(type, nextPosition, valuePosition, valueLength) {
      tokens.push({ type, index, value: input.substr(valuePosition, valueLength) });
      index = nextPosition;
    }

    function fail(nextPosition, valuePosition, problem) {
      if (policy === 'strict') {
        throw new TypeError(`${describePattern()}: ${problem} at index ${valuePosition}.`);
      }
      addToken('invalid-char', nextPosition, valuePosition, nextPosition - valuePosition);
    }

    while (index < input.length) {
      const character = characterAt(index);
      const nextPosition = index + character.length;

      if (character === '*') {
        addToken('asterisk', nextPosition, index, 1);
      } else if (character === '+' || character === '?') {
        addToken('other-modifier', nextPosition, index, 1);
      } else if (character === '\\') {
        if (nextPosition >= input.length) {
          fail(nextPosition, index, 'a backslash at the end escapes nothing');
          continue;
        }
        const escaped = characterAt(nextPosition);
        addToken('escaped-char', nextPosition + escaped.length, nextPosition, escaped.length);
      } else if (character === '{') {
        addToken('open', nextPosition, index, 1);
      } else if (character === '}') {
        addToken('close', nextPosition, index, 1);
      } else if (character === ':') {
        tokenizeName(nextPosition);
      } else if (character === '(') {
        tokenizeRegexp(nextPosition);
      } else {
        addToken('char', nextPosition, index, character.length);
      }
    }
    addToken('end', index, index, 0);
    return tokens;

    function tokenizeName(nameStart) {
      let position = nameStart;
      while (position < input.length) {
        const character = characterAt(position);
        if (!isValidNameCodePoint(character, position === nameStart)) break;
        position += character.length;
      }
      if (position === nameStart) {
        fail(nameStart, index, 'a ":" must be followed by a group name');
        return;
      }
      addToken('name', position, nameStart, position - nameStart);
    }

    // Scans a regexp group up to its matching ")". The group may contain only ASCII, and nested
    // groups must be non-capturing, so that the group numbers of the compiled RegExp stay those of
    // the pattern's own groups.
    function tokenizeRegexp(regexpStart) {
      let position = regexpStart;
      let depth = 1;
      while (position < input.length) {
        const character = characterAt(position);
        const next = position + character.length;
        if (!isAscii(character)) {
          fail(regexpStart, index, 'a regexp group may contain only ASCII characters');
          return;
        }
        if (position === regexpStart && character === '?') {
          fail(regexpStart, index, 'a regexp group must not start with "?"');
          return;
        }
        if (character === '\\') {
          if (next >= input.length) {
            fail(regexpStart, index, 'a regexp group is not closed');
            return;
          }
          const escaped = characterAt(next);
          if (!isAscii(escaped)) {
            fail(regexpStart, index, 'a regexp group may contain only ASCII characters');
            return;
          }
          position = next + escaped.length;
          continue;
        }
        if (character === ')') {
          depth--;
          if (depth === 0) {
            position = next;
            break;
          }
        } else if (character === '(') {
          depth++;
          if (next >= input.length || input[next] !== '?') {
            fail(regexpStart, index, 'a group nested in a regexp group must be non-capturing, as in "(?:...)"');
            return;
          }
        }
        position = next;
      }
      if (depth !== 0) {
        fail(regexpStart, index, 'a regexp group is not closed');
        return;
      }
      const length = position - regexpStart - 1;
      if (length === 0) {
        fail(regexpStart, index, 'a regexp group is empty');
        return;
      }
      addToken('regexp', position, regexpStart, length);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Pattern parser: tokens to a part list.

  function escapeRegexpString(text) {
    return text.replace(/[.+*?^${}()[\]|/\\]/g, '\\$&');
  }

  function escapePatternString(text) {
    return text.replace(/[+*?:{}()\\]/g, '\\$&');
  }

  function segmentWildcardRegexp(options) {
    return `[^${escapeRegexpString(options.delimiter)}]+?`;
  }

  // Parses one component's pattern string. encode canonicalizes fixed text, prefixes and suffixes
  // the way the URL parser would encode them in that component.
  function parsePatternString(input, options, encode, componentName) {
    const describePattern = () => `Invalid ${componentName} pattern ${JSON.stringify(input)}`;
    const tokens = tokenize(input, 'strict', describePattern);
    const segmentWildcard = segmentWildcardRegexp(options);
    const parts = [];
    let pendingFixedValue = '';
    let index = 0;
    let nextNumericName = 0;

    function tryConsume(type) {
      const token = tokens[index];
      if (token.type !== type) return null;
      index++;
      return token;
    }

    function consumeRequired(type, expected) {
      const token = tryConsume(type);
      if (token === null) {
        const found = tokens[index];
        const foundText = found.type === 'end' ? 'the end of the pattern' : JSON.stringify(found.value);
        throw new TypeError(`${describePattern()}: expected ${expected} but found ${foundText} at index ${found.index}.`);
      }
      return token;
    }

    function tryConsumeModifier() {
      return tryConsume('other-modifier') ?? tryConsume('asterisk');
    }

    function tryConsumeRegexpOrWildcard(nameToken) {
      const token = tryConsume('regexp');
      if (nameToken === null && token === null) return tryConsume('asterisk');
      return token;
    }

    function consumeText() {
      let text = '';
      for (;;) {
        const token = tryConsume('char') ?? tryConsume('escaped-char');
        if (token === null) return text;
        text += token.value;
      }
    }

    function addPendingFixedValue() {
      if (pendingFixedValue === '') return;
      const value = encode(pendingFixedValue);
      pendingFixedValue = '';
      parts.push({ type: 'fixed-text', value, modifier: '', name: '', prefix: '', suffix: '' });
    }

    function addPart(prefix, nameToken, regexpOrWildcardToken, suffix, modifierToken) {
      const modifier = modifierToken === null ? '' : modifierToken.value;
      if (nameToken === null && regexpOrWildcardToken === null && modifier === '') {
        pendingFixedValue += prefix;
        return;
      }
      addPendingFixedValue();

      // A "{text}?" group with no name or regexp is optional fixed text.
      if (nameToken === null && regexpOrWildcardToken === null) {
        if (prefix === '') return;
        parts.push({ type: 'fixed-text', value: encode(prefix), modifier, name: '', prefix: '', suffix: '' });
        return;
      }

      let regexpValue;
      if (regexpOrWildcardToken === null) {
        regexpValue = segmentWildcard;
      } else if (regexpOrWildcardToken.type === 'asterisk') {
        regexpValue = FULL_WILDCARD_REGEXP;
      } else {
        regexpValue = regexpOrWildcardToken.value;
      }
      let type = 'regexp';
      if (regexpValue === segmentWildcard) {
        type = 'segment-wildcard';
        regexpValue = '';
      } else if (regexpValue === FULL_WILDCARD_REGEXP) {
        type = 'full-wildcard';
        regexpValue = '';
      }

      let name;
      if (nameToken !== null) {
        name = nameToken.value;
      } else {
        name = String(nextNumericName++);
      }
      if (parts.some((part) => part.name === name)) {
        throw new TypeError(`${describePattern()}: duplicate group name "${name}".`);
      }
      parts.push({ type, value: regexpValue, modifier, name, prefix: encode(prefix), suffix: encode(suffix) });
    }

    while (index < tokens.length) {
      const charToken = tryConsume('char');
      let nameToken = tryConsume('name');
      let regexpOrWildcardToken = tryConsumeRegexpOrWildcard(nameToken);

      // A group, with the character before it as its prefix when that character is the
      // component's prefix code point ("/" in a pathname).
      if (nameToken !== null || regexpOrWildcardToken !== null) {
        let prefix = charToken === null ? '' : charToken.value;
        if (prefix !== '' && prefix !== options.prefix) {
          pendingFixedValue += prefix;
          prefix = '';
        }
        addPendingFixedValue();
        addPart(prefix, nameToken, regexpOrWildcardToken, '', tryConsumeModifier());
        continue;
      }

      const fixedToken = charToken ?? tryConsume('escaped-char');
      if (fixedToken !== null) {
        pendingFixedValue += fixedToken.value;
        continue;
      }

      if (tryConsume('open') !== null) {
        const prefix = consumeText();
        nameToken = tryConsume('name');
        regexpOrWildcardToken = tryConsumeRegexpOrWildcard(nameToken);
        const suffix = consumeText();
        consumeRequired('close', '"}"');
        addPart(prefix, nameToken, regexpOrWildcardToken, suffix, tryConsumeModifier());
        continue;
      }

      addPendingFixedValue();
      consumeRequired('end', 'the end of the pattern');
    }
    return parts;
  }

  // ---------------------------------------------------------------------------------------------
  // Part list to RegExp source and to pattern string.

  function generateRegexp(parts, options) {
    let source = '^';
    const names = [];
    for (const part of parts) {
      if (part.type === 'fixed-text') {
        source += part.modifier === ''
          ? escapeRegexpString(part.value)
          : `(?:${escapeRegexpString(part.value)})${part.modifier}`;
        continue;
      }

      names.push(part.name);
      let regexpValue = part.value;
      if (part.type === 'segment-wildcard') {
        regexpValue = segmentWildcardRegexp(options);
      } else if (part.type === 'full-wildcard') {
        regexpValue = FULL_WILDCARD_REGEXP;
      }
      const prefix = escapeRegexpString(part.prefix);
      const suffix = escapeRegexpString(part.suffix);

      if (prefix === '' && suffix === '') {
        source += part.modifier === '' || part.modifier === '?'
          ? `(${regexpValue})${part.modifier}`
          : `((?:${regexpValue})${part.modifier})`;
        continue;
      }
      if (part.modifier === '' || part.modifier === '?') {
        source += `(?:${prefix}(${regexpValue})${suffix})${part.modifier}`;
        continue;
      }

      // A repeated group with a prefix or suffix captures all repetitions as one string, with the
      // suffix and prefix between them, as in "/:path+" matching "/a/b".
      source += `(?:${prefix}((?:${regexpValue})(?:${suffix}${prefix}(?:${regexpValue}))*)${suffix})`;
      if (part.modifier === '*') source += '?';
    }
    return { source: source + '$', names };
  }

  function startsWithDigit(text) {
    return text.length > 0 && text[0] >= '0' && text[0] <= '9';
  }

  // Writes a part list back as a pattern string in the standard's normal form, adding "{...}"
  // only where leaving it out would change how the string parses.
  function generatePatternString(parts, options) {
    let result = '';
    for (let index = 0; index < parts.length; index++) {
      const part = parts[index];
      const previous = index > 0 ? parts[index - 1] : null;
      const next = index < parts.length - 1 ? parts[index + 1] : null;

      if (part.type === 'fixed-text') {
        result += part.modifier === ''
          ? escapePatternString(part.value)
          : `{${escapePatternString(part.value)}}${part.modifier}`;
        continue;
      }

      const customName = !startsWithDigit(part.name);
      let needsGrouping = part.suffix !== '' || (part.prefix !== '' && part.prefix !== options.prefix);

      // ":a" followed by a name character or by a numbered group would read as one longer name.
      if (!needsGrouping && customName && part.type === 'segment-wildcard' && part.modifier === ''
          && next !== null && next.prefix === '' && next.suffix === '') {
        if (next.type === 'fixed-text') {
          needsGrouping = next.value !== '' && isValidNameCodePoint(String.fromCodePoint(next.value.codePointAt(0)), false);
        } else {
          needsGrouping = startsWithDigit(next.name);
        }
      }

      // A group after fixed text ending in the prefix code point would take that character as
      // its prefix when the string is parsed again.
      if (!needsGrouping && part.prefix === '' && previous !== null && previous.type === 'fixed-text'
          && previous.value.endsWith(options.prefix) && options.prefix !== '') {
        needsGrouping = true;
      }

      if (needsGrouping) result += '{';
      result += escapePatternString(part.prefix);
      if (customName) result += ':' + part.name;
      if (part.type === 'regexp') {
        result += `(${part.value})`;
      } else if (part.type === 'segment-wildcard' && !customName) {
        result += `(${segmentWildcardRegexp(options)})`;
      } else if (part.type === 'full-wildcard') {
        const asteriskReadsAsWildcard = !customName && (previous === null || previous.type === 'fixed-text'
            || previous.modifier !== '' || needsGrouping || part.prefix !== '');
        result += asteriskReadsAsWildcard ? '*' : `(${FULL_WILDCARD_REGEXP})`;
      }
      if (part.type === 'segment-wildcard' && customName && part.suffix !== ''
          && isValidNameCodePoint(String.fromCodePoint(part.suffix.codePointAt(0)), false)) {
        result += '\\';
      }
      result += escapePatternString(part.suffix);
      if (needsGrouping) result += '}';
      result += part.modifier;
    }
    return result;
  }

  // ---------------------------------------------------------------------------------------------
  // Component compilation.

  const DEFAULT_OPTIONS = { delimiter: '', prefix: '', ignoreCase: false };
  const HOSTNAME_OPTIONS = { delimiter: '.', prefix: '', ignoreCase: false };
  const PATHNAME_OPTIONS = { delimiter: '/', prefix: '/', ignoreCase: false };

  function compileComponent(input, encode, options, componentName) {
    const parts = parsePatternString(input, options, encode, componentName);
    const { source, names } = generateRegexp(parts, options);
    let regexp;
    try {
      regexp = new RegExp(source, options.ignoreCase ? REGEXP_FLAGS + 'i' : REGEXP_FLAGS);
    } catch (error) {
      throw new TypeError(`Invalid ${componentName} pattern ${JSON.stringify(input)}: its regexp groups do not form a valid regular expression (${error.message}).`);
    }
    return {
      patternString: generatePatternString(parts, options),
      regexp,
      names,
      hasRegExpGroups: parts.some((part) => part.type === 'regexp'),
    };
  }

  function matchesSpecialScheme(protocolComponent) {
    for (const scheme of SPECIAL_SCHEME_PORTS.keys()) {
      if (protocolComponent.regexp.test(scheme)) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Canonicalization. Each function runs the URL parser of url.js on a dummy URL and reads the
  // component back, and throws a TypeError when the parser rejects the value.

  function canonicalizeProtocol(value) {
    if (value === '') return value;
    let url;
    try {
      url = new URLClass(`${value}://dummy.invalid/`);
    } catch {
      throw new TypeError(`Invalid protocol ${JSON.stringify(value)}: it is not a valid URL scheme.`);
    }
    return url.protocol.slice(0, -1);
  }

  function canonicalizeUsername(value) {
    if (value === '') return value;
    const url = new URLClass('https://dummy.invalid/');
    url.username = value;
    return url.username;
  }

  function canonicalizePassword(value) {
    if (value === '') return value;
    const url = new URLClass('https://dummy.invalid/');
    url.password = value;
    return url.password;
  }

  // NOTE: the hostname is always parsed as the host of a special URL, so IDNA applies even when
  // the pattern's protocol is not special, where the standard would parse an opaque host.
  function canonicalizeHostname(value) {
    if (value === '') return value;
    const url = new URLClass('https://dummy.invalid/');
    url.hostname = value;
    // The hostname setter ignores a value that the host parser rejects, and stops at the first
    // ":", "/", "?" or "#", so anything but a changed hostname means the value is invalid.
    const forbidden = value.startsWith('[') ? /[/?#\\@]/ : /[:/?#\\@]/;
    if (forbidden.test(value) || (url.hostname === 'dummy.invalid' && value.toLowerCase() !== 'dummy.invalid')) {
      throw new TypeError(`Invalid hostname ${JSON.stringify(value)}: the URL parser rejects it.`);
    }
    return url.hostname;
  }

  function canonicalizeIPv6Hostname(value) {
    let result = '';
    for (const character of value) {
      if (!/^[0-9a-fA-F:[\]]$/.test(character)) {
        throw new TypeError(`Invalid IPv6 hostname ${JSON.stringify(value)}: ${JSON.stringify(character)} is not a hex digit, ":", "[" or "]".`);
      }
      result += character.toLowerCase();
    }
    return result;
  }

  function canonicalizePort(value, protocol) {
    if (value === '') return value;
    if (!/^[0-9]+$/.test(value) || Number(value) > 65535) {
      throw new TypeError(`Invalid port ${JSON.stringify(value)}: a port is a decimal number from 0 to 65535.`);
    }
    // The URL drops the port when it is the default port of the URL's scheme, so the dummy URL has
    // the given protocol, or a non-special scheme with no default port when there is none.
    let url = null;
    if (protocol !== undefined && protocol !== '') {
      url = URLClass.parse(`${protocol}://dummy.invalid/`);
    }
    url ??= new URLClass(NON_SPECIAL_DUMMY_URL);
    url.port = value;
    return url.port;
  }

  function canonicalizePathname(value) {
    if (value === '') return value;
    // A non-special URL with a host needs no "/." before a "//" path, so the path comes back as
    // the path parser wrote it. A relative path gets a "/-" segment first so
    // that ".." cannot climb above it, and loses it again afterwards.
    const leadingSlash = value[0] === '/';
    const url = new URLClass(NON_SPECIAL_DUMMY_URL);
    url.pathname = leadingSlash ? value : '/-' + value;
    return leadingSlash ? url.pathname : url.pathname.slice(2);
  }

  // Opaque paths (as in "data:text/plain") use the C0 control percent-encode set.
  function canonicalizeOpaquePathname(value) {
    let result = '';
    for (const character of value) {
      const codePoint = character.codePointAt(0);
      result += codePoint < 0x20 || codePoint > 0x7e ? encodeURIComponent(character.toWellFormed()) : character;
    }
    return result;
  }

  // The standard parses the search of a URL record with no scheme, so "'" stays as it is, where
  // the query of a special URL would encode it.
  function canonicalizeSearch(value) {
    if (value === '') return value;
    const url = new URLClass(NON_SPECIAL_DUMMY_URL);
    url.search = '?' + value;
    return url.search.slice(1);
  }

  function canonicalizeHash(value) {
    if (value === '') return value;
    const url = new URLClass('https://dummy.invalid/');
    url.hash = '#' + value;
    return url.hash.slice(1);
  }

  // ---------------------------------------------------------------------------------------------
  // Constructor string parser: splits a string such as "https://*.example.com/:path*" into
  // component pattern strings by looking for the URL delimiters outside groups.

  function parseConstructorString(input) {
    const tokens = tokenize(input, 'lenient', () => `Invalid pattern ${JSON.stringify(input)}`);
    const result = {};
    let componentStart = 0;
    let tokenIndex = 0;
    let tokenIncrement = 1;
    let groupDepth = 0;
    let ipv6BracketDepth = 0;
    let protocolMatchesSpecialScheme = false;
    let state = 'init';

    function safeToken(index) {
      return index < tokens.length ? tokens[index] : tokens[tokens.length - 1];
    }

    // Whether the token is the literal character, and not part of a group or a modifier.
    function isNonSpecialPatternChar(index, value) {
      const token = safeToken(index);
      return token.value === value && (token.type === 'char' || token.type === 'escaped-char' || token.type === 'invalid-char');
    }

    // "?" starts the search unless it follows a group, where it is the optional modifier.
    function isSearchPrefix() {
      if (isNonSpecialPatternChar(tokenIndex, '?')) return true;
      if (tokens[tokenIndex].value !== '?') return false;
      if (tokenIndex === 0) return true;
      const previous = safeToken(tokenIndex - 1);
      return !['name', 'regexp', 'close', 'asterisk'].includes(previous.type);
    }

    function makeComponentString() {
      return input.slice(safeToken(componentStart).index, tokens[tokenIndex].index);
    }

    function rewind() {
      tokenIndex = componentStart;
      tokenIncrement = 0;
    }

    function rewindAndSetState(newState) {
      rewind();
      state = newState;
    }

    // Stores the component just finished, and fills in the empty components that the jump skips
    // over (a string with a search but no pathname has the pathname "/" or "").
    function changeState(newState, skip) {
      if (state !== 'init' && state !== 'authority' && state !== 'done') {
        result[state] = makeComponentString();
      }
      if (state !== 'init' && newState !== 'done') {
        const before = (names) => names.includes(state);
        if (before(['protocol', 'authority', 'username', 'password'])
            && ['port', 'pathname', 'search', 'hash'].includes(newState) && result.hostname === undefined) {
          result.hostname = '';
        }
        if (before(['protocol', 'authority', 'username', 'password', 'hostname', 'port'])
            && (newState === 'search' || newState === 'hash') && result.pathname === undefined) {
          result.pathname = protocolMatchesSpecialScheme ? '/' : '';
        }
        if (before(['protocol', 'authority', 'username', 'password', 'hostname', 'port', 'pathname'])
            && newState === 'hash' && result.search === undefined) {
          result.search = '';
        }
      }
      state = newState;
      tokenIndex += skip;
      componentStart = tokenIndex;
      tokenIncrement = 0;
    }

    // The hostname and the port end where the pathname, the search or the hash starts.
    function endAuthorityPart() {
      if (isNonSpecialPatternChar(tokenIndex, '/')) {
        changeState('pathname', 0);
      } else {
        endPathname();
      }
    }

    function endPathname() {
      if (isSearchPrefix()) {
        changeState('search', 1);
      } else if (isNonSpecialPatternChar(tokenIndex, '#')) {
        changeState('hash', 1);
      }
    }

    function computeProtocolMatchesSpecialScheme() {
      const protocol = compileComponent(makeComponentString(), canonicalizeProtocol, DEFAULT_OPTIONS, 'protocol');
      protocolMatchesSpecialScheme = matchesSpecialScheme(protocol);
    }

    while (tokenIndex < tokens.length) {
      tokenIncrement = 1;
      const token = tokens[tokenIndex];

      if (token.type === 'end') {
        if (state === 'init') {
          // A string without a protocol is a pathname, search or hash alone.
          rewind();
          if (isNonSpecialPatternChar(tokenIndex, '#')) {
            changeState('hash', 1);
          } else if (isSearchPrefix()) {
            changeState('search', 1);
          } else {
            changeState('pathname', 0);
          }
          tokenIndex += tokenIncrement;
          continue;
        }
        if (state === 'authority') {
          rewindAndSetState('hostname');
          tokenIndex += tokenIncrement;
          continue;
        }
        changeState('done', 0);
        break;
      }

      if (token.type === 'open') {
        groupDepth++;
        tokenIndex += tokenIncrement;
        continue;
      }
      if (groupDepth > 0) {
        if (token.type === 'close') {
          groupDepth--;
        } else {
          tokenIndex += tokenIncrement;
          continue;
        }
      }

      const isChar = (value) => isNonSpecialPatternChar(tokenIndex, value);
      switch (state) {
        case 'init':
          if (isChar(':')) rewindAndSetState('protocol');
          break;
        case 'protocol':
          if (isChar(':')) {
            computeProtocolMatchesSpecialScheme();
            let nextState = 'pathname';
            let skip = 1;
            if (isNonSpecialPatternChar(tokenIndex + 1, '/') && isNonSpecialPatternChar(tokenIndex + 2, '/')) {
              nextState = 'authority';
              skip = 3;
            } else if (protocolMatchesSpecialScheme) {
              nextState = 'authority';
            }
            changeState(nextState, skip);
          }
          break;
        case 'authority':
          if (isChar('@')) {
            rewindAndSetState('username');
          } else if (isChar('/') || isSearchPrefix() || isChar('#')) {
            rewindAndSetState('hostname');
          }
          break;
        case 'username':
          if (isChar(':')) {
            changeState('password', 1);
          } else if (isChar('@')) {
            changeState('hostname', 1);
          }
          break;
        case 'password':
          if (isChar('@')) changeState('hostname', 1);
          break;
        case 'hostname':
          if (isChar('[')) {
            ipv6BracketDepth++;
          } else if (isChar(']')) {
            ipv6BracketDepth--;
          } else if (isChar(':') && ipv6BracketDepth === 0) {
            changeState('port', 1);
          } else {
            endAuthorityPart();
          }
          break;
        case 'port':
          endAuthorityPart();
          break;
        case 'pathname':
          endPathname();
          break;
        case 'search':
          if (isChar('#')) changeState('hash', 1);
          break;
        default:
          break;
      }
      tokenIndex += tokenIncrement;
    }

    if (result.hostname !== undefined && result.port === undefined) result.port = '';
    return result;
  }

  // ---------------------------------------------------------------------------------------------
  // URLPatternInit processing, shared by the constructor (type "pattern") and by test() and exec()
  // with a dictionary (type "url").

  // Reads a URLPatternInit dictionary as Web IDL does: members in lexicographic order, each
  // converted to a USVString unless undefined.
  function toURLPatternInit(value) {
    const init = {};
    for (const key of ['baseURL', 'hash', 'hostname', 'password', 'pathname', 'port', 'protocol', 'search', 'username']) {
      const member = value[key];
      if (member !== undefined) init[key] = toUSVString(member);
    }
    return init;
  }

  function toUSVString(value) {
    const string = typeof value === 'string' ? value : `${value}`;
    return string.isWellFormed() ? string : string.toWellFormed();
  }

  function isAbsolutePathname(input, type) {
    if (input === '') return false;
    if (input[0] === '/') return true;
    if (type === 'url' || input.length < 2) return false;
    return (input[0] === '\\' || input[0] === '{') && input[1] === '/';
  }

  function processInit(init, type, defaults) {
    const result = { ...defaults };
    const has = (name) => init[name] !== undefined;
    const processBase = (value) => (type === 'pattern' ? escapePatternString(value) : value);
    const canonicalizeUnlessPattern = (value, canonicalize, ...rest) => (type === 'pattern' ? value : canonicalize(value, ...rest));

    // Components missing from the dictionary come from the base URL, up to the first one given.
    let baseURL = null;
    if (has('baseURL')) {
      try {
        baseURL = new URLClass(init.baseURL);
      } catch {
        throw new TypeError(`Invalid baseURL ${JSON.stringify(init.baseURL)}: it is not an absolute URL.`);
      }
      const hasAny = (names) => names.some(has);
      if (!has('protocol')) result.protocol = processBase(baseURL.protocol.slice(0, -1));
      if (type !== 'pattern' && !hasAny(['protocol', 'hostname', 'port', 'username'])) {
        result.username = processBase(baseURL.username);
      }
      if (type !== 'pattern' && !hasAny(['protocol', 'hostname', 'port', 'username', 'password'])) {
        result.password = processBase(baseURL.password);
      }
      if (!hasAny(['protocol', 'hostname'])) result.hostname = processBase(baseURL.hostname);
      if (!hasAny(['protocol', 'hostname', 'port'])) result.port = processBase(baseURL.port);
      if (!hasAny(['protocol', 'hostname', 'port', 'pathname'])) result.pathname = processBase(baseURL.pathname);
      if (!hasAny(['protocol', 'hostname', 'port', 'pathname', 'search'])) {
        result.search = processBase(baseURL.search.slice(1));
      }
      if (!hasAny(['protocol', 'hostname', 'port', 'pathname', 'search', 'hash'])) {
        result.hash = processBase(baseURL.hash.slice(1));
      }
    }

    if (has('protocol')) {
      const protocol = init.protocol.endsWith(':') ? init.protocol.slice(0, -1) : init.protocol;
      result.protocol = canonicalizeUnlessPattern(protocol, canonicalizeProtocol);
    }
    if (has('username')) result.username = canonicalizeUnlessPattern(init.username, canonicalizeUsername);
    if (has('password')) result.password = canonicalizeUnlessPattern(init.password, canonicalizePassword);
    if (has('hostname')) result.hostname = canonicalizeUnlessPattern(init.hostname, canonicalizeHostname);
    if (has('port')) result.port = canonicalizeUnlessPattern(init.port, canonicalizePort, result.protocol);

    if (has('pathname')) {
      let pathname = init.pathname;
      // A relative pathname is resolved against the directory of the base URL's path.
      const baseHasOpaquePath = baseURL !== null && !baseURL.pathname.startsWith('/');
      if (baseURL !== null && !baseHasOpaquePath && !isAbsolutePathname(pathname, type)) {
        const basePath = processBase(baseURL.pathname);
        const slash = basePath.lastIndexOf('/');
        if (slash >= 0) pathname = basePath.slice(0, slash + 1) + pathname;
      }
      if (type !== 'pattern') {
        const protocol = result.protocol ?? '';
        pathname = protocol === '' || SPECIAL_SCHEME_PORTS.has(protocol)
          ? canonicalizePathname(pathname)
          : canonicalizeOpaquePathname(pathname);
      }
      result.pathname = pathname;
    }

    if (has('search')) {
      const search = init.search.startsWith('?') ? init.search.slice(1) : init.search;
      result.search = canonicalizeUnlessPattern(search, canonicalizeSearch);
    }
    if (has('hash')) {
      const hash = init.hash.startsWith('#') ? init.hash.slice(1) : init.hash;
      result.hash = canonicalizeUnlessPattern(hash, canonicalizeHash);
    }
    return result;
  }

  function isIPv6HostnamePattern(pattern) {
    return pattern.startsWith('[') || pattern.startsWith('{[') || pattern.startsWith('\\[');
  }

  // ---------------------------------------------------------------------------------------------
  // URLPattern.

  const urlPatternSlots = new WeakMap();

  function urlPatternSlotsOf(value) {
    return slotsOf(urlPatternSlots, value);
  }

  function isDictionary(value) {
    return value !== null && (typeof value === 'object' || typeof value === 'function');
  }

  class URLPattern {
    constructor(input = {}, baseURL = undefined, options = undefined) {
      // The second argument is the options when the base URL is left out.
      if (isDictionary(baseURL) && options === undefined) {
        options = baseURL;
        baseURL = undefined;
      }
      const ignoreCase = isDictionary(options) ? Boolean(options.ignoreCase) : false;

      let init;
      if (isDictionary(input)) {
        init = toURLPatternInit(input);
        if (baseURL !== undefined) {
          throw new TypeError('Invalid URLPattern: a baseURL argument is allowed only with a string pattern; put it in the dictionary as baseURL instead.');
        }
      } else {
        const pattern = toUSVString(input);
        init = parseConstructorString(pattern);
        if (baseURL === undefined && init.protocol === undefined) {
          throw new TypeError(`Invalid URLPattern ${JSON.stringify(pattern)}: a relative pattern needs a baseURL.`);
        }
        if (baseURL !== undefined) init.baseURL = toUSVString(baseURL);
      }

      const processed = processInit(init, 'pattern', {});
      for (const name of COMPONENTS) {
        if (processed[name] === undefined) processed[name] = '*';
      }
      if (SPECIAL_SCHEME_PORTS.get(processed.protocol) === processed.port) processed.port = '';

      const components = {};
      components.protocol = compileComponent(processed.protocol, canonicalizeProtocol, DEFAULT_OPTIONS, 'protocol');
      components.username = compileComponent(processed.username, canonicalizeUsername, DEFAULT_OPTIONS, 'username');
      components.password = compileComponent(processed.password, canonicalizePassword, DEFAULT_OPTIONS, 'password');
      components.hostname = compileComponent(processed.hostname,
          isIPv6HostnamePattern(processed.hostname) ? canonicalizeIPv6Hostname : canonicalizeHostname,
          HOSTNAME_OPTIONS, 'hostname');
      components.port = compileComponent(processed.port, (value) => canonicalizePort(value, undefined),
          DEFAULT_OPTIONS, 'port');

      // Pathnames of special and relative URLs are split at "/", and opaque paths are one string.
      const compileOptions = { ...DEFAULT_OPTIONS, ignoreCase };
      if (matchesSpecialScheme(components.protocol)) {
        components.pathname = compileComponent(processed.pathname, canonicalizePathname,
            { ...PATHNAME_OPTIONS, ignoreCase }, 'pathname');
      } else {
        components.pathname = compileComponent(processed.pathname, canonicalizeOpaquePathname, compileOptions, 'pathname');
      }
      components.search = compileComponent(processed.search, canonicalizeSearch, compileOptions, 'search');
      components.hash = compileComponent(processed.hash, canonicalizeHash, compileOptions, 'hash');

      urlPatternSlots.set(this, { components });
    }

    get protocol() { return urlPatternSlotsOf(this).components.protocol.patternString; }
    get username() { return urlPatternSlotsOf(this).components.username.patternString; }
    get password() { return urlPatternSlotsOf(this).components.password.patternString; }
    get hostname() { return urlPatternSlotsOf(this).components.hostname.patternString; }
    get port() { return urlPatternSlotsOf(this).components.port.patternString; }
    get pathname() { return urlPatternSlotsOf(this).components.pathname.patternString; }
    get search() { return urlPatternSlotsOf(this).components.search.patternString; }
    get hash() { return urlPatternSlotsOf(this).components.hash.patternString; }

    get hasRegExpGroups() {
      const components = urlPatternSlotsOf(this).components;
      return COMPONENTS.some((name) => components[name].hasRegExpGroups);
    }

    test(input = {}, baseURL = undefined) {
      return match(urlPatternSlotsOf(this).components, input, baseURL) !== null;
    }

    exec(input = {}, baseURL = undefined) {
      return match(urlPatternSlotsOf(this).components, input, baseURL);
    }
  }

  // Returns the URLPatternResult, or null when the input is not a valid URL or does not match.
  function match(components, input, baseURL) {
    let values;
    let inputs;

    if (isDictionary(input)) {
      if (baseURL !== undefined) {
        throw new TypeError('URLPattern input is a dictionary, so a baseURL argument is not allowed; put it in the dictionary as baseURL instead.');
      }
      const init = toURLPatternInit(input);
      inputs = [init];
      const empty = Object.fromEntries(COMPONENTS.map((name) => [name, '']));
      try {
        values = processInit(init, 'url', empty);
      } catch (error) {
        if (error instanceof TypeError) return null;
        throw error;
      }
    } else {
      const inputString = toUSVString(input);
      inputs = [inputString];
      let base;
      if (baseURL !== undefined) {
        base = toUSVString(baseURL);
        inputs.push(base);
      }
      let url;
      try {
        url = new URLClass(inputString, base);
      } catch {
        return null;
      }
      values = {
        protocol: url.protocol.slice(0, -1),
        username: url.username,
        password: url.password,
        hostname: url.hostname,
        port: url.port,
        pathname: url.pathname,
        search: url.search.slice(1),
        hash: url.hash.slice(1),
      };
    }

    const result = { inputs };
    for (const name of COMPONENTS) {
      const component = components[name];
      const found = component.regexp.exec(values[name]);
      if (found === null) return null;
      const groups = {};
      component.names.forEach((groupName, index) => {
        groups[groupName] = found[index + 1];
      });
      result[name] = { input: values[name], groups };
    }
    return result;
  }

  // ---------------------------------------------------------------------------------------------
  // Installation.

  for (const target of [URLPattern.prototype]) {
    for (const key of Reflect.ownKeys(target)) {
      if (key === 'constructor') continue;
      const descriptor = Reflect.getOwnPropertyDescriptor(target, key);
      descriptor.enumerable = true;
      Reflect.defineProperty(target, key, descriptor);
    }
  }
  Object.defineProperty(URLPattern.prototype, Symbol.toStringTag, { value: 'URLPattern', configurable: true });
  internals.markNotSerializable(URLPattern);
  Object.defineProperty(globalThis, 'URLPattern', { value: URLPattern, writable: true, enumerable: false, configurable: true });
})
