// ReadableStream, WritableStream and TransformStream, with their readers, writers, controllers
// and queuing strategies, as the WHATWG Streams Standard defines them, with workerd's error
// messages where workerd gives its own.
//
// What it guarantees: each algorithm runs the standard's steps in the standard's order, so guest
// promises (reads, writes, closed, ready) settle in the standard's order. pull() runs only after
// start() has settled, and never while the previous pull() is pending.
//
// What it never does: a stream never copies or inspects a chunk. Only the runtime's own consumers
// (body reads, TextDecoderStream, IdentityTransformStream, FixedLengthStream) check that a chunk
// is a BufferSource, and they copy its bytes.
//
// State lives in one WeakMap per kind of object (see RuntimeScripts), holding plain records. The
// algorithms below take and return these records; the public classes only unwrap and check.
//
// Body streams: a stream made by readableStreamFromBytes() holds a Uint8Array that no one reads
// until a reader pulls it (its high-water mark is 0, so it never pulls by itself). As long as
// that stream has no reader and was never read, takeStreamBytes() hands the bytes over at once,
// which keeps text() and json() of a body as cheap as reading a buffer.
//
// NOTE: byte streams (type: 'bytes', BYOB readers, ReadableByteStreamController) are not
// implemented; asking for one throws a TypeError that says so.
//
// Other runtime files use these internals:
//   isReadableStream(value) -> boolean
//   readableStreamFromBytes(bytes) -> ReadableStream    shares the Uint8Array, hands out copies
//   isStreamDisturbed(stream), isStreamLocked(stream)
//   takeStreamBytes(stream) -> Uint8Array | Promise<Uint8Array>
//       reads the whole stream as bytes and leaves it locked and disturbed; throws TypeError when
//       it is locked or disturbed. The Uint8Array may be shared: copy it before handing it out.
//   teeStream(stream) -> [ReadableStream, ReadableStream]
//   forwardStream(stream) -> ReadableStream    a new stream that reads this one, now disturbed
//   consumedStream() -> ReadableStream         closed, disturbed and locked, for a used body
(function (host, internals) {
  'use strict';

  const TextDecoderClass = TextDecoder;
  const utf8Encode = internals.utf8Encode;

  const LOCKED_TO_READER = 'This ReadableStream is currently locked to a reader.';
  const LOCKED_TO_WRITER = 'This WritableStream is currently locked to a writer.';
  const READER_RELEASED = 'This ReadableStream reader has been released.';
  const WRITER_RELEASED = 'This WritableStream writer has been released.';
  const NOT_BYTES = 'This ReadableStream did not return bytes.';
  const BYTE_TRANSFORM_CHUNK = 'This TransformStream is being used as a byte stream, but received an object of ' +
      'non-ArrayBuffer/ArrayBufferView type on its writable side.';

  function noop() {}

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

  // --- slots ---------------------------------------------------------------------------------

  const readableSlots = new WeakMap();
  const readerSlots = new WeakMap();
  const readableControllerSlots = new WeakMap();
  const writableSlots = new WeakMap();
  const writerSlots = new WeakMap();
  const writableControllerSlots = new WeakMap();
  const transformSlots = new WeakMap();
  const transformControllerSlots = new WeakMap();
  const strategySlots = new WeakMap();
  const iteratorSlots = new WeakMap();

  function slotsOf(map, value, className, member) {
    const slots = typeof value === 'object' && value !== null ? map.get(value) : undefined;
    if (slots === undefined) {
      throw new TypeError(`${className}.prototype.${member} called on an object that is not a ${className}.`);
    }
    return slots;
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

  // The reader's record; throws TypeError when the reader has been released.
  function lockingReader(object, member) {
    const reader = slotsOf(readerSlots, object, 'ReadableStreamDefaultReader', member);
    if (reader.stream === null) {
      throw new TypeError(READER_RELEASED);
    }
    return reader;
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

  function writableOf(value, what) {
    const stream = typeof value === 'object' && value !== null ? writableSlots.get(value) : undefined;
    if (stream === undefined) {
      throw new TypeError(`${what} needs a WritableStream, but got ${describe(value)}.`);
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

  const BYTES_UNSUPPORTED = 'Byte streams are not supported in Mooring: new ReadableStream({ type: "bytes" }), ' +
      'ReadableByteStreamController and BYOB readers are missing. Leave out type for a stream of Uint8Array chunks.';

  class ReadableStream {
    /**
     * `source` may give start(controller), pull(controller) and cancel(reason); `strategy` may give
     * highWaterMark (default 1) and size(chunk).
     */
    constructor(source = undefined, strategy = undefined) {
      const dict = source === undefined || source === null ? {} : source;
      if (typeof dict !== 'object' && typeof dict !== 'function') {
        throw new TypeError(`The underlying source of a ReadableStream must be an object, not ${describe(source)}.`);
      }
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
      const writable = writableOf(transform.writable, 'The writable member of pipeThrough()\'s argument');
      const pipeOptions = pipeOptionsOf(options);
      if (stream.reader !== null) {
        throw new TypeError(LOCKED_TO_READER);
      }
      if (writable.writer !== null) {
        throw new TypeError(LOCKED_TO_WRITER);
      }
      markHandled(pipeTo(stream, writable, pipeOptions));
      return readable.object;
    }

    pipeTo(destination, options = undefined) {
      return promiseMethod(() => {
        const stream = slotsOf(readableSlots, this, 'ReadableStream', 'pipeTo');
        const writable = writableOf(destination, 'pipeTo()');
        const pipeOptions = pipeOptionsOf(options);
        if (stream.reader !== null) {
          throw new TypeError(LOCKED_TO_READER);
        }
        if (writable.writer !== null) {
          throw new TypeError(LOCKED_TO_WRITER);
        }
        return pipeTo(stream, writable, pipeOptions);
      });
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

  function pipeOptionsOf(options) {
    if (options === undefined || options === null) {
      return { preventClose: false, preventAbort: false, preventCancel: false, signal: undefined };
    }
    const signal = options.signal;
    if (signal !== undefined && !internals.isAbortSignal(signal)) {
      throw new TypeError(`The signal option of pipeTo() must be an AbortSignal, not ${describe(signal)}.`);
    }
    return {
      preventAbort: Boolean(options.preventAbort),
      preventCancel: Boolean(options.preventCancel),
      preventClose: Boolean(options.preventClose),
      signal,
    };
  }

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

  // --- pipeTo --------------------------------------------------------------------------------

  function pipeTo(source, dest, options) {
    const { preventClose, preventAbort, preventCancel, signal } = options;
    const reader = acquireReader(source);
    const writer = acquireWriter(dest);
    source.disturbed = true;
    let shuttingDown = false;
    let currentWrite = Promise.resolve(undefined);
    const result = deferred();
    let removeAbort = noop;

    function finalize(isError, error) {
      writerRelease(writer);
      readerRelease(reader);
      removeAbort();
      if (isError) {
        result.reject(error);
      } else {
        result.resolve(undefined);
      }
    }

    // Waits for the writes already started, so that no chunk read is lost, then acts.
    function shutdownWithAction(action, isError, error) {
      if (shuttingDown) {
        return;
      }
      shuttingDown = true;
      const proceed = () => promiseCall(action, undefined, []).then(
        () => finalize(isError, error), (newError) => finalize(true, newError));
      if (dest.state === 'writable' && !writableCloseQueuedOrInFlight(dest)) {
        waitForWrites().then(proceed);
      } else {
        proceed();
      }
    }

    function shutdown(isError, error) {
      if (shuttingDown) {
        return;
      }
      shuttingDown = true;
      const done = () => finalize(isError, error);
      if (dest.state === 'writable' && !writableCloseQueuedOrInFlight(dest)) {
        waitForWrites().then(done);
      } else {
        done();
      }
    }

    function waitForWrites() {
      const last = currentWrite;
      return last.then(() => (last === currentWrite ? undefined : waitForWrites()), () => undefined);
    }

    function onSourceErrored(error) {
      if (!preventAbort) {
        shutdownWithAction(() => writableStreamAbort(dest, error), true, error);
      } else {
        shutdown(true, error);
      }
    }

    function onDestErrored(error) {
      if (!preventCancel) {
        shutdownWithAction(() => readableStreamCancel(source, error), true, error);
      } else {
        shutdown(true, error);
      }
    }

    function onSourceClosed() {
      if (!preventClose) {
        shutdownWithAction(() => writerCloseWithErrorPropagation(writer), false, undefined);
      } else {
        shutdown(false, undefined);
      }
    }

    function onDestClosed() {
      const error = new TypeError('This destination writable stream is closed.');
      if (!preventCancel) {
        shutdownWithAction(() => readableStreamCancel(source, error), true, error);
      } else {
        shutdown(true, error);
      }
    }

    if (signal !== undefined) {
      const abortAlgorithm = () => {
        const error = signal.reason;
        const actions = [];
        if (!preventAbort) {
          actions.push(() => (dest.state === 'writable' ? writableStreamAbort(dest, error) : Promise.resolve(undefined)));
        }
        if (!preventCancel) {
          actions.push(() => (source.state === 'readable' ? readableStreamCancel(source, error) : Promise.resolve(undefined)));
        }
        shutdownWithAction(() => Promise.all(actions.map((action) => action())), true, error);
      };
      if (signal.aborted) {
        abortAlgorithm();
        return result.promise;
      }
      removeAbort = internals.addAbortAlgorithm(signal, abortAlgorithm);
    }

    // The standard checks these conditions in this order before it starts to pump.
    if (source.state === 'errored') {
      onSourceErrored(source.storedError);
    } else if (dest.state === 'errored' || dest.state === 'erroring') {
      onDestErrored(dest.storedError);
    } else if (source.state === 'closed') {
      onSourceClosed();
    } else if (writableCloseQueuedOrInFlight(dest) || dest.state === 'closed') {
      onDestClosed();
    }
    if (shuttingDown) {
      return result.promise;
    }

    reader.closed.promise.then(() => {
      // Chunks still queued at the destination are written before it closes.
      onSourceClosed();
    }, (error) => onSourceErrored(error));
    writer.closed.promise.then(undefined, (error) => onDestErrored(error));

    function pump() {
      if (shuttingDown) {
        return;
      }
      writer.ready.promise.then(() => {
        if (shuttingDown) {
          return;
        }
        readerRead(reader, {
          chunk: (chunk) => {
            currentWrite = markHandled(writerWrite(writer, chunk));
            pump();
          },
          close: noop,
          error: noop,
        });
      }, noop);
    }
    pump();
    return result.promise;
  }

  // --- WritableStream ------------------------------------------------------------------------

  const CLOSE_SENTINEL = Symbol('close');

  function newWritableRecord(object) {
    return {
      object,
      state: 'writable',
      storedError: undefined,
      writer: null,
      controller: null,
      inFlightWriteRequest: null,
      closeRequest: null,
      inFlightCloseRequest: null,
      pendingAbortRequest: null,
      writeRequests: [],
      backpressure: false,
    };
  }

  function setUpWritableController(stream, start, write, close, abort, highWaterMark, sizeAlgorithm) {
    const object = Object.create(WritableStreamDefaultController.prototype);
    const controller = {
      object,
      stream,
      queue: [],
      queueTotalSize: 0,
      started: false,
      strategyHWM: highWaterMark,
      strategySize: sizeAlgorithm,
      writeAlgorithm: write,
      closeAlgorithm: close,
      abortAlgorithm: abort,
      abortController: null,
    };
    writableControllerSlots.set(object, controller);
    stream.controller = controller;
    writableUpdateBackpressure(stream, writableControllerBackpressure(controller));
    const startResult = start(object);
    Promise.resolve(startResult).then(() => {
      controller.started = true;
      writableControllerAdvanceQueueIfNeeded(controller);
    }, (error) => {
      controller.started = true;
      writableStreamDealWithRejection(stream, error);
    });
  }

  function newWritableStream(start, write, close, abort, highWaterMark = 1, sizeAlgorithm = () => 1) {
    const object = Object.create(WritableStream.prototype);
    const stream = newWritableRecord(object);
    writableSlots.set(object, stream);
    setUpWritableController(stream, start, write, close, abort, highWaterMark, sizeAlgorithm);
    return object;
  }

  function writableStreamAbort(stream, reason) {
    if (stream.state === 'closed' || stream.state === 'errored') {
      return Promise.resolve(undefined);
    }
    const controller = stream.controller;
    if (controller.abortController !== null) {
      controller.abortController.abort(reason);
    }
    const state = stream.state;
    if (state === 'closed' || state === 'errored') {
      return Promise.resolve(undefined);
    }
    if (stream.pendingAbortRequest !== null) {
      return stream.pendingAbortRequest.promise.promise;
    }
    let wasAlreadyErroring = false;
    let abortReason = reason;
    if (state === 'erroring') {
      wasAlreadyErroring = true;
      abortReason = undefined;
    }
    const promise = deferred();
    stream.pendingAbortRequest = { promise, reason: abortReason, wasAlreadyErroring };
    if (!wasAlreadyErroring) {
      writableStreamStartErroring(stream, reason);
    }
    return promise.promise;
  }

  function writableStreamClose(stream) {
    const state = stream.state;
    if (state === 'closed' || state === 'errored') {
      return Promise.reject(new TypeError(state === 'closed' ? 'This WritableStream has been closed.' : 'This WritableStream has been errored.'));
    }
    if (writableCloseQueuedOrInFlight(stream)) {
      return Promise.reject(new TypeError('Cannot close a writer that is already being closed'));
    }
    const promise = deferred();
    stream.closeRequest = promise;
    const writer = stream.writer;
    if (writer !== null && stream.backpressure && state === 'writable') {
      writer.ready.resolve(undefined);
    }
    const controller = stream.controller;
    enqueueValueWithSize(controller, CLOSE_SENTINEL, 0);
    writableControllerAdvanceQueueIfNeeded(controller);
    return promise.promise;
  }

  function writableCloseQueuedOrInFlight(stream) {
    return stream.closeRequest !== null || stream.inFlightCloseRequest !== null;
  }

  function writableStreamDealWithRejection(stream, error) {
    if (stream.state === 'writable') {
      writableStreamStartErroring(stream, error);
      return;
    }
    writableStreamFinishErroring(stream);
  }

  function writableStreamStartErroring(stream, reason) {
    const controller = stream.controller;
    stream.state = 'erroring';
    stream.storedError = reason;
    const writer = stream.writer;
    if (writer !== null) {
      writerEnsureReadyPromiseRejected(writer, reason);
    }
    if (!writableHasOperationMarkedInFlight(stream) && controller.started) {
      writableStreamFinishErroring(stream);
    }
  }

  function writableStreamFinishErroring(stream) {
    stream.state = 'errored';
    const controller = stream.controller;
    // The controller's [[ErrorSteps]].
    resetQueue(controller);

    const storedError = stream.storedError;
    for (const request of stream.writeRequests) {
      request.reject(storedError);
      markHandled(request.promise);
    }
    stream.writeRequests = [];

    const abortRequest = stream.pendingAbortRequest;
    if (abortRequest === null) {
      writableRejectCloseAndClosedPromiseIfNeeded(stream);
      return;
    }
    stream.pendingAbortRequest = null;
    if (abortRequest.wasAlreadyErroring) {
      abortRequest.promise.reject(storedError);
      writableRejectCloseAndClosedPromiseIfNeeded(stream);
      return;
    }

    // The controller's [[AbortSteps]].
    const abort = controller.abortAlgorithm;
    writableControllerClearAlgorithms(controller);
    promiseCall(abort, undefined, [abortRequest.reason]).then(() => {
      abortRequest.promise.resolve(undefined);
      writableRejectCloseAndClosedPromiseIfNeeded(stream);
    }, (error) => {
      abortRequest.promise.reject(error);
      writableRejectCloseAndClosedPromiseIfNeeded(stream);
    });
  }

  function writableHasOperationMarkedInFlight(stream) {
    return stream.inFlightWriteRequest !== null || stream.inFlightCloseRequest !== null;
  }

  function writableRejectCloseAndClosedPromiseIfNeeded(stream) {
    if (stream.closeRequest !== null) {
      stream.closeRequest.reject(stream.storedError);
      stream.closeRequest = null;
    }
    const writer = stream.writer;
    if (writer !== null) {
      writer.closed.reject(stream.storedError);
      markHandled(writer.closed.promise);
    }
  }

  function writableUpdateBackpressure(stream, backpressure) {
    const writer = stream.writer;
    if (writer !== null && backpressure !== stream.backpressure) {
      if (backpressure) {
        writer.ready = deferred();
      } else {
        writer.ready.resolve(undefined);
      }
    }
    stream.backpressure = backpressure;
  }

  function writableFinishInFlightWrite(stream) {
    stream.inFlightWriteRequest.resolve(undefined);
    stream.inFlightWriteRequest = null;
  }

  function writableFinishInFlightWriteWithError(stream, error) {
    stream.inFlightWriteRequest.reject(error);
    stream.inFlightWriteRequest = null;
    writableStreamDealWithRejection(stream, error);
  }

  function writableFinishInFlightClose(stream) {
    stream.inFlightCloseRequest.resolve(undefined);
    stream.inFlightCloseRequest = null;
    if (stream.state === 'erroring') {
      stream.storedError = undefined;
      if (stream.pendingAbortRequest !== null) {
        stream.pendingAbortRequest.promise.resolve(undefined);
        stream.pendingAbortRequest = null;
      }
    }
    stream.state = 'closed';
    if (stream.writer !== null) {
      stream.writer.closed.resolve(undefined);
    }
  }

  function writableFinishInFlightCloseWithError(stream, error) {
    stream.inFlightCloseRequest.reject(error);
    stream.inFlightCloseRequest = null;
    if (stream.pendingAbortRequest !== null) {
      stream.pendingAbortRequest.promise.reject(error);
      stream.pendingAbortRequest = null;
    }
    writableStreamDealWithRejection(stream, error);
  }

  // --- WritableStream controller -------------------------------------------------------------

  function writableControllerClearAlgorithms(controller) {
    controller.writeAlgorithm = noop;
    controller.closeAlgorithm = noop;
    controller.abortAlgorithm = noop;
    controller.strategySize = () => 1;
  }

  function writableControllerDesiredSize(controller) {
    return controller.strategyHWM - controller.queueTotalSize;
  }

  function writableControllerBackpressure(controller) {
    return writableControllerDesiredSize(controller) <= 0;
  }

  function writableControllerError(controller, error) {
    const stream = controller.stream;
    writableControllerClearAlgorithms(controller);
    writableStreamStartErroring(stream, error);
  }

  function writableControllerErrorIfNeeded(controller, error) {
    if (controller.stream.state === 'writable') {
      writableControllerError(controller, error);
    }
  }

  function writableControllerAdvanceQueueIfNeeded(controller) {
    const stream = controller.stream;
    if (!controller.started || stream.inFlightWriteRequest !== null) {
      return;
    }
    if (stream.state === 'erroring') {
      writableStreamFinishErroring(stream);
      return;
    }
    if (stream.state !== 'writable' && stream.state !== 'erroring') {
      return;
    }
    if (controller.queue.length === 0) {
      return;
    }
    const value = controller.queue[0].value;
    if (value === CLOSE_SENTINEL) {
      writableControllerProcessClose(controller);
    } else {
      writableControllerProcessWrite(controller, value);
    }
  }

  function writableControllerProcessClose(controller) {
    const stream = controller.stream;
    stream.inFlightCloseRequest = stream.closeRequest;
    stream.closeRequest = null;
    dequeueValue(controller);
    const close = controller.closeAlgorithm;
    writableControllerClearAlgorithms(controller);
    promiseCall(close, undefined, []).then(() => writableFinishInFlightClose(stream),
      (error) => writableFinishInFlightCloseWithError(stream, error));
  }

  function writableControllerProcessWrite(controller, chunk) {
    const stream = controller.stream;
    stream.inFlightWriteRequest = stream.writeRequests.shift();
    promiseCall(controller.writeAlgorithm, undefined, [chunk, controller.object]).then(() => {
      writableFinishInFlightWrite(stream);
      const state = stream.state;
      dequeueValue(controller);
      if (!writableCloseQueuedOrInFlight(stream) && state === 'writable') {
        writableUpdateBackpressure(stream, writableControllerBackpressure(controller));
      }
      writableControllerAdvanceQueueIfNeeded(controller);
    }, (error) => {
      if (stream.state === 'writable') {
        writableControllerClearAlgorithms(controller);
      }
      writableFinishInFlightWriteWithError(stream, error);
    });
  }

  function writableControllerWrite(controller, chunk, chunkSize) {
    const stream = controller.stream;
    try {
      enqueueValueWithSize(controller, chunk, chunkSize);
    } catch (error) {
      writableControllerErrorIfNeeded(controller, error);
      return;
    }
    if (!writableCloseQueuedOrInFlight(stream) && stream.state === 'writable') {
      writableUpdateBackpressure(stream, writableControllerBackpressure(controller));
    }
    writableControllerAdvanceQueueIfNeeded(controller);
  }

  // --- writers -------------------------------------------------------------------------------

  function acquireWriter(stream) {
    const object = Object.create(WritableStreamDefaultWriter.prototype);
    const writer = { object, stream: null, ready: null, closed: null };
    writerSlots.set(object, writer);
    writerInitialize(writer, stream);
    return writer;
  }

  function writerInitialize(writer, stream) {
    if (stream.writer !== null) {
      throw new TypeError(LOCKED_TO_WRITER);
    }
    writer.stream = stream;
    stream.writer = writer;
    const state = stream.state;
    if (state === 'writable') {
      writer.ready = !writableCloseQueuedOrInFlight(stream) && stream.backpressure ? deferred() : resolvedDeferred(undefined);
      writer.closed = deferred();
    } else if (state === 'erroring') {
      writer.ready = rejectedDeferred(stream.storedError);
      writer.closed = deferred();
    } else if (state === 'closed') {
      writer.ready = resolvedDeferred(undefined);
      writer.closed = resolvedDeferred(undefined);
    } else {
      writer.ready = rejectedDeferred(stream.storedError);
      writer.closed = rejectedDeferred(stream.storedError);
    }
  }

  function writerEnsureReadyPromiseRejected(writer, error) {
    if (writer.ready.settled) {
      writer.ready = rejectedDeferred(error);
    } else {
      writer.ready.reject(error);
      markHandled(writer.ready.promise);
    }
  }

  function writerEnsureClosedPromiseRejected(writer, error) {
    if (writer.closed.settled) {
      writer.closed = rejectedDeferred(error);
    } else {
      writer.closed.reject(error);
      markHandled(writer.closed.promise);
    }
  }

  function writerDesiredSize(writer) {
    const stream = writer.stream;
    const state = stream.state;
    if (state === 'errored' || state === 'erroring') {
      return null;
    }
    if (state === 'closed') {
      return 0;
    }
    return writableControllerDesiredSize(stream.controller);
  }

  function writerRelease(writer) {
    const stream = writer.stream;
    const error = new TypeError(WRITER_RELEASED);
    writerEnsureReadyPromiseRejected(writer, error);
    writerEnsureClosedPromiseRejected(writer, error);
    stream.writer = null;
    writer.stream = null;
  }

  function writerWrite(writer, chunk) {
    const stream = writer.stream;
    const controller = stream.controller;
    let chunkSize;
    try {
      chunkSize = controller.strategySize(chunk);
    } catch (error) {
      writableControllerErrorIfNeeded(controller, error);
      return Promise.reject(error);
    }
    if (stream !== writer.stream) {
      return Promise.reject(new TypeError(WRITER_RELEASED));
    }
    const state = stream.state;
    if (state === 'errored') {
      return Promise.reject(stream.storedError);
    }
    if (writableCloseQueuedOrInFlight(stream) || state === 'closed') {
      return Promise.reject(new TypeError('This WritableStream has been closed.'));
    }
    if (state === 'erroring') {
      return Promise.reject(stream.storedError);
    }
    const request = deferred();
    stream.writeRequests.push(request);
    writableControllerWrite(controller, chunk, chunkSize);
    return request.promise;
  }

  function writerCloseWithErrorPropagation(writer) {
    const stream = writer.stream;
    const state = stream.state;
    if (writableCloseQueuedOrInFlight(stream) || state === 'closed') {
      return Promise.resolve(undefined);
    }
    if (state === 'errored') {
      return Promise.reject(stream.storedError);
    }
    return writableStreamClose(stream);
  }

  class WritableStreamDefaultWriter {
    constructor(stream) {
      const writer = { object: this, stream: null, ready: null, closed: null };
      writerInitialize(writer, writableOf(stream, 'WritableStreamDefaultWriter'));
      writerSlots.set(this, writer);
    }

    get closed() {
      return slotsOf(writerSlots, this, 'WritableStreamDefaultWriter', 'closed').closed.promise;
    }

    get ready() {
      return slotsOf(writerSlots, this, 'WritableStreamDefaultWriter', 'ready').ready.promise;
    }

    get desiredSize() {
      const writer = slotsOf(writerSlots, this, 'WritableStreamDefaultWriter', 'desiredSize');
      if (writer.stream === null) {
        throw new TypeError(WRITER_RELEASED);
      }
      return writerDesiredSize(writer);
    }

    abort(reason = undefined) {
      return promiseMethod(() => writableStreamAbort(lockingWriter(this, 'abort').stream, reason));
    }

    close() {
      return promiseMethod(() => writableStreamClose(lockingWriter(this, 'close').stream));
    }

    write(chunk = undefined) {
      return promiseMethod(() => writerWrite(lockingWriter(this, 'write'), chunk));
    }

    releaseLock() {
      const writer = slotsOf(writerSlots, this, 'WritableStreamDefaultWriter', 'releaseLock');
      if (writer.stream !== null) {
        writerRelease(writer);
      }
    }
  }

  // The writer's record; throws TypeError when the writer has been released.
  function lockingWriter(object, member) {
    const writer = slotsOf(writerSlots, object, 'WritableStreamDefaultWriter', member);
    if (writer.stream === null) {
      throw new TypeError(WRITER_RELEASED);
    }
    return writer;
  }

  class WritableStreamDefaultController {
    constructor() {
      throw new TypeError('Illegal constructor: a WritableStreamDefaultController is made by new WritableStream().');
    }

    /** An AbortSignal that aborts when the stream is aborted, so that a pending write can stop. */
    get signal() {
      const controller = slotsOf(writableControllerSlots, this, 'WritableStreamDefaultController', 'signal');
      if (controller.abortController === null) {
        controller.abortController = internals.newAbortController();
        const stream = controller.stream;
        if (stream.pendingAbortRequest !== null && !stream.pendingAbortRequest.wasAlreadyErroring) {
          controller.abortController.abort(stream.pendingAbortRequest.reason);
        }
      }
      return controller.abortController.signal;
    }

    error(reason = undefined) {
      const controller = slotsOf(writableControllerSlots, this, 'WritableStreamDefaultController', 'error');
      if (controller.stream.state === 'writable') {
        writableControllerError(controller, reason);
      }
    }
  }

  class WritableStream {
    /**
     * `sink` may give start(controller), write(chunk, controller), close() and abort(reason);
     * `strategy` may give highWaterMark (default 1) and size(chunk).
     */
    constructor(sink = undefined, strategy = undefined) {
      const dict = sink === undefined || sink === null ? {} : sink;
      if (typeof dict !== 'object' && typeof dict !== 'function') {
        throw new TypeError(`The underlying sink of a WritableStream must be an object, not ${describe(sink)}.`);
      }
      const start = checkCallback(dict, 'start', 'the underlying sink');
      const write = checkCallback(dict, 'write', 'the underlying sink');
      const close = checkCallback(dict, 'close', 'the underlying sink');
      const abort = checkCallback(dict, 'abort', 'the underlying sink');
      if (dict.type !== undefined) {
        throw new RangeError('Invalid underlying sink type. Only undefined is valid.');
      }
      const sizeAlgorithm = sizeAlgorithmOf(strategy);
      const highWaterMark = highWaterMarkOf(strategy, 1);
      const stream = newWritableRecord(this);
      writableSlots.set(this, stream);
      setUpWritableController(stream,
        (controller) => (start === undefined ? undefined : start.call(dict, controller)),
        (chunk, controller) => (write === undefined ? undefined : write.call(dict, chunk, controller)),
        () => (close === undefined ? undefined : close.call(dict)),
        (reason) => (abort === undefined ? undefined : abort.call(dict, reason)),
        highWaterMark, sizeAlgorithm);
    }

    get locked() {
      return slotsOf(writableSlots, this, 'WritableStream', 'locked').writer !== null;
    }

    abort(reason = undefined) {
      return promiseMethod(() => writableStreamAbort(unlockedWritable(this, 'abort'), reason));
    }

    close() {
      return promiseMethod(() => writableStreamClose(unlockedWritable(this, 'close')));
    }

    getWriter() {
      return acquireWriter(slotsOf(writableSlots, this, 'WritableStream', 'getWriter')).object;
    }
  }

  // The stream's record; throws TypeError when a writer holds the stream.
  function unlockedWritable(object, member) {
    const stream = slotsOf(writableSlots, object, 'WritableStream', member);
    if (stream.writer !== null) {
      throw new TypeError(LOCKED_TO_WRITER);
    }
    return stream;
  }

  // --- TransformStream -----------------------------------------------------------------------

  function setUpTransform(object, transformer, writableHWM, writableSize, readableHWM, readableSize) {
    const dict = transformer === undefined || transformer === null ? {} : transformer;
    if (typeof dict !== 'object' && typeof dict !== 'function') {
      throw new TypeError(`The transformer of a TransformStream must be an object, not ${describe(transformer)}.`);
    }
    const start = checkCallback(dict, 'start', 'the transformer');
    const transform = checkCallback(dict, 'transform', 'the transformer');
    const flush = checkCallback(dict, 'flush', 'the transformer');
    const cancel = checkCallback(dict, 'cancel', 'the transformer');
    if (dict.readableType !== undefined) {
      throw new RangeError('The readableType of a transformer must be left out.');
    }
    if (dict.writableType !== undefined) {
      throw new RangeError('The writableType of a transformer must be left out.');
    }
    const controllerObject = Object.create(TransformStreamDefaultController.prototype);
    const stream = { object, readable: null, writable: null, backpressure: undefined, backpressureChange: null, controller: null };
    const controller = {
      object: controllerObject,
      stream,
      transformAlgorithm: transform === undefined
        ? (chunk) => { transformEnqueue(controller, chunk); return Promise.resolve(undefined); }
        : (chunk) => promiseCall(transform, dict, [chunk, controllerObject]),
      flushAlgorithm: flush === undefined ? () => Promise.resolve(undefined) : () => promiseCall(flush, dict, [controllerObject]),
      cancelAlgorithm: cancel === undefined ? () => Promise.resolve(undefined) : (reason) => promiseCall(cancel, dict, [reason]),
      finish: null,
    };
    transformControllerSlots.set(controllerObject, controller);
    stream.controller = controller;
    transformSlots.set(object, stream);

    const started = deferred();
    stream.writable = writableSlots.get(newWritableStream(() => started.promise,
      (chunk) => transformSinkWrite(stream, chunk),
      () => transformSinkClose(stream),
      (reason) => transformSinkAbort(stream, reason),
      writableHWM, writableSize));
    stream.readable = readableSlots.get(newReadableStream(() => started.promise,
      () => transformSourcePull(stream),
      (reason) => transformSourceCancel(stream, reason),
      readableHWM, readableSize));
    stream.backpressure = undefined;
    stream.backpressureChange = null;
    transformSetBackpressure(stream, true);
    if (start === undefined) {
      started.resolve(undefined);
    } else {
      started.resolve(start.call(dict, controllerObject));
    }
  }

  function transformSetBackpressure(stream, backpressure) {
    if (stream.backpressureChange !== null) {
      stream.backpressureChange.resolve(undefined);
    }
    stream.backpressureChange = deferred();
    stream.backpressure = backpressure;
  }

  function transformError(stream, error) {
    readableControllerError(stream.readable.controller, error);
    transformErrorWritableAndUnblockWrite(stream, error);
  }

  function transformErrorWritableAndUnblockWrite(stream, error) {
    transformClearAlgorithms(stream.controller);
    writableControllerErrorIfNeeded(stream.writable.controller, error);
    transformUnblockWrite(stream);
  }

  function transformUnblockWrite(stream) {
    if (stream.backpressure) {
      transformSetBackpressure(stream, false);
    }
  }

  function transformClearAlgorithms(controller) {
    controller.transformAlgorithm = () => Promise.resolve(undefined);
    controller.flushAlgorithm = () => Promise.resolve(undefined);
    controller.cancelAlgorithm = () => Promise.resolve(undefined);
  }

  function transformEnqueue(controller, chunk) {
    const stream = controller.stream;
    const readableController = stream.readable.controller;
    if (!readableControllerCanCloseOrEnqueue(readableController)) {
      throw new TypeError('The readable side of this TransformStream is no longer readable.');
    }
    try {
      readableControllerEnqueue(readableController, chunk);
    } catch (error) {
      transformErrorWritableAndUnblockWrite(stream, error);
      throw stream.readable.storedError;
    }
    const backpressure = readableControllerHasBackpressure(readableController);
    if (backpressure !== stream.backpressure) {
      transformSetBackpressure(stream, true);
    }
  }

  function transformTerminate(controller) {
    const stream = controller.stream;
    readableControllerClose(stream.readable.controller);
    transformErrorWritableAndUnblockWrite(stream, new TypeError('The transform stream has been terminated'));
  }

  function transformPerform(controller, chunk) {
    return controller.transformAlgorithm(chunk).then(undefined, (error) => {
      transformError(controller.stream, error);
      throw error;
    });
  }

  function transformSinkWrite(stream, chunk) {
    const controller = stream.controller;
    if (stream.backpressure) {
      return stream.backpressureChange.promise.then(() => {
        const writable = stream.writable;
        if (writable.state === 'erroring') {
          throw writable.storedError;
        }
        return transformPerform(controller, chunk);
      });
    }
    return transformPerform(controller, chunk);
  }

  function transformSinkAbort(stream, reason) {
    const controller = stream.controller;
    if (controller.finish !== null) {
      return controller.finish.promise;
    }
    const readable = stream.readable;
    controller.finish = deferred();
    const cancelPromise = controller.cancelAlgorithm(reason);
    transformClearAlgorithms(controller);
    cancelPromise.then(() => {
      if (readable.state === 'errored') {
        controller.finish.reject(readable.storedError);
      } else {
        readableControllerError(readable.controller, reason);
        controller.finish.resolve(undefined);
      }
    }, (error) => {
      readableControllerError(readable.controller, error);
      controller.finish.reject(error);
    });
    return controller.finish.promise;
  }

  function transformSinkClose(stream) {
    const controller = stream.controller;
    if (controller.finish !== null) {
      return controller.finish.promise;
    }
    const readable = stream.readable;
    controller.finish = deferred();
    const flushPromise = controller.flushAlgorithm();
    transformClearAlgorithms(controller);
    flushPromise.then(() => {
      if (readable.state === 'errored') {
        controller.finish.reject(readable.storedError);
      } else {
        readableControllerClose(readable.controller);
        controller.finish.resolve(undefined);
      }
    }, (error) => {
      readableControllerError(readable.controller, error);
      controller.finish.reject(error);
    });
    return controller.finish.promise;
  }

  function transformSourcePull(stream) {
    transformSetBackpressure(stream, false);
    return stream.backpressureChange.promise;
  }

  function transformSourceCancel(stream, reason) {
    const controller = stream.controller;
    if (controller.finish !== null) {
      return controller.finish.promise;
    }
    const writable = stream.writable;
    controller.finish = deferred();
    const cancelPromise = controller.cancelAlgorithm(reason);
    transformClearAlgorithms(controller);
    cancelPromise.then(() => {
      if (writable.state === 'errored') {
        controller.finish.reject(writable.storedError);
      } else {
        writableControllerErrorIfNeeded(writable.controller, reason);
        transformUnblockWrite(stream);
        controller.finish.resolve(undefined);
      }
    }, (error) => {
      writableControllerErrorIfNeeded(writable.controller, error);
      transformUnblockWrite(stream);
      controller.finish.reject(error);
    });
    return controller.finish.promise;
  }

  class TransformStreamDefaultController {
    constructor() {
      throw new TypeError('Illegal constructor: a TransformStreamDefaultController is made by new TransformStream().');
    }

    get desiredSize() {
      const controller = slotsOf(transformControllerSlots, this, 'TransformStreamDefaultController', 'desiredSize');
      return readableControllerDesiredSize(controller.stream.readable.controller);
    }

    enqueue(chunk = undefined) {
      transformEnqueue(slotsOf(transformControllerSlots, this, 'TransformStreamDefaultController', 'enqueue'), chunk);
    }

    error(reason = undefined) {
      transformError(slotsOf(transformControllerSlots, this, 'TransformStreamDefaultController', 'error').stream, reason);
    }

    terminate() {
      transformTerminate(slotsOf(transformControllerSlots, this, 'TransformStreamDefaultController', 'terminate'));
    }
  }

  class TransformStream {
    /**
     * `transformer` may give start(controller), transform(chunk, controller), flush(controller)
     * and cancel(reason); without transform, chunks pass through unchanged. The writable side's
     * strategy defaults to a highWaterMark of 1, the readable side's to 0.
     */
    constructor(transformer = undefined, writableStrategy = undefined, readableStrategy = undefined) {
      const writableSize = sizeAlgorithmOf(writableStrategy);
      const writableHWM = highWaterMarkOf(writableStrategy, 1);
      const readableSize = sizeAlgorithmOf(readableStrategy);
      const readableHWM = highWaterMarkOf(readableStrategy, 0);
      setUpTransform(this, transformer, writableHWM, writableSize, readableHWM, readableSize);
    }

    get readable() {
      return slotsOf(transformSlots, this, 'TransformStream', 'readable').readable.object;
    }

    get writable() {
      return slotsOf(transformSlots, this, 'TransformStream', 'writable').writable.object;
    }
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

  // --- workerd's byte transforms -------------------------------------------------------------

  function byteTransformer(counter) {
    return {
      transform(chunk, controller) {
        const bytes = copyOfChunk(chunk);
        if (bytes === null) {
          throw new TypeError(BYTE_TRANSFORM_CHUNK);
        }
        if (counter !== null) {
          counter.seen += bytes.length;
          if (counter.seen > counter.expected) {
            throw new TypeError('Attempt to write too many bytes through a FixedLengthStream.');
          }
        }
        if (bytes.length > 0) {
          controller.enqueue(bytes);
        }
      },
      flush() {
        if (counter !== null && counter.seen < counter.expected) {
          throw new TypeError('FixedLengthStream did not see all expected bytes before close().');
        }
      },
    };
  }

  // NOTE: workerd's IdentityTransformStream has a byte stream as its readable side, which
  // supports BYOB readers; here it is a default stream of Uint8Array chunks.
  class IdentityTransformStream extends TransformStream {
    constructor() {
      super(byteTransformer(null));
    }
  }

  class FixedLengthStream extends TransformStream {
    /** Passes exactly `expectedLength` bytes; more, or fewer at close(), errors the stream. */
    constructor(expectedLength) {
      const expected = typeof expectedLength === 'bigint' ? Number(expectedLength) : Number(expectedLength);
      if (!Number.isInteger(expected) || expected < 0 || expected > Number.MAX_SAFE_INTEGER) {
        throw new TypeError('FixedLengthStream requires an integer expected length less than 2^53.');
      }
      super(byteTransformer({ expected, seen: 0 }));
    }
  }

  // --- TextEncoderStream and TextDecoderStream -----------------------------------------------

  const encoderStreamSlots = new WeakMap();

  class TextEncoderStream {
    constructor() {
      // A high surrogate at the end of a chunk waits for the low one at the start of the next.
      let pending = '';
      const transform = new TransformStream({
        transform(chunk, controller) {
          let text = pending + `${chunk}`;
          pending = '';
          const last = text.charCodeAt(text.length - 1);
          if (last >= 0xd800 && last <= 0xdbff) {
            pending = text[text.length - 1];
            text = text.slice(0, -1);
          }
          if (text.length > 0) {
            controller.enqueue(utf8Encode(text));
          }
        },
        flush(controller) {
          if (pending !== '') {
            controller.enqueue(new Uint8Array([0xef, 0xbf, 0xbd]));
          }
        },
      });
      encoderStreamSlots.set(this, { transform });
    }

    get encoding() {
      slotsOf(encoderStreamSlots, this, 'TextEncoderStream', 'encoding');
      return 'utf-8';
    }

    get readable() {
      return slotsOf(encoderStreamSlots, this, 'TextEncoderStream', 'readable').transform.readable;
    }

    get writable() {
      return slotsOf(encoderStreamSlots, this, 'TextEncoderStream', 'writable').transform.writable;
    }
  }

  const decoderStreamSlots = new WeakMap();

  class TextDecoderStream {
    /** Takes the label and options of TextDecoder; chunks must be BufferSources. */
    constructor(label = 'utf-8', options = undefined) {
      const decoder = new TextDecoderClass(label, options);
      const transform = new TransformStream({
        transform(chunk, controller) {
          if (!(chunk instanceof ArrayBuffer) && !ArrayBuffer.isView(chunk)) {
            throw new TypeError(`TextDecoderStream can only decode ArrayBuffers and views, not ${describe(chunk)}.`);
          }
          const text = decoder.decode(chunk, { stream: true });
          if (text !== '') {
            controller.enqueue(text);
          }
        },
        flush(controller) {
          const text = decoder.decode();
          if (text !== '') {
            controller.enqueue(text);
          }
        },
      });
      decoderStreamSlots.set(this, { decoder, transform });
    }

    get encoding() {
      return slotsOf(decoderStreamSlots, this, 'TextDecoderStream', 'encoding').decoder.encoding;
    }

    get fatal() {
      return slotsOf(decoderStreamSlots, this, 'TextDecoderStream', 'fatal').decoder.fatal;
    }

    get ignoreBOM() {
      return slotsOf(decoderStreamSlots, this, 'TextDecoderStream', 'ignoreBOM').decoder.ignoreBOM;
    }

    get readable() {
      return slotsOf(decoderStreamSlots, this, 'TextDecoderStream', 'readable').transform.readable;
    }

    get writable() {
      return slotsOf(decoderStreamSlots, this, 'TextDecoderStream', 'writable').transform.writable;
    }
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

  // --- globals -------------------------------------------------------------------------------

  const classes = {
    ReadableStream,
    ReadableStreamDefaultReader,
    ReadableStreamDefaultController,
    WritableStream,
    WritableStreamDefaultWriter,
    WritableStreamDefaultController,
    TransformStream,
    TransformStreamDefaultController,
    ByteLengthQueuingStrategy,
    CountQueuingStrategy,
    TextEncoderStream,
    TextDecoderStream,
    IdentityTransformStream,
    FixedLengthStream,
  };
  for (const [name, value] of Object.entries(classes)) {
    Object.defineProperty(value.prototype, Symbol.toStringTag, { value: name, configurable: true });
    internals.markNotSerializable(value);
    Object.defineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });
  }
})
