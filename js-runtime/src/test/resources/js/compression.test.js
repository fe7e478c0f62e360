// CompressionStream and DecompressionStream: round trips, known byte vectors, chunk boundaries,
// corrupt input, and output that waits for its reader.

const UNKNOWN_FORMAT = "The compression format must be either 'deflate', 'deflate-raw' or 'gzip'.";
const NOT_BYTES = 'This TransformStream is being used as a byte stream, but received an object of ' +
    'non-ArrayBuffer/ArrayBufferView type on its writable side.';
const CORRUPT = 'Decompression failed.';
const TRAILING = 'Trailing bytes after end of compressed data';
const INCOMPLETE = 'Called close() on a decompression stream with incomplete data';
const FORMATS = ['gzip', 'deflate', 'deflate-raw'];

function hex(text) {
  return new Uint8Array(text.match(/../g).map((pair) => parseInt(pair, 16)));
}

function toHex(bytes) {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

// Compares byte arrays without deepEqual's cost per element, and names the first difference.
function assertSameBytes(actual, expected, message = 'bytes differ') {
  assert.ok(actual instanceof Uint8Array, `${message}: not a Uint8Array`);
  assert.equal(actual.length, expected.length, `${message}: lengths differ`);
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) {
      assert.equal(actual[i], expected[i], `${message}: first difference at offset ${i}`);
    }
  }
}

function concat(chunks) {
  const all = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

// Writes each chunk through `transform` while reading its readable side, and returns all output.
async function run(transform, chunks) {
  const writing = (async () => {
    const writer = transform.writable.getWriter();
    for (const chunk of chunks) {
      await writer.write(chunk);
    }
    await writer.close();
  })();
  const output = [];
  for await (const chunk of transform.readable) {
    assert.ok(chunk instanceof Uint8Array, 'each output chunk is a Uint8Array');
    output.push(chunk);
  }
  await writing;
  return concat(output);
}

async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
  }
  return chunks;
}

const compress = (format, chunks) => run(new CompressionStream(format), chunks);
const decompress = (format, chunks) => run(new DecompressionStream(format), chunks);

// Text that compresses well but not trivially: 20 KB of numbered lines.
const TEXT = Array.from({ length: 1000 }, (_, i) => `line ${i}: the quick brown fox\n`).join('');
const TEXT_BYTES = new TextEncoder().encode(TEXT);

// "hello" compressed by zlib 1.2.13 at level 6 (Python's zlib.compressobj); `printf hello | gzip -n` gives the same gzip bytes.
const HELLO = {
  'gzip': '1f8b0800000000000003cb48cdc9c9070086a6103605000000',
  'deflate': '789ccb48cdc9c90700062c0215',
  'deflate-raw': 'cb48cdc9c90700',
};

// `gzip -k hello.txt` with GNU gzip 1.12: the FNAME flag set, the file name and a modification time in the header.
const HELLO_WITH_NAME = '1f8b08082fb9146b000368656c6c6f2e74787400cb48cdc9c9070086a6103605000000';

// "hello" as a gzip member with every optional header field (FEXTRA, FNAME, FCOMMENT and a valid FHCRC), built with Python's zlib.
const HELLO_ALL_HEADER_FIELDS = '1f8b081e0000000000030400414200006e2e747874006869008abecb48cdc9c9070086a6103605000000';

// --- construction --------------------------------------------------------------------------------

test('unknown format throws TypeError', () => {
  for (const format of ['GZIP', 'br', 'zlib', '', undefined]) {
    assert.throws(() => new CompressionStream(format), TypeError, UNKNOWN_FORMAT);
    assert.throws(() => new DecompressionStream(format), TypeError, UNKNOWN_FORMAT);
  }
  assert.throws(() => new CompressionStream(), TypeError, UNKNOWN_FORMAT);
});

