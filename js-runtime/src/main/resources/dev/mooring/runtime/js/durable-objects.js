// Durable Objects as guest code sees them: namespaces, IDs, stubs, the object's state and its
// storage, and the DurableObject base class of `cloudflare:workers`.
//
// Everything stateful lives on the Java side. These classes keep opaque host handles in per-class
// WeakMaps and call `host` functions (see HostFunctions.java). Storage reads are synchronous on the
// host, so every storage promise is already settled when it is returned: an `await` on storage
// continues in the same microtask drain and no other event can slip in (the input gate).
//
// Registered on internals for dispatcher.js:
//   newNamespace(handle, bindingName) -> DurableObjectNamespace
//   newState(handle, idHex, idName, storageLimits) -> DurableObjectState
//   DurableObject, remoteError(name, message, flags, thrownBy) -> Error
//   objectThatThrew(error) -> the log label of the object that threw `error`, or null
(function (host, internals) {
  'use strict';

  const slotsOf = internals.slotsOf;

  const constructToken = Symbol('construct');
  const HEX_ID = /^[0-9a-fA-F]{64}$/;
  const MAX_KEY_BYTES = 2048;
  const MAX_KV_KEYS_PER_CALL = 128;
  const MAX_NAME_BYTES_KEPT = 1024;

  function illegalConstructor() {
    throw new TypeError('Illegal constructor');
  }

  function utf8Length(string) {
    let bytes = 0;
    for (let i = 0; i < string.length; i++) {
      const code = string.charCodeAt(i);
      if (code < 0x80) {
        bytes += 1;
      } else if (code < 0x800) {
        bytes += 2;
      } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < string.length) {
        const next = string.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          bytes += 4;
          i++;
        } else {
          bytes += 3;
        }
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  // ---- IDs ------------------------------------------------------------------------------------

  const durableObjectIdSlots = new WeakMap();

  function durableObjectIdSlotsOf(value) {
    return slotsOf(durableObjectIdSlots, value);
  }

  class DurableObjectId {
    constructor(token, hex, name, namespace) {
      if (token !== constructToken) illegalConstructor();
      durableObjectIdSlots.set(this, { hex, name, namespace });
    }

    toString() {
      return durableObjectIdSlotsOf(this).hex;
    }

    equals(other) {
      return other instanceof DurableObjectId && durableObjectIdSlotsOf(other).hex === durableObjectIdSlotsOf(this).hex;
    }

    get name() {
      return durableObjectIdSlotsOf(this).name;
    }

    get jurisdiction() {
      return undefined;
    }
  }
  Object.defineProperty(DurableObjectId.prototype, Symbol.toStringTag, { value: 'DurableObjectId' });
  internals.markNotSerializable(DurableObjectId);

  function namespaceOfId(id) {
    return durableObjectIdSlotsOf(id).namespace;
  }

  function keptName(name) {
    return utf8Length(name) <= MAX_NAME_BYTES_KEPT ? name : undefined;
  }

  // ---- Namespaces -----------------------------------------------------------------------------

  const durableObjectNamespaceSlots = new WeakMap();

  function durableObjectNamespaceSlotsOf(value) {
    return slotsOf(durableObjectNamespaceSlots, value);
  }

  class DurableObjectNamespace {
    constructor(token, handle) {
      if (token !== constructToken) illegalConstructor();
      durableObjectNamespaceSlots.set(this, { handle });
    }

    idFromName(name) {
      if (arguments.length === 0) {
        throw new TypeError("Failed to execute 'idFromName' on 'DurableObjectNamespace': 1 argument required, but only 0 present.");
      }
      const text = String(name);
      const slots = durableObjectNamespaceSlotsOf(this);
      return new DurableObjectId(constructToken, host.idFromName(slots.handle, text), keptName(text), slots.handle);
    }

    idFromString(hex) {
      const text = String(hex);
      if (!HEX_ID.test(text)) {
        throw new TypeError('Invalid Durable Object ID: must be 64 hex digits');
      }
      const normalized = text.toLowerCase();
      const slots = durableObjectNamespaceSlotsOf(this);
      if (!host.idIsValid(slots.handle, normalized)) {
        throw new TypeError('Durable Object ID is not valid for this namespace.');
      }
      return new DurableObjectId(constructToken, normalized, undefined, slots.handle);
    }

    newUniqueId(options) {
      checkJurisdiction(options && options.jurisdiction);
      const slots = durableObjectNamespaceSlotsOf(this);
      return new DurableObjectId(constructToken, host.newUniqueId(slots.handle), undefined, slots.handle);
    }

    get(id, options) {
      if (!(id instanceof DurableObjectId)) {
        throw new TypeError("Failed to execute 'get' on 'DurableObjectNamespace': parameter 1 is not of type 'DurableObjectId'.");
      }
      const namespace = namespaceOfId(id);
      const slots = durableObjectNamespaceSlotsOf(this);
      if (namespace !== slots.handle) {
        throw new TypeError('Durable Object ID is not valid for this namespace.');
      }
      checkGetOptions(options);
      return new DurableObjectStub(constructToken, host.newStub(slots.handle, id.toString(), id.name ?? null), id);
    }

    getByName(name, options) {
      return this.get(this.idFromName(name), options);
    }

    jurisdiction(jurisdiction) {
      checkJurisdiction(jurisdiction);
      return this;
    }
  }
  Object.defineProperty(DurableObjectNamespace.prototype, Symbol.toStringTag, { value: 'DurableObjectNamespace' });
  internals.markNotSerializable(DurableObjectNamespace);

  function checkJurisdiction(jurisdiction) {
    if (jurisdiction !== undefined && jurisdiction !== null) {
      throw new Error('Jurisdiction restrictions are not implemented in Mooring; create the ID without a jurisdiction.');
    }
  }

  function checkGetOptions(options) {
    if (options === undefined || options === null) return;
    const mode = options.routingMode;
    if (mode !== undefined && mode !== 'primary-only') {
      throw new RangeError('unknown routingMode: ' + mode);
    }
  }

  // ---- Stubs ----------------------------------------------------------------------------------

  // Recreates an error thrown by another object (or produced by the host on its behalf), keeping
  // its type and message as workerd does; the stack stays with the object that threw.
  const ERROR_TYPES = { Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError };

  // The log label of the object whose code threw each recreated error, when the host gave one. The
  // object's log line has the stack, so a caller that passes the same error on logs it briefly.
  const objectsThatThrew = new WeakMap();

  function remoteError(name, message, flags, thrownBy) {
    let error;
    if (flags && flags.domException) {
      // A DOMException thrown by the other object, such as an AbortError, stays one.
      error = new DOMException(message, name);
    } else if (name === 'DOMException' && typeof DOMException === 'function') {
      error = new DOMException(message);
    } else {
      // workerd passes only the standard error types; another name becomes part of the message.
      error = Object.prototype.hasOwnProperty.call(ERROR_TYPES, name) ? new ERROR_TYPES[name](message)
        : new Error(name + ': ' + message);
    }
    if (flags) {
      for (const key of Object.keys(flags)) {
        if (key !== 'domException') {
          error[key] = flags[key];
        }
      }
    }
    if (typeof thrownBy === 'string') {
      objectsThatThrew.set(error, thrownBy);
    }
    return error;
  }

  function objectThatThrew(error) {
    return (error !== null && typeof error === 'object' && objectsThatThrew.get(error)) || null;
  }

  function withoutFragment(url) {
    const hash = url.indexOf('#');
    return hash < 0 ? url : url.substring(0, hash);
  }

  // Adds content-length to flat headers unless they give a length or a transfer coding.
  function withContentLength(headers, length) {
    for (let i = 0; i < headers.length; i += 2) {
      const name = String(headers[i]).toLowerCase();
      if (name === 'content-length' || name === 'transfer-encoding') {
        return headers;
      }
    }
    const copy = [];
    for (let i = 0; i < headers.length; i++) {
      copy.push(headers[i]);
    }
    copy.push('content-length', String(length));
    return copy;
  }

  // The slots of a Fetcher or a DurableObjectStub: the host's StubHandle, and the ID (null for a
  // Fetcher).
  const stubSlots = new WeakMap();

  function stubSlotsOf(value) {
    return slotsOf(stubSlots, value);
  }

  // A stub that is not tied to an ID: what a Durable Object stub becomes when it is passed over
  // RPC. workerd serializes a stub as a Fetcher, which keeps the object as its target but drops
  // the stub's id and name. The receiver may keep it and call it for as long as it likes.
  class Fetcher {
    constructor(token, handle) {
      if (token !== constructToken) illegalConstructor();
      stubSlots.set(this, { handle, id: null });
    }

    fetch(input, init) {
      // The request is queued with the host synchronously, before this returns, so calls on one
      // stub reach the object in call order (E-order), awaited or not.
      let request;
      try {
        request = new Request(input, init);
      } catch (error) {
        return Promise.reject(error);
      }
      // A signal works as in fetch(), except that aborting a call under way only rejects the
      // promise. The request still reaches the object, which runs it to its end, and its response
      // is dropped.
      // NOTE: workerd's fetch() wraps the call of every binding in the signal, so there aborting
      // also cancels the call to the object, which may stop its handler. Mooring cannot stop it.
      return internals.abortableHostCall(internals.requestSignal(request), (resolve, reject) => {
        const slots = stubSlotsOf(this);
        // NOTE: a stream body is read to its end before the call is queued, so such a call may
        // reach the object after calls made later on the same stub.
        internals.whenBodyRead(internals.requestParts(request), (parts) => {
          // The object gets the request as an HTTP server would: no fragment, and a body's length.
          const url = withoutFragment(parts.url);
          const headers = parts.body === null ? parts.headers : withContentLength(parts.headers, parts.body.byteLength);
          host.stubFetch(slots.handle, parts.method, url, headers, parts.body, function settle(kind, a, b, c, d, e, f) {
            if (kind === 'ok') {
              const webSocket = e === null || e === undefined ? null : internals.newWebSocket(e);
              resolve(internals.newResponse(a, b, c, d, webSocket, url, false, f === true));
            } else if (kind === 'stream') {
              resolve(internals.newStreamResponse(a, b, c, d, url, e === true));
            } else {
              reject(remoteError(a, b, c, d));
            }
          });
        }, reject);
      });
    }

    /** Returns a new stub of the same object, as workerd's dup() does. */
    dup() {
      return new Fetcher(constructToken, stubSlotsOf(this).handle);
    }

    connect() {
      throw new Error('Durable Object stubs do not support connect() in Mooring.');
    }
  }
  Object.defineProperty(Fetcher.prototype, Symbol.toStringTag, { value: 'Fetcher' });

  class DurableObjectStub extends Fetcher {
    constructor(token, handle, id) {
      super(token, handle);
      stubSlotsOf(this).id = id;
    }

    get id() {
      return stubSlotsOf(this).id;
    }

    get name() {
      return stubSlotsOf(this).id.name;
    }

    dup() {
      const slots = stubSlotsOf(this);
      return new DurableObjectStub(constructToken, slots.handle, slots.id);
    }
  }
  Object.defineProperty(DurableObjectStub.prototype, Symbol.toStringTag, { value: 'DurableObject' });

  // What the RPC serializer writes for a stub: its object's storage namespace, ID and name (null
  // when the ID was not made from a name). Undefined for anything that is not a stub.
  internals.stubReference = (value) => {
    const slots = stubSlots.get(value);
    if (slots === undefined) {
      return undefined;
    }
    const reference = host.stubReference(slots.handle);
    return { namespace: reference[0], id: reference[1], name: reference[2] };
  };

  // A Fetcher for a reference that stubReference made in this or another context of the script.
  internals.stubFromReference = (reference) => {
    const handle = host.stubFromReference(reference.namespace, reference.id, reference.name);
    if (handle === null || handle === undefined) {
      throw internals.domException('A Durable Object stub was passed over RPC, but this version of the script has no'
          + ' class with the storage of its namespace. The class was probably deleted or renamed by a deployment'
          + ' while the call was under way.', 'DataCloneError');
    }
    return new Fetcher(constructToken, handle);
  };

  // Any other property of a stub is a JS RPC member, as in workerd: stub.name(...args) calls the
  // object's method `name` and returns a promise of its result, and `await stub.name` reads the
  // property. The arguments and the result are copied with the structured-clone serializer, as
  // storage values are, and stubs, Requests and Responses cross too (serializeForRpc). Functions
  // and RpcTargets among the arguments pass by reference for the duration of the call, and
  // streams cannot cross. The call is queued with the host before this returns, like
  // stub.fetch(), so calls on one stub arrive in call order, unless an argument has a stream body.
  // The trap sits at the end of the prototype chain, so fetch, id and name never reach it. "then"
  // and "toJSON" stay undefined, so a stub is no thenable and serializes as an empty object.
  Object.setPrototypeOf(Fetcher.prototype, new Proxy(Object.prototype, {
    get(target, property, receiver) {
      if (typeof property === 'symbol' || property in target || property === 'then' || property === 'toJSON') {
        return Reflect.get(target, property, receiver);
      }
      return rpcMember(receiver, property);
    },
  }));

  // A function that calls the method; awaiting it instead reads the property, as workerd's
  // RpcProperty does.
  function rpcMember(stub, name) {
    const member = function rpcMethod(...args) {
      return callOverRpc(stub, name, args);
    };
    member.then = (onFulfilled, onRejected) => callOverRpc(stub, name, undefined).then(onFulfilled, onRejected);
    return member;
  }

  // Sends a call of `method` with the array `args`, or a read of the property when `args` is
  // undefined (the receiver, dispatcher.js, tells the two apart by that).
  function callOverRpc(stub, method, args) {
    // The functions and RpcTargets among the arguments, which the receiver may call back.
    const exports = [];
    let argumentBytes;
    try {
      argumentBytes = internals.serializeForRpc(args, exports);
    } catch (error) {
      return Promise.reject(unclonableRpcValue(error, 'the arguments of stub.' + method + '()'));
    }
    if (argumentBytes instanceof Promise) {
      // NOTE: a stream body in the arguments is read to its end before the call is queued, so
      // such a call may reach the object after calls made later on the same stub.
      return argumentBytes.then((bytes) => sendRpcCall(stub, method, bytes, exports),
        (error) => Promise.reject(unclonableRpcValue(error, 'the arguments of stub.' + method + '()')));
    }
    return sendRpcCall(stub, method, argumentBytes, exports);
  }

  function sendRpcCall(stub, method, argumentBytes, exports) {
    return new Promise((resolve, reject) => {
      const slots = stubSlotsOf(stub);
      const invoker = exports.length === 0 ? null : exportInvoker(exports);
      host.stubCall(slots.handle, method, argumentBytes.buffer, function settle(kind, a, b, c, d) {
        if (kind !== 'ok') {
          reject(remoteError(a, b, c, d));
          return;
        }
        try {
          resolve(internals.deserializeFromRpc(d));
        } catch (error) {
          reject(error);
        }
      }, invoker);
    });
  }

  // ---- Callbacks ------------------------------------------------------------------------------

  // Returns the function through which the host runs the caller's side of a callback:
  // invoke(index, member, argumentBytes, reply) calls exports[index], or its method `member`, and
  // replies reply('ok', resultBytes) or reply('error', name, message, isDOMException).
  function exportInvoker(exports) {
    return function invoke(index, member, argumentBytes, reply) {
      const fail = (error) => {
        const isError = error !== null && typeof error === 'object' && 'message' in error;
        reply('error', isError ? String(error.name || 'Error') : 'Error', isError ? String(error.message) : String(error),
          internals.isDOMException(error));
      };
      try {
        const target = exports[index];
        const args = internals.deserializeFromRpc(argumentBytes);
        let result;
        if (member === null) {
          result = target(...args);
        } else {
          const isCall = Array.isArray(args);
          const value = rpcTargetMember(target, member, isCall);
          result = isCall ? value.apply(target, args) : value;
        }
        Promise.resolve(result).then((value) => {
          const bytes = internals.serializeForRpc(value);
          if (bytes instanceof Promise) {
            bytes.then((read) => reply('ok', read.buffer), fail);
          } else {
            reply('ok', bytes.buffer);
          }
        }).catch(fail);
      } catch (error) {
        fail(error);
      }
    };
  }

  // A member of an RpcTarget that a receiver may reach: one of its class, as workerd allows, never
  // an own property or one of Object.prototype.
  function rpcTargetMember(target, member, isCall) {
    const value = target[member];
    if (member === 'constructor' || Object.prototype.hasOwnProperty.call(target, member) || value === undefined
        || value === Object.prototype[member]) {
      throw new TypeError(`The RPC receiver does not implement the method "${member}".`);
    }
    if (isCall && typeof value !== 'function') {
      throw new TypeError(`"${member}" is not a function.`);
    }
    return value;
  }

  // Calls back the caller's export `index` through the host's `channel`: the function itself when
  // `member` is null, else that member of the RpcTarget. With `args` undefined, it reads the property.
  function callBack(channel, index, member, args) {
    let argumentBytes;
    try {
      argumentBytes = internals.serializeForRpc(args);
    } catch (error) {
      return Promise.reject(unclonableRpcValue(error, 'the arguments of a callback'));
    }
    return Promise.resolve(argumentBytes).then((bytes) => new Promise((resolve, reject) => {
      host.callbackCall(channel, index, member, bytes.buffer, function settle(kind, a, b, c) {
        if (kind !== 'ok') {
          reject(remoteError(a, b, c));
          return;
        }
        try {
          resolve(internals.deserializeFromRpc(a));
        } catch (error) {
          reject(error);
        }
      });
    }));
  }

  // The receiver's side of an RpcTarget passed as an argument: each property is an RPC member, as
  // on a Durable Object stub, and reaches the caller's object until the call returns.
  const rpcStubSlots = new WeakMap();

  class RpcStub {
    constructor(token, channel, index) {
      if (token !== constructToken) illegalConstructor();
      rpcStubSlots.set(this, { channel, index });
    }

    /** Returns a second stub of the same RpcTarget, as workerd's dup() does. */
    dup() {
      const slots = slotsOf(rpcStubSlots, this);
      return new RpcStub(constructToken, slots.channel, slots.index);
    }
  }
  Object.defineProperty(RpcStub.prototype, Symbol.toStringTag, { value: 'RpcStub' });
  Object.setPrototypeOf(RpcStub.prototype, new Proxy(Object.prototype, {
    get(target, property, receiver) {
      if (typeof property === 'symbol' || property in target || property === 'then' || property === 'toJSON') {
        return Reflect.get(target, property, receiver);
      }
      const slots = slotsOf(rpcStubSlots, receiver);
      const member = function rpcMethod(...args) {
        return callBack(slots.channel, slots.index, property, args);
      };
      member.then = (onFulfilled, onRejected) => callBack(slots.channel, slots.index, property, undefined)
        .then(onFulfilled, onRejected);
      return member;
    },
  }));

  internals.isRpcStub = (value) => rpcStubSlots.has(value);

  // The receiver's side of a function passed as an argument. Like workerd's stub of a function, it
  // has dup(), which returns another such function.
  // NOTE: GraalJS 25 has no Symbol.dispose, so neither kind of stub has a disposer.
  function callbackFunction(channel, index) {
    const rpcCallback = function rpcCallback(...args) {
      return callBack(channel, index, null, args);
    };
    rpcCallback.dup = () => callbackFunction(channel, index);
    return rpcCallback;
  }

  internals.newCallbackStub = (channel, index, isRpcTarget) => {
    if (isRpcTarget) {
      return new RpcStub(constructToken, channel, index);
    }
    return callbackFunction(channel, index);
  };

  // Names what could not be copied and what Mooring's RPC can carry; keeps the DataCloneError's name.
  function unclonableRpcValue(error, copied) {
    if (!(error instanceof DOMException) || error.name !== 'DataCloneError') {
      return error;
    }
    return new DOMException(error.message + ' Mooring passes ' + copied + ' by structured clone: plain data, Dates,'
        + ' Maps, Sets, errors, binary data, Durable Object stubs, Headers, Requests and Responses can cross, and functions and'
        + ' RpcTargets among the arguments of a call, but not in its result. Streams cannot cross.',
    'DataCloneError');
  }
  internals.unclonableRpcValue = unclonableRpcValue;

  // ---- Storage --------------------------------------------------------------------------------

  function checkKey(key) {
    const text = String(key);
    if (text.length * 3 > MAX_KEY_BYTES) {
      const size = utf8Length(text);
      if (size > MAX_KEY_BYTES) {
        throw new RangeError('Keys cannot be larger than ' + MAX_KEY_BYTES + ' bytes. A key of size ' + size + ' was provided.');
      }
    }
    return text;
  }

  function checkKeys(keys, limits) {
    if (limits.maxKeysPerCall > 0 && keys.length > limits.maxKeysPerCall) {
      throw new RangeError('Maximum number of key value pairs is ' + limits.maxKeysPerCall + '. ' + keys.length + ' pairs were provided.');
    }
    return keys.map(checkKey);
  }

  function encodeValue(value, limits) {
    const bytes = internals.serialize(value);
    if (bytes.byteLength > limits.maxValueBytes) {
      throw valueTooLarge(bytes.byteLength, limits);
    }
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
  }

  // Numbers, strings and booleans are encoded and decoded by the host (StoredValues.java) in the
  // serializer's format, which saves the JS serializer on the most common values.
  function isPrimitiveValue(value) {
    const type = typeof value;
    return type === 'number' || type === 'string' || type === 'boolean';
  }

  function valueTooLarge(size, limits) {
    return new RangeError('Values cannot be larger than ' + limits.maxValueBytes + ' bytes. A value of size '
      + size + ' was provided.');
  }

  // The host returns a stored primitive as it is, any other value as its serialized bytes.
  function decodeValue(stored) {
    if (stored === null || stored === undefined) return undefined;
    return typeof stored === 'object' ? internals.deserialize(stored) : stored;
  }

  function entriesToMap(flat) {
    const map = new Map();
    for (let i = 0; i < flat.length; i += 2) {
      map.set(flat[i], decodeValue(flat[i + 1]));
    }
    return map;
  }

  function isUnconfirmed(options) {
    return !!(options && typeof options === 'object' && options.allowUnconfirmed);
  }

  // Runs a storage operation whose host call is synchronous, and returns its outcome as a settled
  // promise, so argument errors reject as they do in workerd.
  function settled(operation) {
    try {
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  function listArguments(options) {
    const o = options === undefined || options === null ? {} : options;
    if (typeof o !== 'object') {
      throw new TypeError('list() options must be an object.');
    }
    if (o.start !== undefined && o.startAfter !== undefined) {
      throw new TypeError('list() cannot be called with both start and startAfter values.');
    }
    let limit = 0;
    if (o.limit !== undefined) {
      limit = Number(o.limit);
      if (!(limit > 0)) {
        throw new TypeError('List limit must be positive.');
      }
      limit = Math.min(Math.floor(limit), 0x7fffffff);
    }
    const text = (value) => (value === undefined ? null : checkKey(value));
    return [text(o.start), text(o.startAfter), text(o.end), o.prefix === undefined || o.prefix === '' ? null : text(o.prefix), !!o.reverse, limit];
  }

  const notInTransaction = Symbol('notInTransaction');

  const durableObjectStorageSlots = new WeakMap();

  function durableObjectStorageSlotsOf(value) {
    return slotsOf(durableObjectStorageSlots, value);
  }

  class DurableObjectStorage {
    constructor(token, handle, limits, state) {
      if (token !== constructToken) illegalConstructor();
      durableObjectStorageSlots.set(this, { handle, limits, state });
    }

    get(keys, options) {
      const argumentCount = arguments.length;
      return settled(() => {
        if (argumentCount === 0) {
          throw new TypeError("Failed to execute 'get' on 'DurableObjectStorage': 1 argument required, but only 0 present.");
        }
        const slots = durableObjectStorageSlotsOf(this);
        if (Array.isArray(keys)) {
          return entriesToMap(host.storageGetMany(slots.handle, checkKeys(keys, slots.limits)));
        }
        return decodeValue(host.storageGet(slots.handle, checkKey(keys)));
      });
    }

    put(keyOrEntries, valueOrOptions, options) {
      return settled(() => {
        const slots = durableObjectStorageSlotsOf(this);
        if (typeof keyOrEntries === 'object' && keyOrEntries !== null && !Array.isArray(keyOrEntries)) {
          if (options !== undefined || (valueOrOptions !== undefined && (typeof valueOrOptions !== 'object' || valueOrOptions === null))) {
            throw new TypeError('put() may only be called with a single key-value pair and optional options as'
              + ' put(key, value, options) or with multiple key-value pairs and optional options as put(entries, options)');
          }
          const flat = [];
          for (const key of Object.keys(keyOrEntries)) {
            const value = keyOrEntries[key];
            if (value === undefined) continue;
            flat.push(checkKey(key), isPrimitiveValue(value) ? value : encodeValue(value, slots.limits));
          }
          if (slots.limits.maxKeysPerCall > 0 && flat.length / 2 > slots.limits.maxKeysPerCall) {
            throw new RangeError('Maximum number of key value pairs is ' + slots.limits.maxKeysPerCall + '. '
              + flat.length / 2 + ' pairs were provided.');
          }
          const tooLarge = host.storagePutMany(slots.handle, flat, isUnconfirmed(valueOrOptions));
          if (tooLarge > 0) throw valueTooLarge(tooLarge, slots.limits);
          return undefined;
        }
        const key = checkKey(keyOrEntries);
        if (valueOrOptions === undefined) {
          throw new TypeError('put() called with undefined value.');
        }
        if (isPrimitiveValue(valueOrOptions)) {
          const size = host.storagePutPrimitive(slots.handle, key, valueOrOptions, isUnconfirmed(options));
          if (size < 0) throw valueTooLarge(-size, slots.limits);
          return undefined;
        }
        host.storagePut(slots.handle, key, encodeValue(valueOrOptions, slots.limits), isUnconfirmed(options));
        return undefined;
      });
    }

    delete(keys, options) {
      return settled(() => {
        const slots = durableObjectStorageSlotsOf(this);
        if (Array.isArray(keys)) {
          return host.storageDeleteMany(slots.handle, checkKeys(keys, slots.limits), isUnconfirmed(options));
        }
        return host.storageDelete(slots.handle, checkKey(keys), isUnconfirmed(options));
      });
    }

    deleteAll(options) {
      return settled(() => {
        host.storageDeleteAll(durableObjectStorageSlotsOf(this).handle, isUnconfirmed(options));
        return undefined;
      });
    }

    list(options) {
      return settled(() => entriesToMap(host.storageList(durableObjectStorageSlotsOf(this).handle, ...listArguments(options))));
    }

    sync() {
      return new Promise((resolve, reject) => {
        host.storageSync(durableObjectStorageSlotsOf(this).handle, (error) => (error ? reject(remoteError(error, 'Durable Object storage failed.')) : resolve()));
      });
    }

    async transaction(closure) {
      if (typeof closure !== 'function') {
        throw new TypeError("Failed to execute 'transaction': parameter 1 is not of type 'Function'.");
      }
      let outcome;
      await durableObjectStorageSlotsOf(this).state.blockConcurrencyWhile(async () => {
        const txn = new DurableObjectTransaction(constructToken, this);
        try {
          const value = await closure(txn);
          txn[notInTransaction](true);
          outcome = { value };
        } catch (error) {
          txn[notInTransaction](false);
          outcome = { error };
        }
      });
      if ('error' in outcome) {
        throw outcome.error;
      }
      return outcome.value;
    }

    transactionSync() {
      throw new Error('Durable Object is not backed by SQL.');
    }

    get sql() {
      throw new Error('The SQL API of Durable Object storage is not supported by Mooring.'
        + ' Use the key-value API (get, put, delete, list), which works for every class.');
    }

    /** Returns a promise of the alarm's time in ms since the epoch, or null when none is set. */
    getAlarm(options) {
      return settled(() => {
        const time = host.storageGetAlarm(durableObjectStorageSlotsOf(this).handle);
        return time === null || time === undefined ? null : time;
      });
    }

    /** Sets the object's one alarm to a Date or a time in ms since the epoch, replacing any other. */
    setAlarm(scheduledTime, options) {
      return settled(() => {
        const slots = durableObjectStorageSlotsOf(this);
        const time = alarmTime(scheduledTime);
        requireAlarmHandler(slots.state);
        host.storageSetAlarm(slots.handle, time, isUnconfirmed(options));
        return undefined;
      });
    }

    deleteAlarm(options) {
      return settled(() => {
        host.storageDeleteAlarm(durableObjectStorageSlotsOf(this).handle, isUnconfirmed(options));
        return undefined;
      });
    }
  }

  // The latest time a Date can represent, in ms since the epoch.
  const MAX_DATE_MILLIS = 8.64e15;

  // Returns an alarm time in whole ms; a time in the past becomes now, so the alarm runs at once.
  function alarmTime(scheduledTime) {
    let time;
    if (scheduledTime instanceof Date) {
      time = scheduledTime.getTime();
    } else if (typeof scheduledTime === 'number') {
      time = scheduledTime;
    } else {
      throw new TypeError('setAlarm() takes a Date or a number of milliseconds since the epoch, such as Date.now() + 60000;'
        + ' it got ' + (scheduledTime === null ? 'null' : typeof scheduledTime) + '.');
    }
    if (Number.isNaN(time)) {
      throw new TypeError('setAlarm() got NaN, which is not a time (an invalid Date gives NaN).'
        + ' Pass a Date or a number of milliseconds since the epoch.');
    }
    if (!(time > 0)) {
      throw new TypeError('setAlarm() cannot be called with an alarm time <= 0');
    }
    if (time > MAX_DATE_MILLIS) {
      throw new TypeError('setAlarm() got ' + time + ', which is later than the latest Date (' + MAX_DATE_MILLIS
        + ' ms since the epoch). To stop an alarm, call deleteAlarm().');
    }
    return Math.max(Math.floor(time), Date.now());
  }

  // As in workerd, once its constructor has returned, an object whose class has no alarm() handler
  // may not set an alarm. The constructor itself may.
  function requireAlarmHandler(state) {
    const instance = durableObjectStateSlotsOf(state).instance;
    if (instance !== undefined && typeof instance.alarm !== 'function') {
      throw new TypeError('Your Durable Object class must have an alarm() handler in order to call setAlarm()');
    }
  }
  Object.defineProperty(DurableObjectStorage.prototype, Symbol.toStringTag, { value: 'DurableObjectStorage' });
  internals.markNotSerializable(DurableObjectStorage);

  const durableObjectTransactionSlots = new WeakMap();

  function durableObjectTransactionSlotsOf(value) {
    return slotsOf(durableObjectTransactionSlots, value);
  }

  function transactionLimits(slots) {
    return durableObjectStorageSlotsOf(slots.storage).limits;
  }

  function checkTransaction(slots, operation) {
    if (slots.state === 'rolledBack') {
      throw new Error('Cannot ' + operation + ' on rolled back transaction');
    }
    if (slots.state !== 'open') {
      throw new Error('Cannot call ' + operation + ' on transaction that has already committed: did you move `txn` outside of the closure?');
    }
  }

  // A transaction buffers its writes in memory and applies them to storage in one synchronous
  // step when its closure succeeds, so they land in one turn and therefore in one atomic batch.
  // Reads see the transaction's own writes first. A put encodes its value at once and checks the
  // storage limits then, as workerd does, so a value that is too large rejects that put instead
  // of failing the commit.
  class DurableObjectTransaction {
    constructor(token, storage) {
      if (token !== constructToken) illegalConstructor();
      durableObjectTransactionSlots.set(this, { storage, writes: new Map(), cleared: false, state: 'open', alarm: undefined });
    }

    async get(keys, options) {
      const slots = durableObjectTransactionSlotsOf(this);
      checkTransaction(slots, 'get()');
      if (Array.isArray(keys)) {
        const texts = checkKeys(keys, transactionLimits(slots));
        const stored = await slots.storage.get(texts.filter((key) => !slots.writes.has(key)), options);
        for (const text of texts) {
          if (slots.writes.has(text)) {
            const value = slots.writes.get(text);
            if (value === undefined) stored.delete(text); else stored.set(text, decodeValue(value));
          }
        }
        return new Map([...stored].sort((a, b) => compareUtf8(a[0], b[0])));
      }
      const text = checkKey(keys);
      if (slots.writes.has(text)) {
        return decodeValue(slots.writes.get(text));
      }
      return slots.cleared ? undefined : slots.storage.get(text, options);
    }

    async put(keyOrEntries, valueOrOptions) {
      const slots = durableObjectTransactionSlotsOf(this);
      checkTransaction(slots, 'put()');
      const limits = transactionLimits(slots);
      if (typeof keyOrEntries === 'object' && keyOrEntries !== null && !Array.isArray(keyOrEntries)) {
        const entries = [];
        for (const key of Object.keys(keyOrEntries)) {
          if (keyOrEntries[key] !== undefined) entries.push([checkKey(key), encodeValue(keyOrEntries[key], limits)]);
        }
        if (limits.maxKeysPerCall > 0 && entries.length > limits.maxKeysPerCall) {
          throw new RangeError('Maximum number of key value pairs is ' + limits.maxKeysPerCall + '. '
            + entries.length + ' pairs were provided.');
        }
        for (const [key, encoded] of entries) slots.writes.set(key, encoded);
        return;
      }
      const key = checkKey(keyOrEntries);
      if (valueOrOptions === undefined) {
        throw new TypeError('put() called with undefined value.');
      }
      slots.writes.set(key, encodeValue(valueOrOptions, limits));
    }

    async delete(keys) {
      const slots = durableObjectTransactionSlotsOf(this);
      checkTransaction(slots, 'delete()');
      if (Array.isArray(keys)) {
        let count = 0;
        for (const key of checkKeys(keys, transactionLimits(slots))) {
          if (await this.delete(key)) count++;
        }
        return count;
      }
      const text = checkKey(keys);
      const existed = (await this.get(text)) !== undefined;
      slots.writes.set(text, undefined);
      return existed;
    }

    async list(options) {
      const slots = durableObjectTransactionSlotsOf(this);
      checkTransaction(slots, 'list()');
      const stored = await slots.storage.list(options);
      const [start, startAfter, end, prefix, reverse, limit] = listArguments(options);
      const merged = new Map(stored);
      for (const [key, value] of slots.writes) {
        const inRange = (start === null || compareUtf8(key, start) >= 0)
          && (startAfter === null || compareUtf8(key, startAfter) > 0)
          && (end === null || compareUtf8(key, end) < 0)
          && (prefix === null || key.startsWith(prefix));
        if (!inRange) continue;
        if (value === undefined) merged.delete(key); else merged.set(key, decodeValue(value));
      }
      let entries = [...merged].sort((a, b) => compareUtf8(a[0], b[0]));
      if (reverse) entries.reverse();
      if (limit > 0) entries = entries.slice(0, limit);
      return new Map(entries);
    }

    rollback() {
      const slots = durableObjectTransactionSlotsOf(this);
      if (slots.state === 'open' || slots.state === 'rolledBack') {
        slots.state = 'rolledBack';
        return;
      }
      checkTransaction(slots, 'rollback()');
    }

    deleteAll() {
      throw new Error('Cannot call deleteAll() within a transaction');
    }

    // The transaction's alarm change waits with its writes: undefined while it has none, null for a
    // deletion, else the time.
    async getAlarm(options) {
      const slots = durableObjectTransactionSlotsOf(this);
      checkTransaction(slots, 'getAlarm()');
      return slots.alarm !== undefined ? slots.alarm : slots.storage.getAlarm(options);
    }

    async setAlarm(scheduledTime) {
      const slots = durableObjectTransactionSlotsOf(this);
      checkTransaction(slots, 'setAlarm()');
      const time = alarmTime(scheduledTime);
      requireAlarmHandler(durableObjectStorageSlotsOf(slots.storage).state);
      slots.alarm = time;
    }

    async deleteAlarm() {
      const slots = durableObjectTransactionSlotsOf(this);
      checkTransaction(slots, 'deleteAlarm()');
      slots.alarm = null;
    }

    // Called once the closure finished: applies the writes when it succeeded and was not rolled back.
    [notInTransaction](succeeded) {
      const slots = durableObjectTransactionSlotsOf(this);
      const apply = succeeded && slots.state === 'open';
      slots.state = slots.state === 'rolledBack' ? 'rolledBack' : 'committed';
      if (!apply) return;

      // The values were encoded and checked when they were put. The host checks all puts of one
      // call before it writes any, and they go first, so a failure there leaves nothing written.
      const handle = durableObjectStorageSlotsOf(slots.storage).handle;
      const puts = [];
      const deletions = [];
      for (const [key, value] of slots.writes) {
        if (value === undefined) deletions.push(key); else puts.push(key, value);
      }
      if (puts.length > 0) host.storagePutMany(handle, puts, false);
      if (deletions.length > 0) host.storageDeleteMany(handle, deletions, false);
      if (slots.alarm === null) {
        host.storageDeleteAlarm(handle, false);
      } else if (slots.alarm !== undefined) {
        host.storageSetAlarm(handle, slots.alarm, false);
      }
    }
  }
  Object.defineProperty(DurableObjectTransaction.prototype, Symbol.toStringTag, { value: 'DurableObjectTransaction' });
  internals.markNotSerializable(DurableObjectTransaction);

  // Compares two strings by the UTF-8 encoding of their code points, the order storage uses.
  function compareUtf8(a, b) {
    const length = Math.min(a.length, b.length);
    for (let i = 0; i < length; i++) {
      const x = a.codePointAt(i);
      const y = b.codePointAt(i);
      if (x !== y) return x < y ? -1 : 1;
      if (x > 0xffff) i++;
    }
    return a.length - b.length;
  }

  // ---- State ----------------------------------------------------------------------------------

  const MAX_CRITICAL_SECTION_DEPTH = 64;

  const MAX_TAGS = 10;
  const MAX_TAG_LENGTH = 256;

  const durableObjectStateSlots = new WeakMap();

  function durableObjectStateSlotsOf(value) {
    return slotsOf(durableObjectStateSlots, value);
  }

  function webSocketFor(slots, id) {
    let ws = slots.sockets.get(id);
    if (ws === undefined) {
      ws = internals.wrapHibernatable(id);
      slots.sockets.set(id, ws);
    }
    return ws;
  }

  class DurableObjectState {
    constructor(token, handle, id, limits) {
      if (token !== constructToken) illegalConstructor();
      const storage = new DurableObjectStorage(constructToken, handle, limits, this);
      durableObjectStateSlots.set(this, {
        handle,
        id,
        storage,
        criticalDepth: 0,
        // Hibernatable WebSockets by host id, so each connection has one WebSocket object here.
        sockets: new Map(),
        autoResponse: null,
        // The object's instance once its constructor returned. setAlarm() checks it for alarm().
        instance: undefined,
      });
    }

    get id() {
      return durableObjectStateSlotsOf(this).id;
    }

    get storage() {
      return durableObjectStateSlotsOf(this).storage;
    }

    waitUntil(promise) {
      Promise.resolve(promise).catch((error) => console.error('Uncaught (in promise, passed to waitUntil)', error));
    }

    // Holds every other event of this object until the callback's promise settles. A callback
    // that throws or rejects resets the object, as in workerd.
    blockConcurrencyWhile(callback) {
      if (typeof callback !== 'function') {
        return Promise.reject(new TypeError("Failed to execute 'blockConcurrencyWhile': parameter 1 is not of type 'Function'."));
      }
      const slots = durableObjectStateSlotsOf(this);
      if (slots.criticalDepth >= MAX_CRITICAL_SECTION_DEPTH) {
        return Promise.reject(new Error('blockConcurrencyWhile() calls are nested too deeply.'));
      }
      slots.criticalDepth++;
      host.gateEnter(slots.handle);
      let result;
      try {
        result = Promise.resolve(callback());
      } catch (error) {
        result = Promise.reject(error);
      }
      return result.then(
        (value) => {
          slots.criticalDepth--;
          host.gateExit(slots.handle, null, null);
          return value;
        },
        (error) => {
          slots.criticalDepth--;
          if (error instanceof Error) {
            host.gateExit(slots.handle, String(error.name || 'Error'), String(error.message));
          } else {
            host.gateExit(slots.handle, 'Error', String(error));
          }
          throw error;
        });
    }

    // With { retryAlarm: false }, an abort inside alarm() also gives that alarm up instead of
    // running it again, as in workerd.
    abort(reason, options) {
      const message = reason === undefined ? 'Application called abort() to reset Durable Object.' : String(reason);
      const retryAlarm = !(options !== undefined && options !== null && options.retryAlarm === false);
      host.abortObject(durableObjectStateSlotsOf(this).handle, message, retryAlarm);
      throw remoteError('Error', message, { durableObjectReset: true });
    }

    // Accepts a WebSocket for hibernation: its events go to the object's webSocketMessage,
    // webSocketClose and webSocketError handlers, and the object may be evicted while it stays
    // connected.
    acceptWebSocket(ws, tags = undefined) {
      if (!internals.isWebSocket(ws)) {
        throw new TypeError("Failed to execute 'acceptWebSocket' on 'DurableObjectState': parameter 1 is not of type 'WebSocket'.");
      }
      const tagList = [];
      if (tags !== undefined && tags !== null) {
        for (const tag of tags) {
          const text = String(tag);
          if (text.length > MAX_TAG_LENGTH) {
            throw new Error('"' + text + '" is longer than the max tag length (' + MAX_TAG_LENGTH + ' characters).');
          }
          if (!tagList.includes(text)) tagList.push(text);
        }
        if (tagList.length > MAX_TAGS) {
          throw new Error('a Hibernatable WebSocket cannot have more than ' + MAX_TAGS + ' tags');
        }
      }
      const slots = durableObjectStateSlotsOf(this);
      internals.acceptHibernatable(ws, (id) => {
        const error = host.wsAcceptHibernatable(slots.handle, id, tagList);
        if (error !== null && error !== undefined) {
          throw new Error(error);
        }
        slots.sockets.set(id, ws);
      });
    }

    // The hibernatable WebSockets of this object that are still connected, optionally those with
    // a tag; the same WebSocket object per connection for as long as this instance lives.
    getWebSockets(tag = undefined) {
      const slots = durableObjectStateSlotsOf(this);
      const ids = host.wsGetWebSockets(slots.handle, tag === undefined || tag === null ? null : String(tag));
      const sockets = [];
      for (let i = 0; i < ids.length; i++) {
        sockets.push(webSocketFor(slots, ids[i]));
      }
      return sockets;
    }

    getTags(ws) {
      if (!internals.isWebSocket(ws)) {
        throw new TypeError("Failed to execute 'getTags' on 'DurableObjectState': parameter 1 is not of type 'WebSocket'.");
      }
      const closedTags = internals.closedTagsOf(ws);
      const tags = closedTags !== undefined ? closedTags : host.wsGetTags(internals.webSocketIdOf(ws, false));
      if (tags === null || tags === undefined) {
        throw new Error("you must call 'acceptWebSocket()' before attempting to access the tags of a WebSocket.");
      }
      return Array.from(tags);
    }

    setWebSocketAutoResponse(pair = undefined) {
      const slots = durableObjectStateSlotsOf(this);
      if (pair === undefined || pair === null) {
        slots.autoResponse = null;
        host.wsSetAutoResponse(slots.handle, null, null);
        return;
      }
      if (!(pair instanceof internals.WebSocketRequestResponsePair)) {
        throw new TypeError("Failed to execute 'setWebSocketAutoResponse': parameter 1 is not of type 'WebSocketRequestResponsePair'.");
      }
      slots.autoResponse = pair;
      host.wsSetAutoResponse(slots.handle, pair.request, pair.response);
    }

    getWebSocketAutoResponse() {
      const slots = durableObjectStateSlotsOf(this);
      if (slots.autoResponse === null) {
        // The host keeps the pair while the object hibernates, so a new instance finds it there.
        const stored = host.wsGetAutoResponse(slots.handle);
        if (stored !== null && stored !== undefined) {
          slots.autoResponse = new internals.WebSocketRequestResponsePair(stored[0], stored[1]);
        }
      }
      return slots.autoResponse;
    }

    getWebSocketAutoResponseTimestamp(ws) {
      const millis = host.wsAutoResponseTimestamp(internals.webSocketIdOf(ws, false));
      return millis === null || millis === undefined ? null : new Date(millis);
    }

    setHibernatableWebSocketEventTimeout() {}

    getHibernatableWebSocketEventTimeout() {
      return null;
    }
  }
  Object.defineProperty(DurableObjectState.prototype, Symbol.toStringTag, { value: 'DurableObjectState' });
  internals.markNotSerializable(DurableObjectState);
  internals.setStateInstance = (state, instance) => {
    durableObjectStateSlotsOf(state).instance = instance;
  };
  internals.stateWebSocket = (state, id) => webSocketFor(durableObjectStateSlots.get(state), id);
  internals.forgetStateWebSocket = (state, id) => durableObjectStateSlots.get(state).sockets.delete(id);

  // ---- cloudflare:workers ---------------------------------------------------------------------

  class DurableObject {
    constructor(ctx, env) {
      this.ctx = ctx;
      this.env = env;
    }
  }

  class WorkerEntrypoint {
    constructor(ctx, env) {
      this.ctx = ctx;
      this.env = env;
    }
  }

  class RpcTarget {}
  // An RpcTarget passes by reference among the arguments of an RPC call (see exportInvoker), and
  // nowhere else: storage refuses it instead of copying its fields.
  internals.markNotSerializable(RpcTarget);
  internals.isRpcTarget = (value) => value instanceof RpcTarget;

  const workersModule = Object.freeze({ DurableObject, WorkerEntrypoint, RpcTarget, env: undefined });
  Object.defineProperty(globalThis, Symbol.for('mooring.cloudflare:workers'), { value: workersModule });

  // ---- For dispatcher.js ----------------------------------------------------------------------

  internals.newNamespace = (handle) => new DurableObjectNamespace(constructToken, handle);
  internals.newState = (handle, idHex, idName, namespace, limits) =>
    new DurableObjectState(constructToken, handle, new DurableObjectId(constructToken, idHex, idName, namespace), limits);
  internals.remoteError = remoteError;
  internals.objectThatThrew = objectThatThrew;
  internals.DurableObject = DurableObject;
  internals.compareUtf8 = compareUtf8;
  internals.defaultStorageLimits = { maxValueBytes: 131072, maxKeysPerCall: MAX_KV_KEYS_PER_CALL };
})
