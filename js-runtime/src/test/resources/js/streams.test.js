// The Streams Standard's classes, and request and response bodies as ReadableStreams.

const LOCKED_TO_READER = 'This ReadableStream is currently locked to a reader.';
const LOCKED_TO_WRITER = 'This WritableStream is currently locked to a writer.';

function bytesOf(text) {
  return new TextEncoder().encode(text);
}

async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
  }
  return chunks;
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// --- ReadableStream ------------------------------------------------------------------------------

test('reader reads chunks in order', async () => {
  const stream = new ReadableStream({
    start(controller) {
      controller.enqueue('a');
      controller.enqueue('b');
      controller.close();
    },
  });
  const reader = stream.getReader();
  assert.deepEqual(await reader.read(), { value: 'a', done: false });
  assert.deepEqual(await reader.read(), { value: 'b', done: false });
  assert.deepEqual(await reader.read(), { value: undefined, done: true });
  assert.equal(await reader.closed, undefined);
});

test('locked stream refuses second reader', async () => {
  const stream = new ReadableStream();
  stream.getReader();
  assert.equal(stream.locked, true);
  assert.throws(() => stream.getReader(), TypeError, LOCKED_TO_READER);
  assert.throws(() => new ReadableStreamDefaultReader(stream), TypeError, LOCKED_TO_READER);
  await assert.rejects(stream.cancel(), TypeError, LOCKED_TO_READER);
});

test('releaseLock rejects pending read', async () => {
  const stream = new ReadableStream();
  const reader = stream.getReader();
  const pending = reader.read();
  reader.releaseLock();
  assert.equal(stream.locked, false);
  await assert.rejects(pending, TypeError, 'This ReadableStream reader has been released.');
  await assert.rejects(reader.closed, TypeError, 'This ReadableStream reader has been released.');
  await assert.rejects(reader.read(), TypeError, 'This ReadableStream reader has been released.');
  stream.getReader();
});

test('cancel passes reason to source', async () => {
  let cancelReason = 'not called';
  const stream = new ReadableStream({
    start(controller) {
      controller.enqueue('dropped');
    },
    cancel(reason) {
      cancelReason = reason;
    },
  });
  const reader = stream.getReader();
  await reader.cancel('enough');
  assert.equal(cancelReason, 'enough');
  assert.deepEqual(await reader.read(), { value: undefined, done: true }, 'queued chunks are dropped');
});

test('failing source cancel rejects cancel()', async () => {
  const stream = new ReadableStream({
    cancel() {
      throw new RangeError('cannot stop');
    },
  });
  await assert.rejects(stream.cancel(), RangeError, 'cannot stop');
});

test('pull fills queue to highWaterMark', async () => {
  let pulls = 0;
  let controller;
  const stream = new ReadableStream({
    start(c) {
      controller = c;
    },
    pull(c) {
      pulls += 1;
      c.enqueue(pulls);
    },
  }, { highWaterMark: 3 });
  assert.equal(controller.desiredSize, 3);
  await delay(0);
  assert.equal(pulls, 3, 'the queue fills to the highWaterMark');
  assert.equal(controller.desiredSize, 0);
  const reader = stream.getReader();
  assert.deepEqual(await reader.read(), { value: 1, done: false });
  await delay(0);
  assert.equal(pulls, 4, 'one read makes room for one more pull');
});

test('pending pull blocks next pull', async () => {
  let pulls = 0;
  let finishPull;
  const stream = new ReadableStream({
    pull(controller) {
      pulls += 1;
      return new Promise((resolve) => {
        finishPull = () => {
          controller.enqueue(pulls);
          resolve();
        };
      });
    },
  }, { highWaterMark: 0 });
  const reader = stream.getReader();
  const first = reader.read();
  const second = reader.read();
  await delay(0);
  assert.equal(pulls, 1);
  finishPull();
  assert.deepEqual(await first, { value: 1, done: false });
  await delay(0);
  assert.equal(pulls, 2);
  finishPull();
  assert.deepEqual(await second, { value: 2, done: false });
});