test('streams are TransformStreams', () => {
  for (const format of FORMATS) {
    const stream = new CompressionStream(format);
    assert.ok(stream instanceof TransformStream);
    assert.ok(stream.readable instanceof ReadableStream);
    assert.ok(stream.writable instanceof WritableStream);
    assert.ok(new DecompressionStream(format) instanceof TransformStream);
  }
  assert.equal(Object.prototype.toString.call(new CompressionStream('gzip')), '[object CompressionStream]');
  assert.equal(Object.prototype.toString.call(new DecompressionStream('gzip')), '[object DecompressionStream]');
});

// --- round trips and vectors ---------------------------------------------------------------------

test('every format round-trips', async () => {
  for (const format of FORMATS) {
    const compressed = await compress(format, [TEXT_BYTES]);
    assert.ok(compressed.length < TEXT_BYTES.length / 4, `${format} output is ${compressed.length} bytes`);
    assertSameBytes(await decompress(format, [compressed]), TEXT_BYTES, format);
  }
});

test('compression matches zlib byte for byte', async () => {
  for (const format of FORMATS) {
    assert.equal(toHex(await compress(format, [new TextEncoder().encode('hello')])), HELLO[format], format);
  }
});

test('known vectors decompress', async () => {
  const hello = new TextEncoder().encode('hello');
  for (const format of FORMATS) {
    assertSameBytes(await decompress(format, [hex(HELLO[format])]), hello, format);
  }
  assertSameBytes(await decompress('gzip', [hex(HELLO_WITH_NAME)]), hello, 'gzip header with a file name');
  assertSameBytes(await decompress('gzip', [hex(HELLO_ALL_HEADER_FIELDS)]), hello, 'gzip header with every field');
});

test('empty input round-trips', async () => {
  const expected = { 'gzip': '1f8b080000000000000303000000000000000000', 'deflate': '789c030000000001', 'deflate-raw': '0300' };
  for (const format of FORMATS) {
    const compressed = await compress(format, []);
    assert.equal(toHex(compressed), expected[format], format);
    assert.equal((await decompress(format, [compressed])).length, 0, format);
  }
});

test('empty chunks are skipped', async () => {
  const compressed = await compress('gzip', [new Uint8Array(0), TEXT_BYTES, new ArrayBuffer(0)]);
  assertSameBytes(await decompress('gzip', [new Uint8Array(0), compressed, new Uint8Array(0)]), TEXT_BYTES);
});

test('one-byte writes round-trip', async () => {
  const input = TEXT_BYTES.subarray(0, 1000);
  for (const format of FORMATS) {
    const oneByteChunks = (bytes) => Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
    const compressed = await compress(format, oneByteChunks(input));
    assertSameBytes(compressed, await compress(format, [input]), `${format} output does not depend on chunking`);
    assertSameBytes(await decompress(format, oneByteChunks(compressed)), input, format);
  }
});

test('input split anywhere decompresses', async () => {
  const hello = new TextEncoder().encode('hello');
  const vectors = [
    ['gzip', hex(HELLO_ALL_HEADER_FIELDS)],
    ['gzip', hex(HELLO_WITH_NAME)],
    ['deflate', hex(HELLO.deflate)],
    ['deflate-raw', hex(HELLO['deflate-raw'])],
  ];
  for (const [format, bytes] of vectors) {
    for (let split = 0; split <= bytes.length; split++) {
      const output = await decompress(format, [bytes.slice(0, split), bytes.slice(split)]);
      assertSameBytes(output, hello, `${format} split at ${split}`);
    }
  }
});

test('chunks of views and ArrayBuffers are read at their offsets', async () => {
  const padded = new Uint8Array(TEXT_BYTES.length + 10);
  padded.set(TEXT_BYTES, 5);
  const view = new DataView(padded.buffer, 5, TEXT_BYTES.length);
  const compressed = await compress('deflate', [view]);
  assertSameBytes(await decompress('deflate', [compressed.buffer]), TEXT_BYTES);
});

