// Test helpers for the runtime's JS test files: test(name, fn) and a small assert library.
// Evaluated by RuntimeTestContext after the runtime is installed; it receives a bridge with
// logLines(), clearLog() and virtualNow(), and the runtime's internals object, which tests of
// host conversion functions reach as testInternals.
(function (bridge, internals) {
  'use strict';

  globalThis.testInternals = internals;

  globalThis.__registeredTests = [];

  globalThis.test = function test(name, fn) {
    globalThis.__registeredTests.push({ name, fn });
  };

  globalThis.testLog = {
    lines: () => Array.from(bridge.logLines()),
    clear: () => bridge.clearLog(),
    now: () => bridge.virtualNow(),
  };

  function describe(value) {
    try {
      if (typeof value === 'string') return JSON.stringify(value);
      if (typeof value === 'bigint') return value + 'n';
      if (Object.is(value, -0)) return '-0';
      if (value instanceof Map) return 'Map(' + describe([...value]) + ')';
      if (value instanceof Set) return 'Set(' + describe([...value]) + ')';
      if (ArrayBuffer.isView(value)) return value.constructor.name + '[' + Array.from(value) + ']';
      if (value instanceof ArrayBuffer) return 'ArrayBuffer[' + Array.from(new Uint8Array(value)) + ']';
      if (typeof value === 'object' && value !== null) return JSON.stringify(value);
      return String(value);
    } catch (e) {
      return String(value);
    }
  }

  function fail(message, detail) {
    throw new Error(detail ? message + ': ' + detail : message);
  }

  function deepEqual(actual, expected, seen = new Map()) {
    if (Object.is(actual, expected)) return true;
    if (typeof actual !== typeof expected || actual === null || expected === null) return false;
    if (typeof actual !== 'object' && typeof actual !== 'function') return false;
    if (Object.getPrototypeOf(actual) !== Object.getPrototypeOf(expected)) return false;
    if (seen.get(actual) === expected) return true;
    seen.set(actual, expected);
    if (actual instanceof Date) return Object.is(actual.getTime(), expected.getTime());
    if (actual instanceof RegExp) return actual.source === expected.source && actual.flags === expected.flags;
    if (actual instanceof ArrayBuffer) return deepEqual(new Uint8Array(actual), new Uint8Array(expected), seen);
    if (actual instanceof Map) {
      if (actual.size !== expected.size) return false;
      const a = [...actual], b = [...expected];
      return a.every((entry, i) => deepEqual(entry[0], b[i][0], seen) && deepEqual(entry[1], b[i][1], seen));
    }
    if (actual instanceof Set) {
      if (actual.size !== expected.size) return false;
      const b = [...expected];
      return [...actual].every((value, i) => deepEqual(value, b[i], seen));
    }
    if (actual instanceof Error) {
      if (actual.name !== expected.name || actual.message !== expected.message) return false;
    }
    const actualKeys = Reflect.ownKeys(actual).filter((k) => Object.prototype.propertyIsEnumerable.call(actual, k));
    const expectedKeys = Reflect.ownKeys(expected).filter((k) => Object.prototype.propertyIsEnumerable.call(expected, k));
    if (actualKeys.length !== expectedKeys.length) return false;
    return actualKeys.every((key) => Object.prototype.hasOwnProperty.call(expected, key) && deepEqual(actual[key], expected[key], seen));
  }

  function checkError(error, errorType, message) {
    if (errorType && !(error instanceof errorType) && !(error && error.name === errorType.name)) {
      fail('expected ' + errorType.name, 'got ' + (error && error.name) + ': ' + (error && error.message));
    }
    if (message instanceof RegExp && !message.test(String(error && error.message))) {
      fail('expected message matching ' + message, 'got ' + describe(error && error.message));
    }
    if (typeof message === 'string' && (error && error.message) !== message) {
      fail('expected message ' + describe(message), 'got ' + describe(error && error.message));
    }
    return error;
  }

  globalThis.assert = {
    ok(value, message) {
      if (!value) fail(message || 'expected a truthy value', describe(value));
    },
    equal(actual, expected, message) {
      if (!Object.is(actual, expected)) fail(message || 'values differ', 'expected ' + describe(expected) + ', got ' + describe(actual));
    },
    notEqual(actual, expected, message) {
      if (Object.is(actual, expected)) fail(message || 'values are equal', describe(actual));
    },
    deepEqual(actual, expected, message) {
      if (!deepEqual(actual, expected)) fail(message || 'values differ', 'expected ' + describe(expected) + ', got ' + describe(actual));
    },
    // throws(fn, ErrorType?, message?) where message is an exact string or a RegExp.
    throws(fn, errorType, message) {
      try {
        fn();
      } catch (error) {
        return checkError(error, errorType, message);
      }
      fail('expected an exception' + (errorType ? ' of type ' + errorType.name : ''));
    },
    // rejects(promiseOrFn, ErrorType?, message?) resolves to the rejection reason.
    async rejects(promiseOrFn, errorType, message) {
      try {
        await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
      } catch (error) {
        return checkError(error, errorType, message);
      }
      fail('expected a rejection' + (errorType ? ' with ' + errorType.name : ''));
    },
  };
})
