// AbortController and AbortSignal. Timers run on the test context's virtual clock, so
// AbortSignal.timeout() fires when a test awaits a promise that nothing else settles.

function waitForAbort(signal) {
  return new Promise((resolve) => signal.addEventListener('abort', resolve));
}

test('AbortSignal constructor is illegal', () => {
  assert.throws(() => new AbortSignal(), TypeError, /^Illegal constructor/);
  assert.throws(() => AbortSignal(), TypeError);
});

test('AbortController signal starts not aborted', () => {
  const controller = new AbortController();
  const signal = controller.signal;
  assert.ok(signal instanceof AbortSignal);
  assert.ok(signal instanceof EventTarget);
  assert.equal(controller.signal, signal);
  assert.equal(signal.aborted, false);
  assert.equal(signal.reason, undefined);
  assert.equal(signal.onabort, null);
  signal.throwIfAborted();
});

test('AbortController and AbortSignal look like native classes', () => {
  const controller = new AbortController();
  assert.equal(Object.prototype.toString.call(controller), '[object AbortController]');
  assert.equal(Object.prototype.toString.call(controller.signal), '[object AbortSignal]');
  assert.equal(Object.getOwnPropertyNames(controller).length, 0);
  assert.equal(Object.getOwnPropertyNames(controller.signal).length, 0);
  for (const name of ['aborted', 'reason', 'onabort']) {
    const descriptor = Object.getOwnPropertyDescriptor(AbortSignal.prototype, name);
    assert.ok(descriptor.get, name + ' is an accessor');
    assert.ok(descriptor.enumerable, name + ' is enumerable');
  }
  assert.throws(() => Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted').get.call({}), TypeError,
      'Illegal invocation');
  assert.throws(() => AbortController.prototype.abort.call({}), TypeError, 'Illegal invocation');
});

test('AbortSignal attributes are read-only', () => {
  'use strict';
  const controller = new AbortController();
  assert.throws(() => { controller.signal = null; }, TypeError);
  assert.throws(() => { controller.signal.aborted = true; }, TypeError);
  assert.throws(() => { controller.signal.reason = 'x'; }, TypeError);
});

test('abort without reason uses an AbortError DOMException', () => {
  const controller = new AbortController();
  controller.abort();
  const reason = controller.signal.reason;
  assert.equal(controller.signal.aborted, true);
  assert.ok(reason instanceof DOMException);
  assert.equal(reason.name, 'AbortError');
  assert.equal(reason.message, 'The operation was aborted');
  assert.equal(reason.code, DOMException.ABORT_ERR);
});

test('abort with undefined reason uses the default', () => {
  const controller = new AbortController();
  controller.abort(undefined);
  assert.equal(controller.signal.reason.name, 'AbortError');
});

test('abort keeps the given reason', () => {
  for (const reason of ['why', 0, null, false, new Error('stop')]) {
    const controller = new AbortController();
    controller.abort(reason);
    assert.equal(controller.signal.reason, reason);
  }
});

test('throwIfAborted throws the reason', () => {
  const controller = new AbortController();
  const reason = new RangeError('enough');
  controller.abort(reason);
  let thrown;
  try {
    controller.signal.throwIfAborted();
  } catch (error) {
    thrown = error;
  }
  assert.equal(thrown, reason);
});

test('abort event fires once with onabort first', () => {
  const controller = new AbortController();
  const signal = controller.signal;
  const calls = [];
  signal.addEventListener('abort', (event) => {
    calls.push('listener ' + event.type + ' ' + (event.target === signal) + ' ' + signal.aborted);
  });
  signal.onabort = function (event) {
    calls.push('onabort ' + (this === signal) + ' ' + (event instanceof Event));
  };
  controller.abort('first');
  controller.abort('second');
  assert.deepEqual(calls, ['onabort true true', 'listener abort true true']);
  assert.equal(signal.reason, 'first');
});

test('abort listeners see the reason already set', () => {
  const controller = new AbortController();
  let seen;
  controller.signal.addEventListener('abort', () => { seen = controller.signal.reason; });
  controller.abort('because');
  assert.equal(seen, 'because');
});

test('listeners added after abort never run', () => {
  const controller = new AbortController();
  controller.abort();
  let called = false;
  controller.signal.addEventListener('abort', () => { called = true; });
  controller.abort();
  assert.equal(called, false);
});

test('onabort keeps functions and objects only', () => {
  const signal = new AbortController().signal;
  for (const value of [123, 'text', null, undefined]) {
    signal.onabort = () => {};
    signal.onabort = value;
    assert.equal(signal.onabort, null, 'after setting ' + String(value));
  }
  const handler = { handleEvent() {} };
  signal.onabort = handler;
  assert.equal(signal.onabort, handler);
  assert.ok('onabort' in AbortSignal.prototype);
});

test('onabort stays set after abort', () => {
  const controller = new AbortController();
  const handler = () => {};
  controller.signal.onabort = handler;
  controller.abort();
  assert.equal(controller.signal.onabort, handler);
});

test('abort rethrows a listener exception after aborting', () => {
  const controller = new AbortController();
  const dependent = AbortSignal.any([controller.signal]);
  controller.signal.addEventListener('abort', () => { throw new Error('listener failed'); });
  assert.throws(() => controller.abort('r'), Error, 'listener failed');
  assert.equal(controller.signal.aborted, true);
  assert.equal(dependent.aborted, true);
  assert.equal(dependent.reason, 'r');
});

