// Event and the global scope's names.

test('Event takes bubbles and cancelable from its init', () => {
  const bubbling = new Event('y', { bubbles: true, cancelable: true });
  assert.equal(bubbling.bubbles, true);
  assert.equal(bubbling.cancelable, true);
  assert.equal(new Event('y').bubbles, false);
});

test('self is the global scope', () => {
  assert.equal(self, globalThis);
  assert.equal(typeof self.setTimeout, 'function');
});

test('CustomEvent carries its detail to listeners', () => {
  const target = new EventTarget();
  let seen;
  target.addEventListener('ping', (event) => { seen = event.detail; });
  const event = new CustomEvent('ping', { detail: { count: 2 } });
  target.dispatchEvent(event);
  assert.deepEqual(seen, { count: 2 });
  assert.ok(event instanceof Event);
  assert.equal(Object.prototype.toString.call(event), '[object CustomEvent]');
});

test('CustomEvent detail is null without one', () => {
  assert.equal(new CustomEvent('x').detail, null);
  assert.equal(new CustomEvent('x', { cancelable: true }).cancelable, true);
});

test('CustomEvent requires a type', () => {
  assert.throws(() => new CustomEvent(), TypeError);
});

test('An async listener gets a warning once per target, as in workerd', () => {
  const target = new EventTarget();
  target.addEventListener('x', async () => {});
  testLog.clear();
  target.dispatchEvent(new Event('x'));
  target.dispatchEvent(new Event('x'));
  assert.deepEqual(testLog.lines(), ['warn An event handler returned a promise that will be ignored. Event handlers should not'
    + ' have a return value and should not be async functions.']);

  const other = new EventTarget();
  other.addEventListener('x', () => 'done');
  testLog.clear();
  other.dispatchEvent(new Event('x'));
  assert.deepEqual(testLog.lines(), ['warn An event handler returned a value of type "string" that will be ignored.'
    + ' Event handlers should not have a return value.']);
});

test('A listener that returns true cancels a cancelable event', () => {
  const target = new EventTarget();
  target.addEventListener('x', () => true);
  testLog.clear();
  assert.equal(target.dispatchEvent(new Event('x', { cancelable: true })), false);
  assert.deepEqual(testLog.lines(), []);
});

test('listener removed by an earlier listener does not run', () => {
  const target = new EventTarget();
  const calls = [];
  const second = () => calls.push('second');
  target.addEventListener('x', () => { calls.push('first'); target.removeEventListener('x', second); });
  target.addEventListener('x', second);
  target.dispatchEvent(new Event('x'));
  assert.deepEqual(calls, ['first']);
});

test('listener exception stops dispatch and leaves dispatchEvent', () => {
  const target = new EventTarget();
  const calls = [];
  target.addEventListener('x', () => { throw new RangeError('from the first listener'); });
  target.addEventListener('x', () => calls.push('second'));
  assert.throws(() => target.dispatchEvent(new Event('x')), RangeError, 'from the first listener');
  assert.deepEqual(calls, []);
});

test('addEventListener signal removes the listener on abort', () => {
  const target = new EventTarget();
  const controller = new AbortController();
  let count = 0;
  target.addEventListener('x', () => count++, { signal: controller.signal });
  target.dispatchEvent(new Event('x'));
  controller.abort();
  target.dispatchEvent(new Event('x'));
  assert.equal(count, 1);

  target.addEventListener('x', () => count++, { signal: controller.signal });
  target.dispatchEvent(new Event('x'));
  assert.equal(count, 1, 'a listener with an aborted signal is not added');
});

test('addEventListener rejects capture, passive and a non-signal', () => {
  const target = new EventTarget();
  const listener = () => {};
  assert.throws(() => target.addEventListener('x', listener, true), TypeError, 'addEventListener(): useCapture must be false.');
  assert.throws(() => target.addEventListener('x', listener, { capture: true }), TypeError, 'addEventListener(): options.capture must be false.');
  assert.throws(() => target.addEventListener('x', listener, { passive: true }), TypeError, 'addEventListener(): options.passive must be false.');
  assert.throws(() => target.addEventListener('x', listener, { signal: {} }), TypeError,
    "Failed to execute 'addEventListener' on 'EventTarget': member signal is not of type AbortSignal.");
  assert.throws(() => target.removeEventListener('x', listener, true), TypeError, 'removeEventListener(): useCapture must be false.');
  assert.throws(() => target.removeEventListener('x', listener, { capture: true }), TypeError, 'removeEventListener(): options.capture must be false.');
  target.addEventListener('x', listener, false);
  target.addEventListener('x', listener, { capture: false, passive: false, signal: null });
});
