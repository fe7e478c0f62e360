// The entry points the host calls to run guest code: build env, construct an object, deliver a
// fetch or a JS RPC call to an object, or a fetch to the Worker's default export. Registered as
// internals.dispatcher.
//
// Every delivery reports its outcome through a `settle(kind, ...)` callback from the host, so the
// host learns about it when the guest's promise settles, whichever task that happens in:
//   settle('ok', status, statusText, headers, body, webSocket, manualEncoding)
//   settle('stream', status, statusText, headers, manualEncoding) for a stream body. It returns
//       the host's channel, and the body's chunks go into it as the stream yields them
//   settle('forward', status, statusText, headers, channel, manualEncoding) for the unread body of
//       a stub's streamed response, passed on as it is
//   manualEncoding is true for a response with encodeBody "manual", whose body the host must not
//   encode again
//   settle('done') for an event with no response, settle('missing') for an alarm with no handler
//   settle('error', name, message, stack, isDOMException, thrownBy), where thrownBy is the log label
//       of the object that threw the error when a stub call passed it here unchanged, else null
(function (host, internals) {
  'use strict';

  function reportError(settle, error) {
    if (error instanceof Error || (error && typeof error === 'object' && 'message' in error)) {
      settle('error', String(error.name || 'Error'), String(error.message), String(error.stack || error),
        internals.isDOMException(error), internals.objectThatThrew(error));
    } else {
      settle('error', 'Error', String(error), 'Uncaught ' + String(error));
    }
  }

  // Settles with the parts of `result`, which must be a Response or a promise of one.
  function settleWithResponse(result, settle) {
    Promise.resolve(result).then(
      (response) => {
        let parts;
        try {
          parts = internals.responseParts(response);
        } catch (error) {
          reportError(settle, error);
          return;
        }
        if (parts.stream !== null) {
          streamResponse(parts, settle);
          return;
        }
        if (parts.body instanceof Promise) {
          // A stream body is read to its end on this event loop before the host gets the bytes.
          parts.body.then((body) => {
            parts.body = body;
            settleWithParts(parts, settle);
          }, (error) => reportError(settle, error));
          return;
        }
        settleWithParts(parts, settle);
      },
      (error) => reportError(settle, error));
  }

  // Settles with the head of a response whose body is a stream, then feeds the stream's chunks to
  // the host as they come. For each chunk the host returns 0 (queued), 1 (over its cap, so the
  // response is aborted) or 2 (the reader went away). Both 1 and 2 cancel the stream.
  function streamResponse(parts, settle) {
    const forwarded = internals.claimHostStream(parts.stream);
    if (forwarded !== undefined) {
      settle('forward', parts.status, parts.statusText, parts.headers, forwarded, parts.manualEncoding);
      return;
    }
    let feed;
    try {
      feed = internals.streamToHost(parts.stream);
    } catch (error) {
      reportError(settle, error);
      return;
    }
    const channel = settle('stream', parts.status, parts.statusText, parts.headers, parts.manualEncoding);
    host.bodyOnCancel(channel, (reason) => feed.cancel(new Error(String(reason))));
    feed.start({
      chunk(bytes) {
        const answer = host.bodyWrite(channel, bytes.buffer);
        if (answer === 0) {
          return null;
        }
        return answer === 1
          ? new RangeError('The response was aborted: the client read it more slowly than it was written.')
          : new Error('The response was cancelled: its reader went away.');
      },
      close() {
        host.bodyEnd(channel);
      },
      error(reason) {
        const text = reason instanceof Error ? String(reason.name) + ': ' + String(reason.message) : String(reason);
        host.bodyFail(channel, text);
      },
    });
  }

  // Settles with the parts of a response whose body is an ArrayBuffer or null.
  function settleWithParts(parts, settle) {
    let webSocketId;
    try {
      webSocketId = parts.webSocket === null || parts.webSocket === undefined
        ? null
        : internals.webSocketIdOf(parts.webSocket, true);
    } catch (error) {
      reportError(settle, error);
      return;
    }
    settle('ok', parts.status, parts.statusText, parts.headers, parts.body, webSocketId, parts.manualEncoding);
  }

  // Builds the `env` object: one DurableObjectNamespace per binding, plus plain vars.
  //   namespaces: [[bindingName, handle], ...]; varsJson: a JSON object text.
  function createEnv(namespaces, varsJson) {
    const env = {};
    const vars = JSON.parse(varsJson);
    for (const name of Object.keys(vars)) {
      env[name] = vars[name];
    }
    for (let i = 0; i < namespaces.length; i++) {
      const entry = namespaces[i];
      env[entry[0]] = internals.newNamespace(entry[1]);
    }
    return Object.freeze(env);
  }

  // Constructs an object of class `cls` and returns [instance, state]; throws what the constructor throws.
  function construct(cls, handle, idHex, idName, namespace, env, maxValueBytes, maxKeysPerCall) {
    const limits = { maxValueBytes, maxKeysPerCall };
    const state = internals.newState(handle, idHex, idName === null ? undefined : idName, namespace, limits);
    const instance = new cls(state, env);
    internals.setStateInstance(state, instance);
    return [instance, state];
  }

  // Delivers an alarm to the object's alarm() handler, with workerd's alarmInfo. Settles with
  // 'missing' when the class has no alarm() handler.
  function alarmEvent(instance, retryCount, scheduledTime, settle) {
    try {
      const handler = instance.alarm;
      if (typeof handler !== 'function') {
        settle('missing');
        return;
      }
      const result = handler.call(instance, { retryCount, isRetry: retryCount > 0, scheduledTime });
      Promise.resolve(result).then(() => settle('done'), (error) => reportError(settle, error));
    } catch (error) {
      reportError(settle, error);
    }
  }

  // Delivers an event of a hibernatable WebSocket to the object's handler:
  //   kind 'message': webSocketMessage(ws, data), data a string or bytes from the host
  //   kind 'close':   webSocketClose(ws, code, reason, wasClean)
  //   kind 'error':   webSocketError(ws, error), error built from the message in data
  // A missing handler drops the event, as in workerd.
  // For 'close' and 'error', finalState is the socket's attachment and tags (see webSocketClosed).
  function webSocketEvent(instance, state, id, kind, data, code, reason, wasClean, finalState, settle) {
    try {
      const ws = internals.stateWebSocket(state, id);
      let result;
      if (kind === 'message') {
        const payload = typeof data === 'string' ? data : new Uint8Array(data).slice().buffer;
        result = typeof instance.webSocketMessage === 'function' ? instance.webSocketMessage(ws, payload) : undefined;
      } else if (kind === 'close') {
        internals.webSocketClosed(ws, finalState);
        internals.forgetStateWebSocket(state, id);
        result = typeof instance.webSocketClose === 'function' ? instance.webSocketClose(ws, code, reason, wasClean) : undefined;
      } else {
        internals.webSocketClosed(ws, finalState);
        internals.forgetStateWebSocket(state, id);
        result = typeof instance.webSocketError === 'function' ? instance.webSocketError(ws, new Error(String(data))) : undefined;
      }
      Promise.resolve(result).then(() => settle('done'), (error) => reportError(settle, error));
    } catch (error) {
      reportError(settle, error);
    }
  }

  // Delivers a request to an object's fetch() handler.
  function objectFetch(instance, method, url, headers, body, settle) {
    try {
      const handler = instance.fetch;
      if (typeof handler !== 'function') {
        throw new Error('Handler does not export a fetch() function.');
      }
      const request = internals.newRequest(method, url, headers, body, undefined);
      settleWithResponse(handler.call(instance, request), settle);
    } catch (error) {
      reportError(settle, error);
    }
  }

  // Names that no RPC call may reach, as in workerd: the handlers that only the host may call (a
  // caller could otherwise fake an alarm or a WebSocket event), dup() of the stub, and the
  // constructor that every class has.
  const RESERVED_RPC_NAMES = new Set([
    'fetch', 'connect', 'alarm', 'webSocketMessage', 'webSocketClose', 'webSocketError', 'dup', 'constructor',
  ]);

  // Delivers a JS RPC call, stub.method(...args), to an object. The method is looked up as workerd
  // does: a method of the class, never an own property or one of Object.prototype. It gets the
  // deserialized arguments, and the call settles with its serialized result once that is ready.
  // Arguments that are not an array (undefined) ask for the property's value instead of a call.
  // `callbacks` is the host's channel back to the caller, for the functions and RpcTargets among
  // the arguments, or null.
  function objectCall(instance, method, argumentBytes, settle, callbacks) {
    try {
      const args = internals.deserializeFromRpc(argumentBytes, callbacks);
      const isCall = Array.isArray(args);
      const value = rpcMemberOf(instance, method, isCall);
      const copied = isCall ? 'the result of ' + method + '()' : 'the value of stub.' + method;
      Promise.resolve(isCall ? value.apply(instance, args) : value).then(
        (result) => {
          let bytes;
          try {
            bytes = internals.serializeForRpc(result);
          } catch (error) {
            reportError(settle, internals.unclonableRpcValue(error, copied));
            return;
          }
          if (bytes instanceof Promise) {
            // A Request or Response in the result has a stream body, which was read to its end first.
            bytes.then(
              (read) => settle('ok', 200, '', EMPTY_HEADERS, read.buffer, null),
              (error) => reportError(settle, internals.unclonableRpcValue(error, copied)));
            return;
          }
          settle('ok', 200, '', EMPTY_HEADERS, bytes.buffer, null);
        },
        (error) => reportError(settle, error));
    } catch (error) {
      reportError(settle, error);
    }
  }

  const EMPTY_HEADERS = Object.freeze([]);

  function rpcMemberOf(instance, method, isCall) {
    if (!(instance instanceof internals.DurableObject)) {
      throw new TypeError('The receiving Durable Object does not support RPC, because its class was not declared with'
        + ' `extends DurableObject`. Import DurableObject from "cloudflare:workers" and extend it to receive'
        + ' calls such as stub.' + method + '().');
    }
    if (RESERVED_RPC_NAMES.has(method)) {
      throw new TypeError(`'${method}' is a reserved method and cannot be called over RPC.`);
    }
    const value = instance[method];
    if (Object.prototype.hasOwnProperty.call(instance, method) || value === undefined || value === Object.prototype[method]) {
      throw new TypeError(`The RPC receiver does not implement the method "${method}".`);
    }
    if (isCall && typeof value !== 'function') {
      throw new TypeError(`"${method}" is not a function.`);
    }
    return value;
  }

  // Delivers a request to the Worker's default export: an object's fetch(request, env, ctx), or,
  // for a class such as one that extends WorkerEntrypoint, fetch(request) on a new instance made
  // with (ctx, env) for this request.
  function workerFetch(handlers, env, method, url, headers, body, cf, settle) {
    try {
      const ctx = {
        waitUntil(promise) {
          Promise.resolve(promise).catch((error) => console.error('Uncaught (in promise, passed to waitUntil)', error));
        },
        passThroughOnException() {},
        props: {},
      };
      const isClass = typeof handlers === 'function';
      const target = isClass ? new handlers(ctx, env) : handlers;
      const handler = target === null || target === undefined ? undefined : target.fetch;
      if (typeof handler !== 'function') {
        throw new Error('Handler does not export a fetch() function.');
      }
      const request = internals.newRequest(method, url, headers, body, cf === null ? undefined : cf);
      settleWithResponse(isClass ? handler.call(target, request) : handler.call(target, request, env, ctx), settle);
    } catch (error) {
      reportError(settle, error);
    }
  }

  // Whether a class was declared with `extends DurableObject` from cloudflare:workers.
  function extendsDurableObject(cls) {
    return typeof cls === 'function' && cls.prototype instanceof internals.DurableObject;
  }

  internals.dispatcher = Object.freeze({
    createEnv, construct, objectFetch, objectCall, workerFetch, webSocketEvent, alarmEvent, extendsDurableObject,
  });
})
