// Timers: setTimeout, setInterval, clearTimeout, clearInterval and queueMicrotask.
//
// The host owns the clock and the event loop: scheduleTimer(id, delayMs) asks it to call
// internals.fireTimer(id) once the delay has passed, as its own task. Callbacks are kept here,
// keyed by id, so that nothing but a number crosses the boundary.
(function (host, internals) {
  'use strict';

  const callbacks = new Map();
  let nextId = 1;

  function normalizeDelay(delay) {
    const ms = Number(delay);
    return Number.isFinite(ms) && ms > 0 ? Math.floor(ms) : 0;
  }

  function schedule(callback, delay, args, repeat) {
    if (typeof callback !== 'function') {
      throw new TypeError('The callback passed to ' + (repeat ? 'setInterval' : 'setTimeout') + '() must be a function.');
    }
    const id = nextId++;
    const ms = normalizeDelay(delay);
    if (!host.scheduleTimer(id, ms)) {
      throw new Error('Disallowed operation called within global scope. Timers can only be set while handling an event,'
        + ' such as a request; move this call into a handler.');
    }
    callbacks.set(id, { callback, args, repeat, ms });
    return id;
  }

  function clear(id) {
    const key = Number(id);
    if (callbacks.delete(key)) {
      host.cancelTimer(key);
    }
  }

  internals.fireTimer = function fireTimer(id) {
    const entry = callbacks.get(id);
    if (entry === undefined) {
      return;
    }
    if (entry.repeat) {
      host.scheduleTimer(id, entry.ms);
    } else {
      callbacks.delete(id);
    }
    entry.callback.apply(globalThis, entry.args);
  };

  internals.pendingTimerCount = () => callbacks.size;

  globalThis.setTimeout = function setTimeout(callback, delay, ...args) {
    return schedule(callback, delay, args, false);
  };
  globalThis.setInterval = function setInterval(callback, delay, ...args) {
    return schedule(callback, delay, args, true);
  };
  globalThis.clearTimeout = function clearTimeout(id) {
    clear(id);
  };
  globalThis.clearInterval = function clearInterval(id) {
    clear(id);
  };
  globalThis.queueMicrotask = function queueMicrotask(callback) {
    if (typeof callback !== 'function') {
      throw new TypeError("Failed to execute 'queueMicrotask': parameter 1 is not of type 'Function'.");
    }
    Promise.resolve().then(() => callback());
  };
})
