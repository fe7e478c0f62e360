// Each GET /case/<name> runs one JS RPC edge case in the Worker and responds with "ok", or the first
// failed check with its stack. Caller objects pass functions and RpcTargets to Receiver objects.

import { DurableObject, RpcTarget } from "cloudflare:workers";

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function same(actual, expected, what) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(what + ": expected " + e + ", got " + a);
}

async function rejects(promise, type, message) {
  try {
    await promise;
  } catch (error) {
    check(error instanceof type, "expected " + type.name + ", got " + error);
    if (message !== undefined) same(error.message, message, "message");
    return error;
  }
  throw new Error("expected a rejection with " + type.name);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class Counter extends RpcTarget {
  constructor() {
    super();
    this.count = 0;
  }

  increment(by) {
    this.count += by;
    return this.count;
  }
}

// The receiving side: calls back what it is given.
export class Receiver extends DurableObject {
  async callMany(callback, times) {
    const results = await Promise.all(Array.from({ length: times }, (_, i) => callback(i)));
    return results;
  }

  async callOnce(callback, ...args) {
    return await callback(...args);
  }

  async callAndCatch(callback) {
    try {
      await callback();
      return { caught: false };
    } catch (error) {
      return { caught: true, type: error.constructor.name, name: error.name, message: error.message,
        isDomException: error instanceof DOMException };
    }
  }

  keep(callback) {
    this.kept = callback;
  }

  async callKept(...args) {
    return await this.kept(...args);
  }

  async callKeptMethod() {
    return await this.kept.increment(1);
  }

  // Holds the call open until releaseHeld(), then calls the callback; releaseHeld() returns the outcome.
  async holdThenCall(callback) {
    await new Promise((resolve) => { this.release = resolve; });
    this.outcome = (async () => {
      try {
        return { ok: await callback() };
      } catch (error) {
        return { type: error.constructor.name, message: error.message };
      }
    })();
    return await this.outcome;
  }

  async releaseHeld() {
    for (let i = 0; i < 100 && this.release === undefined; i++) await sleep(10);
    this.release();
    this.release = undefined;
    await sleep(0);
    return await this.outcome;
  }

  async add(amount) {
    const total = ((await this.ctx.storage.get("total")) ?? 0) + amount;
    await this.ctx.storage.put("total", total);
    return total;
  }

  async bodyLength(request) {
    return (await request.arrayBuffer()).byteLength;
  }

  echo(value) {
    return value;
  }

  makeStreamResponse(kind) {
    const encoder = new TextEncoder();
    return new Response(new ReadableStream({
      start(controller) {
        controller.enqueue(encoder.encode("first chunk"));
        if (kind === "error") {
          controller.error(new RangeError("the stream broke"));
        } else {
          controller.close();
        }
      },
    }));
  }

  // Passes an RpcTarget stub it received on to another Receiver.
  async forwardTarget(target, otherName) {
    return await this.env.RECEIVER.getByName(otherName).useTarget(target);
  }

  async useTarget(target) {
    return await target.increment(3);
  }

  async copyTarget(target) {
    const outcomes = {};
    for (const [how, copy] of [["put", (value) => this.ctx.storage.put("target", value)],
      ["structuredClone", (value) => structuredClone(value)]]) {
      try {
        await copy(target);
        outcomes[how] = "copied";
      } catch (error) {
        outcomes[how] = error.name + ": " + error.message;
      }
    }
    return outcomes;
  }

  returnTarget(target) {
    return target;
  }

  async forwardFunction(callback, otherName) {
    return await this.env.RECEIVER.getByName(otherName).callOnce(callback, 7);
  }

  // Uses dup() as workerd's users do, on a function and an RpcTarget stub, and keeps the copies.
  async dupCallbacks(callback, target) {
    this.keptCopies = [callback.dup(), target.dup()];
    return [await this.keptCopies[0](1), await this.keptCopies[1].increment(1), await callback(2), await target.increment(2)];
  }

  async callKeptCopies() {
    const outcomes = [];
    for (const call of [() => this.keptCopies[0](1), () => this.keptCopies[1].increment(1)]) {
      try {
        await call();
        outcomes.push("called");
      } catch (error) {
        outcomes.push(error.name + ": " + error.message);
      }
    }
    return outcomes;
  }

  // Calls the callback and records the outcome, which recordedOutcome() returns.
  async callAndRecord(callback) {
    this.recorded = (async () => {
      try {
        return { ok: await callback() };
      } catch (error) {
        return { type: error.constructor.name, message: error.message };
      }
    })();
    this.recorded.then((outcome) => {
      this.settled = outcome;
    });
    return await this.recorded;
  }

  // Returns the recorded outcome if it has settled, without waiting: "none" before callAndRecord(),
  // "pending" while it runs.
  peekOutcome() {
    return this.settled ?? (this.recorded === undefined ? "none" : "pending");
  }

  async recordedOutcome() {
    for (let i = 0; i < 100 && this.recorded === undefined; i++) await sleep(10);
    return await this.recorded;
  }

  async callInsideOwnCriticalSection(callback) {
    return await this.ctx.blockConcurrencyWhile(async () => [await callback(1), await callback(2)]);
  }

  async callWithRequest(callback) {
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("streamed to the callback"));
        controller.close();
      },
    });
    return await callback(new Request("https://example.com/cb", { method: "POST", body }));
  }

  async callWithFunction(callback) {
    return await callback(() => 1);
  }

  returnsMixed() {
    return { plain: 1, nested: [{ fn: () => 1 }] };
  }
}