test('size strategy measures chunks', async () => {
  let controller;
  new ReadableStream({ start(c) { controller = c; } }, new ByteLengthQueuingStrategy({ highWaterMark: 10 }));
  controller.enqueue(new Uint8Array(4));
  assert.equal(controller.desiredSize, 6);
  let counted;
  new ReadableStream({ start(c) { counted = c; } }, new CountQueuingStrategy({ highWaterMark: 2 }));
  counted.enqueue('x');
  assert.equal(counted.desiredSize, 1);
  assert.equal(new CountQueuingStrategy({ highWaterMark: 2 }).size('anything'), 1);
});

test('invalid strategy or source throws', () => {
  assert.throws(() => new ReadableStream({}, { highWaterMark: -1 }), RangeError);
  assert.throws(() => new ReadableStream({}, { highWaterMark: NaN }), RangeError);
  assert.throws(() => new ReadableStream({}, { size: 5 }), TypeError);
  assert.throws(() => new ReadableStream({ pull: 'no' }), TypeError,
    'The pull member of the underlying source must be a function, not string.');
  assert.throws(() => new ReadableStream({ type: 'other' }), TypeError, '"other" is not a valid type of ReadableStream.');
  let controller;
  new ReadableStream({ start(c) { controller = c; } }, { size: () => -1 });
  assert.throws(() => controller.enqueue('x'), RangeError);
});

test('byte streams throw not supported', () => {
  assert.throws(() => new ReadableStream({ type: 'bytes' }), TypeError, /Byte streams are not supported in Mooring/);
  assert.throws(() => new ReadableStream().getReader({ mode: 'byob' }), TypeError, /BYOB readers are missing/);
});

test('controller.error rejects reads', async () => {
  let controller;
  const stream = new ReadableStream({ start(c) { controller = c; } });
  const reader = stream.getReader();
  const pending = reader.read();
  const reason = new Error('broken');
  controller.error(reason);
  assert.equal(await assert.rejects(pending), reason);
  assert.equal(await assert.rejects(reader.read()), reason);
  assert.equal(await assert.rejects(reader.closed), reason);
  assert.equal(controller.desiredSize, null);
});

test('failing start throws or errors', async () => {
  assert.throws(() => new ReadableStream({ start() { throw new SyntaxError('bad start'); } }), SyntaxError, 'bad start');
  const stream = new ReadableStream({ start() { return Promise.reject(new RangeError('late')); } });
  await assert.rejects(stream.getReader().read(), RangeError, 'late');
});

test('enqueue after close throws', () => {
  let controller;
  new ReadableStream({ start(c) { controller = c; } });
  controller.close();
  assert.throws(() => controller.enqueue('x'), TypeError, 'This ReadableStream is closed.');
  assert.throws(() => controller.close(), TypeError, 'This ReadableStream is closed.');
});

test('tee copies chunks to both branches', async () => {
  const stream = new ReadableStream({
    start(controller) {
      controller.enqueue('a');
      controller.enqueue('b');
      controller.close();
    },
  });
  const [left, right] = stream.tee();
  assert.equal(stream.locked, true);
  assert.deepEqual(await readAll(left), ['a', 'b']);
  assert.deepEqual(await readAll(right), ['a', 'b']);
});

test('tee of erroring stream errors branches', async () => {
  let controller;
  const stream = new ReadableStream({ start(c) { controller = c; } });
  const [left, right] = stream.tee();
  const leftRead = left.getReader().read();
  const rightReader = right.getReader();
  controller.error(new TypeError('source failed'));
  await assert.rejects(leftRead, TypeError, 'source failed');
  await assert.rejects(rightReader.closed, TypeError, 'source failed');
});

test('tee cancels source with both reasons', async () => {
  let reason = 'not called';
  const [left, right] = new ReadableStream({ cancel(r) { reason = r; } }).tee();
  const leftCancel = left.cancel('left');
  await delay(0);
  assert.equal(reason, 'not called', 'one branch is not enough');
  await right.cancel('right');
  await leftCancel;
  assert.deepEqual(reason, ['left', 'right']);
});