test('output of a large input arrives in pieces', async () => {
  // Random bytes, repeated with a varying mask: deflate barely shrinks them.
  const random = new Uint8Array(300 * 1024);
  crypto.getRandomValues(random.subarray(0, 65536));
  for (let i = 65536; i < random.length; i++) {
    random[i] = random[i - 65536] ^ (i & 0xff) ^ (i >> 8);
  }
  const stream = new CompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  writer.write(random);
  writer.close();
  const sizes = [];
  const chunks = [];
  for await (const chunk of stream.readable) {
    sizes.push(chunk.length);
    chunks.push(chunk);
  }
  assert.ok(sizes.length >= 5, `expected several chunks, got ${sizes}`);
  assert.ok(sizes.every((size) => size <= 65536), `no chunk over 64 KiB: ${sizes}`);
  assertSameBytes(await decompress('deflate-raw', [concat(chunks)]), random);
});

// --- errors --------------------------------------------------------------------------------------

test('input that is not compressed errors both sides', async () => {
  for (const format of FORMATS) {
    const stream = new DecompressionStream(format);
    const writer = stream.writable.getWriter();
    const reader = stream.readable.getReader();
    const reading = reader.read();
    await assert.rejects(writer.write(new TextEncoder().encode('not compressed at all')), TypeError, CORRUPT);
    await assert.rejects(reading, TypeError, CORRUPT);
    await assert.rejects(reader.read(), TypeError, CORRUPT);
    await assert.rejects(writer.closed, TypeError, CORRUPT);
  }
});

test('corrupt gzip members fail', async () => {
  const valid = hex(HELLO.gzip);
  const cases = {
    'wrong magic byte': (bytes) => { bytes[1] = 0x8c; },
    'method other than deflate': (bytes) => { bytes[2] = 7; },
    'reserved flag set': (bytes) => { bytes[3] = 0x20; },
    'wrong CRC-32 in the trailer': (bytes) => { bytes[bytes.length - 8] ^= 1; },
    'wrong size in the trailer': (bytes) => { bytes[bytes.length - 4] = 6; },
  };
  for (const [name, corrupt] of Object.entries(cases)) {
    const bytes = valid.slice();
    corrupt(bytes);
    const error = await decompress('gzip', [bytes]).then(() => null, (reason) => reason);
    assert.ok(error instanceof TypeError, `${name}: got ${error}`);
    assert.equal(error.message, CORRUPT, name);
  }
  // A changed file name no longer matches the header CRC.
  const withHeaderCrc = hex(HELLO_ALL_HEADER_FIELDS);
  withHeaderCrc[17] ^= 1;
  await assert.rejects(decompress('gzip', [withHeaderCrc]), TypeError, CORRUPT);
});

test('corrupt zlib checksum fails', async () => {
  const bytes = hex(HELLO.deflate);
  bytes[bytes.length - 1] ^= 1;
  await assert.rejects(decompress('deflate', [bytes]), TypeError, CORRUPT);
});

test('preset dictionary fails', async () => {
  // A zlib stream of "hello hello" compressed with the preset dictionary "hello" (FDICT set).
  await assert.rejects(decompress('deflate', [hex('78bb062c0215cb00110a60120019910449')]), TypeError, CORRUPT);
});

test('trailing bytes fail', async () => {
  for (const format of FORMATS) {
    const bytes = hex(HELLO[format]);
    await assert.rejects(decompress(format, [concat([bytes, new Uint8Array([0])])]), TypeError, TRAILING);
    await assert.rejects(decompress(format, [bytes, new Uint8Array([1, 2])]), TypeError, TRAILING);
  }
  // A second gzip member counts as trailing data, as in workerd.
  await assert.rejects(decompress('gzip', [concat([hex(HELLO.gzip), hex(HELLO.gzip)])]), TypeError, TRAILING);
});

test('truncated input fails at close', async () => {
  for (const format of FORMATS) {
    const bytes = hex(HELLO[format]);
    for (const length of [0, 1, bytes.length - 1]) {
      await assert.rejects(decompress(format, [bytes.slice(0, length)]), TypeError, INCOMPLETE);
    }
  }
});

