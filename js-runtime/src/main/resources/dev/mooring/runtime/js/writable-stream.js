// WritableStream, its default writer and controller, and ReadableStream's pipeTo(), as the WHATWG
// Streams Standard defines them, with workerd's error messages where workerd gives its own. It
// builds on the algorithms of readable-stream.js (see its design note).
//
// What it guarantees: writes reach the sink one at a time, in order, and close() or abort()
// reaches it only after the write in flight has settled. desiredSize and ready follow the queue
// as the standard defines. A pipe never reads a chunk while the destination's desiredSize is 0 or
// less, and writes every chunk it has read before it closes or aborts the destination.
//
// What it never does: it never copies or inspects a chunk.
(function (host, internals) {
  'use strict';

  const {
    LOCKED_TO_READER, noop, slotsOf, holderSlotsOf, deferred, resolvedDeferred, rejectedDeferred, markHandled, promiseMethod,
    promiseCall, describe, dictionaryOf, checkCallback, highWaterMarkOf, sizeAlgorithmOf, enqueueValueWithSize, dequeueValue,
    resetQueue, acquireReader, readerRead, readerRelease, readableStreamCancel,
  } = internals.streamKit;

  const LOCKED_TO_WRITER = 'This WritableStream is currently locked to a writer.';
  const WRITER_RELEASED = 'This WritableStream writer has been released.';

  const writableSlots = new WeakMap();
  const writerSlots = new WeakMap();
  const writableControllerSlots = new WeakMap();

  // --- pipeTo --------------------------------------------------------------------------------

  function writableOf(value, what) {
    const stream = typeof value === 'object' && value !== null ? writableSlots.get(value) : undefined;
    if (stream === undefined) {
      throw new TypeError(`${what} needs a WritableStream, but got ${describe(value)}.`);
    }
    return stream;
  }

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

  // Checks the arguments of pipeTo() or pipeThrough() in the standard's order and starts the
  // pipe. `what` names the destination argument in the error for one that is not a WritableStream.
  function pipe(source, destination, options, what) {
    const dest = writableOf(destination, what);
    const pipeOptions = pipeOptionsOf(options);
    if (source.reader !== null) {
      throw new TypeError(LOCKED_TO_READER);
    }
    if (dest.writer !== null) {
      throw new TypeError(LOCKED_TO_WRITER);
    }
    return pipeTo(source, dest, pipeOptions);
  }

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

  function lockingWriter(object, member) {
    return holderSlotsOf(writerSlots, object, 'WritableStreamDefaultWriter', member, WRITER_RELEASED);
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
      const dict = dictionaryOf(sink, 'The underlying sink of a WritableStream');
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

  // The stream's record. Throws TypeError when the stream is locked to a writer.
  function unlockedWritable(object, member) {
    const stream = slotsOf(writableSlots, object, 'WritableStream', member);
    if (stream.writer !== null) {
      throw new TypeError(LOCKED_TO_WRITER);
    }
    return stream;
  }


  Object.assign(internals.streamKit, { pipe, writableSlots, newWritableStream, writableControllerErrorIfNeeded });

  internals.streamKit.defineGlobals({
    WritableStream,
    WritableStreamDefaultWriter,
    WritableStreamDefaultController,
  });
})