test('for await reads every chunk', async () => {
  const stream = ReadableStream.from(['x', 'y']);
  assert.deepEqual(await readAll(stream), ['x', 'y']);
  assert.equal(stream.locked, false);
});

test('break in for await cancels', async () => {
  let cancelled = false;
  let next = 0;
  const stream = new ReadableStream({
    pull(controller) {
      controller.enqueue(next++);
    },
    cancel() {
      cancelled = true;
    },
  });
  for await (const value of stream) {
    if (value === 2) {
      break;
    }
  }
  assert.equal(cancelled, true);
  assert.equal(stream.locked, false);
  assert.deepEqual(await stream.getReader().read(), { value: undefined, done: true });
});

test('preventCancel keeps stream open', async () => {
  let cancelled = false;
  const stream = new ReadableStream({
    start(controller) {
      controller.enqueue(1);
      controller.enqueue(2);
    },
    cancel() {
      cancelled = true;
    },
  });
  for await (const value of stream.values({ preventCancel: true })) {
    assert.equal(value, 1);
    break;
  }
  assert.equal(cancelled, false);
  assert.deepEqual(await stream.getReader().read(), { value: 2, done: false });
});

test('ReadableStream.from reads async generators', async () => {
  let finished = false;
  async function* generate() {
    try {
      yield 'one';
      yield 'two';
    } finally {
      finished = true;
    }
  }
  assert.deepEqual(await readAll(ReadableStream.from(generate())), ['one', 'two']);
  const stream = ReadableStream.from(generate());
  const reader = stream.getReader();
  await reader.read();
  finished = false;
  await reader.cancel('stop');
  assert.equal(finished, true);
  assert.throws(() => ReadableStream.from(5), TypeError);
});

// --- WritableStream ------------------------------------------------------------------------------

test('writer writes chunks in order', async () => {
  const written = [];
  let closed = false;
  const stream = new WritableStream({
    async write(chunk) {
      await delay(1);
      written.push(chunk);
    },
    close() {
      closed = true;
    },
  });
  const writer = stream.getWriter();
  writer.write('a');
  writer.write('b');
  await writer.close();
  assert.deepEqual(written, ['a', 'b']);
  assert.equal(closed, true);
  assert.equal(await writer.closed, undefined);
});

test('desiredSize and ready show backpressure', async () => {
  let finishWrite;
  const stream = new WritableStream({
    write() {
      return new Promise((resolve) => { finishWrite = resolve; });
    },
  }, { highWaterMark: 2 });
  const writer = stream.getWriter();
  await writer.ready;
  assert.equal(writer.desiredSize, 2);
  writer.write('a');
  writer.write('b');
  assert.equal(writer.desiredSize, 0);
  let ready = false;
  writer.ready.then(() => { ready = true; });
  await delay(0);
  assert.equal(ready, false, 'ready waits while the queue is full');
  finishWrite();
  await delay(0);
  assert.equal(ready, true);
  assert.equal(writer.desiredSize, 1);
});

test('locked stream refuses second writer', async () => {
  const stream = new WritableStream();
  stream.getWriter();
  assert.equal(stream.locked, true);
  assert.throws(() => stream.getWriter(), TypeError, LOCKED_TO_WRITER);
  await assert.rejects(stream.abort(), TypeError, LOCKED_TO_WRITER);
  await assert.rejects(stream.close(), TypeError, LOCKED_TO_WRITER);
});

test('writer releaseLock rejects promises', async () => {
  const stream = new WritableStream();
  const writer = stream.getWriter();
  writer.releaseLock();
  await assert.rejects(writer.closed, TypeError, 'This WritableStream writer has been released.');
  await assert.rejects(writer.write('x'), TypeError, 'This WritableStream writer has been released.');
  assert.throws(() => writer.desiredSize, TypeError);
  assert.equal(stream.locked, false);
});