// The calling side: an object that passes callbacks into a Receiver.
export class Caller extends DurableObject {
  async add(amount) {
    const total = ((await this.ctx.storage.get("total")) ?? 0) + amount;
    await this.ctx.storage.put("total", total);
    return total;
  }

  // A -> B -> callback in A -> B again.
  async reenter(receiverName) {
    const receiver = this.env.RECEIVER.getByName(receiverName);
    return await receiver.callOnce(async (amount) => {
      const own = await this.add(amount);
      const theirs = await receiver.add(amount);
      return [own, theirs];
    }, 5);
  }

  // The call is made inside blockConcurrencyWhile, so its callbacks may run in the critical section.
  async callInsideCriticalSection(receiverName) {
    const receiver = this.env.RECEIVER.getByName(receiverName);
    return await this.ctx.blockConcurrencyWhile(async () => receiver.callMany(async (i) => {
      await this.add(1);
      return i;
    }, 3));
  }

  // The call is made outside blockConcurrencyWhile, so its callback waits until the critical section ends.
  async callDuringOwnCriticalSection(receiverName) {
    const receiver = this.env.RECEIVER.getByName(receiverName);
    let sectionEnded = false;
    const call = receiver.callOnce(() => sectionEnded);
    await this.ctx.blockConcurrencyWhile(async () => {
      await sleep(300);
      sectionEnded = true;
    });
    return await call;
  }

  // A callback that awaits this object's storage while the receiver calls it concurrently.
  async concurrentStorageCallbacks(receiverName) {
    const receiver = this.env.RECEIVER.getByName(receiverName);
    await receiver.callMany(async () => this.add(1), 20);
    return await this.ctx.storage.get("total");
  }

  async callSelf(value) {
    const self = this.env.CALLER.get(this.ctx.id);
    return await self.callBackWith((x) => this.add(x), value);
  }

  async callBackWith(callback, value) {
    return await callback(value);
  }

  // Passes a callback that runs until the CPU limit stops it, and with it this object.
  async passBusyCallback(receiverName) {
    const receiver = this.env.RECEIVER.getByName(receiverName);
    return await receiver.callAndRecord(() => {
      for (;;) {}
    });
  }

  // Passes a callback that never settles, and returns without awaiting the call.
  async passPendingCallback(receiverName) {
    const receiver = this.env.RECEIVER.getByName(receiverName);
    this.pending = receiver.callAndRecord(() => new Promise(() => {}));
    this.pending.catch(() => {});
    await sleep(50);
  }

  // Like passPendingCallback(), but waits for no timer, so that it works with a manual clock.
  async passPendingCallbackAndReturn(receiverName) {
    const receiver = this.env.RECEIVER.getByName(receiverName);
    receiver.callAndRecord(() => new Promise(() => {})).catch(() => {});
    for (let i = 0; i < 1000 && (await receiver.peekOutcome()) === "none"; i++) {}
  }

