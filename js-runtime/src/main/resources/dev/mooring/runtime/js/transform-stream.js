// TransformStream and its controller, as the WHATWG Streams Standard defines them, plus
// TextEncoderStream, TextDecoderStream, and workerd's IdentityTransformStream and
// FixedLengthStream. It builds on readable-stream.js and writable-stream.js (see their notes).
//
// What it guarantees: transform() runs for one chunk at a time, and only while the readable side
// wants data (backpressure), so a writer waits on ready until a reader reads. Cancelling the
// readable side or aborting the writable side runs the transformer's cancel() once, and errors
// the other side.
//
// What it never does: a TransformStream passes chunks through untouched. The byte transforms
// and TextDecoderStream copy the bytes of each chunk, and reject a chunk that is not a
// BufferSource with a TypeError.
(function (host, internals) {
  'use strict';

  const {
    slotsOf, readableSlots, writableSlots, deferred, promiseCall, describe, dictionaryOf, checkCallback, highWaterMarkOf,
    sizeAlgorithmOf, copyOfChunk, newReadableStream, newWritableStream, writableControllerErrorIfNeeded,
    readableControllerCanCloseOrEnqueue, readableControllerClose, readableControllerDesiredSize,
    readableControllerEnqueue, readableControllerError, readableControllerHasBackpressure,
  } = internals.streamKit;

  const TextDecoderClass = TextDecoder;
  const utf8Encode = internals.utf8Encode;
  const BYTE_TRANSFORM_CHUNK = 'This TransformStream is being used as a byte stream, but received an object of ' +
      'non-ArrayBuffer/ArrayBufferView type on its writable side.';

  const transformSlots = new WeakMap();
  const transformControllerSlots = new WeakMap();

  // --- TransformStream -----------------------------------------------------------------------

  function setUpTransform(object, transformer, writableHWM, writableSize, readableHWM, readableSize) {
    const dict = dictionaryOf(transformer, 'The transformer of a TransformStream');
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

  // Waits for room on the readable side, for the runtime's transformers that make many chunks
  // from one (compression-stream.js). Resolves to true once the readable side has room for
  // another chunk, at once when it has room now. Resolves to false once it can take no more
  // chunks because it was cancelled, closed or errored.
  function transformWhenReadableHasRoom(controllerObject) {
    const stream = transformControllerSlots.get(controllerObject).stream;
    const canEnqueue = () => readableControllerCanCloseOrEnqueue(stream.readable.controller);
    if (!stream.backpressure || !canEnqueue()) {
      return Promise.resolve(canEnqueue());
    }
    return stream.backpressureChange.promise.then(() => transformWhenReadableHasRoom(controllerObject));
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


  internals.streamKit.transformWhenReadableHasRoom = transformWhenReadableHasRoom;

  internals.streamKit.defineGlobals({
    TransformStream,
    TransformStreamDefaultController,
    TextEncoderStream,
    TextDecoderStream,
    IdentityTransformStream,
    FixedLengthStream,
  });
})
