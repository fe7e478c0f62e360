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
