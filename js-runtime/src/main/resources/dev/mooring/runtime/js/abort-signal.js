// AbortController and AbortSignal, as the DOM Standard defines them and workerd provides them.
//
// A signal aborts once. Then it keeps its reason, runs the runtime's abort algorithms (such as
// the one that rejects a pending fetch()), and dispatches one "abort" event: first to `onabort`,
// then to the listeners. As workerd does, it then removes every listener, since a signal never
// fires again. The default reasons are workerd's DOMExceptions: AbortError "The operation was
// aborted" and, for AbortSignal.timeout(), TimeoutError "The operation was aborted due to timeout".
//
// AbortSignal.any() follows the DOM Standard. The new signal depends on the given signals, or on
// their sources for those that any() made. It aborts with the reason of the first of them to
// abort, right after that signal's own event.
//
// workerd throws when a signal is created in top-level module code, because each signal needs
// the context of a request. Here only AbortSignal.timeout() throws there, since timers need an event.
// NOTE: a signal keeps every any() signal made from it until it aborts, as workerd's does, so a
// long-lived controller used in many any() calls keeps them all.
//
// Helpers for other runtime files, registered on internals:
//   isAbortSignal(value) -> boolean
//   newNeverAbortingSignal() -> AbortSignal that never aborts, such as the default request.signal
//   newAbortController() -> AbortController, even when guest code replaced the global
//   addAbortAlgorithm(signal, algorithm) -> function that removes it again
//       runs algorithm(reason) when the signal aborts, before the abort event; never when it
//       already has, so check signal.aborted first.
//   abortableHostCall(signal, start) -> Promise
//       start(resolve, reject) starts a call to the host and returns a function that cancels it,
//       or nothing. signal is an AbortSignal or null. When the signal has already aborted, the
//       promise rejects with its reason and start is not called. When it aborts before the call
//       settles, the promise rejects with the reason at once, the cancel function runs, and the
//       host's later settle is ignored.
(function (host, internals) {
  'use strict';

  const slotsOf = internals.slotsOf;
  const constructToken = Symbol('AbortSignal construct token');
  // Kept from load time, so that guest code that replaces the globals cannot change an abort.
  const EventClass = Event;
  const dispatchEvent = EventTarget.prototype.dispatchEvent;

  const abortSignalSlots = new WeakMap();

  function abortSignalSlotsOf(value) {
    return slotsOf(abortSignalSlots, value);
  }

  function defaultAbortReason() {
    return internals.domException('The operation was aborted', 'AbortError');
  }

  function timeoutReason() {
    return internals.domException('The operation was aborted due to timeout', 'TimeoutError');
  }

  // Throws TypeError unless delay is a finite number of milliseconds from 0 to 2^53 - 1, which is
  // what the standard's `[EnforceRange] unsigned long long` accepts. workerd takes any number here.
  function checkTimeoutDelay(delay) {
    const ms = Number(delay);
    if (!Number.isFinite(ms) || ms < 0 || ms > Number.MAX_SAFE_INTEGER) {
      throw new TypeError("Failed to execute 'timeout' on 'AbortSignal': the delay must be a finite number of " +
          'milliseconds from 0 to ' + Number.MAX_SAFE_INTEGER + ', not ' + String(delay) + '.');
    }
    return Math.trunc(ms);
  }

  function newSignal(neverAborts) {
    return new AbortSignal(constructToken, neverAborts);
  }

  // Marks `signal` and its dependent signals aborted with `reason`, then runs their abort steps:
  // the signal's first, then each dependent's. When a listener throws, the other signals still
  // abort, and the first exception is rethrown at the end.
  function signalAbort(signal, reason) {
    const slots = abortSignalSlots.get(signal);
    if (slots.aborted) {
      return;
    }
    slots.aborted = true;
    slots.reason = reason === undefined ? defaultAbortReason() : reason;
    const aborting = [signal];
    for (const dependent of slots.dependents) {
      const dependentSlots = abortSignalSlots.get(dependent);
      if (!dependentSlots.aborted) {
        dependentSlots.aborted = true;
        dependentSlots.reason = slots.reason;
        aborting.push(dependent);
      }
    }
    slots.dependents.clear();

    let firstError = null;
    for (const target of aborting) {
      try {
        runAbortSteps(target);
      } catch (error) {
        if (firstError === null) {
          firstError = { error };
        }
      }
    }
    if (firstError !== null) {
      throw firstError.error;
    }
  }

  function runAbortSteps(signal) {
    const slots = abortSignalSlots.get(signal);
    for (const source of slots.sources) {
      abortSignalSlots.get(source).dependents.delete(signal);
    }
    slots.sources = [];
    const algorithms = Array.from(slots.algorithms);
    slots.algorithms.clear();
    try {
      for (const algorithm of algorithms) {
        algorithm(slots.reason);
      }
      dispatchEvent.call(signal, new EventClass('abort'));
    } finally {
      internals.removeAllEventListeners(signal);
    }
  }

  class AbortSignal extends EventTarget {
    constructor(token = undefined, neverAborts = false) {
      if (token !== constructToken) {
        throw new TypeError('Illegal constructor. Get an AbortSignal from new AbortController().signal, ' +
            'AbortSignal.abort(), AbortSignal.timeout() or AbortSignal.any().');
      }
      super();
      abortSignalSlots.set(this, {
        aborted: false,
        reason: undefined,
        neverAborts,
        algorithms: new Set(),
        // Signals made by any() from this one, and for such a signal, the signals it follows.
        dependents: new Set(),
        sources: [],
        dependent: false,
      });
    }

    get aborted() {
      return abortSignalSlotsOf(this).aborted;
    }

    get reason() {
      return abortSignalSlotsOf(this).reason;
    }

    get onabort() {
      abortSignalSlotsOf(this);
      return internals.getEventHandler(this, 'abort');
    }

    // As in workerd, a value that is neither a function nor an object sets the handler to null.
    set onabort(value) {
      abortSignalSlotsOf(this);
      const accepted = typeof value === 'function' || (typeof value === 'object' && value !== null);
      internals.setEventHandler(this, 'abort', accepted ? value : null);
    }

    throwIfAborted() {
      const slots = abortSignalSlotsOf(this);
      if (slots.aborted) {
        throw slots.reason;
      }
    }

    static abort(reason = undefined) {
      const signal = newSignal(false);
      const slots = abortSignalSlots.get(signal);
      slots.aborted = true;
      slots.reason = reason === undefined ? defaultAbortReason() : reason;
      return signal;
    }

    static timeout(delay) {
      if (arguments.length === 0) {
        throw new TypeError("Failed to execute 'timeout' on 'AbortSignal': 1 argument required, but only 0 present.");
      }
      const ms = checkTimeoutDelay(delay);
      const signal = newSignal(false);
      internals.setTimer(() => signalAbort(signal, timeoutReason()), ms);
      return signal;
    }

    static any(signals) {
      if (arguments.length === 0) {
        throw new TypeError("Failed to execute 'any' on 'AbortSignal': 1 argument required, but only 0 present.");
      }
      if (signals === null || typeof signals !== 'object' || typeof signals[Symbol.iterator] !== 'function') {
        throw new TypeError("Failed to execute 'any' on 'AbortSignal': the argument must be an iterable of AbortSignal " +
            'objects, such as an array.');
      }
      const inputs = Array.from(signals);
      inputs.forEach((signal, index) => {
        if (!abortSignalSlots.has(signal)) {
          throw new TypeError("Failed to execute 'any' on 'AbortSignal': the element at index " + index +
              ' is not an AbortSignal.');
        }
      });
      for (const signal of inputs) {
        const slots = abortSignalSlots.get(signal);
        if (slots.aborted) {
          return AbortSignal.abort(slots.reason);
        }
      }
      // workerd returns a signal that never aborts when no signal was given.
      const result = newSignal(inputs.length === 0);
      const resultSlots = abortSignalSlots.get(result);
      resultSlots.dependent = true;
      for (const signal of inputs) {
        const slots = abortSignalSlots.get(signal);
        const sources = slots.dependent ? slots.sources : [signal];
        for (const source of sources) {
          const sourceSlots = abortSignalSlots.get(source);
          if (!sourceSlots.neverAborts && !sourceSlots.dependents.has(result)) {
            sourceSlots.dependents.add(result);
            resultSlots.sources.push(source);
          }
        }
      }
      return result;
    }
  }
  Object.defineProperty(AbortSignal.prototype, Symbol.toStringTag, { value: 'AbortSignal', configurable: true });

  const abortControllerSlots = new WeakMap();

  function abortControllerSlotsOf(value) {
    return slotsOf(abortControllerSlots, value);
  }

  class AbortController {
    constructor() {
      abortControllerSlots.set(this, { signal: newSignal(false) });
    }

    get signal() {
      return abortControllerSlotsOf(this).signal;
    }

    abort(reason = undefined) {
      signalAbort(abortControllerSlotsOf(this).signal, reason);
    }
  }
  Object.defineProperty(AbortController.prototype, Symbol.toStringTag, { value: 'AbortController', configurable: true });
  internals.markNotSerializable(AbortController);

  // Web IDL attributes are enumerable accessors, but class syntax makes them non-enumerable.
  for (const [prototype, attributes] of [[AbortSignal.prototype, ['aborted', 'reason', 'onabort']],
    [AbortController.prototype, ['signal']]]) {
    for (const attribute of attributes) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, attribute);
      descriptor.enumerable = true;
      Object.defineProperty(prototype, attribute, descriptor);
    }
  }

  internals.isAbortSignal = (value) => abortSignalSlots.has(value);

  internals.newNeverAbortingSignal = () => newSignal(true);

  internals.newAbortController = () => new AbortController();

  internals.addAbortAlgorithm = (signal, algorithm) => {
    const algorithms = abortSignalSlotsOf(signal).algorithms;
    algorithms.add(algorithm);
    return () => algorithms.delete(algorithm);
  };

  internals.abortableHostCall = (signal, start) => new Promise((resolve, reject) => {
    if (signal === null) {
      start(resolve, reject);
      return;
    }
    const slots = abortSignalSlotsOf(signal);
    if (slots.aborted) {
      reject(slots.reason);
      return;
    }
    let settled = false;
    let removeAlgorithm = null;
    const settleOnce = (settle) => (value) => {
      if (!settled) {
        settled = true;
        if (removeAlgorithm !== null) {
          removeAlgorithm();
        }
        settle(value);
      }
    };
    const cancel = start(settleOnce(resolve), settleOnce(reject));
    if (settled) {
      return;
    }
    removeAlgorithm = internals.addAbortAlgorithm(signal, (reason) => {
      settled = true;
      reject(reason);
      if (typeof cancel === 'function') {
        cancel();
      }
    });
  });

  for (const [name, cls] of [['AbortSignal', AbortSignal], ['AbortController', AbortController]]) {
    Object.defineProperty(globalThis, name, { value: cls, writable: true, configurable: true });
  }
})
