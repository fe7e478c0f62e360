// CompressionStream and DecompressionStream, as the Compression Streams standard defines them,
// with workerd's formats ("gzip", "deflate", "deflate-raw") and error messages. Each is a
// TransformStream (as in workerd, where both inherit from it) whose transformer hands the bytes
// to a Java ZlibStream (host.openCompression), where java.util.zip does the work.
//
// What it guarantees: output leaves Java in pieces of at most 64 KiB, and the transformer pulls
// the next piece only while the readable side has fewer than READABLE_HIGH_WATER_MARK bytes
// queued. So a small input that inflates to gigabytes (a "zip bomb") is inflated only as fast as
// a reader reads it, and the writer's write() waits meanwhile. A chunk that is not an ArrayBuffer
// or a view, corrupt input, input after the end of the compressed data and input that ends
// before it error both sides with workerd's TypeError.
//
// Where it differs: the readable side's high-water mark is READABLE_HIGH_WATER_MARK bytes rather
// than the standard's 0, so a writer may write and close a small stream before anyone reads it,
// as workerd allows (workerd buffers all output). A writer that awaits write() of a chunk whose
// output passes that mark before reading waits forever, as it would with the standard's mark.
(function (host, internals) {
  'use strict';

  const { transformWhenReadableHasRoom } = internals.streamKit;

  const READABLE_HIGH_WATER_MARK = 64 * 1024;
  const FORMATS = ['gzip', 'deflate', 'deflate-raw'];
  const UNKNOWN_FORMAT = "The compression format must be either 'deflate', 'deflate-raw' or 'gzip'.";
  const NOT_BYTES = 'This TransformStream is being used as a byte stream, but received an object of ' +
      'non-ArrayBuffer/ArrayBufferView type on its writable side.';

  const readableStrategy = { highWaterMark: READABLE_HIGH_WATER_MARK, size: (chunk) => chunk.byteLength };

  function openZlibStream(compress, format) {
    const name = `${format}`;
    if (!FORMATS.includes(name)) {
      throw new TypeError(UNKNOWN_FORMAT);
    }
    return host.openCompression(compress, name);
  }

  // Enqueues the output of what was pushed into `zlib` so far, one piece at a time, each when the
  // readable side has room for it. Stops early when the readable side goes away.
  async function drain(zlib, controller) {
    for (;;) {
      const piece = zlib.pull();
      if (piece === null) {
        return;
      }
      if (typeof piece === 'string') {
        throw new TypeError(piece);
      }
      if (!(await transformWhenReadableHasRoom(controller))) {
        zlib.release();
        return;
      }
      controller.enqueue(new Uint8Array(piece).slice());
    }
  }

  function zlibTransformer(zlib) {
    return {
      async transform(chunk, controller) {
        let buffer;
        let offset = 0;
        let length;
        if (chunk instanceof ArrayBuffer) {
          buffer = chunk;
          length = chunk.byteLength;
        } else if (ArrayBuffer.isView(chunk)) {
          buffer = chunk.buffer;
          offset = chunk.byteOffset;
          length = chunk.byteLength;
        } else {
          zlib.release();
          throw new TypeError(NOT_BYTES);
        }
        if (length === 0) {
          return;
        }
        zlib.push(buffer, offset, length);
        await drain(zlib, controller);
      },
      async flush(controller) {
        zlib.end();
        await drain(zlib, controller);
        zlib.release();
      },
      cancel() {
        zlib.release();
      },
    };
  }

  class CompressionStream extends TransformStream {
    /** `format` is "gzip", "deflate" or "deflate-raw"; anything else throws a TypeError. */
    constructor(format) {
      super(zlibTransformer(openZlibStream(true, format)), undefined, readableStrategy);
    }
  }

  class DecompressionStream extends TransformStream {
    /** `format` is "gzip", "deflate" or "deflate-raw"; anything else throws a TypeError. */
    constructor(format) {
      super(zlibTransformer(openZlibStream(false, format)), undefined, readableStrategy);
    }
  }

  internals.streamKit.defineGlobals({ CompressionStream, DecompressionStream });
})