test('chunk that is not bytes errors the stream', async () => {
  for (const chunk of ['text', 42, { length: 1 }, [1, 2]]) {
    const stream = new CompressionStream('gzip');
    const writer = stream.writable.getWriter();
    const reading = stream.readable.getReader().read();
    await assert.rejects(writer.write(chunk), TypeError, NOT_BYTES);
    await assert.rejects(reading, TypeError, NOT_BYTES);
  }
});

test('abort errors a pending read', async () => {
  const stream = new CompressionStream('deflate');
  const reading = stream.readable.getReader().read();
  await stream.writable.getWriter().abort(new Error('boom'));
  await assert.rejects(reading, Error, 'boom');
});

test('cancel errors the writable side', async () => {
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  await stream.readable.cancel(new Error('no longer needed'));
  await assert.rejects(writer.write(hex(HELLO.gzip)), Error, 'no longer needed');
});

// --- backpressure --------------------------------------------------------------------------------

test('small stream can be written before it is read', async () => {
  // As in workerd: a writer may await write() and close() before a reader starts.
  const stream = new CompressionStream('gzip');
  const writer = stream.writable.getWriter();
  await writer.write(TEXT_BYTES);
  await writer.close();
  const compressed = concat(await readAll(stream.readable));
  assertSameBytes(await decompress('gzip', [compressed]), TEXT_BYTES);
});

test('zip bomb inflates only as the reader reads', async () => {
  const MiB = 1024 * 1024;
  const zeros = new Uint8Array(MiB);
  const bomb = await compress('gzip', Array.from({ length: 8 }, () => zeros));
  assert.ok(bomb.length < 16 * 1024, `8 MiB of zeros compress to ${bomb.length} bytes`);

  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  let written = false;
  writer.write(bomb).then(() => { written = true; });
  for (let turn = 0; turn < 5; turn++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const queue = testInternals.streamKit.readableSlots.get(stream.readable).controller;
  assert.equal(written, false, 'the write waits for the reader');
  assert.ok(queue.queueTotalSize <= 128 * 1024, `${queue.queueTotalSize} bytes inflated ahead of the reader`);

  const reader = stream.readable.getReader();
  let total = 0;
  let largestQueue = 0;
  writer.close();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    assert.equal(value[0], 0, 'the output starts with zeros');
    assert.equal(value[value.length - 1], 0, 'the output ends with zeros');
    total += value.length;
    largestQueue = Math.max(largestQueue, queue.queueTotalSize);
  }
  assert.equal(total, 8 * MiB);
  assert.ok(written);
  assert.ok(largestQueue <= 128 * 1024, `at most ${largestQueue} bytes were queued`);
});

// --- with other streams and bodies ---------------------------------------------------------------

test('pipeThrough compresses a body into a Response', async () => {
  const source = new Response(TEXT).body;
  const response = new Response(source.pipeThrough(new CompressionStream('gzip')), {
    headers: { 'content-encoding': 'gzip' },
  });
  const compressed = new Uint8Array(await response.arrayBuffer());
  assert.equal(toHex(compressed.subarray(0, 3)), '1f8b08');
  const restored = new Response(new Response(compressed).body.pipeThrough(new DecompressionStream('gzip')));
  assert.equal(await restored.text(), TEXT);
});

test('chained streams round-trip', async () => {
  const { readable, writable } = new TransformStream();
  const output = readable
      .pipeThrough(new CompressionStream('deflate'))
      .pipeThrough(new DecompressionStream('deflate'))
      .pipeThrough(new TextDecoderStream());
  const writer = writable.getWriter();
  for (let i = 0; i < TEXT_BYTES.length; i += 777) {
    writer.write(TEXT_BYTES.subarray(i, i + 777));
  }
  writer.close();
  let text = '';
  for await (const piece of output) {
    text += piece;
  }
  assert.equal(text, TEXT);
});