test('abort reaches sink and signal', async () => {
  let abortReason = 'not called';
  let signal;
  const stream = new WritableStream({
    start(controller) {
      signal = controller.signal;
    },
    abort(reason) {
      abortReason = reason;
    },
  });
  const writer = stream.getWriter();
  await writer.abort('gone');
  assert.equal(abortReason, 'gone');
  assert.equal(signal.aborted, true);
  assert.equal(signal.reason, 'gone');
  assert.equal(await assert.rejects(writer.write('late')), 'gone');
  assert.equal(await assert.rejects(writer.closed), 'gone');
});

test('failed write errors the stream', async () => {
  const stream = new WritableStream({
    write(chunk) {
      if (chunk === 'bad') {
        throw new RangeError('refused');
      }
    },
  });
  const writer = stream.getWriter();
  await writer.write('good');
  await assert.rejects(writer.write('bad'), RangeError, 'refused');
  await assert.rejects(writer.write('after'), RangeError, 'refused');
  await assert.rejects(writer.closed, RangeError, 'refused');
});

test('closed stream rejects write and close', async () => {
  const writer = new WritableStream().getWriter();
  await writer.close();
  await assert.rejects(writer.write('x'), TypeError, 'This WritableStream has been closed.');
  await assert.rejects(writer.close(), TypeError, 'This WritableStream has been closed.');
});

test('writable controller.error errors writer', async () => {
  let controller;
  const writer = new WritableStream({ start(c) { controller = c; } }).getWriter();
  controller.error(new Error('sink broke'));
  await assert.rejects(writer.write('x'), Error, 'sink broke');
  assert.equal(writer.desiredSize, null);
});

// --- TransformStream -----------------------------------------------------------------------------

test('transform and flush run', async () => {
  const upper = new TransformStream({
    transform(chunk, controller) {
      controller.enqueue(chunk.toUpperCase());
    },
    flush(controller) {
      controller.enqueue('!');
    },
  });
  const writer = upper.writable.getWriter();
  writer.write('a');
  writer.write('b');
  writer.close();
  assert.deepEqual(await readAll(upper.readable), ['A', 'B', '!']);
});

test('TransformStream without transformer passes chunks', async () => {
  const { readable, writable } = new TransformStream();
  const writer = writable.getWriter();
  writer.write(1);
  writer.close();
  assert.deepEqual(await readAll(readable), [1]);
});

test('transform error errors both sides', async () => {
  const transform = new TransformStream({
    transform() {
      throw new TypeError('cannot transform');
    },
  });
  const writer = transform.writable.getWriter();
  const read = transform.readable.getReader().read();
  await assert.rejects(writer.write('x'), TypeError, 'cannot transform');
  await assert.rejects(read, TypeError, 'cannot transform');
});

test('terminate closes readable side', async () => {
  const transform = new TransformStream({
    transform(chunk, controller) {
      controller.enqueue(chunk);
      controller.terminate();
    },
  });
  const writer = transform.writable.getWriter();
  const reader = transform.readable.getReader();
  writer.write('last');
  assert.deepEqual(await reader.read(), { value: 'last', done: false });
  assert.deepEqual(await reader.read(), { value: undefined, done: true });
  await assert.rejects(writer.closed, TypeError, 'The transform stream has been terminated');
});

test('readable cancel reaches transformer', async () => {
  let reason = 'not called';
  const transform = new TransformStream({ cancel(r) { reason = r; } });
  const writer = transform.writable.getWriter();
  await transform.readable.cancel('reader left');
  assert.equal(reason, 'reader left');
  assert.equal(await assert.rejects(writer.closed), 'reader left');
});

test('TransformStream write waits for read', async () => {
  const { readable, writable } = new TransformStream();
  const writer = writable.getWriter();
  let written = false;
  writer.write('a').then(() => { written = true; });
  writer.write('b');
  await delay(0);
  assert.equal(written, false, 'the readable side has a highWaterMark of 0');
  assert.equal(writer.desiredSize, -1);
  const reader = readable.getReader();
  assert.deepEqual(await reader.read(), { value: 'a', done: false });
  await delay(0);
  assert.equal(written, true);
});

