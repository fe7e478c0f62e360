// ReadableStream, its default reader and controller, the queuing strategies, and the body
// streams of Request, Response and Blob, as the WHATWG Streams Standard defines them, with
// workerd's error messages where workerd gives its own. WritableStream and pipeTo() are in
// writable-stream.js, TransformStream in transform-stream.js.
//
// What it guarantees: each algorithm runs the standard's steps in the standard's order, so guest
// promises (reads, closed, cancel) settle in the standard's order. pull() runs only after
// start() has settled, and never while the previous pull() is pending.
//
// What it never does: a stream never copies or inspects a chunk. Only the runtime's own consumers
// (body reads, TextDecoderStream, IdentityTransformStream, FixedLengthStream) check that a chunk
// is a BufferSource, and they copy its bytes.
//
// State lives in one WeakMap per kind of object (see RuntimeScripts), holding plain records. The
// algorithms take and return these records, and the public classes only unwrap and check. The
// three stream files share their algorithms through internals.streamKit.
//
// Body streams: a stream made by readableStreamFromBytes() keeps a Uint8Array that no one reads
// until a reader pulls it (its high-water mark is 0, so it never pulls by itself). As long as
// that stream has no reader and was never read, takeStreamBytes() hands the bytes over at once,
// which keeps text() and json() of a body as cheap as reading a buffer.
//
// NOTE: byte streams (type: 'bytes', BYOB readers, ReadableByteStreamController) are not
// implemented. Asking for one throws a TypeError that names what is missing.
//
// Other runtime files use these internals:
//   isReadableStream(value) -> boolean
//   readableStreamFromBytes(bytes) -> ReadableStream    shares the Uint8Array, hands out copies
//   isStreamDisturbed(stream), isStreamLocked(stream)
//   takeStreamBytes(stream) -> Uint8Array | Promise<Uint8Array>
//       reads the whole stream as bytes and leaves it locked and disturbed; throws TypeError when
//       it is locked or disturbed. The Uint8Array may be shared: copy it before handing it out.
//   pristineStreamLength(stream) -> number     the byte count of an unread body stream, else -1
//   teeStream(stream) -> [ReadableStream, ReadableStream]
//   forwardStream(stream) -> ReadableStream    a new stream that reads this one, now disturbed
//   consumedStream() -> ReadableStream         closed, disturbed and locked, for a used body
//   streamToHost(stream) -> {start(out), cancel(reason)}   reads a response body for the host
//   hostBodyStream(channel) -> ReadableStream  the body of a stub's streamed response
//   claimHostStream(stream) -> channel | undefined  passes an unread host-backed stream on
//   isPristineBytesStream(stream) -> boolean   an unread stream made from bytes
(function (host, internals) {
  'use strict';

  const LOCKED_TO_READER = 'This ReadableStream is currently locked to a reader.';
  const READER_RELEASED = 'This ReadableStream reader has been released.';
  const NOT_BYTES = 'This ReadableStream did not return bytes.';

  function noop() {}

  const readableSlots = new WeakMap();
  const readerSlots = new WeakMap();
  const readableControllerSlots = new WeakMap();
  const strategySlots = new WeakMap();
  const iteratorSlots = new WeakMap();

  // Filled below, and by writable-stream.js with pipe(), which ReadableStream's methods call.
  const kit = {};
  internals.streamKit = kit;

  function slotsOf(map, value, className, member) {
    const slots = typeof value === 'object' && value !== null ? map.get(value) : undefined;
    if (slots === undefined) {
      throw new TypeError(`${className}.prototype.${member} called on an object that is not a ${className}.`);
    }
    return slots;
  }

  // --- promises ------------------------------------------------------------------------------

  function deferred() {
    const record = { promise: null, resolve: null, reject: null, settled: false };
    record.promise = new Promise((resolve, reject) => {
      record.resolve = (value) => { record.settled = true; resolve(value); };
      record.reject = (reason) => { record.settled = true; reject(reason); };
    });
    return record;
  }

  function markHandled(promise) {
    promise.then(undefined, noop);
    return promise;
  }

  function resolvedDeferred(value) {
    const record = deferred();
    record.resolve(value);
    return record;
  }

  function rejectedDeferred(reason) {
    const record = deferred();
    record.reject(reason);
    markHandled(record.promise);
    return record;
  }

  // Runs the body of a method that returns a promise, and turns what it throws into a rejected
  // promise, as Web IDL does for such methods.
  function promiseMethod(body) {
    try {
      return body();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  // Calls a guest callback and turns its result or exception into a promise.
  function promiseCall(fn, thisArg, args) {
    try {
      return Promise.resolve(fn.apply(thisArg, args));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  // --- queuing strategies --------------------------------------------------------------------

  function highWaterMarkOf(strategy, fallback) {
    const value = strategy === undefined || strategy === null ? undefined : strategy.highWaterMark;
    if (value === undefined) {
      return fallback;
    }
    const number = Number(value);
    if (Number.isNaN(number) || number < 0) {
      throw new RangeError(`The highWaterMark of a queuing strategy must be a non-negative number, not ${String(value)}.`);
    }
    return number;
  }

  function sizeAlgorithmOf(strategy) {
    const size = strategy === undefined || strategy === null ? undefined : strategy.size;
    if (size === undefined) {
      return () => 1;
    }
    if (typeof size !== 'function') {
      throw new TypeError('The size of a queuing strategy must be a function that returns a chunk\'s size.');
    }
    return (chunk) => size.call(undefined, chunk);
  }

  function checkCallback(dictionary, name, owner) {
    const value = dictionary[name];
    if (value !== undefined && typeof value !== 'function') {
      throw new TypeError(`The ${name} member of ${owner} must be a function, not ${typeof value}.`);
    }
    return value;
  }

  // Adds a chunk of the given size to a controller's queue. Throws RangeError for an invalid size.
  function enqueueValueWithSize(controller, value, size) {
    if (typeof size !== 'number' || Number.isNaN(size) || size < 0 || size === Infinity) {
      throw new RangeError(`The size of a chunk must be a finite, non-negative number, but the strategy gave ${String(size)}.`);
    }
    controller.queue.push({ value, size });
    controller.queueTotalSize += size;
  }

  function dequeueValue(controller) {
    const pair = controller.queue.shift();
    controller.queueTotalSize = Math.max(0, controller.queueTotalSize - pair.size);
    return pair.value;
  }

  function resetQueue(controller) {
    controller.queue = [];
    controller.queueTotalSize = 0;
  }

  function sizeOfChunk(controller, chunk, onError) {
    try {
      return controller.strategySize(chunk);
    } catch (error) {
      onError(error);
      throw error;
    }
  }

  // Stores a strategy's highWaterMark, which the init dictionary must give.
  function initStrategy(strategy, init, className, example) {
    if (init === null || typeof init !== 'object' || init.highWaterMark === undefined) {
      throw new TypeError(`${className} needs an object with a highWaterMark: new ${className}({ highWaterMark: ${example} }).`);
    }
    strategySlots.set(strategy, { highWaterMark: Number(init.highWaterMark) });
  }

  class ByteLengthQueuingStrategy {
    constructor(init) {
      initStrategy(this, init, 'ByteLengthQueuingStrategy', 1024);
    }

    get highWaterMark() {
      return slotsOf(strategySlots, this, 'ByteLengthQueuingStrategy', 'highWaterMark').highWaterMark;
    }

    get size() {
      return byteLengthSize;
    }
  }

  class CountQueuingStrategy {
    constructor(init) {
      initStrategy(this, init, 'CountQueuingStrategy', 16);
    }

    get highWaterMark() {
      return slotsOf(strategySlots, this, 'CountQueuingStrategy', 'highWaterMark').highWaterMark;
    }

    get size() {
      return countSize;
    }
  }

  const byteLengthSize = { size(chunk) { return chunk.byteLength; } }.size;
  const countSize = { size() { return 1; } }.size;

  // --- ReadableStream ------------------------------------------------------------------------

  function newReadableRecord(object) {
    return {
      object,
      state: 'readable',
      reader: null,
      storedError: undefined,
      disturbed: false,
      controller: null,
      // A body's bytes that no reader has pulled yet (see the note at the top).
      pendingBytes: null,
    };
  }

  // Sets up a default controller. `start` and `pull` take the controller object and `cancel` the
  // reason, and each returns a value or a promise.
  function setUpReadableController(stream, start, pull, cancel, highWaterMark, sizeAlgorithm) {
    const object = Object.create(ReadableStreamDefaultController.prototype);
    const controller = {
      object,
      stream,
      queue: [],
      queueTotalSize: 0,
      started: false,
      closeRequested: false,
      pullAgain: false,
      pulling: false,
      strategyHWM: highWaterMark,
      strategySize: sizeAlgorithm,
      pullAlgorithm: pull,
      cancelAlgorithm: cancel,
    };
    readableControllerSlots.set(object, controller);
    stream.controller = controller;
    const startResult = start(object);
    Promise.resolve(startResult).then(() => {
      controller.started = true;
      readableControllerCallPullIfNeeded(controller);
    }, (error) => readableControllerError(controller, error));
  }

  function newReadableStream(start, pull, cancel, highWaterMark = 1, sizeAlgorithm = () => 1) {
    const object = Object.create(ReadableStream.prototype);
    const stream = newReadableRecord(object);
    readableSlots.set(object, stream);
    setUpReadableController(stream, start, pull, cancel, highWaterMark, sizeAlgorithm);
    return object;
  }

  function readableControllerShouldCallPull(controller) {
    const stream = controller.stream;
    if (!readableControllerCanCloseOrEnqueue(controller) || !controller.started) {
      return false;
    }
    if (stream.reader !== null && stream.reader.readRequests.length > 0) {
      return true;
    }
    return readableControllerDesiredSize(controller) > 0;
  }

  function readableControllerCallPullIfNeeded(controller) {
    if (!readableControllerShouldCallPull(controller)) {
      return;
    }
    if (controller.pulling) {
      controller.pullAgain = true;
      return;
    }
    controller.pulling = true;
    promiseCall(controller.pullAlgorithm, undefined, [controller.object]).then(() => {
      controller.pulling = false;
      if (controller.pullAgain) {
        controller.pullAgain = false;
        readableControllerCallPullIfNeeded(controller);
      }
    }, (error) => readableControllerError(controller, error));
  }

  function readableControllerClearAlgorithms(controller) {
    controller.pullAlgorithm = noop;
    controller.cancelAlgorithm = noop;
    controller.strategySize = () => 1;
  }

  function readableControllerCanCloseOrEnqueue(controller) {
    return !controller.closeRequested && controller.stream.state === 'readable';
  }

  function readableControllerDesiredSize(controller) {
    const state = controller.stream.state;
    if (state === 'errored') {
      return null;
    }
    if (state === 'closed') {
      return 0;
    }
    return controller.strategyHWM - controller.queueTotalSize;
  }

  function readableControllerHasBackpressure(controller) {
    return !readableControllerShouldCallPull(controller);
  }

  function readableControllerClose(controller) {
    if (!readableControllerCanCloseOrEnqueue(controller)) {
      return;
    }
    controller.closeRequested = true;
    if (controller.queue.length === 0) {
      readableControllerClearAlgorithms(controller);
      readableStreamClose(controller.stream);
    }
  }

  function readableControllerEnqueue(controller, chunk) {
    if (!readableControllerCanCloseOrEnqueue(controller)) {
      return;
    }
    const stream = controller.stream;
    if (stream.reader !== null && stream.reader.readRequests.length > 0) {
      readableStreamFulfillReadRequest(stream, chunk, false);
    } else {
      const size = sizeOfChunk(controller, chunk, (error) => readableControllerError(controller, error));
      try {
        enqueueValueWithSize(controller, chunk, size);
      } catch (error) {
        readableControllerError(controller, error);
        throw error;
      }
    }
    readableControllerCallPullIfNeeded(controller);
  }

  function readableControllerError(controller, error) {
    const stream = controller.stream;
    if (stream.state !== 'readable') {
      return;
    }
    resetQueue(controller);
    readableControllerClearAlgorithms(controller);
    readableStreamError(stream, error);
  }

  // The controller's [[PullSteps]] for a default reader's read request.
  function readableControllerPull(controller, readRequest) {
    const stream = controller.stream;
    if (controller.queue.length > 0) {
      const chunk = dequeueValue(controller);
      if (controller.closeRequested && controller.queue.length === 0) {
        readableControllerClearAlgorithms(controller);
        readableStreamClose(stream);
      } else {
        readableControllerCallPullIfNeeded(controller);
      }
      readRequest.chunk(chunk);
    } else {
      stream.reader.readRequests.push(readRequest);
      readableControllerCallPullIfNeeded(controller);
    }
  }

  function readableStreamCancel(stream, reason) {
    stream.disturbed = true;
    if (stream.state === 'closed') {
      return Promise.resolve(undefined);
    }
    if (stream.state === 'errored') {
      return Promise.reject(stream.storedError);
    }
    readableStreamClose(stream);
    stream.pendingBytes = null;
    const controller = stream.controller;
    resetQueue(controller);
    const cancel = controller.cancelAlgorithm;
    readableControllerClearAlgorithms(controller);
    return promiseCall(cancel, undefined, [reason]).then(() => undefined);
  }

  function readableStreamClose(stream) {
    stream.state = 'closed';
    const reader = stream.reader;
    if (reader === null) {
      return;
    }
    reader.closed.resolve(undefined);
    const requests = reader.readRequests;
    reader.readRequests = [];
    for (const request of requests) {
      request.close();
    }
  }

  function readableStreamError(stream, error) {
    stream.state = 'errored';
    stream.storedError = error;
    stream.pendingBytes = null;
    const reader = stream.reader;
    if (reader === null) {
      return;
    }
    reader.closed.reject(error);
    markHandled(reader.closed.promise);
    const requests = reader.readRequests;
    reader.readRequests = [];
    for (const request of requests) {
      request.error(error);
    }
  }

  function readableStreamFulfillReadRequest(stream, chunk, done) {
    const request = stream.reader.readRequests.shift();
    if (done) {
      request.close();
    } else {
      request.chunk(chunk);
    }
  }

  // --- readers -------------------------------------------------------------------------------

  function acquireReader(stream) {
    const object = Object.create(ReadableStreamDefaultReader.prototype);
    const reader = { object, stream: null, readRequests: [], closed: null };
    readerSlots.set(object, reader);
    readerInitialize(reader, stream);
    return reader;
  }

  function readerInitialize(reader, stream) {
    if (stream.reader !== null) {
      throw new TypeError(LOCKED_TO_READER);
    }
    reader.stream = stream;
    stream.reader = reader;
    if (stream.state === 'readable') {
      reader.closed = deferred();
    } else if (stream.state === 'closed') {
      reader.closed = resolvedDeferred(undefined);
    } else {
      reader.closed = rejectedDeferred(stream.storedError);
    }
  }

  function readerRelease(reader) {
    const stream = reader.stream;
    const error = new TypeError(READER_RELEASED);
    if (stream.state === 'readable') {
      reader.closed.reject(error);
    } else {
      reader.closed = rejectedDeferred(error);
    }
    markHandled(reader.closed.promise);
    stream.reader = null;
    reader.stream = null;
    const requests = reader.readRequests;
    reader.readRequests = [];
    for (const request of requests) {
      request.error(error);
    }
  }

  // Reads one chunk into `request`, an object with chunk(value), close() and error(reason).
  function readerRead(reader, request) {
    const stream = reader.stream;
    stream.disturbed = true;
    if (stream.state === 'closed') {
      request.close();
    } else if (stream.state === 'errored') {
      request.error(stream.storedError);
    } else {
      readableControllerPull(stream.controller, request);
    }
  }

  function readIntoPromise(reader) {
    return new Promise((resolve, reject) => {
      readerRead(reader, {
        chunk: (value) => resolve({ value, done: false }),
        close: () => resolve({ value: undefined, done: true }),
        error: reject,
      });
    });
  }

  class ReadableStreamDefaultReader {
    constructor(stream) {
      const object = this;
      const reader = { object, stream: null, readRequests: [], closed: null };
      readerInitialize(reader, readableOf(stream, 'ReadableStreamDefaultReader'));
      readerSlots.set(this, reader);
    }

    get closed() {
      return slotsOf(readerSlots, this, 'ReadableStreamDefaultReader', 'closed').closed.promise;
    }

    read() {
      return promiseMethod(() => readIntoPromise(lockingReader(this, 'read')));
    }

    releaseLock() {
      const reader = slotsOf(readerSlots, this, 'ReadableStreamDefaultReader', 'releaseLock');
      if (reader.stream !== null) {
        readerRelease(reader);
      }
    }

    cancel(reason = undefined) {
      return promiseMethod(() => readableStreamCancel(lockingReader(this, 'cancel').stream, reason));
    }
  }

  // The record of a reader or writer. Throws TypeError with `releasedMessage` once it has been
  // released, because only releaseLock() and the closed promise work after that.
  function holderSlotsOf(map, object, className, member, releasedMessage) {
    const holder = slotsOf(map, object, className, member);
    if (holder.stream === null) {
      throw new TypeError(releasedMessage);
    }
    return holder;
  }

  function lockingReader(object, member) {
    return holderSlotsOf(readerSlots, object, 'ReadableStreamDefaultReader', member, READER_RELEASED);
  }

  class ReadableStreamDefaultController {
    constructor() {
      throw new TypeError('Illegal constructor: a ReadableStreamDefaultController is made by new ReadableStream().');
    }

    get desiredSize() {
      return readableControllerDesiredSize(slotsOf(readableControllerSlots, this, 'ReadableStreamDefaultController', 'desiredSize'));
    }

    close() {
      const controller = slotsOf(readableControllerSlots, this, 'ReadableStreamDefaultController', 'close');
      if (!readableControllerCanCloseOrEnqueue(controller)) {
        throw new TypeError('This ReadableStream is closed.');
      }
      readableControllerClose(controller);
    }

    enqueue(chunk = undefined) {
      const controller = slotsOf(readableControllerSlots, this, 'ReadableStreamDefaultController', 'enqueue');
      if (!readableControllerCanCloseOrEnqueue(controller)) {
        throw new TypeError('This ReadableStream is closed.');
      }
      readableControllerEnqueue(controller, chunk);
    }

    error(reason = undefined) {
      readableControllerError(slotsOf(readableControllerSlots, this, 'ReadableStreamDefaultController', 'error'), reason);
    }
  }

  function readableOf(value, what) {
    const stream = typeof value === 'object' && value !== null ? readableSlots.get(value) : undefined;
    if (stream === undefined) {
      throw new TypeError(`${what} needs a ReadableStream, but got ${describe(value)}.`);
    }
    return stream;
  }

  function describe(value) {
    if (value === null) {
      return 'null';
    }
    if (typeof value === 'object' || typeof value === 'function') {
      return Object.prototype.toString.call(value);
    }
    return typeof value === 'string' ? `the string "${value}"` : `${typeof value} ${String(value)}`;
  }

  // Returns the underlying source, sink or transformer dictionary, {} for undefined or null.
  function dictionaryOf(value, what) {
    if (value === undefined || value === null) {
      return {};
    }
    if (typeof value !== 'object' && typeof value !== 'function') {
      throw new TypeError(`${what} must be an object, not ${describe(value)}.`);
    }
    return value;
  }

  const BYTES_UNSUPPORTED = 'Byte streams are not supported in Mooring: new ReadableStream({ type: "bytes" }), ' +
      'ReadableByteStreamController and BYOB readers are missing. Leave out type for a stream of Uint8Array chunks.';

  class ReadableStream {
    /**
     * `source` may give start(controller), pull(controller) and cancel(reason); `strategy` may give
     * highWaterMark (default 1) and size(chunk).
     */
    constructor(source = undefined, strategy = undefined) {
      const dict = dictionaryOf(source, 'The underlying source of a ReadableStream');
      const start = checkCallback(dict, 'start', 'the underlying source');
      const pull = checkCallback(dict, 'pull', 'the underlying source');
      const cancel = checkCallback(dict, 'cancel', 'the underlying source');
      const type = dict.type;
      if (type !== undefined) {
        if (`${type}` === 'bytes') {
          throw new TypeError(BYTES_UNSUPPORTED);
        }
        throw new TypeError(`"${type}" is not a valid type of ReadableStream.`);
      }
      const sizeAlgorithm = sizeAlgorithmOf(strategy);
      const highWaterMark = highWaterMarkOf(strategy, 1);
      const stream = newReadableRecord(this);
      readableSlots.set(this, stream);
      setUpReadableController(stream,
        (controller) => (start === undefined ? undefined : start.call(dict, controller)),
        (controller) => (pull === undefined ? undefined : pull.call(dict, controller)),
        (reason) => (cancel === undefined ? undefined : cancel.call(dict, reason)),
        highWaterMark, sizeAlgorithm);
    }

    get locked() {
      return slotsOf(readableSlots, this, 'ReadableStream', 'locked').reader !== null;
    }

    cancel(reason = undefined) {
      return promiseMethod(() => {
        const stream = slotsOf(readableSlots, this, 'ReadableStream', 'cancel');
        if (stream.reader !== null) {
          throw new TypeError(LOCKED_TO_READER);
        }
        return readableStreamCancel(stream, reason);
      });
    }

    getReader(options = undefined) {
      const stream = slotsOf(readableSlots, this, 'ReadableStream', 'getReader');
      const mode = options === undefined || options === null ? undefined : options.mode;
      if (mode !== undefined) {
        if (`${mode}` === 'byob') {
          throw new TypeError(BYTES_UNSUPPORTED);
        }
        throw new RangeError(`The mode of getReader() must be "byob" or left out, not "${mode}".`);
      }
      return acquireReader(stream).object;
    }

    pipeThrough(transform, options = undefined) {
      const stream = slotsOf(readableSlots, this, 'ReadableStream', 'pipeThrough');
      if (transform === null || typeof transform !== 'object') {
        throw new TypeError('pipeThrough() needs a { writable, readable } pair such as a TransformStream, but got ' +
            describe(transform) + '.');
      }
      const readable = readableOf(transform.readable, 'The readable member of pipeThrough()\'s argument');
      markHandled(kit.pipe(stream, transform.writable, options, 'The writable member of pipeThrough()\'s argument'));
      return readable.object;
    }

    pipeTo(destination, options = undefined) {
      return promiseMethod(() => kit.pipe(slotsOf(readableSlots, this, 'ReadableStream', 'pipeTo'), destination, options,
        'pipeTo()'));
    }

    tee() {
      return teeStream(slotsOf(readableSlots, this, 'ReadableStream', 'tee'));
    }

    values(options = undefined) {
      const stream = slotsOf(readableSlots, this, 'ReadableStream', 'values');
      const preventCancel = options !== undefined && options !== null && Boolean(options.preventCancel);
      const reader = acquireReader(stream);
      const iterator = Object.create(asyncIteratorPrototype);
      iteratorSlots.set(iterator, { reader, preventCancel, ongoing: null, finished: false });
      return iterator;
    }

    /** Makes a ReadableStream of the values of an async iterable or iterable. */
    static from(asyncIterable) {
      return readableFromIterable(asyncIterable);
    }
  }

  ReadableStream.prototype[Symbol.asyncIterator] = ReadableStream.prototype.values;
  Object.defineProperty(ReadableStream.prototype, Symbol.asyncIterator, { enumerable: false });

  // --- async iteration -----------------------------------------------------------------------

  const AsyncIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype);

  function iteratorOf(value, member) {
    return slotsOf(iteratorSlots, value, 'ReadableStream async iterator', member);
  }

  function iteratorNext(slots) {
    if (slots.finished) {
      return Promise.resolve({ value: undefined, done: true });
    }
    const reader = slots.reader;
    if (reader.stream === null) {
      return Promise.reject(new TypeError(READER_RELEASED));
    }
    return new Promise((resolve, reject) => {
      readerRead(reader, {
        chunk: (value) => resolve({ value, done: false }),
        close: () => {
          slots.finished = true;
          readerRelease(reader);
          resolve({ value: undefined, done: true });
        },
        error: (error) => {
          slots.finished = true;
          readerRelease(reader);
          reject(error);
        },
      });
    });
  }

  function iteratorReturn(slots, value) {
    if (slots.finished) {
      return Promise.resolve({ value, done: true });
    }
    slots.finished = true;
    const reader = slots.reader;
    if (reader.stream === null) {
      return Promise.reject(new TypeError(READER_RELEASED));
    }
    if (!slots.preventCancel) {
      const cancelled = readableStreamCancel(reader.stream, value);
      readerRelease(reader);
      return cancelled.then(() => ({ value, done: true }));
    }
    readerRelease(reader);
    return Promise.resolve({ value, done: true });
  }

  // Runs `step` after the iterator's earlier calls settle, as the standard's async iterators do.
  function queueIteratorStep(slots, step) {
    const previous = slots.ongoing;
    slots.ongoing = previous === null ? step() : previous.then(step, step);
    return slots.ongoing;
  }

  const asyncIteratorPrototype = Object.create(AsyncIteratorPrototype, {
    next: {
      value: function next() {
        return promiseMethod(() => {
          const slots = iteratorOf(this, 'next');
          return queueIteratorStep(slots, () => iteratorNext(slots));
        });
      },
      writable: true,
      configurable: true,
    },
    return: {
      value: function (value = undefined) {
        return promiseMethod(() => {
          const slots = iteratorOf(this, 'return');
          return queueIteratorStep(slots, () => iteratorReturn(slots, value));
        });
      },
      writable: true,
      configurable: true,
    },
    [Symbol.toStringTag]: { value: 'ReadableStream Async Iterator', configurable: true },
  });

  function readableFromIterable(iterable) {
    if (iterable === null || iterable === undefined) {
      throw new TypeError(`ReadableStream.from() needs an async iterable or an iterable, but got ${describe(iterable)}.`);
    }
    let method = iterable[Symbol.asyncIterator];
    if (method === undefined || method === null) {
      method = iterable[Symbol.iterator];
    }
    if (typeof method !== 'function') {
      throw new TypeError(`ReadableStream.from() needs an async iterable or an iterable, but got ${describe(iterable)}.`);
    }
    const iterator = method.call(iterable);
    if (iterator === null || typeof iterator !== 'object') {
      throw new TypeError('ReadableStream.from(): the iterator method did not return an object.');
    }
    const nextMethod = iterator.next;
    return newReadableStream(noop, (controller) => {
      return promiseCall(nextMethod, iterator, []).then((result) => {
        if (result === null || typeof result !== 'object') {
          throw new TypeError('ReadableStream.from(): the iterator\'s next() did not return an object.');
        }
        if (result.done) {
          readableControllerClose(readableControllerSlots.get(controller));
          return undefined;
        }
        // A sync iterator's values may be promises, which are awaited as for await does.
        return Promise.resolve(result.value).then((value) => {
          readableControllerEnqueue(readableControllerSlots.get(controller), value);
        });
      });
    }, (reason) => {
      const returnMethod = iterator.return;
      if (returnMethod === undefined || returnMethod === null) {
        return undefined;
      }
      return promiseCall(returnMethod, iterator, [reason]).then((result) => {
        if (result === null || typeof result !== 'object') {
          throw new TypeError('ReadableStream.from(): the iterator\'s return() did not return an object.');
        }
      });
    }, 0);
  }

  // --- tee -----------------------------------------------------------------------------------

  function teeStream(stream) {
    if (stream.reader !== null) {
      throw new TypeError(LOCKED_TO_READER);
    }
    if (isPristineBytes(stream)) {
      // Both branches share the bytes, and each hands out its own copy. The source ends locked
      // and closed, but not disturbed, since no read of a branch reaches it.
      const bytes = stream.pendingBytes;
      stream.pendingBytes = null;
      acquireReader(stream);
      readableStreamClose(stream);
      return [readableStreamFromBytes(bytes), readableStreamFromBytes(bytes)];
    }
    const reader = acquireReader(stream);
    let reading = false;
    let readAgain = false;
    let canceled1 = false;
    let canceled2 = false;
    let reason1;
    let reason2;
    let branch1;
    let branch2;
    const cancelled = deferred();

    function pullAlgorithm() {
      if (reading) {
        readAgain = true;
        return Promise.resolve(undefined);
      }
      reading = true;
      readerRead(reader, {
        chunk: (chunk) => {
          queueMicrotask(() => {
            readAgain = false;
            if (!canceled1) {
              readableControllerEnqueue(branch1.controller, chunk);
            }
            if (!canceled2) {
              readableControllerEnqueue(branch2.controller, chunk);
            }
            reading = false;
            if (readAgain) {
              pullAlgorithm();
            }
          });
        },
        close: () => {
          reading = false;
          if (!canceled1) {
            readableControllerClose(branch1.controller);
          }
          if (!canceled2) {
            readableControllerClose(branch2.controller);
          }
          if (!canceled1 || !canceled2) {
            cancelled.resolve(undefined);
          }
        },
        error: () => {
          reading = false;
        },
      });
      return Promise.resolve(undefined);
    }

    function cancelBranch(first) {
      return (reason) => {
        if (first) {
          canceled1 = true;
          reason1 = reason;
        } else {
          canceled2 = true;
          reason2 = reason;
        }
        if (canceled1 && canceled2) {
          cancelled.resolve(readableStreamCancel(stream, [reason1, reason2]));
        }
        return cancelled.promise;
      };
    }

    const object1 = newReadableStream(noop, pullAlgorithm, cancelBranch(true));
    const object2 = newReadableStream(noop, pullAlgorithm, cancelBranch(false));
    branch1 = readableSlots.get(object1);
    branch2 = readableSlots.get(object2);
    reader.closed.promise.then(undefined, (error) => {
      readableControllerError(branch1.controller, error);
      readableControllerError(branch2.controller, error);
      if (!canceled1 || !canceled2) {
        cancelled.resolve(undefined);
      }
    });
    return [object1, object2];
  }

  // --- byte checks ---------------------------------------------------------------------------

  // Returns a chunk's bytes as a new Uint8Array, or null when it is not a BufferSource.
  function copyOfChunk(chunk) {
    if (chunk instanceof ArrayBuffer) {
      return new Uint8Array(chunk.slice(0));
    }
    if (ArrayBuffer.isView(chunk)) {
      return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength).slice();
    }
    return null;
  }

  // --- body streams --------------------------------------------------------------------------

  function readableStreamFromBytes(bytes) {
    let record = null;
    const object = newReadableStream(noop, (controller) => {
      const pending = record.pendingBytes;
      record.pendingBytes = null;
      const slots = readableControllerSlots.get(controller);
      if (pending !== null && pending.length > 0) {
        readableControllerEnqueue(slots, pending.slice());
      }
      readableControllerClose(slots);
    }, noop, 0);
    record = readableSlots.get(object);
    record.pendingBytes = bytes;
    return object;
  }

  function isPristineBytes(stream) {
    return stream.pendingBytes !== null && stream.reader === null && !stream.disturbed && stream.state === 'readable';
  }

  // Reads the whole stream as bytes; see takeStreamBytes at the top.
  function takeStreamBytes(stream) {
    if (stream.disturbed) {
      throw new TypeError(internals.bodyUsedMessage);
    }
    if (stream.reader !== null) {
      throw new TypeError(LOCKED_TO_READER);
    }
    if (isPristineBytes(stream)) {
      const bytes = stream.pendingBytes;
      stream.pendingBytes = null;
      stream.disturbed = true;
      acquireReader(stream);
      readableStreamClose(stream);
      return bytes;
    }
    const reader = acquireReader(stream);
    const chunks = [];
    let length = 0;
    return new Promise((resolve, reject) => {
      const step = () => readerRead(reader, {
        chunk: (chunk) => {
          const bytes = copyOfChunk(chunk);
          if (bytes === null) {
            const error = new TypeError(NOT_BYTES);
            readableStreamCancel(stream, error).then(undefined, noop);
            reject(error);
            return;
          }
          chunks.push(bytes);
          length += bytes.length;
          // Each chunk waits for a new microtask, so a source that enqueues without end still
          // lets the event's limits stop it.
          queueMicrotask(step);
        },
        close: () => {
          if (chunks.length === 1) {
            resolve(chunks[0]);
            return;
          }
          const all = new Uint8Array(length);
          let offset = 0;
          for (const bytes of chunks) {
            all.set(bytes, offset);
            offset += bytes.length;
          }
          resolve(all);
        },
        error: reject,
      });
      step();
    });
  }

  // A new stream that reads `source`, which becomes locked and disturbed.
  function forwardStream(source) {
    if (source.reader !== null) {
      throw new TypeError(LOCKED_TO_READER);
    }
    if (isPristineBytes(source)) {
      const bytes = source.pendingBytes;
      source.pendingBytes = null;
      source.disturbed = true;
      acquireReader(source);
      readableStreamClose(source);
      return readableStreamFromBytes(bytes);
    }
    const reader = acquireReader(source);
    source.disturbed = true;
    return newReadableStream(noop, (controller) => readIntoPromise(reader).then((result) => {
      const slots = readableControllerSlots.get(controller);
      if (result.done) {
        readableControllerClose(slots);
      } else {
        readableControllerEnqueue(slots, result.value);
      }
    }), (reason) => readableStreamCancel(source, reason), 0);
  }

  // --- streamed bodies between the runtime and the host ----------------------------------------

  // Reads `object` chunk by chunk into `out` as the chunks arrive, for a response the host
  // streams: out.chunk(bytes) gets a fresh Uint8Array and returns null to go on or an error to
  // cancel the stream with; out.close() and out.error(reason) end it. A chunk that is not a
  // BufferSource cancels the stream and gives out.error workerd's TypeError. Returns a function
  // that cancels the stream, for when the host's reader goes away.
  function streamToHost(object) {
    const stream = readableSlots.get(object);
    if (stream.disturbed) {
      throw new TypeError(internals.bodyUsedMessage);
    }
    if (stream.reader !== null) {
      throw new TypeError(LOCKED_TO_READER);
    }
    const reader = acquireReader(stream);
    let stopped = false;
    const cancel = (reason) => {
      stopped = true;
      readableStreamCancel(stream, reason).then(undefined, noop);
    };
    const start = (out) => {
      const step = () => readerRead(reader, {
        chunk: (chunk) => {
          if (stopped) {
            return;
          }
          const bytes = copyOfChunk(chunk);
          if (bytes === null) {
            const error = new TypeError(NOT_BYTES);
            cancel(error);
            out.error(error);
            return;
          }
          const refusal = out.chunk(bytes);
          if (refusal !== null) {
            cancel(refusal);
            return;
          }
          // As in takeStreamBytes, each chunk waits for a new microtask.
          queueMicrotask(step);
        },
        close: () => {
          if (!stopped) {
            out.close();
          }
        },
        error: (reason) => {
          if (!stopped) {
            out.error(reason);
          }
        },
      });
      step();
    };
    return { start, cancel };
  }

  // Host-backed streams: the body of a stub's streamed response, read from the host chunk by
  // chunk. The host reader is made on the first read, so a stream passed on unread can go to the
  // host as it is (see claimHostStream).
  const hostChannels = new WeakMap();

  function hostBodyStream(channel) {
    let reader = null;
    const object = newReadableStream(noop, (controller) => new Promise((resolve, reject) => {
      if (reader === null) {
        reader = host.bodyReader(channel);
      }
      host.bodyRead(reader, (kind, data) => {
        const slots = readableControllerSlots.get(controller);
        if (kind === 'chunk') {
          readableControllerEnqueue(slots, new Uint8Array(data).slice());
          resolve();
        } else if (kind === 'end') {
          readableControllerClose(slots);
          resolve();
        } else {
          reject(new Error('The response body stream failed: ' + String(data)));
        }
      });
    }), (reason) => {
      if (reader === null) {
        reader = host.bodyReader(channel);
      }
      host.bodyCancel(reader, String(reason));
    }, 0);
    hostChannels.set(readableSlots.get(object), channel);
    return object;
  }

  // Returns the host channel of an unread host-backed stream and locks the stream, or undefined.
  function claimHostStream(object) {
    const stream = readableSlots.get(object);
    const channel = hostChannels.get(stream);
    if (channel === undefined || stream.disturbed || stream.reader !== null || stream.state !== 'readable') {
      return undefined;
    }
    acquireReader(stream);
    stream.disturbed = true;
    return channel;
  }

  internals.streamToHost = streamToHost;
  internals.hostBodyStream = hostBodyStream;
  internals.claimHostStream = claimHostStream;
  internals.isPristineBytesStream = (object) => isPristineBytes(readableSlots.get(object));

  internals.isReadableStream = (value) => typeof value === 'object' && value !== null && readableSlots.has(value);
  internals.readableStreamFromBytes = readableStreamFromBytes;
  internals.isStreamDisturbed = (object) => readableSlots.get(object).disturbed;
  internals.isStreamLocked = (object) => readableSlots.get(object).reader !== null;
  internals.takeStreamBytes = (object) => takeStreamBytes(readableSlots.get(object));
  internals.teeStream = (object) => teeStream(readableSlots.get(object));
  internals.forwardStream = (object) => forwardStream(readableSlots.get(object));
  internals.pristineStreamLength = (object) => {
    const stream = readableSlots.get(object);
    return isPristineBytes(stream) ? stream.pendingBytes.length : -1;
  };
  internals.consumedStream = () => {
    const object = readableStreamFromBytes(new Uint8Array(0));
    takeStreamBytes(readableSlots.get(object));
    return object;
  };


  Object.assign(kit, {
    LOCKED_TO_READER, noop, slotsOf, holderSlotsOf, readableSlots, deferred, resolvedDeferred, rejectedDeferred, markHandled,
    promiseMethod, promiseCall, describe, dictionaryOf, checkCallback, highWaterMarkOf, sizeAlgorithmOf, enqueueValueWithSize,
    dequeueValue, resetQueue, copyOfChunk, newReadableStream, acquireReader, readerRead, readerRelease,
    readableStreamCancel, readableControllerCanCloseOrEnqueue, readableControllerClose, readableControllerDesiredSize,
    readableControllerEnqueue, readableControllerError, readableControllerHasBackpressure,
  });

  kit.defineGlobals = (classes) => {
    for (const [name, value] of Object.entries(classes)) {
      Object.defineProperty(value.prototype, Symbol.toStringTag, { value: name, configurable: true });
      internals.markNotSerializable(value);
      Object.defineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });
    }
  };

  kit.defineGlobals({
    ReadableStream,
    ReadableStreamDefaultReader,
    ReadableStreamDefaultController,
    ByteLengthQueuingStrategy,
    CountQueuingStrategy,
  });
})
