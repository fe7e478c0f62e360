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
