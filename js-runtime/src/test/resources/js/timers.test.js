test('setTimeout runs callbacks in due order', async () => {
  const order = [];
  await new Promise((resolve) => {
    setTimeout(() => order.push('b'), 20);
    setTimeout(() => order.push('a'), 10);
    setTimeout(() => { order.push('c'); resolve(); }, 30);
  });
  assert.deepEqual(order, ['a', 'b', 'c']);
});

test('clearTimeout cancels a pending timer', async () => {
  let fired = false;
  const id = setTimeout(() => { fired = true; }, 5);
  clearTimeout(id);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(fired, false);
});

test('setInterval repeats until cleared', async () => {
  let count = 0;
  await new Promise((resolve) => {
    const id = setInterval(() => {
      count++;
      if (count === 3) { clearInterval(id); resolve(); }
    }, 10);
  });
  assert.equal(count, 3);
});

test('setTimeout passes extra arguments', async () => {
  const value = await new Promise((resolve) => setTimeout((a, b) => resolve(a + b), 1, 2, 3));
  assert.equal(value, 5);
});

test('setTimeout rejects a non-function callback', () => {
  assert.throws(() => setTimeout('code', 1), TypeError);
});

test('queueMicrotask runs before timers', async () => {
  const order = [];
  await new Promise((resolve) => {
    setTimeout(() => { order.push('timer'); resolve(); }, 0);
    queueMicrotask(() => order.push('microtask'));
  });
  assert.deepEqual(order, ['microtask', 'timer']);
});

test('scheduler.wait resolves after the delay', async () => {
  const order = [];
  setTimeout(() => order.push('timer'), 1);
  await scheduler.wait(20);
  order.push('waited');
  assert.deepEqual(order, ['timer', 'waited']);
});

test('scheduler.wait rejects with the reason of an aborted signal', async () => {
  const controller = new AbortController();
  const waiting = scheduler.wait(10000, { signal: controller.signal });
  controller.abort(new Error('stop waiting'));
  await assert.rejects(waiting, Error, 'stop waiting');
  const reason = await assert.rejects(scheduler.wait(1, { signal: AbortSignal.abort('already') }));
  assert.equal(reason, 'already');
});

test('scheduler.wait rejects options that are not an object with an AbortSignal', () => {
  assert.throws(() => scheduler.wait(1, { signal: {} }), TypeError);
  assert.throws(() => scheduler.wait(1, 'opts'), TypeError);
});
