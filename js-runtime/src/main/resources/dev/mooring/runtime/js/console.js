// console, performance and navigator.
//
// Each console call writes one message through host.log(level, message), with level debug, info,
// warn or error. Arguments are formatted the way workerd formats console output locally, with its
// port of Node's util.inspect. A leading string may hold printf-style placeholders, other strings
// print as they are, and every other value is inspected with depth 2 and lines of at most 80
// columns, cutting arrays after 100 items and strings after 10,000 characters. Where workerd's
// port and Node differ, this follows workerd (for example, symbol keys print without brackets).
//
// Other runtime files format values with internals.inspect(value, options) and
// internals.formatLogMessage(args).
(function (host, internals) {
  'use strict';

  const customInspectSymbol = Symbol.for('nodejs.util.inspect.custom');

  const DEFAULT_OPTIONS = {
    depth: 2,
    breakLength: 80,
    // Up to this many innermost levels of an object may share one line (Node's `compact: 3`).
    compact: 3,
    maxArrayLength: 100,
    maxStringLength: 10000,
    showHidden: false,
    customInspect: true,
  };

  // Entries of a container type: array-like ones may be grouped into columns.
  const OBJECT_ENTRIES = 0;
  const ARRAY_ENTRIES = 1;

  // A string shorter than this is never split at its line breaks.
  const MIN_SPLIT_STRING_LENGTH = 16;

  const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
  const typedArrayName = Object.getOwnPropertyDescriptor(TypedArrayPrototype, Symbol.toStringTag).get;
  const hasOwn = Object.prototype.hasOwnProperty;
  const propertyIsEnumerable = Object.prototype.propertyIsEnumerable;
  const objectToString = Object.prototype.toString;
  const functionToString = Function.prototype.toString;

  // Global constructors that exist when the runtime is installed: their toString counts as
  // built-in for %s.
  const builtInConstructorNames = new Set(
    Object.getOwnPropertyNames(globalThis).filter((name) => /^[A-Z][a-zA-Z0-9]+$/.test(name)));

  // ---------------------------------------------------------------------------------------------
  // Primitives

  // Escapes for control characters, the backslash and C1 controls, as util.inspect writes them.
  function escapeCharacter(code) {
    switch (code) {
      case 0x08:
        return '\\b';
      case 0x09:
        return '\\t';
      case 0x0a:
        return '\\n';
      case 0x0c:
        return '\\f';
      case 0x0d:
        return '\\r';
      case 0x5c:
        return '\\\\';
      default:
        return '\\x' + code.toString(16).toUpperCase().padStart(2, '0');
    }
  }

  // Quotes a string for display: single quotes unless the string contains one, then double
  // quotes, then backticks; control characters and lone surrogates are escaped.
  function quoteString(string) {
    let quote = 0x27; // '
    if (string.includes("'")) {
      if (!string.includes('"')) {
        quote = 0x22;
      } else if (!string.includes('`') && !string.includes('${')) {
        quote = 0x60;
      }
    }
    let result = '';
    let last = 0;
    for (let i = 0; i < string.length; i++) {
      const code = string.charCodeAt(i);
      let escaped;
      if (code === quote && quote === 0x27) {
        escaped = "\\'";
      } else if (code < 0x20 || code === 0x5c || (code >= 0x7f && code <= 0x9f)) {
        escaped = escapeCharacter(code);
      } else if (code >= 0xd800 && code <= 0xdfff) {
        const next = string.charCodeAt(i + 1);
        if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          i++;
          continue;
        }
        escaped = '\\u' + code.toString(16);
      } else {
        continue;
      }
      result += string.slice(last, i) + escaped;
      last = i + 1;
    }
    result += string.slice(last);
    const mark = String.fromCharCode(quote);
    return mark + result + mark;
  }

  function formatNumber(number) {
    return Object.is(number, -0) ? '-0' : `${number}`;
  }

  function formatPrimitive(ctx, value) {
    switch (typeof value) {
      case 'string': {
        let trailer = '';
        if (value.length > ctx.maxStringLength) {
          const remaining = value.length - ctx.maxStringLength;
          value = value.slice(0, ctx.maxStringLength);
          trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`;
        }
        if (value.length > MIN_SPLIT_STRING_LENGTH && value.length > ctx.breakLength - ctx.indentation - 4) {
          // A long string is shown as one quoted piece per line, joined with "+".
          return value
            .split(/(?<=\n)/)
            .map(quoteString)
            .join(` +\n${' '.repeat(ctx.indentation + 2)}`) + trailer;
        }
        return quoteString(value) + trailer;
      }
      case 'number':
        return formatNumber(value);
      case 'bigint':
        return `${value}n`;
      case 'boolean':
        return `${value}`;
      case 'undefined':
        return 'undefined';
      default:
        return Symbol.prototype.toString.call(value);
    }
  }

  // Columns a string takes in a terminal: wide East Asian characters take two, combining marks
  // and control characters none.
  function displayWidth(string) {
    let width = 0;
    for (const character of string) {
      const code = character.codePointAt(0);
      if (code <= 0x1f || (code >= 0x7f && code <= 0x9f) || (code >= 0x300 && code <= 0x36f) || (code >= 0x200b && code <= 0x200f)) {
        continue;
      }
      const wide = code >= 0x1100 && (code <= 0x115f || (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
        (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) ||
        (code >= 0xff00 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1f300 && code <= 0x1f64f) ||
        (code >= 0x20000 && code <= 0x3fffd));
      width += wide ? 2 : 1;
    }
    return width;
  }

  // ---------------------------------------------------------------------------------------------
  // Type names and prefixes

  // The name of the nearest constructor in the prototype chain that `value` is an instance of,
  // or null for an object without one (such as Object.create(null)).
  function constructorNameOf(value) {
    for (let prototype = value; prototype !== null; prototype = Object.getPrototypeOf(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, 'constructor');
      if (descriptor !== undefined && typeof descriptor.value === 'function' && descriptor.value.name !== '') {
        try {
          if (value instanceof descriptor.value) {
            return String(descriptor.value.name);
          }
        } catch (error) {
          // A throwing Symbol.hasInstance: keep looking.
        }
      }
    }
    return null;
  }

  // "Type(size) " or "Type(size) [tag] ", or "[fallback(size): null prototype] " without a
  // constructor.
  function prefixFor(constructor, tag, fallback, size = '') {
    if (constructor === null) {
      if (tag !== '' && fallback !== tag) {
        return `[${fallback}${size}: null prototype] [${tag}] `;
      }
      return `[${fallback}${size}: null prototype] `;
    }
    if (tag !== '' && constructor !== tag) {
      return `${constructor}${size} [${tag}] `;
    }
    return `${constructor}${size} `;
  }

  function genericPrefix(constructor, tag) {
    return prefixFor(constructor, tag, constructor === null ? 'Object' : '');
  }

  function keysOf(ctx, value, skipIndices) {
    let keys = ctx.showHidden ? Object.getOwnPropertyNames(value) : Object.keys(value);
    if (skipIndices) {
      keys = keys.filter((key) => !isArrayIndex(key));
    }
    for (const symbol of Object.getOwnPropertySymbols(value)) {
      if (ctx.showHidden || propertyIsEnumerable.call(value, symbol)) {
        keys.push(symbol);
      }
    }
    return keys;
  }

  function isArrayIndex(key) {
    const number = Number(key) >>> 0;
    return number !== 4294967295 && String(number) === key;
  }

  function functionKind(value) {
    switch (objectToString.call(value)) {
      case '[object AsyncFunction]':
        return 'AsyncFunction';
      case '[object GeneratorFunction]':
        return 'GeneratorFunction';
      case '[object AsyncGeneratorFunction]':
        return 'AsyncGeneratorFunction';
      default:
        return 'Function';
    }
  }

  function functionBase(value, constructor, tag) {
    let source = '';
    try {
      source = functionToString.call(value);
    } catch (error) {
      // Some host functions cannot show their source.
    }
    if (source.startsWith('class') && source.endsWith('}')) {
      const name = (hasOwn.call(value, 'name') && value.name) || '(anonymous)';
      let base = `class ${name}`;
      if (constructor !== 'Function' && constructor !== null) {
        base += ` [${constructor}]`;
      }
      if (tag !== '' && constructor !== tag) {
        base += ` [${tag}]`;
      }
      if (constructor === null) {
        base += ' extends [null prototype]';
      } else {
        const superName = Object.getPrototypeOf(value).name;
        if (superName) {
          base += ` extends ${superName}`;
        }
      }
      return `[${base}]`;
    }
    const kind = functionKind(value);
    let base = `[${kind}`;
    if (constructor === null) {
      base += ' (null prototype)';
    }
    base += value.name === '' ? ' (anonymous)' : `: ${typeof value.name === 'string' ? value.name : String(value.name)}`;
    base += ']';
    if (constructor !== kind && constructor !== null) {
      base += ` ${constructor}`;
    }
    if (tag !== '' && constructor !== tag) {
      base += ` [${tag}]`;
    }
    return base;
  }

  function boxedBase(ctx, value, keys, constructor, tag) {
    let type;
    let primitive;
    if (value instanceof Number) {
      type = 'Number';
      primitive = Number.prototype.valueOf.call(value);
    } else if (value instanceof String) {
      type = 'String';
      primitive = String.prototype.valueOf.call(value);
      // The index properties of a String object repeat its characters.
      keys.splice(0, keys.length, ...keys.filter((key) => typeof key !== 'string' || !isArrayIndex(key)));
    } else if (value instanceof Boolean) {
      type = 'Boolean';
      primitive = Boolean.prototype.valueOf.call(value);
    } else if (value instanceof BigInt) {
      type = 'BigInt';
      primitive = BigInt.prototype.valueOf.call(value);
    } else {
      type = 'Symbol';
      primitive = Symbol.prototype.valueOf.call(value);
    }
    let base = `[${type}`;
    if (type !== constructor) {
      base += constructor === null ? ' (null prototype)' : ` (${constructor})`;
    }
    base += `: ${formatPrimitive({ ...ctx, breakLength: Infinity }, primitive)}]`;
    if (tag !== '' && tag !== constructor) {
      base += ` [${tag}]`;
    }
    return base;
  }

  function isBoxedPrimitive(value) {
    return value instanceof Number || value instanceof String || value instanceof Boolean ||
      value instanceof BigInt || value instanceof Symbol;
  }

  // ---------------------------------------------------------------------------------------------
  // Errors

  function stackOf(error) {
    const stack = error.stack;
    if (stack) {
      return typeof stack === 'string' ? tidyStack(stack) : inspect(stack);
    }
    return Error.prototype.toString.call(error);
  }

  // Writes a stack as the host's log of an uncaught error does: without the frames of Mooring's
  // runtime files, and with module paths relative to the project ("worker.js:3:23" where GraalJS
  // writes "/worker.js:3:23").
  function tidyStack(stack) {
    return stack.split('\n')
      .filter((line) => !(line.startsWith('    at ') && line.includes('mooring:runtime/')))
      .map((line) => (line.startsWith('    at ') ? line.replace('(/', '(').replace('    at /', '    at ') : line))
      .join('\n');
  }

  // Finds a run of more than three frames of `frames` that repeats frames of `causeFrames`.
  // Returns { length, offset } of the run in `frames`, or length 0 if there is none.
  function repeatedFrames(frames, causeFrames) {
    for (let i = 0; i < frames.length - 3; i++) {
      const position = causeFrames.indexOf(frames[i]);
      if (position !== -1 && causeFrames.length - position > 3) {
        let length = 1;
        const maxLength = Math.min(frames.length - i, causeFrames.length - position);
        while (length < maxLength && frames[i + length] === causeFrames[position + length]) {
          length++;
        }
        if (length > 3) {
          return { length, offset: i };
        }
      }
    }
    return { length: 0, offset: 0 };
  }

  // Names the constructor in the first line of the stack when it differs from `name`, as in
  // "ValidationError: bad input" for a subclass that kept the name "Error".
  function improveStackHeader(stack, constructor, name, tag) {
    let nameLength = name.length;
    if (constructor === null ||
        (name.endsWith('Error') && stack.startsWith(name) &&
         (stack.length === nameLength || stack[nameLength] === ':' || stack[nameLength] === '\n'))) {
      let fallback = 'Error';
      if (constructor === null) {
        const start = /^([A-Z][a-z_ A-Z0-9[\]()-]+)(?::|\n {4}at)/.exec(stack) || /^([a-z_A-Z0-9-]*Error)$/.exec(stack);
        fallback = (start && start[1]) || '';
        nameLength = fallback.length;
        fallback = fallback || 'Error';
      }
      const prefix = prefixFor(constructor, tag, fallback).slice(0, -1);
      if (name !== prefix) {
        if (prefix.includes(name)) {
          stack = nameLength === 0 ? `${prefix}: ${stack}` : `${prefix}${stack.slice(nameLength)}`;
        } else {
          stack = `${prefix} [${name}]${stack.slice(nameLength)}`;
        }
      }
    }
    return stack;
  }

  function formatError(ctx, error, constructor, tag, keys) {
    const name = error.name != null ? String(error.name) : 'Error';
    let stack = stackOf(error);

    // Own name, message and stack properties already show in the stack.
    if (!ctx.showHidden) {
      for (const property of ['name', 'message', 'stack']) {
        const index = keys.indexOf(property);
        if (index !== -1 && (typeof error[property] !== 'string' || stack.includes(error[property]))) {
          keys.splice(index, 1);
        }
      }
    }
    if ('cause' in error && !keys.includes('cause')) {
      keys.push('cause');
    }
    if (Array.isArray(error.errors) && !keys.includes('errors')) {
      keys.push('errors');
    }

    stack = improveStackHeader(stack, constructor, name, tag);

    let messageEnd = (error.message && stack.indexOf(error.message)) || -1;
    if (messageEnd !== -1) {
      messageEnd += error.message.length;
    }
    const framesStart = stack.indexOf('\n    at', messageEnd);
    if (framesStart === -1) {
      stack = `[${stack}]`;
    } else {
      const frames = stack.slice(framesStart + 1).split('\n');
      let cause;
      try {
        cause = error.cause;
      } catch (ignored) {
        // A throwing cause getter: show the frames unchanged.
      }
      if (cause instanceof Error) {
        const causeStack = stackOf(cause);
        const causeFramesStart = causeStack.indexOf('\n    at');
        if (causeFramesStart !== -1) {
          const { length, offset } = repeatedFrames(frames, causeStack.slice(causeFramesStart + 1).split('\n'));
          if (length > 0) {
            const skipped = length - 2;
            frames.splice(offset + 1, skipped, `    ... ${skipped} lines matching cause stack trace ...`);
          }
        }
      }
      stack = `${stack.slice(0, framesStart)}\n${frames.join('\n')}`;
    }
    if (ctx.indentation !== 0) {
      stack = stack.replaceAll('\n', `\n${' '.repeat(ctx.indentation)}`);
    }
    return stack;
  }

  // ---------------------------------------------------------------------------------------------
  // Entries of containers

  function moreItems(remaining) {
    return `... ${remaining} more item${remaining > 1 ? 's' : ''}`;
  }

  function emptyItems(count) {
    return `<${count} empty item${count > 1 ? 's' : ''}>`;
  }

  function formatArrayEntries(ctx, array, recurseTimes) {
    const length = array.length;
    const visibleCount = Math.min(Math.max(0, ctx.maxArrayLength), length);
    const output = [];
    for (let i = 0; i < visibleCount; i++) {
      if (!hasOwn.call(array, i)) {
        return formatSparseArrayEntries(ctx, array, recurseTimes, visibleCount, output, i);
      }
      output.push(formatProperty(ctx, array, recurseTimes, i, ARRAY_ENTRIES));
    }
    if (length > visibleCount) {
      output.push(moreItems(length - visibleCount));
    }
    return output;
  }

  // Continues formatArrayEntries from the first hole at `start`, showing runs of holes as
  // "<n empty items>".
  function formatSparseArrayEntries(ctx, array, recurseTimes, maxEntries, output, start) {
    const keys = Object.keys(array);
    let index = start;
    for (let k = start; k < keys.length && output.length < maxEntries; k++) {
      const key = keys[k];
      if (!isArrayIndex(key)) {
        break;
      }
      const position = Number(key);
      if (position !== index) {
        output.push(emptyItems(position - index));
        index = position;
        if (output.length === maxEntries) {
          break;
        }
      }
      output.push(formatProperty(ctx, array, recurseTimes, key, ARRAY_ENTRIES));
      index++;
    }
    const remaining = array.length - index;
    if (output.length !== maxEntries) {
      if (remaining > 0) {
        output.push(emptyItems(remaining));
      }
    } else if (remaining > 0) {
      output.push(moreItems(remaining));
    }
    return output;
  }

  function formatTypedArrayEntries(ctx, array) {
    const length = array.length;
    const visibleCount = Math.min(Math.max(0, ctx.maxArrayLength), length);
    const output = new Array(visibleCount);
    for (let i = 0; i < visibleCount; i++) {
      const element = array[i];
      output[i] = typeof element === 'bigint' ? `${element}n` : formatNumber(element);
    }
    if (length > visibleCount) {
      output.push(moreItems(length - visibleCount));
    }
    return output;
  }

  function formatArrayBufferContents(ctx, buffer) {
    let bytes;
    try {
      bytes = new Uint8Array(buffer);
    } catch (error) {
      return ['(detached)'];
    }
    const visibleCount = Math.min(ctx.maxArrayLength, bytes.length);
    let hex = '';
    for (let i = 0; i < visibleCount; i++) {
      hex += (i === 0 ? '' : ' ') + bytes[i].toString(16).padStart(2, '0');
    }
    const remaining = bytes.length - visibleCount;
    if (remaining > 0) {
      hex += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
    }
    return [`[Uint8Contents]: <${hex}>`];
  }

  function formatSetEntries(ctx, set, recurseTimes) {
    const visibleCount = Math.min(Math.max(0, ctx.maxArrayLength), set.size);
    const output = [];
    ctx.indentation += 2;
    let i = 0;
    for (const value of Set.prototype.values.call(set)) {
      if (i >= visibleCount) {
        break;
      }
      output.push(formatValue(ctx, value, recurseTimes));
      i++;
    }
    ctx.indentation -= 2;
    if (set.size > visibleCount) {
      output.push(moreItems(set.size - visibleCount));
    }
    return output;
  }

  function formatMapEntries(ctx, map, recurseTimes) {
    const visibleCount = Math.min(Math.max(0, ctx.maxArrayLength), map.size);
    const output = [];
    ctx.indentation += 2;
    let i = 0;
    for (const [key, value] of Map.prototype.entries.call(map)) {
      if (i >= visibleCount) {
        break;
      }
      output.push(`${formatValue(ctx, key, recurseTimes)} => ${formatValue(ctx, value, recurseTimes)}`);
      i++;
    }
    ctx.indentation -= 2;
    if (map.size > visibleCount) {
      output.push(moreItems(map.size - visibleCount));
    }
    return output;
  }

  function formatPropertyKey(key, enumerable) {
    let name;
    if (typeof key === 'symbol') {
      name = quoteSymbolDescription(Symbol.prototype.toString.call(key));
    } else if (/^[a-zA-Z_][a-zA-Z_0-9]*$/.test(key)) {
      name = key === '__proto__' ? "['__proto__']" : key;
    } else {
      name = quoteString(String(key));
    }
    return enumerable === false ? `[${name}]` : name;
  }

  function quoteSymbolDescription(text) {
    return text.replace(/[\x00-\x1f\x27\x5c\x7f-\x9f]/g, (character) => {
      const code = character.charCodeAt(0);
      return code === 0x27 ? "\\'" : escapeCharacter(code);
    });
  }

  function formatProperty(ctx, object, recurseTimes, key, entriesType) {
    let descriptor = Object.getOwnPropertyDescriptor(object, key);
    if (descriptor === undefined) {
      descriptor = { value: object[key], enumerable: true };
    }
    let text;
    if (descriptor.value !== undefined) {
      ctx.indentation += 2;
      text = formatValue(ctx, descriptor.value, recurseTimes);
      ctx.indentation -= 2;
    } else if (descriptor.get !== undefined) {
      text = descriptor.set !== undefined ? '[Getter/Setter]' : '[Getter]';
    } else if (descriptor.set !== undefined) {
      text = '[Setter]';
    } else {
      text = 'undefined';
    }
    if (entriesType === ARRAY_ENTRIES) {
      return text;
    }
    return `${formatPropertyKey(key, descriptor.enumerable)}: ${text}`;
  }

  // ---------------------------------------------------------------------------------------------
  // Layout

  // Arranges the entries of an array with more than six entries into aligned columns, so that
  // long arrays of short items take few lines.
  function groupArrayEntries(ctx, output, array) {
    let totalLength = 0;
    let maxLength = 0;
    let entryCount = output.length;
    if (ctx.maxArrayLength < output.length) {
      // Leave the "... more items" entry out of the grid.
      entryCount--;
    }
    const separatorSpace = 2; // ", "
    const widths = new Array(entryCount);
    for (let i = 0; i < entryCount; i++) {
      const width = displayWidth(output[i]);
      widths[i] = width;
      totalLength += width + separatorSpace;
      if (maxLength < width) {
        maxLength = width;
      }
    }
    const columnWidth = maxLength + separatorSpace;
    // Group only when three columns fit and no entry is far longer than the average.
    if (columnWidth * 3 + ctx.indentation < ctx.breakLength &&
        (totalLength / columnWidth > 5 || maxLength <= 6)) {
      // A character is about 2.5 times as high as wide; aim for a roughly square block,
      // with more columns for short entries.
      const averageBias = Math.sqrt(columnWidth - totalLength / output.length);
      const biasedMax = Math.max(columnWidth - 3 - averageBias, 1);
      const columns = Math.min(
        Math.round(Math.sqrt(2.5 * biasedMax * entryCount) / biasedMax),
        Math.floor((ctx.breakLength - ctx.indentation) / columnWidth),
        ctx.compact * 4,
        15);
      if (columns <= 1) {
        return output;
      }
      const columnWidths = [];
      for (let column = 0; column < columns; column++) {
        let width = 0;
        for (let j = column; j < output.length; j += columns) {
          if (widths[j] > width) {
            width = widths[j];
          }
        }
        columnWidths.push(width + separatorSpace);
      }
      // Numbers are right-aligned, everything else left-aligned.
      let alignRight = array !== undefined;
      if (alignRight) {
        for (let i = 0; i < output.length; i++) {
          if (typeof array[i] !== 'number' && typeof array[i] !== 'bigint') {
            alignRight = false;
            break;
          }
        }
      }
      const grouped = [];
      for (let i = 0; i < entryCount; i += columns) {
        const lineEnd = Math.min(i + columns, entryCount);
        let line = '';
        let j = i;
        for (; j < lineEnd - 1; j++) {
          const padding = columnWidths[j - i] + output[j].length - widths[j];
          line += alignRight ? `${output[j]}, `.padStart(padding, ' ') : `${output[j]}, `.padEnd(padding, ' ');
        }
        if (alignRight) {
          const padding = columnWidths[j - i] + output[j].length - widths[j] - separatorSpace;
          line += output[j].padStart(padding, ' ');
        } else {
          line += output[j];
        }
        grouped.push(line);
      }
      if (ctx.maxArrayLength < output.length) {
        grouped.push(output[entryCount]);
      }
      return grouped;
    }
    return output;
  }

  // Whether the entries fit on one line of ctx.breakLength columns after `start` columns.
  function fitsOnOneLine(ctx, output, start, base) {
    let totalLength = output.length + start;
    if (totalLength + output.length > ctx.breakLength) {
      return false;
    }
    for (const entry of output) {
      totalLength += entry.length;
      if (totalLength > ctx.breakLength) {
        return false;
      }
    }
    return base === '' || !base.includes('\n');
  }

  function joinEntries(ctx, output, base, braces, entriesType, recurseTimes, value) {
    const entryCount = output.length;
    if (entriesType === ARRAY_ENTRIES && entryCount > 6) {
      output = groupArrayEntries(ctx, output, value);
    }
    // The innermost `compact` levels of a value may share a line, if they were not grouped
    // into columns and the line stays short enough.
    if (ctx.currentDepth - recurseTimes < ctx.compact && entryCount === output.length) {
      const start = output.length + ctx.indentation + braces[0].length + base.length + 10;
      if (fitsOnOneLine(ctx, output, start, base)) {
        const joined = output.join(', ');
        if (!joined.includes('\n')) {
          return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`;
        }
      }
    }
    const indentation = `\n${' '.repeat(ctx.indentation)}`;
    return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
  }

  // ---------------------------------------------------------------------------------------------
  // Values

  function formatValue(ctx, value, recurseTimes, insideTypedArray) {
    if (typeof value !== 'object' && typeof value !== 'function') {
      return formatPrimitive(ctx, value);
    }
    if (value === null) {
      return 'null';
    }

    if (ctx.customInspect) {
      const custom = value[customInspectSymbol];
      if (typeof custom === 'function' && !(value.constructor && value.constructor.prototype === value)) {
        const depth = ctx.depth - recurseTimes;
        const result = custom.call(value, depth, inspectOptionsFor(ctx, depth), inspect);
        if (result !== value) {
          if (typeof result !== 'string') {
            return formatValue(ctx, result, recurseTimes);
          }
          return result.replaceAll('\n', `\n${' '.repeat(ctx.indentation)}`);
        }
      }
    }

    if (ctx.seen.includes(value)) {
      let index = ctx.circular.get(value);
      if (index === undefined) {
        index = ctx.circular.size + 1;
        ctx.circular.set(value, index);
      }
      return `[Circular *${index}]`;
    }

    return formatObject(ctx, value, recurseTimes, insideTypedArray);
  }

  function inspectOptionsFor(ctx, depth) {
    return {
      depth,
      breakLength: ctx.breakLength,
      compact: ctx.compact,
      maxArrayLength: ctx.maxArrayLength,
      maxStringLength: ctx.maxStringLength,
      showHidden: ctx.showHidden,
      customInspect: ctx.customInspect,
      colors: false,
      stylize: (text) => text,
    };
  }

  function formatObject(ctx, value, recurseTimes, insideTypedArray) {
    const constructor = constructorNameOf(value);
    let tag = value[Symbol.toStringTag];
    // Show the tag only when it adds something and is not an own enumerable property, which is
    // printed anyway.
    if (typeof tag !== 'string' || (tag !== '' && (ctx.showHidden ? hasOwn : propertyIsEnumerable).call(value, Symbol.toStringTag))) {
      tag = '';
    }
    let base = '';
    let entries = null;
    let braces;
    let entriesType = OBJECT_ENTRIES;
    let keys;

    if (Array.isArray(value)) {
      const prefix = constructor !== 'Array' || tag !== '' ? prefixFor(constructor, tag, 'Array', `(${value.length})`) : '';
      keys = keysOf(ctx, value, true);
      braces = [`${prefix}[`, ']'];
      if (value.length === 0 && keys.length === 0) {
        return `${braces[0]}]`;
      }
      entriesType = ARRAY_ENTRIES;
      entries = () => formatArrayEntries(ctx, value, recurseTimes);
    } else if (value instanceof Set) {
      const size = value.size;
      const prefix = prefixFor(constructor, tag, 'Set', `(${size})`);
      keys = keysOf(ctx, value, false);
      if (size === 0 && keys.length === 0) {
        return `${prefix}{}`;
      }
      braces = [`${prefix}{`, '}'];
      entries = () => formatSetEntries(ctx, value, recurseTimes);
    } else if (value instanceof Map) {
      const size = value.size;
      const prefix = prefixFor(constructor, tag, 'Map', `(${size})`);
      keys = keysOf(ctx, value, false);
      if (size === 0 && keys.length === 0) {
        return `${prefix}{}`;
      }
      braces = [`${prefix}{`, '}'];
      entries = () => formatMapEntries(ctx, value, recurseTimes);
    } else if (ArrayBuffer.isView(value) && typedArrayName.call(value) !== undefined) {
      keys = keysOf(ctx, value, true);
      const fallback = constructor === null ? typedArrayName.call(value) : '';
      const prefix = prefixFor(constructor, tag, fallback, `(${value.length})`);
      braces = [`${prefix}[`, ']'];
      if (value.length === 0 && keys.length === 0) {
        return `${braces[0]}]`;
      }
      entriesType = ARRAY_ENTRIES;
      entries = () => formatTypedArrayEntries(ctx, value);
    } else {
      keys = keysOf(ctx, value, false);
      braces = ['{', '}'];
      if (constructor === 'Object') {
        if (objectToString.call(value) === '[object Arguments]') {
          braces[0] = '[Arguments] {';
        } else if (tag !== '') {
          braces[0] = `${prefixFor(constructor, tag, 'Object')}{`;
        }
        if (keys.length === 0) {
          return `${braces[0]}}`;
        }
      } else if (typeof value === 'function') {
        base = functionBase(value, constructor, tag);
        if (keys.length === 0) {
          return base;
        }
      } else if (value instanceof RegExp) {
        base = RegExp.prototype.toString.call(value);
        const prefix = prefixFor(constructor, tag, 'RegExp');
        if (prefix !== 'RegExp ') {
          base = prefix + base;
        }
        if (keys.length === 0 || recurseTimes > ctx.depth) {
          return base;
        }
      } else if (value instanceof Date) {
        const time = Date.prototype.getTime.call(value);
        base = Number.isNaN(time) ? Date.prototype.toString.call(value) : Date.prototype.toISOString.call(value);
        const prefix = prefixFor(constructor, tag, 'Date');
        if (prefix !== 'Date ') {
          base = prefix + base;
        }
        if (keys.length === 0) {
          return base;
        }
      } else if (value instanceof Error || internals.isDOMException(value)) {
        base = formatError(ctx, value, constructor, tag, keys);
        if (keys.length === 0) {
          return base;
        }
      } else if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && value instanceof SharedArrayBuffer)) {
        const prefix = prefixFor(constructor, tag, value instanceof ArrayBuffer ? 'ArrayBuffer' : 'SharedArrayBuffer');
        if (insideTypedArray && keys.length === 0) {
          return `${prefix}{ byteLength: ${formatNumber(value.byteLength)} }`;
        }
        if (!insideTypedArray) {
          entries = () => formatArrayBufferContents(ctx, value);
        }
        braces[0] = `${prefix}{`;
        keys.unshift('byteLength');
      } else if (value instanceof DataView) {
        braces[0] = `${prefixFor(constructor, tag, 'DataView')}{`;
        keys.unshift('byteLength', 'byteOffset', 'buffer');
      } else if (value instanceof Promise) {
        braces[0] = `${prefixFor(constructor, tag, 'Promise')}{`;
        // NOTE: JS cannot read a promise's state, so unlike Node this cannot show
        // <pending> or the settled value.
        entries = () => ['<unknown>'];
      } else if (value instanceof WeakSet || value instanceof WeakMap) {
        braces[0] = `${prefixFor(constructor, tag, value instanceof WeakSet ? 'WeakSet' : 'WeakMap')}{`;
        entries = () => ['<items unknown>'];
      } else if (isBoxedPrimitive(value)) {
        base = boxedBase(ctx, value, keys, constructor, tag);
        if (keys.length === 0) {
          return base;
        }
      } else {
        if (keys.length === 0) {
          return `${genericPrefix(constructor, tag)}{}`;
        }
        braces[0] = `${genericPrefix(constructor, tag)}{`;
      }
    }

    if (recurseTimes > ctx.depth) {
      const name = genericPrefix(constructor, tag).slice(0, -1);
      return constructor !== null ? `[${name}]` : name;
    }
    recurseTimes += 1;

    ctx.seen.push(value);
    ctx.currentDepth = recurseTimes;
    const indentation = ctx.indentation;
    let output;
    try {
      output = entries === null ? [] : entries();
      for (const key of keys) {
        output.push(formatProperty(ctx, value, recurseTimes, key, OBJECT_ENTRIES));
      }
    } catch (error) {
      if (error instanceof RangeError && /call stack/i.test(error.message)) {
        ctx.seen.pop();
        ctx.indentation = indentation;
        return `[${genericPrefix(constructor, tag).slice(0, -1)}: Inspection interrupted prematurely. Maximum call stack size exceeded.]`;
      }
      throw error;
    }
    const reference = ctx.circular.get(value);
    if (reference !== undefined) {
      base = base === '' ? `<ref *${reference}>` : `<ref *${reference}> ${base}`;
    }
    ctx.seen.pop();
    return joinEntries(ctx, output, base, braces, entriesType, recurseTimes, value);
  }

  /**
   * Formats a value like Node's util.inspect. Options: depth (2), breakLength (80),
   * maxArrayLength (100), maxStringLength (10000), showHidden (false), customInspect (true).
   */
  function inspect(value, options = undefined) {
    const ctx = {
      ...DEFAULT_OPTIONS,
      seen: [],
      circular: new Map(),
      indentation: 0,
      currentDepth: 0,
    };
    if (options !== null && typeof options === 'object') {
      for (const name of Object.keys(DEFAULT_OPTIONS)) {
        if (options[name] !== undefined) {
          ctx[name] = options[name];
        }
      }
      if (options.depth === null) {
        ctx.depth = Infinity;
      }
      if (options.maxArrayLength === null) {
        ctx.maxArrayLength = Infinity;
      }
      if (options.maxStringLength === null) {
        ctx.maxStringLength = Infinity;
      }
    }
    return formatValue(ctx, value, 0);
  }

  // ---------------------------------------------------------------------------------------------
  // printf-style formatting of console arguments

  // Whether %s should print String(value) (false) or inspect the value (true): objects whose
  // toString comes from a built-in constructor are inspected.
  function hasBuiltInToString(value) {
    if (typeof value.toString !== 'function') {
      return true;
    }
    if (hasOwn.call(value, 'toString')) {
      return false;
    }
    let owner = value;
    do {
      owner = Object.getPrototypeOf(owner);
    } while (owner !== null && !hasOwn.call(owner, 'toString'));
    if (owner === null) {
      return true;
    }
    const descriptor = Object.getOwnPropertyDescriptor(owner, 'constructor');
    return descriptor !== undefined && typeof descriptor.value === 'function' && builtInConstructorNames.has(descriptor.value.name);
  }

  function stringifyJson(value) {
    try {
      return JSON.stringify(value);
    } catch (error) {
      if (error instanceof TypeError && /circular|cyclic/i.test(error.message)) {
        return '[Circular]';
      }
      throw error;
    }
  }

  function formatPlaceholder(letter, argument) {
    switch (letter) {
      case 's':
        if (typeof argument === 'number') {
          return formatNumber(argument);
        }
        if (typeof argument === 'bigint') {
          return `${argument}n`;
        }
        if (typeof argument !== 'object' || argument === null || !hasBuiltInToString(argument)) {
          return String(argument);
        }
        return inspect(argument, { depth: 0 });
      case 'j':
        return stringifyJson(argument);
      case 'd':
        if (typeof argument === 'bigint') {
          return `${argument}n`;
        }
        return typeof argument === 'symbol' ? 'NaN' : formatNumber(Number(argument));
      case 'i':
        if (typeof argument === 'bigint') {
          return `${argument}n`;
        }
        return typeof argument === 'symbol' ? 'NaN' : formatNumber(Number.parseInt(argument));
      case 'f':
        return typeof argument === 'symbol' ? 'NaN' : formatNumber(Number.parseFloat(argument));
      case 'O':
        return inspect(argument);
      case 'o':
        return inspect(argument, { showHidden: true, depth: 4 });
      case 'c':
        return '';
      default:
        return undefined;
    }
  }

  /** Formats console arguments into one message, the way console.log does. */
  function formatLogMessage(args) {
    const first = args[0];
    let argumentIndex = 0;
    let message = '';
    let separator = '';

    if (typeof first === 'string') {
      if (args.length === 1) {
        return first;
      }
      let lastPosition = 0;
      for (let i = 0; i < first.length - 1; i++) {
        if (first.charCodeAt(i) !== 0x25) { // '%'
          continue;
        }
        const letter = first[++i];
        if (argumentIndex + 1 !== args.length) {
          if (letter === '%') {
            message += first.slice(lastPosition, i);
            lastPosition = i + 1;
            continue;
          }
          const replacement = formatPlaceholder(letter, args[argumentIndex + 1]);
          if (replacement === undefined) {
            continue;
          }
          argumentIndex++;
          if (lastPosition !== i - 1) {
            message += first.slice(lastPosition, i - 1);
          }
          message += replacement;
          lastPosition = i + 1;
        } else if (letter === '%') {
          message += first.slice(lastPosition, i);
          lastPosition = i + 1;
        }
      }
      if (lastPosition !== 0) {
        argumentIndex++;
        separator = ' ';
        if (lastPosition < first.length) {
          message += first.slice(lastPosition);
        }
      }
    }

    for (; argumentIndex < args.length; argumentIndex++) {
      const value = args[argumentIndex];
      message += separator + (typeof value === 'string' ? value : inspect(value));
      separator = ' ';
    }
    return message;
  }

  // ---------------------------------------------------------------------------------------------
  // console.table

  function renderTable(head, columns) {
    const rowCount = columns[0].length;
    const widths = head.map((title, i) => Math.max(displayWidth(title), ...columns[i].map(displayWidth)) + 2);
    const line = (left, middle, right) => left + widths.map((width) => '─'.repeat(width)).join(middle) + right;
    const row = (cells) => '│' + cells.map((cell, i) => ` ${cell}${' '.repeat(widths[i] - displayWidth(cell) - 1)}`).join('│') + '│';
    const lines = [line('┌', '┬', '┐'), row(head), line('├', '┼', '┤')];
    for (let r = 0; r < rowCount; r++) {
      lines.push(row(columns.map((column) => column[r] ?? '')));
    }
    lines.push(line('└', '┴', '┘'));
    return lines.join('\n');
  }

  function formatTable(data, properties) {
    const cell = (value) => inspect(value, {
      depth: value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 2 ? -1 : 0,
      maxArrayLength: 3,
      breakLength: Infinity,
    });
    const indexTitle = '(index)';
    let rows;
    let indexTitleUsed = indexTitle;
    let keyColumn = null;
    if (data instanceof Map) {
      indexTitleUsed = '(iteration index)';
      rows = [];
      keyColumn = [];
      let i = 0;
      for (const [key, value] of data) {
        rows.push([String(i++), value]);
        keyColumn.push(cell(key));
      }
    } else if (data instanceof Set) {
      indexTitleUsed = '(iteration index)';
      rows = [];
      let i = 0;
      for (const value of data) {
        rows.push([String(i++), value]);
      }
    } else {
      rows = Object.keys(data).map((key) => [key, data[key]]);
    }

    const columnNames = [];
    let hasValues = false;
    for (const [, value] of rows) {
      if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
        for (const key of properties || Object.keys(value)) {
          if (!columnNames.includes(key)) {
            columnNames.push(key);
          }
        }
      } else {
        hasValues = true;
      }
    }
    const head = [indexTitleUsed];
    const columns = [rows.map(([index]) => index)];
    if (keyColumn !== null) {
      head.push('Key');
      columns.push(keyColumn);
    }
    for (const name of columnNames) {
      head.push(name);
      columns.push(rows.map(([, value]) => (value !== null && typeof value === 'object' && hasOwn.call(value, name) ? cell(value[name]) : '')));
    }
    if (hasValues) {
      head.push('Values');
      columns.push(rows.map(([, value]) => (value !== null && (typeof value === 'object' || typeof value === 'function') ? '' : cell(value))));
    }
    return renderTable(head, columns);
  }

  // ---------------------------------------------------------------------------------------------
  // console

  let groupIndentation = '';
  const counts = new Map();
  const timers = new Map();

  function write(level, message) {
    if (groupIndentation !== '') {
      message = groupIndentation + message.replaceAll('\n', `\n${groupIndentation}`);
    }
    host.log(level, message);
  }

  function writeFormatted(level, args) {
    let message;
    try {
      message = formatLogMessage(args);
    } catch (error) {
      message = `<Formatting threw (${error instanceof Error ? error.stack : String(error)})>`;
    }
    write(level, message);
  }

  function currentStackFrames() {
    const stack = internals.removeRuntimeFrames(new Error().stack) || '';
    const framesStart = stack.indexOf('\n');
    return framesStart === -1 ? '' : stack.slice(framesStart);
  }

  function formatDuration(milliseconds) {
    if (milliseconds >= 1000) {
      return `${(milliseconds / 1000).toFixed(3)}s`;
    }
    return `${Number(milliseconds.toFixed(3))}ms`;
  }

  const console = {
    log(...args) {
      writeFormatted('info', args);
    },
    info(...args) {
      writeFormatted('info', args);
    },
    debug(...args) {
      writeFormatted('debug', args);
    },
    warn(...args) {
      writeFormatted('warn', args);
    },
    error(...args) {
      writeFormatted('error', args);
    },
    dirxml(...args) {
      writeFormatted('info', args);
    },
    trace(...args) {
      let message;
      try {
        message = args.length === 0 ? 'Trace' : `Trace: ${formatLogMessage(args)}`;
      } catch (error) {
        message = `Trace: <Formatting threw (${error instanceof Error ? error.stack : String(error)})>`;
      }
      write('error', message + currentStackFrames());
    },
    assert(condition, ...args) {
      if (condition) {
        return;
      }
      if (typeof args[0] === 'string') {
        args[0] = `Assertion failed: ${args[0]}`;
      } else {
        args.unshift('Assertion failed');
      }
      writeFormatted('error', args);
    },
    dir(value, options = undefined) {
      let message;
      try {
        message = inspect(value, { customInspect: false, ...(options !== null && typeof options === 'object' ? options : {}) });
      } catch (error) {
        message = `<Formatting threw (${error instanceof Error ? error.stack : String(error)})>`;
      }
      write('info', message);
    },
    table(data, properties = undefined) {
      if (data === null || typeof data !== 'object') {
        writeFormatted('info', [data]);
        return;
      }
      write('info', formatTable(data, Array.isArray(properties) ? properties.map(String) : undefined));
    },
    count(label = 'default') {
      const key = `${label}`;
      const count = (counts.get(key) || 0) + 1;
      counts.set(key, count);
      write('info', `${key}: ${count}`);
    },
    countReset(label = 'default') {
      const key = `${label}`;
      if (!counts.delete(key)) {
        write('warn', `Count for '${key}' does not exist`);
      }
    },
    time(label = 'default') {
      const key = `${label}`;
      if (timers.has(key)) {
        write('warn', `Label '${key}' already exists for console.time()`);
        return;
      }
      timers.set(key, Date.now());
    },
    timeLog(label = 'default', ...data) {
      const key = `${label}`;
      if (!timers.has(key)) {
        write('warn', `No such label '${key}' for console.timeLog()`);
        return;
      }
      const elapsed = formatDuration(Date.now() - timers.get(key));
      writeFormatted('info', [`${key}: ${elapsed}`, ...data]);
    },
    timeEnd(label = 'default') {
      const key = `${label}`;
      if (!timers.has(key)) {
        write('warn', `No such label '${key}' for console.timeEnd()`);
        return;
      }
      const elapsed = formatDuration(Date.now() - timers.get(key));
      timers.delete(key);
      write('info', `${key}: ${elapsed}`);
    },
    group(...label) {
      if (label.length > 0) {
        writeFormatted('info', label);
      }
      groupIndentation += '  ';
    },
    groupCollapsed(...label) {
      console.group(...label);
    },
    groupEnd() {
      groupIndentation = groupIndentation.slice(0, -2);
    },
  };
  Object.defineProperty(console, Symbol.toStringTag, { value: 'console', configurable: true });

  // ---------------------------------------------------------------------------------------------
  // performance and navigator

  const constructing = Symbol('constructing');
  // Like workerd, time comes from Date.now(), so performance.now() has millisecond resolution.
  const timeOrigin = Date.now();

  class Performance {
    constructor(token) {
      if (token !== constructing) {
        throw new TypeError('Illegal constructor');
      }
    }

    /** Milliseconds since the context started; timeOrigin + now() equals Date.now(). */
    now() {
      return Date.now() - timeOrigin;
    }

    get timeOrigin() {
      return timeOrigin;
    }

    toJSON() {
      return { timeOrigin };
    }
  }
  Object.defineProperty(Performance.prototype, Symbol.toStringTag, { value: 'Performance', configurable: true });
  internals.markNotSerializable(Performance);

  class Navigator {
    constructor(token) {
      if (token !== constructing) {
        throw new TypeError('Illegal constructor');
      }
    }

    get userAgent() {
      return 'Cloudflare-Workers';
    }

    get hardwareConcurrency() {
      return 1;
    }
  }
  Object.defineProperty(Navigator.prototype, Symbol.toStringTag, { value: 'Navigator', configurable: true });
  internals.markNotSerializable(Navigator);

  // reportError(error) logs the error as uncaught, with its stack, and does not throw. workerd
  // also dispatches an "error" event on the global scope first; Mooring's global scope is not
  // an EventTarget, so there is no event to cancel.
  function reportError(error) {
    console.error('Uncaught', error);
  }

  const globals = [
    ['console', console],
    ['reportError', reportError],
    ['performance', new Performance(constructing)],
    ['navigator', new Navigator(constructing)],
    ['Performance', Performance],
    ['Navigator', Navigator],
  ];
  for (const [name, value] of globals) {
    Object.defineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });
  }

  internals.inspect = inspect;
  internals.formatLogMessage = formatLogMessage;
})