// --- pipeTo and pipeThrough ----------------------------------------------------------------------

function recordingSink(log) {
  return new WritableStream({
    write(chunk) {
      log.push(chunk);
    },
    close() {
      log.push('closed');
    },
    abort(reason) {
      log.push('aborted: ' + (reason && reason.message));
    },
  });
}

test('pipeTo copies chunks and closes', async () => {
  const log = [];
  const source = ReadableStream.from(['a', 'b']);
  await source.pipeTo(recordingSink(log));
  assert.deepEqual(log, ['a', 'b', 'closed']);
  assert.equal(source.locked, false);
});

test('preventClose keeps destination open', async () => {
  const log = [];
  const dest = recordingSink(log);
  await ReadableStream.from(['a']).pipeTo(dest, { preventClose: true });
  assert.deepEqual(log, ['a']);
  const writer = dest.getWriter();
  await writer.write('more');
  assert.deepEqual(log, ['a', 'more']);
});

test('source error aborts destination', async () => {
  const log = [];
  let controller;
  const source = new ReadableStream({ start(c) { controller = c; } });
  const piping = source.pipeTo(recordingSink(log));
  controller.enqueue('a');
  await delay(0);
  controller.error(new Error('source down'));
  await assert.rejects(piping, Error, 'source down');
  assert.deepEqual(log, ['a', 'aborted: source down']);
});

test('preventAbort keeps destination writable', async () => {
  const log = [];
  const dest = recordingSink(log);
  const source = new ReadableStream({ start(c) { c.error(new Error('x')); } });
  await assert.rejects(source.pipeTo(dest, { preventAbort: true }), Error, 'x');
  await dest.getWriter().write('still open');
  assert.deepEqual(log, ['still open']);
});

test('destination error cancels source', async () => {
  let cancelReason = 'not called';
  const source = new ReadableStream({
    pull(controller) {
      controller.enqueue('chunk');
    },
    cancel(reason) {
      cancelReason = reason;
    },
  });
  const dest = new WritableStream({
    write() {
      throw new TypeError('disk full');
    },
  });
  await assert.rejects(source.pipeTo(dest), TypeError, 'disk full');
  assert.equal(cancelReason.message, 'disk full');
});

test('preventCancel keeps source readable', async () => {
  const source = ReadableStream.from(['kept']);
  const dest = new WritableStream({ start(c) { c.error(new Error('closed early')); } });
  await assert.rejects(source.pipeTo(dest, { preventCancel: true }), Error, 'closed early');
  assert.deepEqual(await source.getReader().read(), { value: 'kept', done: false });
});

test('aborted signal stops pipeTo', async () => {
  const log = [];
  let cancelled = null;
  const source = new ReadableStream({ cancel(reason) { cancelled = reason; } });
  const controller = new AbortController();
  const piping = source.pipeTo(recordingSink(log), { signal: controller.signal });
  controller.abort(new Error('user stopped'));
  await assert.rejects(piping, Error, 'user stopped');
  assert.deepEqual(log, ['aborted: user stopped']);
  assert.equal(cancelled.message, 'user stopped');
});

test('pipeTo rejects locked streams', async () => {
  const locked = new ReadableStream();
  locked.getReader();
  await assert.rejects(locked.pipeTo(new WritableStream()), TypeError, LOCKED_TO_READER);
  const lockedDest = new WritableStream();
  lockedDest.getWriter();
  await assert.rejects(new ReadableStream().pipeTo(lockedDest), TypeError, LOCKED_TO_WRITER);
  await assert.rejects(new ReadableStream().pipeTo(new WritableStream(), { signal: {} }), TypeError);
  await assert.rejects(new ReadableStream().pipeTo({}), TypeError, 'pipeTo() needs a WritableStream, but got [object Object].');
});