  abortNow() {
    this.ctx.abort("reset while a callback ran");
  }

  // Passes a callback, then resets itself while the receiver keeps the call open.
  async passAndReset(receiverName) {
    const receiver = this.env.RECEIVER.getByName(receiverName);
    const result = receiver.holdThenCall(() => "from the caller");
    result.catch(() => {});
    await sleep(50);
    this.ctx.abort("reset on purpose");
  }
}

const workerCases = {
  async callbackInReceiverCriticalSection(env) {
    const receiver = env.RECEIVER.getByName("receiver-critical");
    same(await receiver.callInsideOwnCriticalSection((value) => value * 3), [3, 6], "callbacks called inside blockConcurrencyWhile");
  },

  async requestAsCallbackArgument(env) {
    const receiver = env.RECEIVER.getByName("request-to-callback");
    same(await receiver.callWithRequest(async (request) => [request.method, await request.text()]),
      ["POST", "streamed to the callback"], "a Request with a stream body passed to a callback");
  },

  async objectPassesCallbackToItself(env) {
    same(await env.CALLER.getByName("self").callSelf(4), 4, "the object called itself with a callback");
  },

  async callbackOfWaitUntilCall(env, ctx) {
    const receiver = env.RECEIVER.getByName("wait-until");
    const results = receiver.callMany(async (i) => {
      await sleep(20);
      return i;
    }, 3);
    ctx.waitUntil(results);
    same(await results, [0, 1, 2], "callbacks of a call kept by waitUntil()");
  },

  async manyConcurrentCallbacks(env) {
    const receiver = env.RECEIVER.getByName("many");
    let calls = 0;
    const results = await receiver.callMany(async (i) => {
      calls++;
      await sleep(1);
      return i * 2;
    }, 100);
    same(results, Array.from({ length: 100 }, (_, i) => i * 2), "every callback result, in order");
    same(calls, 100, "every call ran in the Worker");

    const counter = new Counter();
    await receiver.callMany(counter.increment.bind(counter), 10);
    same(counter.count, 45, "a bound method called back");
  },

  async callbackReentersReceiver(env) {
    const caller = env.CALLER.getByName("reenter-caller");
    same(await caller.reenter("reenter-receiver"), [5, 5], "the callback called the receiver again");
  },

  async callbackInsideCriticalSection(env) {
    const caller = env.CALLER.getByName("critical");
    same(await caller.callInsideCriticalSection("critical-receiver"), [0, 1, 2], "callbacks ran in the critical section");
    same(await caller.add(0), 3, "their writes stayed");
  },

  async callbackWaitsForCriticalSection(env) {
    const caller = env.CALLER.getByName("critical-outside");
    same(await caller.callDuringOwnCriticalSection("critical-outside-receiver"), true, "the callback ran after the critical section");
  },

  async concurrentCallbacksUseStorage(env) {
    const caller = env.CALLER.getByName("storage-callbacks");
    same(await caller.concurrentStorageCallbacks("storage-callbacks-receiver"), 20, "no increment was lost");
  },

  async callbackErrorsReachReceiver(env) {
    const receiver = env.RECEIVER.getByName("errors");
    same(await receiver.callAndCatch(() => { throw new TypeError("bad type"); }),
      { caught: true, type: "TypeError", name: "TypeError", message: "bad type", isDomException: false }, "a thrown TypeError");
    same(await receiver.callAndCatch(() => Promise.reject(new RangeError("rejected"))),
      { caught: true, type: "RangeError", name: "RangeError", message: "rejected", isDomException: false }, "a rejected promise");
    same(await receiver.callAndCatch(() => { throw new DOMException("gone", "NotFoundError"); }),
      { caught: true, type: "DOMException", name: "NotFoundError", message: "gone", isDomException: true }, "a DOMException");
    same(await receiver.callAndCatch(() => ({ fn() {} })).then((r) => r.caught), true, "a result that cannot be copied");
    const uncopyable = await receiver.callAndCatch(() => new URL("https://example.com/"));
    same([uncopyable.caught, uncopyable.name], [true, "DataCloneError"], "a URL result");
  },

  async callbackValuesMustBeCopyable(env) {
    const receiver = env.RECEIVER.getByName("results");
    const error = await receiver.callAndCatch(() => () => 1);
    same([error.caught, error.name], [true, "DataCloneError"], "a function result from a callback");

    const argument = await rejects(receiver.callWithFunction(() => 1), DOMException);
    same(argument.name, "DataCloneError", "a function among a callback's arguments");
    check(argument.message.includes("the arguments of a callback"), "the message names the callback's arguments: " + argument.message);
  },

  async keptCallbackIsDisposed(env) {
    const receiver = env.RECEIVER.getByName("kept");
    const counter = new Counter();
    await receiver.keep(counter);
    await rejects(receiver.callKeptMethod(), Error, "RPC stub used after being disposed.");
    const method = await receiver.callAndCatch(() => 1);
    same(method.caught, false, "a fresh callback still works");
    await receiver.keep(() => 1);
    await rejects(receiver.callKept(), Error, "RPC stub used after being disposed.");
  },

  async callerResetWhileReceiverHoldsCallback(env) {
    const caller = env.CALLER.getByName("resetting");
    const receiver = env.RECEIVER.getByName("holding");
    await rejects(caller.passAndReset("holding"), Error, "reset on purpose");
    const outcome = await Promise.race([receiver.releaseHeld(), sleep(5000).then(() => "timed out")]);
    same(outcome, { type: "Error", message: "The object that passed this callback was reset, so it cannot be called." },
      "the receiver's call of the callback");
  },

  async callerResetWhileCallbackRuns(env) {
    const caller = env.CALLER.getByName("reset-during-callback");
    const receiver = env.RECEIVER.getByName("waiting-for-callback");
    await caller.passPendingCallback("waiting-for-callback");
    await rejects(caller.abortNow(), Error, "reset while a callback ran");
    const outcome = await Promise.race([receiver.recordedOutcome(), sleep(5000).then(() => "timed out")]);
    check(outcome !== "timed out", "the receiver's call of the callback settled");
    same(outcome, { type: "Error", message: "The object that passed this callback was reset or evicted while the callback ran:"
      + " reset while a callback ran" }, "the receiver's call of the callback");
  },

  // The next three cases run with a low CPU limit (RpcCallbackStopTest).
  async objectStoppedDuringCallback(env) {
    const caller = env.CALLER.getByName("busy-object");
    const receiver = env.RECEIVER.getByName("waiting-for-busy-object");
    const stopped = await rejects(caller.passBusyCallback("waiting-for-busy-object"), Error);
    check(stopped.message.includes("CPU time limit"), "the caller was stopped at its CPU limit: " + stopped.message);
    const outcome = await Promise.race([receiver.recordedOutcome(), sleep(5000).then(() => "timed out")]);
    check(outcome !== "timed out", "the receiver's call of the callback settled");
    check(outcome.message.startsWith("The object that passed this callback was reset or evicted while the callback ran:"
      + " Durable Object exceeded its CPU time limit"), "message: " + outcome.message);
  },

  async workerStoppedDuringCallback(env) {
    await env.RECEIVER.getByName("waiting-for-busy-worker").callAndRecord(() => {
      for (;;) {}
    });
  },

  async workerCallbackOutcome(env) {
    const receiver = env.RECEIVER.getByName("waiting-for-busy-worker");
    const outcome = await Promise.race([receiver.recordedOutcome(), sleep(5000).then(() => "timed out")]);
    check(outcome !== "timed out", "the receiver's call of the callback settled");
    check(outcome.message.startsWith("The Worker invocation that passed this callback was stopped while the callback ran: Worker"
      + " exceeded its CPU time limit"), "message: " + outcome.message);
  },

  // These two run with a manual clock (RpcCallbackStopTest): the test evicts the caller in between.
  async passCallbackBeforeEviction(env) {
    await env.CALLER.getByName("evicted-caller").passPendingCallbackAndReturn("waiting-for-evicted-caller");
    same(await env.RECEIVER.getByName("waiting-for-evicted-caller").peekOutcome(), "pending", "the callback runs");
  },

  async callbackOutcomeAfterEviction(env) {
    const outcome = await env.RECEIVER.getByName("waiting-for-evicted-caller").peekOutcome();
    same(outcome, { type: "Error", message: "The object that passed this callback was reset or evicted while the callback ran:"
      + " The object was evicted." }, "the receiver's call of the callback");
  },

  async largeRequestBody(env) {
    const receiver = env.RECEIVER.getByName("large");
    const size = 8 * 1024 * 1024;
    const request = new Request("https://example.com/", { method: "POST", body: new Uint8Array(size) });
    same(await receiver.bodyLength(request), size, "the whole body arrived");
  },

  async streamedResponseResult(env) {
    const receiver = env.RECEIVER.getByName("streams");
    same(await (await receiver.makeStreamResponse("ok")).text(), "first chunk", "a stream body is read and returned");
    const error = await rejects(receiver.makeStreamResponse("error"), Error);
    check(error.message.includes("the stream broke"), "the stream's error reaches the caller: " + error.message);
  },

  async mixedArgumentsNameUncopyableValue(env) {
    const receiver = env.RECEIVER.getByName("mixed");
    const error = await rejects(receiver.echo({ stub: receiver, headers: new Headers(), url: new URL("https://example.com/") }),
      DOMException);
    same(error.name, "DataCloneError", "error name");
    check(error.message.includes("URL"), "the message names the URL: " + error.message);

    const result = await rejects(receiver.returnsMixed(), DOMException);
    check(result.message.includes("function") || result.message.includes("Function") || result.message.includes("fn"),
      "the message names the function: " + result.message);
  },

  async receivedRpcTargetForwarded(env) {
    const receiver = env.RECEIVER.getByName("forwarding");
    const counter = new Counter();
    same(await receiver.forwardTarget(counter, "forwarded-to"), 3, "the second receiver called the RpcTarget");
    same(counter.count, 3, "the call reached the Worker's RpcTarget");

    const calls = [];
    same(await receiver.forwardFunction((value) => { calls.push(value); return value + 1; }, "forwarded-to"), 8,
      "the second receiver called the function");
    same(calls, [7], "the call reached the Worker's function");
  },

  async dupOfCallbacks(env) {
    const receiver = env.RECEIVER.getByName("dup");
    const counter = new Counter();
    same(await receiver.dupCallbacks((value) => value * 10, counter), [10, 1, 20, 3], "copies and originals reach the caller");
    same(counter.count, 3, "the RpcTarget saw every call");
    same(await receiver.callKeptCopies(), ["Error: RPC stub used after being disposed.", "Error: RPC stub used after being disposed."],
      "copies kept after the call returned");
  },

  async receivedRpcTargetNotCopied(env) {
    const receiver = env.RECEIVER.getByName("copying");
    const message = "DataCloneError: RpcStub cannot be serialized in this context.";
    same(await receiver.copyTarget(new Counter()), { put: message, structuredClone: message },
      "storing or cloning a received RpcTarget");
    const returned = await rejects(receiver.returnTarget(new Counter()), DOMException);
    same(returned.name, "DataCloneError", "returning a received RpcTarget");
    check(returned.message.startsWith("RpcStub cannot be serialized in this context."), "message: " + returned.message);
  },

  async stubPassedToOtherClass(env) {
    const caller = env.CALLER.getByName("stub-target");
    const receiver = env.RECEIVER.getByName("stub-holder");
    const echoed = await receiver.echo([caller, caller, { again: caller }]);
    check(echoed[0] === echoed[1] && echoed[1] === echoed[2].again, "one stub passed three times is one object");
    same(await echoed[0].add(2), 2, "the echoed stub of another class reaches its object");
  },
};

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const [, kind, name] = url.pathname.split("/");
    if (kind !== "case") return new Response("not found", { status: 404 });
    try {
      if (workerCases[name]) {
        await workerCases[name](env, ctx);
        return new Response("ok");
      }
      return new Response("no case named " + name, { status: 404 });
    } catch (error) {
      return new Response(String(error.stack || error), { status: 500 });
    }
  },
};
