// Timers: setTimeout, setInterval, clearTimeout, clearInterval, queueMicrotask and
// scheduler.wait().
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

  // `internal` marks a timer of another runtime file, which clearTimeout() must not cancel even
  // when guest code passes its id.
  function schedule(callback, delay, args, repeat, internal) {
    if (typeof callback !== 'function') {
      throw new TypeError('The callback passed to ' + (repeat ? 'setInterval' : 'setTimeout') + '() must be a function.');
    }
    const id = nextId++;
    const ms = normalizeDelay(delay);
    if (!host.scheduleTimer(id, ms)) {
      throw new Error('Disallowed operation called within global scope. Timers can only be set while handling an event,'
        + ' such as a request; move this call into a handler.');
    }
    callbacks.set(id, { callback, args, repeat, ms, internal });
    return id;
  }

  function clear(id) {
    const key = Number(id);
    const entry = callbacks.get(key);
    if (entry !== undefined && !entry.internal) {
      callbacks.delete(key);
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

  // Schedules a one-shot timer for another runtime file, such as AbortSignal.timeout().
  internals.setTimer = (callback, delay) => {
    schedule(callback, delay, [], false, true);
  };

  globalThis.setTimeout = function setTimeout(callback, delay, ...args) {
    return schedule(callback, delay, args, false, false);
  };
  globalThis.setInterval = function setInterval(callback, delay, ...args) {
    return schedule(callback, delay, args, true, false);
  };
  globalThis.clearTimeout = function clearTimeout(id) {
    clear(id);
  };
  globalThis.clearInterval = function clearInterval(id) {
    clear(id);
  };
  // scheduler.wait(delay, { signal }) resolves after the delay, as in workerd. A signal that
  // aborts first rejects it with the signal's reason and clears the timer.
  const scheduler = {
    wait(delay, options = undefined) {
      if (options !== undefined && options !== null && typeof options !== 'object') {
        throw new TypeError("Failed to execute 'wait' on 'Scheduler': the options must be an object such as { signal }.");
      }
      const signal = options === undefined || options === null || options.signal === undefined ? null : options.signal;
      if (signal !== null && !internals.isAbortSignal(signal)) {
        throw new TypeError("Failed to execute 'wait' on 'Scheduler': options.signal is not an AbortSignal.");
      }
      return internals.abortableHostCall(signal, (resolve) => {
        const id = schedule(resolve, delay, [], false, true);
        return () => {
          callbacks.delete(id);
          host.cancelTimer(id);
        };
      });
    },
  };
  Object.defineProperty(scheduler, Symbol.toStringTag, { value: 'Scheduler', configurable: true });
  Object.defineProperty(globalThis, 'scheduler', { value: scheduler, writable: true, configurable: true });

  globalThis.queueMicrotask = function queueMicrotask(callback) {
    if (typeof callback !== 'function') {
      throw new TypeError("Failed to execute 'queueMicrotask': parameter 1 is not of type 'Function'.");
    }
    Promise.resolve().then(() => callback());
  };
})