test('pipeThrough returns readable side', async () => {
  const doubled = ReadableStream.from([1, 2]).pipeThrough(new TransformStream({
    transform(chunk, controller) {
      controller.enqueue(chunk * 2);
    },
  }));
  assert.deepEqual(await readAll(doubled), [2, 4]);
  assert.throws(() => new ReadableStream().pipeThrough({}), TypeError);
});

// --- encoding streams ----------------------------------------------------------------------------

test('TextDecoderStream joins split characters', async () => {
  const euro = bytesOf('€');
  const source = ReadableStream.from([euro.subarray(0, 1), euro.subarray(1), bytesOf('!')]);
  const decoded = source.pipeThrough(new TextDecoderStream());
  assert.equal((await readAll(decoded)).join(''), '€!');
  assert.equal(new TextDecoderStream().encoding, 'utf-8');
});

test('TextDecoderStream rejects string chunk', async () => {
  const decoder = new TextDecoderStream();
  const writer = decoder.writable.getWriter();
  // A transform runs only once its readable side is read.
  decoder.readable.getReader().read().catch(() => {});
  await assert.rejects(writer.write('text'), TypeError,
    'TextDecoderStream can only decode ArrayBuffers and views, not the string "text".');
});

test('TextEncoderStream joins split surrogates', async () => {
  const encoder = new TextEncoderStream();
  const writer = encoder.writable.getWriter();
  writer.write('a\ud83d');
  writer.write('\ude00');
  writer.write('\ud83d');
  writer.close();
  const chunks = await readAll(encoder.readable);
  const all = chunks.flatMap((chunk) => Array.from(chunk));
  assert.deepEqual(all, [0x61, 0xf0, 0x9f, 0x98, 0x80, 0xef, 0xbf, 0xbd]);
  assert.equal(encoder.encoding, 'utf-8');
});

// --- workerd's byte transforms -------------------------------------------------------------------

test('IdentityTransformStream accepts only bytes', async () => {
  const identity = new IdentityTransformStream();
  const writer = identity.writable.getWriter();
  const reader = identity.readable.getReader();
  writer.write(bytesOf('ok'));
  assert.deepEqual(Array.from((await reader.read()).value), [0x6f, 0x6b]);
  reader.read().catch(() => {});
  await assert.rejects(writer.write('text'), TypeError,
    'This TransformStream is being used as a byte stream, but received an object of non-ArrayBuffer/ArrayBufferView type on its writable side.');
});

test('FixedLengthStream checks byte count', async () => {
  assert.throws(() => new FixedLengthStream(-1), TypeError, 'FixedLengthStream requires an integer expected length less than 2^53.');
  const fixed = new FixedLengthStream(2);
  fixed.readable.getReader().read().catch(() => {});
  const tooMany = fixed.writable.getWriter();
  await assert.rejects(tooMany.write(bytesOf('abc')), TypeError, 'Attempt to write too many bytes through a FixedLengthStream.');
  const tooFew = new FixedLengthStream(5);
  const writer = tooFew.writable.getWriter();
  const reader = tooFew.readable.getReader();
  reader.read();
  await writer.write(bytesOf('ab'));
  reader.read().catch(() => {});
  await assert.rejects(writer.close(), TypeError, 'FixedLengthStream did not see all expected bytes before close().');
});

// --- bodies --------------------------------------------------------------------------------------

test('response.body reads as Uint8Array', async () => {
  const response = new Response('hello');
  const body = response.body;
  assert.ok(body instanceof ReadableStream);
  assert.equal(response.body, body);
  assert.equal(response.bodyUsed, false);
  const reader = body.getReader();
  const first = await reader.read();
  assert.ok(first.value instanceof Uint8Array);
  assert.equal(new TextDecoder().decode(first.value), 'hello');
  assert.deepEqual(await reader.read(), { value: undefined, done: true });
  assert.equal(response.bodyUsed, true);
});

