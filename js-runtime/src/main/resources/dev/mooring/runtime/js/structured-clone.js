// Mooring's value serializer: the structured-clone type set (as V8 implements it) in a compact
// binary format of Mooring's own. It stores state.storage values and WebSocket attachments, and
// backs the global structuredClone().
//
// JS RPC uses it too, through serializeForRpc() and deserializeFromRpc(). They also pass what
// workerd passes by RPC only. A Durable Object stub is written as a reference to its object, and a
// Request or Response is copied with its body read to the end, and Headers keep their guard. Functions and RpcTarget objects
// among a call's arguments are written as indexes into the caller's exports, which the receiver
// calls back for the duration of the call. Storage and structuredClone() reject all of these with
// workerd's DataCloneError.
//
// Format: one version byte (FORMAT_VERSION), then one tagged value. A value starts with a one-byte
// tag; the TAG_ constants below describe what follows each. Integers inside the format are
// unsigned LEB128 varints; signed 32-bit integers are zigzag-encoded first. Every object gets the
// next id (0, 1, 2, ...) when its tag is written, and a later occurrence of the same object is
// written as TAG_BACKREF with that id, which keeps shared and circular references.
//
// Both directions use an explicit stack of frames instead of recursion, so nesting depth is
// limited only by memory. Recursion would not do: GraalJS without the JIT overflowed a
// default-size Java thread stack after about 700 nested JS calls when measured on JDK 25.
(function (host, internals) {
  'use strict';

  const FORMAT_VERSION = 1;

  // Primitives.
  const TAG_UNDEFINED = 0x01;
  const TAG_NULL = 0x02;
  const TAG_FALSE = 0x03;
  const TAG_TRUE = 0x04;
  const TAG_INT = 0x05; // zigzag varint: a signed 32-bit integer other than -0
  const TAG_DOUBLE = 0x06; // 8 bytes, IEEE 754 little-endian
  const TAG_BIGINT = 0x07; // varint (byteCount * 2 + sign), then the magnitude, big-endian
  const TAG_STRING_UTF8 = 0x08; // varint byteLength, then UTF-8 bytes (well-formed strings)
  const TAG_STRING_UTF16 = 0x09; // varint codeUnitCount, then UTF-16LE code units (strings with lone surrogates)
  // Structure.
  const TAG_BACKREF = 0x10; // varint id of an object written earlier
  const TAG_HOLE = 0x11; // a missing element of a dense array
  const TAG_END = 0x12; // ends the entries of an object, array, Map or Set
  // Objects; each one takes the next id.
  const TAG_OBJECT = 0x20; // (key value)* TAG_END; a key is a string, TAG_INT or TAG_DOUBLE value
  const TAG_DENSE_ARRAY = 0x21; // varint length, `length` elements or TAG_HOLEs, then (key value)* TAG_END
  const TAG_SPARSE_ARRAY = 0x22; // varint length, then (key value)* TAG_END over all properties
  const TAG_MAP = 0x23; // (key value)* TAG_END
  const TAG_SET = 0x24; // value* TAG_END
  const TAG_DATE = 0x25; // 8-byte time value
  const TAG_REGEXP = 0x26; // source string value, flags string value
  const TAG_PRIMITIVE_WRAPPER = 0x27; // the wrapped number, string, boolean or bigint value
  const TAG_ERROR = 0x28; // header byte (ERROR_ bits), then the message, stack and cause if the header has them
  const TAG_DOM_EXCEPTION = 0x29; // name, message and stack string values
  const TAG_ARRAY_BUFFER = 0x30; // varint byteLength, then the bytes
  const TAG_RESIZABLE_ARRAY_BUFFER = 0x31; // varint byteLength, varint maxByteLength, then the bytes
  const TAG_VIEW = 0x32; // kind byte (VIEW_TYPES index), varint byteOffset, varint length, buffer value
  const TAG_TRANSFERRED_ARRAY_BUFFER = 0x33; // varint index into structuredClone's transfer list
  const TAG_BLOB = 0x34; // type string value, varint byteLength, then the bytes
  const TAG_FILE = 0x35; // name and type string values, 8-byte lastModified, varint byteLength, then the bytes
  // Runtime objects that only RPC passes; each one takes the next id.
  const TAG_STUB = 0x40; // varint storage namespace, ID string value, then the name string value or TAG_UNDEFINED
  const TAG_REQUEST = 0x41; // method, URL, redirect, cache and cf JSON string values, headers, encodeResponseBody byte (1 = manual), body
  const TAG_RESPONSE = 0x42; // varint status, statusText and cf JSON string values, headers, encodeBody byte (1 = manual), body
  const TAG_CALLBACK = 0x43; // kind byte (CALLBACK_FUNCTION, or CALLBACK_RPC_TARGET, which takes an id), varint export index
  const TAG_HEADERS = 0x44; // immutable flag byte (0 or 1), then headers as in TAG_REQUEST
  // In TAG_REQUEST and TAG_RESPONSE, headers are a varint count of pairs, then name and value
  // string values. The body is varint (byteLength + 1) and the bytes, or varint 0 for no body. An
  // absent cache mode or cf is an empty string.

  const CALLBACK_FUNCTION = 0;
  const CALLBACK_RPC_TARGET = 1;

  // TAG_ERROR header byte: the low 3 bits index ERROR_TYPES, then one bit per optional part.
  const ERROR_HAS_MESSAGE = 0x08;
  const ERROR_HAS_STACK = 0x10;
  const ERROR_HAS_CAUSE = 0x20;
  const ERROR_TYPES = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError];
  const ERROR_TYPE_BY_NAME = new Map(ERROR_TYPES.map((type, index) => [type.name, index]));

  // TAG_VIEW kinds. The length of a DataView is in bytes, of a typed array in elements.
  const VIEW_TYPES = [
    DataView, Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array,
    Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array,
  ];
  if (typeof Float16Array === 'function') {
    VIEW_TYPES.push(Float16Array);
  }
  const VIEW_KIND_BY_NAME = new Map(VIEW_TYPES.map((type, index) => [type.name, index]));
  const VIEW_KIND_DATA_VIEW = 0;

  // Builtins read through their original definitions, so that subclasses and own properties
  // cannot change what is stored.
  const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
  const getter = (prototype, name) => Object.getOwnPropertyDescriptor(prototype, name).get;
  const typedArrayName = getter(TypedArrayPrototype, Symbol.toStringTag);
  const typedArrayBuffer = getter(TypedArrayPrototype, 'buffer');
  const typedArrayByteOffset = getter(TypedArrayPrototype, 'byteOffset');
  const typedArrayLength = getter(TypedArrayPrototype, 'length');
  const dataViewBuffer = getter(DataView.prototype, 'buffer');
  const dataViewByteOffset = getter(DataView.prototype, 'byteOffset');
  const dataViewByteLength = getter(DataView.prototype, 'byteLength');
  const arrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength');
  const arrayBufferMaxByteLength = getter(ArrayBuffer.prototype, 'maxByteLength');
  const arrayBufferResizable = getter(ArrayBuffer.prototype, 'resizable');
  const arrayBufferDetached = getter(ArrayBuffer.prototype, 'detached');
  const regExpSource = getter(RegExp.prototype, 'source');
  const regExpFlags = getter(RegExp.prototype, 'flags');
  const dateGetTime = Date.prototype.getTime;
  const mapForEach = Map.prototype.forEach;
  const setForEach = Set.prototype.forEach;
  const stringIsWellFormed = String.prototype.isWellFormed;
  const functionToString = Function.prototype.toString;
  const hasOwn = Object.prototype.hasOwnProperty;
  const WRAPPER_VALUE_OF = [
    [Number, Number.prototype.valueOf],
    [String, String.prototype.valueOf],
    [Boolean, Boolean.prototype.valueOf],
    [BigInt, BigInt.prototype.valueOf],
  ];

  // Types whose instances never serialize, beyond functions and symbols. V8 rejects them too.
  const UNCLONEABLE_TYPES = [Promise, WeakMap, WeakSet, Symbol];
  for (const name of ['WeakRef', 'FinalizationRegistry', 'SharedArrayBuffer']) {
    if (typeof globalThis[name] === 'function') {
      UNCLONEABLE_TYPES.push(globalThis[name]);
    }
  }
  // Runtime classes (such as URL, Request and stubs) registered through internals.markNotSerializable:
  // copying their own fields would store an empty object.
  const notSerializableClasses = [];

  function dataCloneError(message) {
    return internals.domException(message, 'DataCloneError');
  }

  function constructorNameOf(object) {
    for (let prototype = Object.getPrototypeOf(object); prototype !== null; prototype = Object.getPrototypeOf(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, 'constructor');
      if (descriptor !== undefined && typeof descriptor.value === 'function' && descriptor.value.name !== '') {
        return descriptor.value.name;
      }
    }
    return 'Object';
  }

  // V8's wording: the function's source text, the symbol's description, or "#<Type>".
  function uncloneableError(value) {
    let description;
    if (typeof value === 'function') {
      description = functionToString.call(value);
    } else if (typeof value === 'symbol') {
      description = String(value);
    } else if (internals.isHostObject(value)) {
      description = '#<Object>';
    } else {
      description = `#<${constructorNameOf(value)}>`;
    }
    return dataCloneError(`${description} could not be cloned.`);
  }

  function corruptDataError(detail) {
    return dataCloneError(`Unable to deserialize cloned data: ${detail}.`);
  }

  // A property key that is an array index: the canonical decimal form of 0 .. 2^32 - 2.
  function isArrayIndex(key) {
    const number = Number(key) >>> 0;
    return number !== 4294967295 && String(number) === key;
  }

  function varintSize(value) {
    let size = 1;
    while (value >= 0x80) {
      value = Math.floor(value / 128);
      size++;
    }
    return size;
  }

  // Writes a varint at `position` without a capacity check; returns the position after it.
  function putVarint(bytes, position, value) {
    while (value >= 0x80) {
      const low = value & 0x7f;
      bytes[position++] = low | 0x80;
      value = (value - low) / 128;
    }
    bytes[position++] = value;
    return position;
  }

  // ---------------------------------------------------------------------------------------------
  // Serializer

  const INITIAL_CAPACITY = 256;
  // A serializer keeps its buffer between calls unless it grew beyond this.
  const MAX_RETAINED_CAPACITY = 64 * 1024;
  // Strings up to this length are first tried as ASCII in a plain loop, which beats
  // encodeInto for short strings.
  const SHORT_STRING_LENGTH = 32;
  // An array is written sparse when it is longer than this and at most a quarter of its
  // indices are present.
  const SPARSE_ARRAY_MIN_LENGTH = 64;

  // Frame kinds: what the serializer writes next for an open container.
  const WRITE_ELEMENTS = 1; // dense array elements, then its named properties
  const WRITE_PROPERTIES = 2; // key/value pairs of `keys`, then TAG_END
  const WRITE_ITEMS = 3; // each value of `items` (Map entries flattened, or Set values), then TAG_END
  const WRITE_CAUSE = 4; // one value (an Error's cause) with no TAG_END

  class Serializer {
    constructor() {
      this.bytes = new Uint8Array(INITIAL_CAPACITY);
      this.view = new DataView(this.bytes.buffer);
      this.position = 0;
      this.ids = new Map();
      this.nextId = 0;
      // ArrayBuffer -> index in the transfer list, or null.
      this.transferIndexes = null;
      // For RPC: each Request or Response met -> its body (a Uint8Array, a promise of one while a
      // stream is read, or null). Null when serializing for anything but RPC.
      this.rpcBodies = null;
      // For the arguments of an RPC call: the functions and RpcTargets written so far, which the
      // caller exports to the receiver. Null where they cannot be passed.
      this.rpcExports = null;
      // The frame stack, as parallel arrays indexed by depth.
      this.depth = 0;
      this.frameKinds = [];
      this.frameObjects = [];
      this.frameKeys = [];
      this.frameIndexes = [];
      this.frameLimits = [];
      this.frameNamedStarts = [];
    }

    reset() {
      if (this.bytes.length > MAX_RETAINED_CAPACITY) {
        this.bytes = new Uint8Array(INITIAL_CAPACITY);
        this.view = new DataView(this.bytes.buffer);
      }
      this.position = 0;
      this.ids.clear();
      this.nextId = 0;
      this.transferIndexes = null;
      this.rpcBodies = null;
      this.rpcExports = null;
      for (let i = 0; i < this.depth; i++) {
        this.frameObjects[i] = undefined;
        this.frameKeys[i] = undefined;
      }
      this.depth = 0;
    }

    ensure(extra) {
      const needed = this.position + extra;
      if (needed > this.bytes.length) {
        let capacity = this.bytes.length * 2;
        while (capacity < needed) {
          capacity *= 2;
        }
        const grown = new Uint8Array(capacity);
        grown.set(this.bytes.subarray(0, this.position));
        this.bytes = grown;
        this.view = new DataView(grown.buffer);
      }
    }

    writeByte(byte) {
      this.ensure(1);
      this.bytes[this.position++] = byte;
    }

    writeVarint(value) {
      this.ensure(10);
      this.position = putVarint(this.bytes, this.position, value);
    }

    writeFloat64(value) {
      this.ensure(8);
      this.view.setFloat64(this.position, value, true);
      this.position += 8;
    }

    writeNumber(value) {
      if ((value | 0) === value && (value !== 0 || 1 / value > 0)) {
        this.ensure(6);
        this.bytes[this.position] = TAG_INT;
        this.position = putVarint(this.bytes, this.position + 1, ((value << 1) ^ (value >> 31)) >>> 0);
      } else {
        this.writeByte(TAG_DOUBLE);
        this.writeFloat64(value);
      }
    }

    writeBigInt(value) {
      const negative = value < 0n;
      const magnitude = negative ? -value : value;
      let hex = magnitude === 0n ? '' : magnitude.toString(16);
      if (hex.length % 2 === 1) {
        hex = '0' + hex;
      }
      const byteCount = hex.length / 2;
      this.writeByte(TAG_BIGINT);
      this.writeVarint(byteCount * 2 + (negative ? 1 : 0));
      this.ensure(byteCount);
      for (let i = 0; i < byteCount; i++) {
        this.bytes[this.position++] = parseInt(hex.substring(2 * i, 2 * i + 2), 16);
      }
    }

    writeString(value) {
      const length = value.length;
      if (length <= SHORT_STRING_LENGTH) {
        this.ensure(2 + length);
        const bytes = this.bytes;
        let position = this.position + 2;
        let i = 0;
        for (; i < length; i++) {
          const code = value.charCodeAt(i);
          if (code >= 0x80) {
            break;
          }
          bytes[position++] = code;
        }
        if (i === length) {
          bytes[this.position] = TAG_STRING_UTF8;
          bytes[this.position + 1] = length;
          this.position = position;
          return;
        }
      }
      if (stringIsWellFormed.call(value)) {
        this.writeUtf8String(value);
      } else {
        this.writeUtf16String(value);
      }
    }

    writeUtf8String(value) {
      // Encode straight into the buffer after room for the largest possible length prefix,
      // then move the bytes back if the actual prefix is shorter.
      const maxByteLength = value.length * 3;
      const reservedPrefix = varintSize(maxByteLength);
      this.ensure(1 + reservedPrefix + maxByteLength);
      const bytes = this.bytes;
      const start = this.position + 1 + reservedPrefix;
      const written = internals.utf8EncodeInto(value, bytes.subarray(start, start + maxByteLength)).written;
      const actualPrefix = varintSize(written);
      bytes[this.position] = TAG_STRING_UTF8;
      if (actualPrefix !== reservedPrefix) {
        bytes.copyWithin(this.position + 1 + actualPrefix, start, start + written);
      }
      this.position = putVarint(bytes, this.position + 1, written) + written;
    }

    writeUtf16String(value) {
      const length = value.length;
      this.writeByte(TAG_STRING_UTF16);
      this.writeVarint(length);
      this.ensure(2 * length);
      const bytes = this.bytes;
      let position = this.position;
      for (let i = 0; i < length; i++) {
        const unit = value.charCodeAt(i);
        bytes[position] = unit & 0xff;
        bytes[position + 1] = unit >>> 8;
        position += 2;
      }
      this.position = position;
    }

    writeValue(value) {
      switch (typeof value) {
        case 'string':
          this.writeString(value);
          return;
        case 'number':
          this.writeNumber(value);
          return;
        case 'boolean':
          this.writeByte(value ? TAG_TRUE : TAG_FALSE);
          return;
        case 'undefined':
          this.writeByte(TAG_UNDEFINED);
          return;
        case 'bigint':
          this.writeBigInt(value);
          return;
        case 'object':
          if (value === null) {
            this.writeByte(TAG_NULL);
          } else {
            this.writeObject(value);
          }
          return;
        default:
          if (typeof value === 'function' && this.rpcExports !== null) {
            this.writeCallback(CALLBACK_FUNCTION, value);
            return;
          }
          throw uncloneableError(value);
      }
    }

    // Exports a function or an RpcTarget of an RPC call's arguments to the receiver.
    writeCallback(kind, target) {
      this.writeByte(TAG_CALLBACK);
      this.writeByte(kind);
      this.writeVarint(this.rpcExports.length);
      this.rpcExports.push(target);
    }

    writeObject(object) {
      const id = this.ids.get(object);
      if (id !== undefined) {
        this.writeByte(TAG_BACKREF);
        this.writeVarint(id);
        return;
      }
      this.ids.set(object, this.nextId++);
      if (Array.isArray(object)) {
        this.beginArray(object);
        return;
      }
      const prototype = Object.getPrototypeOf(object);
      if (prototype === Object.prototype || prototype === null) {
        this.beginProperties(object, TAG_OBJECT);
        return;
      }
      this.writeOtherObject(object);
    }

    // Everything but arrays and plain objects, in rough order of how often they are stored.
    writeOtherObject(object) {
      if (internals.isHostObject(object)) {
        throw uncloneableError(object);
      }
      if (ArrayBuffer.isView(object)) {
        this.writeView(object);
      } else if (object instanceof ArrayBuffer) {
        this.writeArrayBuffer(object);
      } else if (object instanceof Date) {
        this.writeByte(TAG_DATE);
        this.writeFloat64(dateGetTime.call(object));
      } else if (object instanceof Map) {
        const entries = [];
        mapForEach.call(object, (value, key) => {
          entries.push(key, value);
        });
        this.writeByte(TAG_MAP);
        this.pushItems(entries);
      } else if (object instanceof Set) {
        const values = [];
        setForEach.call(object, (value) => {
          values.push(value);
        });
        this.writeByte(TAG_SET);
        this.pushItems(values);
      } else if (object instanceof RegExp) {
        this.writeByte(TAG_REGEXP);
        this.writeString(regExpSource.call(object));
        this.writeString(regExpFlags.call(object));
      } else if (internals.isDOMException(object)) {
        this.writeByte(TAG_DOM_EXCEPTION);
        this.writeString(object.name);
        this.writeString(object.message);
        this.writeString(typeof object.stack === 'string' ? object.stack : '');
      } else if (object instanceof Error) {
        this.writeError(object);
      } else if (internals.blobBytes(object) !== undefined) {
        this.writeBlob(object, internals.blobBytes(object));
      } else {
        for (const [type, valueOf] of WRAPPER_VALUE_OF) {
          if (object instanceof type) {
            this.writeByte(TAG_PRIMITIVE_WRAPPER);
            this.writeValue(valueOf.call(object));
            return;
          }
        }
        if (this.writeRpcObject(object)) {
          return;
        }
        for (const type of notSerializableClasses) {
          if (object instanceof type) {
            throw dataCloneError(`Could not serialize object of type "${type.name}". This type does not support serialization.`);
          }
        }
        for (const type of UNCLONEABLE_TYPES) {
          if (object instanceof type) {
            throw uncloneableError(object);
          }
        }
        // NOTE: a Proxy cannot be detected from JS, so it is cloned through its traps as an
        // ordinary object, where V8 throws a DataCloneError.
        // A class instance: its own enumerable string-keyed properties, as a plain object.
        this.beginProperties(object, TAG_OBJECT);
      }
    }

    writeError(error) {
      const nameIndex = ERROR_TYPE_BY_NAME.get(error.name);
      let header = nameIndex === undefined ? 0 : nameIndex;
      const hasMessage = hasOwn.call(error, 'message');
      const message = hasMessage ? `${error.message}` : '';
      const stack = error.stack;
      const hasStack = typeof stack === 'string';
      const hasCause = hasOwn.call(error, 'cause');
      header |= (hasMessage ? ERROR_HAS_MESSAGE : 0) | (hasStack ? ERROR_HAS_STACK : 0) | (hasCause ? ERROR_HAS_CAUSE : 0);
      this.writeByte(TAG_ERROR);
      this.writeByte(header);
      if (hasMessage) {
        this.writeString(message);
      }
      if (hasStack) {
        this.writeString(stack);
      }
      if (hasCause) {
        this.pushFrame(WRITE_CAUSE, error, [error.cause], 0, 1, 0);
      }
    }

    // Writes a Durable Object stub, a Request, a Response, Headers, an RpcTarget or a received
    // RpcStub, which only RPC passes. Returns false for any other object. A stub written for
    // anything but RPC throws workerd's error.
    writeRpcObject(object) {
      const reference = internals.stubReference(object);
      if (reference !== undefined) {
        if (this.rpcBodies === null) {
          throw dataCloneError('ServiceStub cannot be serialized in this context.');
        }
        this.writeByte(TAG_STUB);
        this.writeVarint(reference.namespace);
        this.writeString(reference.id);
        if (reference.name === null) {
          this.writeByte(TAG_UNDEFINED);
        } else {
          this.writeString(reference.name);
        }
        return true;
      }
      if (internals.isRpcStub(object)) {
        // A stub of an RpcTarget that a caller passed: forwarded among the arguments of a call, so
        // the next receiver's calls travel back through this context, as in workerd.
        if (this.rpcExports === null) {
          throw dataCloneError('RpcStub cannot be serialized in this context.');
        }
        this.writeCallback(CALLBACK_RPC_TARGET, object);
        return true;
      }
      if (this.rpcBodies === null) {
        return false;
      }
      if (this.rpcExports !== null && internals.isRpcTarget(object)) {
        this.writeCallback(CALLBACK_RPC_TARGET, object);
        return true;
      }
      if (internals.isHeaders(object)) {
        this.writeByte(TAG_HEADERS);
        this.writeByte(internals.headersAreImmutable(object) ? 1 : 0);
        this.writeHeaderList(internals.headersToFlat(object));
        return true;
      }
      if (internals.isRequest(object)) {
        const fields = internals.requestFields(object);
        const body = this.rpcBodyOf(object);
        this.writeByte(TAG_REQUEST);
        this.writeString(fields.method);
        this.writeString(fields.url);
        this.writeString(fields.redirect);
        this.writeString(fields.cache === undefined ? '' : fields.cache);
        this.writeString(fields.cf === undefined ? '' : JSON.stringify(fields.cf));
        this.writeHeaderList(fields.headers);
        this.writeByte(fields.encodeResponseBody === 'manual' ? 1 : 0);
        this.writeBody(body);
        return true;
      }
      if (internals.isResponse(object)) {
        const fields = internals.responseFields(object);
        if (fields.webSocket !== null) {
          throw dataCloneError('A Response with a webSocket cannot be passed over RPC in Mooring. Return it from'
              + ' the fetch() handler instead, and reach the object through stub.fetch().');
        }
        const body = this.rpcBodyOf(object);
        this.writeByte(TAG_RESPONSE);
        this.writeVarint(fields.status);
        this.writeString(fields.statusText);
        this.writeString(fields.cf === undefined ? '' : JSON.stringify(fields.cf));
        this.writeHeaderList(fields.headers);
        this.writeByte(fields.encodeBody === 'manual' ? 1 : 0);
        this.writeBody(body);
        return true;
      }
      return false;
    }

    // Returns the body of a Request or Response, read on first use: its bytes, a promise of them
    // while a stream is read (serializeForRpc then serializes again), or null. A used body throws
    // the TypeError that workerd gives for a body stream that was read.
    rpcBodyOf(message) {
      if (this.rpcBodies.has(message)) {
        return this.rpcBodies.get(message);
      }
      if (message.bodyUsed) {
        throw new TypeError('The ReadableStream has been locked to a reader.');
      }
      const body = internals.consumeBody(message);
      this.rpcBodies.set(message, body);
      return body;
    }

    writeHeaderList(flat) {
      const length = flat.length;
      this.writeVarint(length / 2);
      for (let i = 0; i < length; i++) {
        this.writeString(String(flat[i]));
      }
    }

    // Writes body bytes; a body whose stream is still being read is written as none for now.
    writeBody(body) {
      if (body === null || body instanceof Promise) {
        this.writeVarint(0);
        return;
      }
      this.writeVarint(body.length + 1);
      this.ensure(body.length);
      this.bytes.set(body, this.position);
      this.position += body.length;
    }

    // A File keeps its name and time; both keep their type and bytes (blob.js).
    writeBlob(blob, bytes) {
      if (blob instanceof File) {
        this.writeByte(TAG_FILE);
        this.writeString(blob.name);
        this.writeString(blob.type);
        this.writeFloat64(blob.lastModified);
      } else {
        this.writeByte(TAG_BLOB);
        this.writeString(blob.type);
      }
      this.writeVarint(bytes.length);
      this.ensure(bytes.length);
      this.bytes.set(bytes, this.position);
      this.position += bytes.length;
    }

    writeArrayBuffer(buffer) {
      if (this.transferIndexes !== null) {
        const index = this.transferIndexes.get(buffer);
        if (index !== undefined) {
          this.writeByte(TAG_TRANSFERRED_ARRAY_BUFFER);
          this.writeVarint(index);
          return;
        }
      }
      if (arrayBufferDetached.call(buffer)) {
        throw dataCloneError('An ArrayBuffer is detached and could not be cloned.');
      }
      const byteLength = arrayBufferByteLength.call(buffer);
      if (arrayBufferResizable.call(buffer)) {
        this.writeByte(TAG_RESIZABLE_ARRAY_BUFFER);
        this.writeVarint(byteLength);
        this.writeVarint(arrayBufferMaxByteLength.call(buffer));
      } else {
        this.writeByte(TAG_ARRAY_BUFFER);
        this.writeVarint(byteLength);
      }
      this.ensure(byteLength);
      this.bytes.set(new Uint8Array(buffer, 0, byteLength), this.position);
      this.position += byteLength;
    }

    writeView(view) {
      const name = typedArrayName.call(view);
      let kind;
      let buffer;
      let byteOffset;
      let length;
      if (name === undefined) {
        kind = VIEW_KIND_DATA_VIEW;
        buffer = dataViewBuffer.call(view);
        if (arrayBufferDetached.call(buffer)) {
          throw dataCloneError('An ArrayBuffer is detached and could not be cloned.');
        }
        byteOffset = dataViewByteOffset.call(view);
        length = dataViewByteLength.call(view);
      } else {
        kind = VIEW_KIND_BY_NAME.get(name);
        buffer = typedArrayBuffer.call(view);
        if (arrayBufferDetached.call(buffer)) {
          throw dataCloneError('An ArrayBuffer is detached and could not be cloned.');
        }
        byteOffset = typedArrayByteOffset.call(view);
        length = typedArrayLength.call(view);
      }
      // NOTE: a length-tracking view of a resizable buffer comes back with a fixed length,
      // because JS cannot tell whether a view tracks its buffer's length.
      this.writeByte(TAG_VIEW);
      this.writeByte(kind);
      this.writeVarint(byteOffset);
      this.writeVarint(length);
      this.writeObject(buffer);
    }

    beginArray(array) {
      const length = array.length;
      const keys = Object.keys(array);
      if (length > SPARSE_ARRAY_MIN_LENGTH && keys.length * 4 <= length) {
        this.writeByte(TAG_SPARSE_ARRAY);
        this.writeVarint(length);
        this.pushFrame(WRITE_PROPERTIES, array, keys, 0, keys.length, 0);
        return;
      }
      this.writeByte(TAG_DENSE_ARRAY);
      this.writeVarint(length);
      // Object.keys lists indices first, so the named properties are a suffix of `keys`.
      let namedStart = keys.length;
      while (namedStart > 0 && !isArrayIndex(keys[namedStart - 1])) {
        namedStart--;
      }
      if (length === 0 && namedStart === keys.length) {
        this.writeByte(TAG_END);
        return;
      }
      this.pushFrame(WRITE_ELEMENTS, array, keys, 0, length, namedStart);
    }

    beginProperties(object, tag) {
      const keys = Object.keys(object);
      this.writeByte(tag);
      if (keys.length === 0) {
        this.writeByte(TAG_END);
        return;
      }
      this.pushFrame(WRITE_PROPERTIES, object, keys, 0, keys.length, 0);
    }

    pushItems(items) {
      if (items.length === 0) {
        this.writeByte(TAG_END);
        return;
      }
      this.pushFrame(WRITE_ITEMS, null, items, 0, items.length, 0);
    }

    pushFrame(kind, object, keys, index, limit, namedStart) {
      const depth = this.depth++;
      this.frameKinds[depth] = kind;
      this.frameObjects[depth] = object;
      this.frameKeys[depth] = keys;
      this.frameIndexes[depth] = index;
      this.frameLimits[depth] = limit;
      this.frameNamedStarts[depth] = namedStart;
    }

    popFrame() {
      const depth = --this.depth;
      this.frameObjects[depth] = undefined;
      this.frameKeys[depth] = undefined;
    }

    // Writes the contents of open containers until none is left. Each turn writes children of
    // the innermost container until one of them is a container, which pushes its own frame.
    writeOpenContainers() {
      while (this.depth > 0) {
        const top = this.depth - 1;
        const innermost = this.depth;
        let index = this.frameIndexes[top];
        const limit = this.frameLimits[top];
        const object = this.frameObjects[top];
        const keys = this.frameKeys[top];
        switch (this.frameKinds[top]) {
          case WRITE_ELEMENTS:
            while (index < limit && this.depth === innermost) {
              const element = object[index];
              this.frameIndexes[top] = index + 1;
              if (element === undefined && !hasOwn.call(object, index)) {
                this.writeByte(TAG_HOLE);
              } else {
                this.writeValue(element);
              }
              index++;
            }
            if (index === limit && this.depth === innermost) {
              // Elements done: continue with the array's named properties.
              this.frameKinds[top] = WRITE_PROPERTIES;
              this.frameIndexes[top] = this.frameNamedStarts[top];
              this.frameLimits[top] = keys.length;
            }
            break;
          case WRITE_PROPERTIES: {
            const isArray = Array.isArray(object);
            while (index < limit && this.depth === innermost) {
              const key = keys[index];
              this.frameIndexes[top] = index + 1;
              if (isArray && isArrayIndex(key)) {
                this.writeNumber(Number(key));
              } else {
                this.writeString(key);
              }
              this.writeValue(object[key]);
              index++;
            }
            if (index === limit && this.depth === innermost) {
              this.writeByte(TAG_END);
              this.popFrame();
            }
            break;
          }
          case WRITE_ITEMS:
          case WRITE_CAUSE:
            while (index < limit && this.depth === innermost) {
              this.frameIndexes[top] = index + 1;
              this.writeValue(keys[index]);
              index++;
            }
            if (index === limit && this.depth === innermost) {
              if (this.frameKinds[top] === WRITE_ITEMS) {
                this.writeByte(TAG_END);
              }
              this.popFrame();
            }
            break;
        }
      }
    }

    // Serializes one value after the version byte; the result stays in this.bytes.
    serializeValue(value) {
      this.ensure(1);
      this.bytes[this.position++] = FORMAT_VERSION;
      this.writeValue(value);
      this.writeOpenContainers();
    }
  }

  // One idle serializer is kept for reuse. A getter that runs during serialization may start
  // another serialization, which then gets a fresh serializer.
  let idleSerializer = new Serializer();

  function acquireSerializer() {
    const serializer = idleSerializer;
    if (serializer === null) {
      return new Serializer();
    }
    idleSerializer = null;
    return serializer;
  }

  function releaseSerializer(serializer) {
    serializer.reset();
    idleSerializer = serializer;
  }

  // ---------------------------------------------------------------------------------------------
  // Deserializer

  // Frame kinds: what the deserializer reads next for an open container.
  const READ_ELEMENTS = 1; // dense array elements, then properties
  const READ_PROPERTIES = 2; // key/value pairs until TAG_END
  const READ_MAP = 3; // key/value pairs until TAG_END
  const READ_SET = 4; // values until TAG_END
  const READ_CAUSE = 5; // one value, the Error's cause

  const EMPTY_ARRAY = [];

  class Deserializer {
    constructor() {
      this.bytes = null;
      this.view = null;
      this.position = 0;
      this.end = 0;
      this.objects = [];
      this.transferred = EMPTY_ARRAY;
      // Whether the data came over RPC, the only place where stubs, Requests, Responses, Headers and
      // callbacks may be.
      this.forRpc = false;
      // The host's way back to the caller, for the callbacks among an RPC call's arguments, or null.
      this.rpcChannel = null;
      this.depth = 0;
      this.frameKinds = [];
      this.frameTargets = [];
      this.frameIndexes = [];
      this.frameLimits = [];
      // READ_MAP: whether a key was read and waits for its value, and that key.
      this.framePending = [];
      this.frameKeys = [];
    }

    reset() {
      this.bytes = null;
      this.view = null;
      this.objects.length = 0;
      this.transferred = EMPTY_ARRAY;
      this.forRpc = false;
      this.rpcChannel = null;
      for (let i = 0; i < this.depth; i++) {
        this.frameTargets[i] = undefined;
        this.frameKeys[i] = undefined;
      }
      this.depth = 0;
    }

    readByte() {
      if (this.position >= this.end) {
        throw corruptDataError('the data ends in the middle of a value');
      }
      return this.bytes[this.position++];
    }

    peekByte() {
      if (this.position >= this.end) {
        throw corruptDataError('the data ends in the middle of a value');
      }
      return this.bytes[this.position];
    }

    readVarint() {
      let result = 0;
      let multiplier = 1;
      let byte;
      do {
        if (multiplier > 2 ** 49) {
          throw corruptDataError('a varint is longer than 8 bytes');
        }
        byte = this.readByte();
        result += (byte & 0x7f) * multiplier;
        multiplier *= 128;
      } while (byte & 0x80);
      return result;
    }

    readLength() {
      const length = this.readVarint();
      if (length > this.end - this.position) {
        throw corruptDataError(`a length of ${length} bytes runs past the end of the data`);
      }
      return length;
    }

    // Reads a varint length and that many bytes into a new Uint8Array.
    readBytes() {
      const byteLength = this.readLength();
      const start = this.position;
      this.position += byteLength;
      return this.bytes.slice(start, start + byteLength);
    }

    readFloat64() {
      if (this.end - this.position < 8) {
        throw corruptDataError('the data ends in the middle of a number');
      }
      if (this.view === null) {
        this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
      }
      const value = this.view.getFloat64(this.position, true);
      this.position += 8;
      return value;
    }

    readStringBody(tag) {
      if (tag === TAG_STRING_UTF8) {
        const byteLength = this.readLength();
        const start = this.position;
        this.position += byteLength;
        return internals.utf8Decode(this.bytes.subarray(start, start + byteLength));
      }
      const length = this.readVarint();
      if (length * 2 > this.end - this.position) {
        throw corruptDataError(`a string of ${length} code units runs past the end of the data`);
      }
      const units = new Uint16Array(length);
      const bytes = this.bytes;
      let position = this.position;
      for (let i = 0; i < length; i++) {
        units[i] = bytes[position] | (bytes[position + 1] << 8);
        position += 2;
      }
      this.position = position;
      return internals.stringFromCodeUnits(units);
    }

    readString() {
      const tag = this.readByte();
      if (tag !== TAG_STRING_UTF8 && tag !== TAG_STRING_UTF16) {
        throw corruptDataError(`expected a string, found tag 0x${tag.toString(16)}`);
      }
      return this.readStringBody(tag);
    }

    readKey() {
      const tag = this.readByte();
      switch (tag) {
        case TAG_STRING_UTF8:
        case TAG_STRING_UTF16:
          return this.readStringBody(tag);
        case TAG_INT:
        case TAG_DOUBLE:
          return String(this.readPrimitive(tag));
        default:
          throw corruptDataError(`expected a property key, found tag 0x${tag.toString(16)}`);
      }
    }

    readPrimitive(tag) {
      if (tag === TAG_INT) {
        const zigzag = this.readVarint();
        return (zigzag >>> 1) ^ -(zigzag & 1);
      }
      return this.readFloat64();
    }

    readBigInt() {
      const header = this.readVarint();
      const byteCount = Math.floor(header / 2);
      if (byteCount > this.end - this.position) {
        throw corruptDataError(`a BigInt of ${byteCount} bytes runs past the end of the data`);
      }
      if (byteCount === 0) {
        return 0n;
      }
      let hex = '0x';
      for (let i = 0; i < byteCount; i++) {
        const byte = this.bytes[this.position++];
        hex += (byte < 16 ? '0' : '') + byte.toString(16);
      }
      const magnitude = BigInt(hex);
      return header % 2 === 1 ? -magnitude : magnitude;
    }

    register(object) {
      this.objects.push(object);
      return object;
    }

    // Reads one value. A container is returned empty, with a frame pushed that fills it.
    readValue() {
      const tag = this.readByte();
      switch (tag) {
        case TAG_UNDEFINED:
          return undefined;
        case TAG_NULL:
          return null;
        case TAG_FALSE:
          return false;
        case TAG_TRUE:
          return true;
        case TAG_INT:
        case TAG_DOUBLE:
          return this.readPrimitive(tag);
        case TAG_BIGINT:
          return this.readBigInt();
        case TAG_STRING_UTF8:
        case TAG_STRING_UTF16:
          return this.readStringBody(tag);
        case TAG_BACKREF: {
          const id = this.readVarint();
          if (id >= this.objects.length) {
            throw corruptDataError(`reference to object ${id}, but only ${this.objects.length} were read`);
          }
          return this.objects[id];
        }
        case TAG_OBJECT:
          return this.pushFrame(READ_PROPERTIES, this.register({}), 0);
        case TAG_DENSE_ARRAY: {
          const length = this.readVarint();
          if (length > this.end - this.position) {
            // Every element takes at least one byte.
            throw corruptDataError(`an array of ${length} elements runs past the end of the data`);
          }
          return this.pushFrame(READ_ELEMENTS, this.register(new Array(length)), length);
        }
        case TAG_SPARSE_ARRAY: {
          const length = this.readVarint();
          if (length > 4294967295) {
            throw corruptDataError(`array length ${length} is out of range`);
          }
          return this.pushFrame(READ_PROPERTIES, this.register(new Array(length)), 0);
        }
        case TAG_MAP:
          return this.pushFrame(READ_MAP, this.register(new Map()), 0);
        case TAG_SET:
          return this.pushFrame(READ_SET, this.register(new Set()), 0);
        case TAG_DATE:
          return this.register(new Date(this.readFloat64()));
        case TAG_REGEXP:
          return this.register(this.readRegExp());
        case TAG_PRIMITIVE_WRAPPER:
          return this.register(this.readPrimitiveWrapper());
        case TAG_ERROR:
          return this.readError();
        case TAG_DOM_EXCEPTION: {
          const name = this.readString();
          const message = this.readString();
          const stack = this.readString();
          const exception = internals.domException(message, name);
          Object.defineProperty(exception, 'stack', { value: stack, writable: true, enumerable: false, configurable: true });
          return this.register(exception);
        }
        case TAG_ARRAY_BUFFER:
          return this.register(this.readBytes().buffer);
        case TAG_RESIZABLE_ARRAY_BUFFER:
          return this.register(this.readResizableArrayBuffer());
        case TAG_BLOB: {
          const type = this.readString();
          return this.register(internals.newBlob(this.readBytes(), type));
        }
        case TAG_FILE: {
          const name = this.readString();
          const type = this.readString();
          const lastModified = this.readFloat64();
          return this.register(new File([this.readBytes()], name, { type, lastModified }));
        }
        case TAG_TRANSFERRED_ARRAY_BUFFER: {
          const index = this.readVarint();
          if (index >= this.transferred.length) {
            throw corruptDataError(`transferred ArrayBuffer ${index} is not in the transfer list`);
          }
          return this.register(this.transferred[index]);
        }
        case TAG_VIEW:
          return this.readView();
        case TAG_STUB:
        case TAG_REQUEST:
        case TAG_RESPONSE:
        case TAG_HEADERS:
          if (!this.forRpc) {
            throw corruptDataError(`tag 0x${tag.toString(16)} at offset ${this.position - 1} is valid only in RPC data`);
          }
          return this.register(this.readRpcObject(tag));
        case TAG_CALLBACK:
          return this.readCallback();
        default:
          throw corruptDataError(`unknown tag 0x${tag.toString(16)} at offset ${this.position - 1}`);
      }
    }

    // Reads the parts of an object that only RPC passes and builds it.
    readRpcObject(tag) {
      if (tag === TAG_STUB) {
        const namespace = this.readVarint();
        const id = this.readString();
        const name = this.readValue();
        if (name !== undefined && typeof name !== 'string') {
          throw corruptDataError(`the name of a stub is a ${typeof name}, expected a string or undefined`);
        }
        return internals.stubFromReference({ namespace, id, name: name === undefined ? null : name });
      }

      if (tag === TAG_HEADERS) {
        const immutable = this.readFlag('Headers');
        return internals.headersFromFlat(this.readHeaderList(), immutable);
      }

      if (tag === TAG_REQUEST) {
        const method = this.readString();
        const url = this.readString();
        const redirect = this.readString();
        const cache = this.readString();
        const cf = this.readCf();
        const headers = this.readHeaderList();
        const encodeResponseBody = this.readFlag('encodeResponseBody') ? 'manual' : 'automatic';
        const body = this.readBody();
        return internals.newRpcRequest({ method, url, redirect, cache: cache === '' ? undefined : cache, cf, headers,
          encodeResponseBody }, body);
      }

      const status = this.readVarint();
      const statusText = this.readString();
      const cf = this.readCf();
      const headers = this.readHeaderList();
      const encodeBody = this.readFlag('encodeBody') ? 'manual' : 'automatic';
      const body = this.readBody();
      return internals.newRpcResponse({ status, statusText, cf, headers, encodeBody }, body);
    }

    // Reads a flag byte, 0 or 1, and returns whether it is set.
    readFlag(what) {
      const flag = this.readByte();
      if (flag > 1) {
        throw corruptDataError(`invalid ${what} flag ${flag}`);
      }
      return flag === 1;
    }

    readCallback() {
      if (this.rpcChannel === null) {
        throw corruptDataError(`a callback at offset ${this.position - 1} outside the arguments of an RPC call`);
      }
      const kind = this.readByte();
      if (kind !== CALLBACK_FUNCTION && kind !== CALLBACK_RPC_TARGET) {
        throw corruptDataError(`unknown callback kind ${kind}`);
      }
      const index = this.readVarint();
      const stub = internals.newCallbackStub(this.rpcChannel, index, kind === CALLBACK_RPC_TARGET);
      // An RpcTarget has an object id, as every object does; a function has none.
      return kind === CALLBACK_RPC_TARGET ? this.register(stub) : stub;
    }

    readCf() {
      const json = this.readString();
      return json === '' ? undefined : JSON.parse(json);
    }

    readHeaderList() {
      const pairs = this.readVarint();
      if (pairs * 4 > this.end - this.position) {
        // Every name and value takes at least two bytes.
        throw corruptDataError(`${pairs} headers run past the end of the data`);
      }
      const flat = [];
      for (let i = 0; i < 2 * pairs; i++) {
        flat.push(this.readString());
      }
      return flat;
    }

    readBody() {
      const lengthPlusOne = this.readVarint();
      if (lengthPlusOne === 0) {
        return null;
      }
      const byteLength = lengthPlusOne - 1;
      if (byteLength > this.end - this.position) {
        throw corruptDataError(`a body of ${byteLength} bytes runs past the end of the data`);
      }
      const start = this.position;
      this.position += byteLength;
      return this.bytes.slice(start, start + byteLength);
    }

    readRegExp() {
      const source = this.readString();
      const flags = this.readString();
      try {
        return new RegExp(source, flags);
      } catch (error) {
        throw corruptDataError(`invalid regular expression /${source}/${flags}`);
      }
    }

    readPrimitiveWrapper() {
      const value = this.readValue();
      const type = typeof value;
      if (type !== 'number' && type !== 'string' && type !== 'boolean' && type !== 'bigint') {
        throw corruptDataError(`a primitive wrapper contains a ${type}, expected a number, string, boolean or bigint`);
      }
      return Object(value);
    }

    readError() {
      // The error's id comes before its parts, like in the serializer.
      const id = this.objects.length;
      this.objects.push(undefined);
      const header = this.readByte();
      const type = ERROR_TYPES[header & 0x07];
      if (type === undefined || header > 0x3f) {
        throw corruptDataError(`invalid Error header 0x${header.toString(16)}`);
      }
      const error = (header & ERROR_HAS_MESSAGE) !== 0 ? new type(this.readString()) : new type();
      if ((header & ERROR_HAS_STACK) !== 0) {
        Object.defineProperty(error, 'stack', { value: this.readString(), writable: true, enumerable: false, configurable: true });
      } else {
        delete error.stack;
      }
      this.objects[id] = error;
      if ((header & ERROR_HAS_CAUSE) !== 0) {
        this.pushFrame(READ_CAUSE, error, 1);
      }
      return error;
    }

    readResizableArrayBuffer() {
      const byteLength = this.readVarint();
      const maxByteLength = this.readVarint();
      if (byteLength > maxByteLength || byteLength > this.end - this.position) {
        throw corruptDataError(`invalid resizable ArrayBuffer of ${byteLength} bytes (maximum ${maxByteLength})`);
      }
      const buffer = new ArrayBuffer(byteLength, { maxByteLength });
      new Uint8Array(buffer).set(this.bytes.subarray(this.position, this.position + byteLength));
      this.position += byteLength;
      return buffer;
    }

    readView() {
      const id = this.objects.length;
      this.objects.push(undefined);
      const kind = this.readByte();
      const byteOffset = this.readVarint();
      const length = this.readVarint();
      const type = VIEW_TYPES[kind];
      if (type === undefined) {
        throw corruptDataError(`unknown view kind ${kind}`);
      }
      const buffer = this.readValue();
      if (!(buffer instanceof ArrayBuffer)) {
        throw corruptDataError(`the buffer of a ${type.name} is not an ArrayBuffer`);
      }
      let view;
      try {
        view = new type(buffer, byteOffset, length);
      } catch (error) {
        throw corruptDataError(`a ${type.name} at offset ${byteOffset} with length ${length} does not fit its buffer`);
      }
      this.objects[id] = view;
      return view;
    }

    pushFrame(kind, target, limit) {
      const depth = this.depth++;
      this.frameKinds[depth] = kind;
      this.frameTargets[depth] = target;
      this.frameIndexes[depth] = 0;
      this.frameLimits[depth] = limit;
      this.framePending[depth] = false;
      return target;
    }

    popFrame() {
      const depth = --this.depth;
      this.frameTargets[depth] = undefined;
      this.frameKeys[depth] = undefined;
    }

    // Fills open containers until none is left; the counterpart of writeOpenContainers.
    readOpenContainers() {
      while (this.depth > 0) {
        const top = this.depth - 1;
        const innermost = this.depth;
        const target = this.frameTargets[top];
        switch (this.frameKinds[top]) {
          case READ_ELEMENTS: {
            let index = this.frameIndexes[top];
            const limit = this.frameLimits[top];
            while (index < limit && this.depth === innermost) {
              this.frameIndexes[top] = index + 1;
              if (this.peekByte() === TAG_HOLE) {
                this.position++;
              } else {
                target[index] = this.readValue();
              }
              index++;
            }
            if (index === limit && this.depth === innermost) {
              this.frameKinds[top] = READ_PROPERTIES;
            }
            break;
          }
          case READ_PROPERTIES:
            while (this.depth === innermost) {
              if (this.peekByte() === TAG_END) {
                this.position++;
                this.popFrame();
                break;
              }
              const key = this.readKey();
              const value = this.readValue();
              if (key === '__proto__') {
                Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
              } else {
                target[key] = value;
              }
            }
            break;
          case READ_MAP:
            while (this.depth === innermost) {
              if (this.framePending[top]) {
                this.framePending[top] = false;
                const key = this.frameKeys[top];
                this.frameKeys[top] = undefined;
                target.set(key, this.readValue());
                continue;
              }
              if (this.peekByte() === TAG_END) {
                this.position++;
                this.popFrame();
                break;
              }
              // The key may be a container whose frame must finish before the value is read.
              this.framePending[top] = true;
              this.frameKeys[top] = this.readValue();
            }
            break;
          case READ_SET:
            while (this.depth === innermost) {
              if (this.peekByte() === TAG_END) {
                this.position++;
                this.popFrame();
                break;
              }
              target.add(this.readValue());
            }
            break;
          case READ_CAUSE: {
            this.popFrame();
            const cause = this.readValue();
            Object.defineProperty(target, 'cause', { value: cause, writable: true, enumerable: false, configurable: true });
            break;
          }
        }
      }
    }

    deserialize(bytes, transferred, forRpc, rpcChannel) {
      this.bytes = bytes;
      this.position = 0;
      this.end = bytes.length;
      this.transferred = transferred;
      this.forRpc = forRpc;
      this.rpcChannel = rpcChannel;
      if (this.end === 0) {
        throw corruptDataError('the data is empty');
      }
      const version = this.bytes[this.position++];
      if (version !== FORMAT_VERSION) {
        throw dataCloneError(`Unable to deserialize cloned data: format version ${version} is not supported (expected ${FORMAT_VERSION}).`);
      }
      const value = this.readValue();
      this.readOpenContainers();
      if (this.position !== this.end) {
        throw corruptDataError(`${this.end - this.position} bytes follow the value`);
      }
      return value;
    }
  }

  let idleDeserializer = new Deserializer();

  function deserializeBytes(bytes, transferred, forRpc, rpcChannel = null) {
    let deserializer = idleDeserializer;
    if (deserializer === null) {
      deserializer = new Deserializer();
    } else {
      idleDeserializer = null;
    }
    try {
      return deserializer.deserialize(bytes, transferred, forRpc, rpcChannel);
    } finally {
      deserializer.reset();
      idleDeserializer = deserializer;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // API

  /** Serializes a value into a new Uint8Array; throws a DataCloneError DOMException for values that do not serialize. */
  function serialize(value) {
    return serializeWith(value, null, null);
  }

  // Serializes with `rpcBodies` as the serializer's map of Request and Response bodies, and
  // `rpcExports` as its list of exports, or null.
  function serializeWith(value, rpcBodies, rpcExports) {
    const serializer = acquireSerializer();
    try {
      serializer.rpcBodies = rpcBodies;
      serializer.rpcExports = rpcExports;
      serializer.serializeValue(value);
      return serializer.bytes.slice(0, serializer.position);
    } finally {
      releaseSerializer(serializer);
    }
  }

  /**
   * Serializes RPC arguments or a result, as serialize() does, but also Durable Object stubs,
   * Headers, Requests and Responses, whose bodies it reads and marks used. Returns a Uint8Array, or a
   * promise of one when a body is a stream: the value is then serialized again once every such
   * body was read to its end. Throws a DataCloneError, or a TypeError for a used body.
   * With an `exports` array, the arguments of a call, functions and RpcTargets are written as
   * indexes into it, where they are added.
   */
  function serializeForRpc(value, exports = null) {
    const bodies = new Map();
    const bytes = serializeWith(value, bodies, exports);
    const reads = [];
    bodies.forEach((body, message) => {
      if (body instanceof Promise) {
        reads.push(body.then((read) => {
          bodies.set(message, read);
        }));
      }
    });
    if (reads.length === 0) {
      return bytes;
    }
    return Promise.all(reads).then(() => {
      if (exports !== null) {
        exports.length = 0;
      }
      return serializeWith(value, bodies, exports);
    });
  }

  // Returns the bytes of serialized data: a Uint8Array, an ArrayBuffer or a host ByteBuffer.
  function serializedBytes(data) {
    const bytes = data instanceof Uint8Array ? data : internals.asUint8Array(data);
    if (bytes === undefined) {
      throw new TypeError(`deserialize() needs a Uint8Array, an ArrayBuffer or a host ByteBuffer, got ${data === null ? 'null' : typeof data}.`);
    }
    // Copy Java memory once instead of reading it through interop byte by byte.
    return internals.isHostObject(data) ? bytes.slice() : bytes;
  }

  /**
   * Rebuilds a value from serialize() output: a Uint8Array, an ArrayBuffer or a host ByteBuffer.
   * Throws a DataCloneError DOMException for data that is not valid.
   */
  function deserialize(data) {
    return deserializeBytes(serializedBytes(data), EMPTY_ARRAY, false);
  }

  /**
   * Rebuilds a value from serializeForRpc() output, as deserialize() does. With the host's
   * `channel` back to the caller, the arguments of a call, its functions and RpcTargets become
   * stubs that call back through it.
   */
  function deserializeFromRpc(data, channel = null) {
    return deserializeBytes(serializedBytes(data), EMPTY_ARRAY, true, channel);
  }

  // The ArrayBuffers of a transfer list, by workerd's rules: a view stands for its buffer,
  // duplicates count once, and anything else is rejected.
  function transferredBuffers(transfer) {
    const buffers = [];
    for (const item of transfer) {
      let buffer;
      if (item instanceof ArrayBuffer) {
        buffer = item;
      } else if (ArrayBuffer.isView(item)) {
        buffer = item.buffer;
      } else {
        throw new TypeError('Object is not transferable');
      }
      if (!(buffer instanceof ArrayBuffer)) {
        throw dataCloneError('Object is not transferable.');
      }
      if (arrayBufferDetached.call(buffer)) {
        throw dataCloneError('An ArrayBuffer is detached and could not be cloned.');
      }
      if (!buffers.includes(buffer)) {
        buffers.push(buffer);
      }
    }
    return buffers;
  }

  function structuredClone(value, options = undefined) {
    if (arguments.length === 0) {
      throw new TypeError('structuredClone() requires 1 argument, but only 0 were provided.');
    }
    let transfer = EMPTY_ARRAY;
    if (options !== undefined && options !== null) {
      if (typeof options !== 'object' && typeof options !== 'function') {
        throw new TypeError(`The options passed to structuredClone() must be an object, got ${typeof options}.`);
      }
      const list = options.transfer;
      if (list !== undefined) {
        if (list === null || typeof list !== 'object' || typeof list[Symbol.iterator] !== 'function') {
          throw new TypeError('The transfer option of structuredClone() must be an iterable of objects.');
        }
        transfer = transferredBuffers(list);
      }
    }

    const serializer = acquireSerializer();
    try {
      if (transfer.length > 0) {
        serializer.transferIndexes = new Map(transfer.map((buffer, index) => [buffer, index]));
      }
      serializer.serializeValue(value);
      // Detach the transferred buffers only after serialization, which runs getters that may
      // still read them, as the HTML standard orders it.
      const moved = transfer.map((buffer) => buffer.transfer());
      return deserializeBytes(serializer.bytes.subarray(0, serializer.position), moved, false);
    } finally {
      releaseSerializer(serializer);
    }
  }

  Object.defineProperty(globalThis, 'structuredClone', {
    value: structuredClone,
    writable: true,
    enumerable: false,
    configurable: true,
  });

  internals.serialize = serialize;
  internals.deserialize = deserialize;
  internals.serializeForRpc = serializeForRpc;
  internals.deserializeFromRpc = deserializeFromRpc;
  /**
   * Makes instances of a runtime class (and its subclasses) fail to serialize with workerd's
   * message, instead of being stored as plain objects.
   */
  internals.markNotSerializable = (constructor) => {
    notSerializableClasses.push(constructor);
  };
})