test('AbortSignal.abort returns an aborted signal', () => {
  const signal = AbortSignal.abort();
  assert.equal(signal.aborted, true);
  assert.equal(signal.reason.name, 'AbortError');
  assert.equal(signal.reason.message, 'The operation was aborted');
  assert.throws(() => signal.throwIfAborted(), DOMException, 'The operation was aborted');
  assert.equal(AbortSignal.abort('boom').reason, 'boom');
});

test('AbortSignal.timeout aborts with TimeoutError', async () => {
  const start = testLog.now();
  const signal = AbortSignal.timeout(250);
  assert.equal(signal.aborted, false);
  await waitForAbort(signal);
  assert.equal(testLog.now() - start, 250);
  assert.equal(signal.aborted, true);
  assert.ok(signal.reason instanceof DOMException);
  assert.equal(signal.reason.name, 'TimeoutError');
  assert.equal(signal.reason.message, 'The operation was aborted due to timeout');
  assert.equal(signal.reason.code, DOMException.TIMEOUT_ERR);
});

test('AbortSignal.timeout cannot be cleared by clearTimeout', async () => {
  const signal = AbortSignal.timeout(10);
  for (let id = 0; id < 5; id++) {
    clearTimeout(id);
  }
  await waitForAbort(signal);
  assert.equal(signal.reason.name, 'TimeoutError');
});

test('AbortSignal.timeout rejects invalid delays', () => {
  assert.throws(() => AbortSignal.timeout(), TypeError, /1 argument required/);
  for (const delay of [-1, NaN, Infinity, 'soon', 2 ** 53]) {
    assert.throws(() => AbortSignal.timeout(delay), TypeError, /the delay must be a finite number of milliseconds/);
  }
  assert.equal(AbortSignal.timeout(0).aborted, false);
});

test('AbortSignal.any follows the first signal to abort', () => {
  const first = new AbortController();
  const second = new AbortController();
  const combined = AbortSignal.any([first.signal, second.signal]);
  const events = [];
  first.signal.addEventListener('abort', () => events.push('first'));
  combined.addEventListener('abort', () => events.push('combined ' + combined.reason));
  assert.equal(combined.aborted, false);
  second.abort('second reason');
  first.abort('first reason');
  assert.equal(combined.reason, 'second reason');
  assert.deepEqual(events, ['combined second reason', 'first']);
});

test('AbortSignal.any event fires after the source event', () => {
  const controller = new AbortController();
  const combined = AbortSignal.any([controller.signal]);
  const events = [];
  combined.onabort = () => events.push('combined');
  controller.signal.onabort = () => events.push('source ' + combined.aborted);
  controller.abort();
  assert.deepEqual(events, ['source true', 'combined']);
  assert.equal(combined.reason, controller.signal.reason);
});

test('AbortSignal.any of an aborted signal is aborted', () => {
  const combined = AbortSignal.any([AbortSignal.timeout(1000000), AbortSignal.abort(123)]);
  assert.equal(combined.aborted, true);
  assert.equal(combined.reason, 123);
});

test('AbortSignal.any of no signals never aborts', () => {
  const combined = AbortSignal.any([]);
  assert.ok(combined instanceof AbortSignal);
  assert.equal(combined.aborted, false);
});

test('AbortSignal.any of an any signal follows its sources', () => {
  const controller = new AbortController();
  const inner = AbortSignal.any([controller.signal]);
  const outer = AbortSignal.any([inner]);
  controller.abort('deep');
  assert.equal(outer.aborted, true);
  assert.equal(outer.reason, 'deep');
});

test('AbortSignal.any takes any iterable of signals', () => {
  const controller = new AbortController();
  const combined = AbortSignal.any(new Set([controller.signal]));
  controller.abort('from a set');
  assert.equal(combined.reason, 'from a set');
});

test('AbortSignal.any with a timeout aborts on time', async () => {
  const controller = new AbortController();
  const combined = AbortSignal.any([controller.signal, AbortSignal.timeout(40)]);
  await waitForAbort(combined);
  assert.equal(combined.reason.name, 'TimeoutError');
  assert.equal(controller.signal.aborted, false);
});

test('AbortSignal.any rejects values that are not signals', () => {
  assert.throws(() => AbortSignal.any(), TypeError, /1 argument required/);
  assert.throws(() => AbortSignal.any(new AbortController().signal), TypeError, /iterable of AbortSignal/);
  assert.throws(() => AbortSignal.any([new AbortController().signal, {}]), TypeError,
      /the element at index 1 is not an AbortSignal/);
});

test('dispatchEvent on a signal calls onabort', () => {
  const signal = new AbortController().signal;
  let calls = 0;
  signal.onabort = () => { calls++; };
  signal.dispatchEvent(new Event('abort'));
  assert.equal(calls, 1);
  assert.equal(signal.aborted, false);
});

test('replaced globals do not change an abort', () => {
  const controller = new AbortController();
  let fired = false;
  controller.signal.addEventListener('abort', () => { fired = true; });
  const originalEvent = globalThis.Event;
  globalThis.Event = function Broken() { throw new Error('replaced'); };
  try {
    controller.abort();
  } finally {
    globalThis.Event = originalEvent;
  }
  assert.ok(fired);
});