test('text() of locked body rejects', async () => {
  const response = new Response('locked');
  response.body.getReader();
  assert.equal(response.bodyUsed, false, 'a lock alone does not use the body');
  await assert.rejects(response.text(), TypeError, LOCKED_TO_READER);
});

test('text() leaves body stream disturbed', async () => {
  const response = new Response('read');
  assert.equal(await response.text(), 'read');
  assert.equal(response.bodyUsed, true);
  assert.equal(response.body.locked, true);
  await assert.rejects(response.text(), TypeError,
    'Body has already been used. It can only be used once. Use tee() first if you need to read it twice.');
});

test('Response from TransformStream written later', async () => {
  const { readable, writable } = new TransformStream();
  const writer = writable.getWriter();
  setTimeout(async () => {
    await writer.write(bytesOf('one '));
    await delay(5);
    await writer.write(bytesOf('two'));
    await writer.close();
  }, 10);
  const response = new Response(readable, { headers: { 'content-type': 'text/plain' } });
  assert.equal(await response.text(), 'one two');
});

test('non-byte body chunk rejects read', async () => {
  let reason = null;
  const stream = new ReadableStream({
    start(controller) {
      controller.enqueue('not bytes');
    },
    cancel(r) {
      reason = r;
    },
  });
  await assert.rejects(new Response(stream).arrayBuffer(), TypeError, 'This ReadableStream did not return bytes.');
  assert.equal(reason.message, 'This ReadableStream did not return bytes.');
});

test('disturbed or locked stream body throws', async () => {
  const disturbed = ReadableStream.from([bytesOf('a')]);
  await disturbed.getReader().read();
  assert.throws(() => new Response(disturbed), TypeError,
    'This ReadableStream is disturbed (has already been read from), and cannot be used as a body.');
  const locked = new ReadableStream();
  locked.getReader();
  assert.throws(() => new Response(locked), TypeError, LOCKED_TO_READER);
});

test('Response shares its stream', async () => {
  const stream = ReadableStream.from([bytesOf('shared')]);
  const response = new Response(stream);
  assert.equal(response.body, stream);
  assert.equal(await new Response(response.body).text(), 'shared');
  assert.equal(response.bodyUsed, true);
});

test('clone() of stream body', async () => {
  const response = new Response(ReadableStream.from([bytesOf('ab'), bytesOf('cd')]));
  const copy = response.clone();
  assert.equal(await copy.text(), 'abcd');
  assert.equal(await response.text(), 'abcd');
});

test('new Request moves stream body', async () => {
  const request = new Request('https://example.com/', { method: 'POST', body: ReadableStream.from([bytesOf('{"a":1}')]) });
  const moved = new Request(request);
  assert.equal(request.bodyUsed, true);
  assert.deepEqual(await moved.json(), { a: 1 });
  assert.throws(() => new Request(request), TypeError, 'Cannot reconstruct a Request with a used body.');
});

test('body through TextDecoderStream', async () => {
  const response = new Response('décor');
  const text = (await readAll(response.body.pipeThrough(new TextDecoderStream()))).join('');
  assert.equal(text, 'décor');
  assert.equal(response.bodyUsed, true);
});

test('for await over response.body', async () => {
  const chunks = await readAll(new Response('abc').body);
  assert.equal(chunks.length, 1);
  assert.deepEqual(Array.from(chunks[0]), [0x61, 0x62, 0x63]);
});

test('shared body bytes are copied', async () => {
  const blob = new Blob(['xyz']);
  const [chunk] = await readAll(blob.stream());
  chunk[0] = 0;
  assert.equal(await blob.text(), 'xyz');
  const response = new Response('xyz');
  const copy = response.clone();
  const [first] = await readAll(response.body);
  first[0] = 0;
  assert.equal(await copy.text(), 'xyz');
});

test('null-body status rejects stream', () => {
  assert.throws(() => new Response(new ReadableStream(), { status: 204 }), TypeError,
    'Response with null body status (101, 204, 205, or 304) cannot have a body.');
});
