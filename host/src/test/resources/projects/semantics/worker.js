// Each GET /case/<name> runs one behaviour case and answers "ok", or the first failed check.
// Storage cases run inside a Lab object (scenarios below); the rest run in the Worker and talk
// to objects through stubs.

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

// Cases that run inside an object, with its storage. Each gets (storage, state).
const scenarios = {
  async getWithoutKey(storage) {
    await rejects(storage.get(), TypeError);
  },

  async acceptWebSocketTwice(storage, state) {
    const pair = new WebSocketPair();
    state.acceptWebSocket(pair[1]);
    let error = null;
    try {
      state.acceptWebSocket(pair[1]);
    } catch (caught) {
      error = caught;
    }
    check(error instanceof Error, "a JS Error, got " + error);
    same(error.message, "Cannot call `acceptWebSocket()` if the WebSocket was already accepted via `accept()`", "message");
    pair[1].close(1000, "done");
  },

  async listReverseLimit(storage) {
    await storage.put({ a: 1, b: 2, c: 3 });
    const listed = await storage.list({ reverse: true, limit: 2 });
    same([...listed], [["c", 3], ["b", 2]], "entries");
    same(listed.size, 2, "size");
  },

  async listRanges(storage) {
    await storage.put({ a: 1, b: 2, c: 3, d: 4 });
    same([...(await storage.list({ start: "b", end: "d" })).keys()], ["b", "c"], "start/end");
    same([...(await storage.list({ startAfter: "b" })).keys()], ["c", "d"], "startAfter");
    same([...(await storage.list({ start: "c", end: "b" })).keys()], [], "end before start");
    await rejects(storage.list({ start: "a", startAfter: "a" }), TypeError, "list() cannot be called with both start and startAfter values.");
    await rejects(storage.list({ limit: 0 }), TypeError, "List limit must be positive.");
  },

  async listPrefix(storage) {
    await storage.put({ u: 0, "user:1": 1, "user:2": 2, userx: 3 });
    same([...(await storage.list({ prefix: "user:" })).keys()], ["user:1", "user:2"], "prefix");
    same([...(await storage.list({ prefix: "user:", reverse: true, limit: 1 })).keys()], ["user:2"], "prefix reverse");
  },

  async utf8Order(storage) {
    await storage.put({ a: 1, "\uFFFF": 2, "\u{10000}": 3 });
    same([...(await storage.list()).keys()], ["a", "\uFFFF", "\u{10000}"], "UTF-8 order");
  },

  async getMany(storage) {
    await storage.put({ a: 1, b: 2 });
    same([...(await storage.get(["b", "zz", "a"]))], [["a", 1], ["b", 2]], "get of several keys");
    same(await storage.get("zz"), undefined, "missing key");
  },

  async deleteReturns(storage) {
    await storage.put({ a: 1, b: 2, c: 3 });
    same(await storage.delete("a"), true, "first delete");
    same(await storage.delete("a"), false, "second delete");
    same(await storage.delete(["a", "b", "c"]), 2, "multi delete");
  },

  async undefinedValues(storage) {
    await rejects(storage.put("k", undefined), TypeError, "put() called with undefined value.");
    await storage.put({ x: 1, y: undefined });
    same([...(await storage.list()).keys()], ["x"], "undefined entries skipped");
  },

  async structuredRoundTrip(storage) {
    const value = { m: new Map([[1, "x"]]), s: new Set([2]), d: new Date(0), r: /a/gi, b: 10n, u: new Uint8Array([1, 2]),
      e: new RangeError("z"), blob: new Blob(["hi"], { type: "text/plain" }),
      file: new File([new Uint8Array([5, 6])], "f.bin", { lastModified: 7 }) };
    const self = { name: "self" };
    self.me = self;
    class P { constructor() { this.x = 1; } }
    await storage.put({ value, self, p: new P() });
    const back = await storage.get("value");
    check(back.m instanceof Map && back.m.get(1) === "x", "Map");
    check(back.s instanceof Set && back.s.has(2), "Set");
    check(back.d instanceof Date && back.d.getTime() === 0, "Date");
    check(back.r instanceof RegExp && back.r.source === "a" && back.r.flags === "gi", "RegExp");
    check(back.b === 10n, "BigInt");
    check(back.u instanceof Uint8Array && back.u[1] === 2, "Uint8Array");
    check(back.e instanceof RangeError && back.e.message === "z", "RangeError");
    check(back.blob instanceof Blob && back.blob.type === "text/plain" && await back.blob.text() === "hi", "Blob");
    check(back.file instanceof File && back.file.name === "f.bin" && back.file.lastModified === 7, "File");
    same(Array.from(await back.file.bytes()), [5, 6], "File bytes");
    const selfBack = await storage.get("self");
    check(selfBack.me === selfBack, "circular reference");
    const p = await storage.get("p");
    check(Object.getPrototypeOf(p) === Object.prototype && p.x === 1, "class instance becomes a plain object");
    const error = await rejects(storage.put("f", () => 1), DOMException);
    same(error.name, "DataCloneError", "error name");
    const url = await rejects(storage.put("u", { where: new URL("https://example.com/") }), DOMException);
    same(url.message, 'Could not serialize object of type "URL". This type does not support serialization.', "a URL is refused");
    same(await storage.get("u"), undefined, "nothing is stored for a refused value");
    const stub = await rejects(storage.put("s", { stub: this.env_.CALLS.getByName("stored") }), DOMException);
    same(stub.message, "ServiceStub cannot be serialized in this context.", "a stub is refused, as in workerd");
    const request = await rejects(storage.put("r", new Request("https://example.com/")), DOMException);
    same(request.name, "DataCloneError", "a Request is not stored");
  },

  async keyValueLimits(storage) {
    await rejects(storage.put("k".repeat(2049), 1), RangeError, "Keys cannot be larger than 2048 bytes. A key of size 2049 was provided.");
    await storage.put("k".repeat(2048), 1);
    await storage.put("big", new Uint8Array(131072 - 64));
    const error = await rejects(storage.put("text", "x".repeat(200000)), RangeError);
    check(error.message.startsWith("Values cannot be larger than 131072 bytes."), error.message);
    const keys = Array.from({ length: 129 }, (_, i) => "key" + i);
    await rejects(storage.get(keys), RangeError, "Maximum number of key value pairs is 128. 129 pairs were provided.");
  },

  async transactions(storage) {
    let rolledBack;
    await storage.transaction(async (txn) => {
      await txn.put("k", 1);
      txn.rollback();
      rolledBack = txn;
    });
    same(await storage.get("k"), undefined, "rolled back put");
    await rejects(rolledBack.put("k", 2), Error, "Cannot put() on rolled back transaction");

    this.counter = 5;
    await rejects(storage.transaction(async (txn) => {
      await txn.put("k", 1);
      throw new Error("x");
    }), Error, "x");
    same(await storage.get("k"), undefined, "put of a failed transaction");
    same(this.counter, 5, "in-memory state survives a failed transaction");

    const result = await storage.transaction(async (txn) => {
      await txn.put("a", 1);
      await txn.put("b", 2);
      same(await txn.get("a"), 1, "read own write");
      return "done";
    });
    same(result, "done", "transaction result");
    same([...(await storage.list())], [["a", 1], ["b", 2]], "committed writes");
  },

  async transactionLimits(storage) {
    const tooLarge = "Values cannot be larger than 131072 bytes.";
    const big = "x".repeat(140000);

    const single = await rejects(storage.transaction(async (txn) => {
      await txn.put("v", 1);
      await txn.put("k", big);
    }), RangeError);
    check(single.message.startsWith(tooLarge), single.message);
    const many = await rejects(storage.transaction(async (txn) => {
      await txn.put({ v: 1, k: { text: big } });
    }), RangeError);
    check(many.message.startsWith(tooLarge), many.message);
    same([...(await storage.list())], [], "a failed transaction writes nothing");

    const caught = await storage.transaction(async (txn) => {
      await txn.put("v", 1);
      await rejects(txn.put({ w: 2, k: big }), RangeError);
      return [...(await txn.get(["v", "w", "k"]))];
    });
    same(caught, [["v", 1]], "a refused put buffers none of its entries");
    same([...(await storage.list())], [["v", 1]], "the other writes commit");

    const keys = Array.from({ length: 129 }, (_, i) => "key" + i);
    const pairs = "Maximum number of key value pairs is 128. 129 pairs were provided.";
    await rejects(storage.transaction((txn) => txn.put(Object.fromEntries(keys.map((key) => [key, 1])))), RangeError, pairs);
    await rejects(storage.transaction((txn) => txn.get(keys)), RangeError, pairs);
    await rejects(storage.transaction((txn) => txn.delete(keys)), RangeError, pairs);

    await storage.transaction(async (txn) => {
      await txn.put({ text: "caf\u00e9", n: 1.5, flag: true, nested: { list: [1, "two"] } });
      await txn.delete("v");
      same(await txn.get("nested"), { list: [1, "two"] }, "read own encoded write");
    });
    same([...(await storage.list())], [["flag", true], ["n", 1.5], ["nested", { list: [1, "two"] }], ["text", "caf\u00e9"]],
      "primitives and objects written by a transaction read back from storage");
  },

  async readYourWrites(storage) {
    storage.put("a", 1);
    same(await storage.get("a"), 1, "unawaited put visible");
    storage.delete("a");
    same(await storage.get("a"), undefined, "unawaited delete visible");
    await storage.put({ a: 1, b: 2 });
    await storage.deleteAll();
    same((await storage.list()).size, 0, "deleteAll");
    await storage.put("c", 3);
    same([...(await storage.list()).keys()], ["c"], "put after deleteAll");
  },
};

export class Lab {
  constructor(state, env) {
    this.env_ = env;
    this.state = state;
    this.storage = state.storage;
    this.log = [];
  }

  async fetch(request) {
    const url = new URL(request.url);
    const [, command, argument] = url.pathname.split("/");
    switch (command) {
      case "scenario":
        try {
          await scenarios[argument].call(this, this.storage, this.state);
          return new Response("ok");
        } catch (error) {
          return new Response(String(error.stack || error), { status: 500 });
        }
      case "append":
        this.log.push(Number(url.searchParams.get("i")));
        return new Response("appended");
      case "log":
        return Response.json(this.log);
      case "increment": {
        const value = ((await this.storage.get("count")) ?? 0) + 1;
        await this.storage.put("count", value);
        return new Response(String(value));
      }
      case "throw":
        throw new TypeError("bad");
      case "throw-custom": {
        const error = new Error("custom boom");
        error.name = "MyError";
        throw error;
      }
      case "throw-dom":
        throw new DOMException("gave up waiting", "TimeoutError");
      case "echo":
        return Response.json({ url: request.url, contentLength: request.headers.get("content-length"),
          body: await request.text() });
      case "abort":
        this.storage.put("x", 1);
        this.storage.put("y", 2);
        if (argument === "sync") await this.storage.sync();
        this.state.abort();
        return new Response("unreachable");
      case "read":
        return Response.json([await this.storage.get("x"), await this.storage.get("y")]);
      case "id":
        return Response.json({ id: this.state.id.toString(), name: this.state.id.name });
      default:
        return new Response("no such command " + command, { status: 404 });
    }
  }
}

// The target of the RPC cases: a class that extends DurableObject, so stubs can call its methods.
export class Calls extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.label = "an own property, which RPC does not reach";
  }

  async add(amount) {
    const total = ((await this.ctx.storage.get("total")) ?? 0) + amount;
    await this.ctx.storage.put("total", total);
    return total;
  }

  echo(value) {
    return value;
  }

  nothing() {}

  twoArguments(first, second) {
    return first + ":" + second;
  }

  readName() {
    return this.ctx.id.name;
  }

  // An object calls another over RPC, so the call leaves through an object's output gate.
  async forward(name, amount) {
    const other = this.env.CALLS.get(this.env.CALLS.idFromName(name));
    return [await other.add(amount), await this.add(amount)];
  }

  fail(message) {
    throw new RangeError(message);
  }

  returnsFunction() {
    return () => 1;
  }

  // Stubs passed over RPC: calls through a stub it is given, keeps one for later, and makes one.
  async callThrough(stub, amount) {
    return [Object.prototype.toString.call(stub), await stub.add(amount)];
  }

  keep(stub) {
    this.kept = stub;
  }

  async useKept(amount) {
    return this.kept.add(amount);
  }

  makeStub(binding, name) {
    return { stub: this.env[binding].getByName(name) };
  }

  // Functions and RpcTargets passed over RPC, which call back into the caller.
  async callFunction(callback, value) {
    return await callback(value, 2);
  }

  async useTarget(target) {
    return [await target.add(4), await target.total];
  }

  keepCallback(callback) {
    this.callback = callback;
  }

  async callKept() {
    return this.callback(1);
  }

  async passCallbackTo(name) {
    const other = this.env.CALLS.getByName(name);
    return other.callFunction((first, second) => this.add(first + second), 1);
  }

  // Requests and Responses passed over RPC.
  async readRequest(request) {
    return { method: request.method, url: request.url, header: request.headers.get("x-test"),
      redirect: request.redirect, cf: request.cf, body: await request.text() };
  }

  async readResponse(response) {
    return { status: response.status, statusText: response.statusText, header: response.headers.get("x-test"),
      body: await response.text() };
  }

  makeRequest() {
    return new Request("https://my-url.example/path?q=1", { method: "PUT", headers: { "X-Test": "request header" },
      redirect: "manual", body: "Hello every body!", cf: { abc: 123 } });
  }

  makeResponse(kind) {
    if (kind === "stream") {
      const encoder = new TextEncoder();
      return new Response(new ReadableStream({
        start(controller) {
          controller.enqueue(encoder.encode("streamed, "));
          controller.enqueue(encoder.encode("in two chunks"));
          controller.close();
        },
      }));
    }
    if (kind === "error") {
      return Response.error();
    }
    return new Response("Response body!", { status: 404, headers: { "X-Test": "response header" } });
  }

  async makeUsedResponse() {
    const response = new Response("read already");
    await response.text();
    return response;
  }

  makeWebSocketResponse() {
    const pair = new WebSocketPair();
    pair[1].accept();
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  get size() {
    return 3;
  }

  // Handlers that only the host may call; RPC must not reach them.
  async alarm() {
    await this.ctx.storage.put("alarmRuns", (await this.alarmRuns()) + 1);
  }

  async alarmRuns() {
    return (await this.ctx.storage.get("alarmRuns")) ?? 0;
  }

  webSocketMessage() {
    throw new Error("webSocketMessage() must not run over RPC");
  }
}

export class Other {
  fetch() {
    return new Response("other");
  }
}

// Objects of one context share module globals, so these count per object name.
const constructions = new Map();
const failedOnce = new Set();

export class SlowStart {
  constructor(state) {
    const name = state.id.name;
    constructions.set(name, (constructions.get(name) ?? 0) + 1);
    this.name = name;
    this.ready = false;
    state.blockConcurrencyWhile(async () => {
      await sleep(200);
      if (name.startsWith("fail") && !failedOnce.has(name)) {
        failedOnce.add(name);
        throw new RangeError("start failed");
      }
      this.ready = true;
    });
  }

  fetch() {
    return Response.json({ ready: this.ready, constructions: constructions.get(this.name) });
  }
}

// Throws from its constructor the first time an object of a given name is constructed.
const fragileFailed = new Set();

export class Fragile {
  constructor(state) {
    if (!fragileFailed.has(state.id.name)) {
      fragileFailed.add(state.id.name);
      throw new RangeError("constructor failed once");
    }
  }

  fetch() {
    return new Response("constructed");
  }
}

// Cases that run in the Worker.
const workerCases = {
  async ids(env) {
    const a = env.LAB.idFromName("foo");
    const b = env.LAB.idFromName("foo");
    check(a.equals(b), "same name, equal IDs");
    check(/^[0-9a-f]{64}$/.test(a.toString()), "64 hex digits");
    same(a.name, "foo", "name");
    check(env.OTHER.idFromName("foo").toString() !== a.toString(), "another namespace gives another ID");
    same(env.LAB.idFromString(a.toString()).toString(), a.toString(), "round trip through idFromString");
    check(() => true, "");
    try {
      env.LAB.idFromString("xyz");
      throw new Error("idFromString accepted xyz");
    } catch (error) {
      same(error.message, "Invalid Durable Object ID: must be 64 hex digits", "short ID");
      check(error instanceof TypeError, "TypeError for a short ID");
    }
    try {
      env.OTHER.idFromString(env.LAB.newUniqueId().toString());
      throw new Error("idFromString accepted an ID of another namespace");
    } catch (error) {
      same(error.message, "Durable Object ID is not valid for this namespace.", "foreign ID");
    }
    same(env.LAB.newUniqueId().name, undefined, "unique IDs have no name");
    try {
      env.LAB.newUniqueId({ jurisdiction: "eu" });
      throw new Error("newUniqueId accepted a jurisdiction");
    } catch (error) {
      same(error.message, "Jurisdiction restrictions are not implemented in Mooring; create the ID without a jurisdiction.",
        "jurisdiction");
    }
    check(!env.LAB.newUniqueId().equals(env.LAB.newUniqueId()), "unique IDs differ");
    same(env.LAB.idFromName(null).toString(), env.LAB.idFromName("null").toString(), "null name");
    const stub = env.LAB.getByName("foo");
    const inside = await (await stub.fetch("https://lab/id")).json();
    same(inside, { id: a.toString(), name: "foo" }, "ctx.id inside the object");
  },

  async eOrder(env) {
    const stub = env.LAB.get(env.LAB.newUniqueId());
    const sends = [];
    for (let i = 1; i <= 50; i++) sends.push(stub.fetch("https://lab/append?i=" + i));
    await Promise.all(sends);
    same(await (await stub.fetch("https://lab/log")).json(), Array.from({ length: 50 }, (_, i) => i + 1), "arrival order");
  },

  async inputGateCounter(env) {
    const stub = env.LAB.get(env.LAB.newUniqueId());
    const replies = await Promise.all(Array.from({ length: 100 }, () => stub.fetch("https://lab/increment")));
    const values = await Promise.all(replies.map((reply) => reply.text()));
    same(values.map(Number).sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i + 1), "a permutation of 1..100");
  },

  async exceptionsAcrossStub(env) {
    const stub = env.LAB.get(env.LAB.newUniqueId());
    try {
      await stub.fetch("https://lab/throw");
      throw new Error("no exception");
    } catch (error) {
      check(error instanceof TypeError, "TypeError, got " + error);
      same(error.message, "bad", "message");
      same(error.remote, true, "remote flag");
    }
    same(await (await stub.fetch("https://lab/log")).json(), [], "the object was not reset by the exception");
  },

  async coalescedWritesAndAbort(env) {
    const stub = env.LAB.get(env.LAB.idFromName("abort-plain"));
    try {
      await stub.fetch("https://lab/abort");
    } catch (error) {
      same(error.durableObjectReset, true, "reset flag");
    }
    const fresh = env.LAB.get(env.LAB.idFromName("abort-plain"));
    same(await (await fresh.fetch("https://lab/read")).json(), [null, null], "unsynced writes are dropped");

    const synced = env.LAB.get(env.LAB.idFromName("abort-synced"));
    await synced.fetch("https://lab/abort/sync").catch(() => {});
    const again = env.LAB.get(env.LAB.idFromName("abort-synced"));
    same(await (await again.fetch("https://lab/read")).json(), [1, 2], "synced writes persist");
  },

  async stubRequestLooksLikeHttp(env) {
    const stub = env.LAB.get(env.LAB.idFromName("echo"));
    const response = await stub.fetch(new URL("https://lab/echo/x#fragment"), { method: "POST", body: "hello world" });
    same(await response.json(), { url: "https://lab/echo/x", contentLength: "11", body: "hello world" },
      "what the object saw");
    same(response.url, "https://lab/echo/x", "the response's url");
    const custom = await rejects(stub.fetch("https://lab/throw-custom"), Error);
    same(custom.message, "MyError: custom boom", "a custom error name joins the message");
    same(custom.remote, true, "remote flag");
    const dom = await rejects(stub.fetch("https://lab/throw-dom"), DOMException);
    same(dom.name, "TimeoutError", "the DOMException's name");
    same(dom.message, "gave up waiting", "the DOMException's message");
    same(dom.code, 23, "the DOMException's code");
    same(dom.remote, true, "remote flag");
    same("domException" in dom, false, "the runtime's marker is not left on the error");
    try {
      env.LAB.idFromName();
      throw new Error("idFromName() accepted no argument");
    } catch (error) {
      check(error instanceof TypeError, "TypeError for idFromName(), got " + error);
    }
  },

  async rpcCallsReturnResults(env) {
    const stub = env.CALLS.get(env.CALLS.idFromName("results"));
    same(await stub.add(2), 2, "first call");
    same(await stub.add(3), 5, "second call sees the first's write");

    // Unawaited calls on one stub arrive in call order.
    const totals = await Promise.all([stub.add(1), stub.add(1), stub.add(1), stub.add(1)]);
    same(totals, [6, 7, 8, 9], "E-order of unawaited calls");

    const sent = { when: new Date(86400000), tags: new Set(["a", "b"]), bytes: new Uint8Array([1, 2, 250]), nested: [{ n: -0.5 }] };
    const echoed = await stub.echo(sent);
    check(echoed.when instanceof Date && echoed.when.getTime() === 86400000, "a Date crosses as a Date");
    check(echoed.tags instanceof Set && echoed.tags.has("b") && echoed.tags.size === 2, "a Set crosses as a Set");
    check(echoed.bytes instanceof Uint8Array, "a Uint8Array crosses as one");
    same(Array.from(echoed.bytes), [1, 2, 250], "bytes");
    same(echoed.nested, [{ n: -0.5 }], "nested values");
    check(echoed !== sent, "the result is a copy");
    const blob = await stub.echo(new Blob(["over rpc"], { type: "text/plain" }));
    check(blob instanceof Blob && blob.type === "text/plain" && await blob.text() === "over rpc", "a Blob crosses as a Blob");
    same(await stub.nothing(), undefined, "a method without a return value");
    same(await stub.twoArguments("a", 7), "a:7", "several arguments keep their order");
    same(await stub.readName(), "results", "the method runs on the object with this.ctx");
    same(await stub.size, 3, "awaiting a member reads the property");
    await rejects(stub.label, TypeError, 'The RPC receiver does not implement the method "label".');
    const methodValue = await rejects(stub.readName, DOMException);
    check(methodValue.message.includes("the value of stub.readName"), "message: " + methodValue.message);

    same(await stub.forward("results-other", 4), [4, 13], "an object calls another over RPC");

    const copy = stub.dup();
    check(copy !== stub, "dup() makes a new stub");
    same(await copy.add(0), 13, "a duplicate reaches the same object");
  },

  async rpcErrorsReachTheCaller(env) {
    const stub = env.CALLS.get(env.CALLS.idFromName("errors"));
    await rejects(stub.fail("too big"), RangeError, "too big");
    await rejects(stub.label(), TypeError, 'The RPC receiver does not implement the method "label".');
    for (const handler of ["alarm", "webSocketMessage", "webSocketClose", "webSocketError"]) {
      await rejects(stub[handler](), TypeError, `'${handler}' is a reserved method and cannot be called over RPC.`);
    }
    same(await stub.alarmRuns(), 0, "a reserved handler never ran");
    await rejects(stub.missing(), TypeError, 'The RPC receiver does not implement the method "missing".');
    await rejects(stub.size(), TypeError, '"size" is not a function.');

    const idArgument = await rejects(stub.echo({ id: env.CALLS.idFromName("other") }), DOMException);
    same(idArgument.name, "DataCloneError", "an ID inside an argument");

    const unclonable = await rejects(stub.echo(new WeakMap()), DOMException);
    same(unclonable.name, "DataCloneError", "an argument that cannot be copied");
    check(unclonable.message.includes("the arguments of stub.echo()") && unclonable.message.includes("RpcTargets among the arguments"),
      "the message names the call and what can cross: " + unclonable.message);
    const echoedFunction = await rejects(stub.echo(() => 1), DOMException);
    check(echoedFunction.message.includes("the result of echo()"), "a function cannot come back in a result: " + echoedFunction.message);
    const badResult = await rejects(stub.returnsFunction(), DOMException);
    same(badResult.name, "DataCloneError", "a result that cannot be copied");
    check(badResult.message.includes("the result of returnsFunction()"), "message: " + badResult.message);

    const plain = env.LAB.get(env.LAB.idFromName("rpc"));
    const error = await rejects(plain.increment(1), TypeError);
    check(error.message.startsWith("The receiving Durable Object does not support RPC, because its class was not declared"
      + " with `extends DurableObject`."), "message: " + error.message);
    same(await stub.add(1), 1, "the object still serves calls after the failures");
  },

  async rpcPassesStubs(env) {
    const middle = env.CALLS.getByName("stubs-middle");
    const target = env.CALLS.getByName("stubs-target");
    same(await middle.callThrough(target, 5), ["[object Fetcher]", 5], "the receiver calls the object through the stub it got");
    same(await target.add(0), 5, "the call reached the object the stub names");

    await middle.keep(target);
    same(await middle.useKept(2), 7, "a kept stub works after the call that passed it returned");

    const made = await middle.makeStub("CALLS", "stubs-made");
    same(Object.prototype.toString.call(made.stub), "[object Fetcher]", "a returned stub arrives as a Fetcher");
    same(await made.stub.add(3), 3, "a returned stub reaches its object");
    same(await made.stub.readName(), "stubs-made", "the object made through a passed stub knows its name");
    same(typeof made.stub.id, "function", "as in workerd, a passed stub has no id: the name is an RPC member");
    same(await made.stub.dup().add(1), 4, "dup() of a passed stub reaches the same object");

    const labName = "stubs-lab-" + Math.random();
    const lab = (await middle.makeStub("LAB", labName)).stub;
    const inside = await (await lab.fetch("https://lab/id")).json();
    same(inside, { id: env.LAB.idFromName(labName).toString(), name: labName }, "fetch() through a returned stub");

    let cloneError = null;
    try {
      structuredClone(target);
    } catch (error) {
      cloneError = error;
    }
    check(cloneError instanceof DOMException && cloneError.name === "DataCloneError", "structuredClone() of a stub: " + cloneError);
    same(cloneError.message, "ServiceStub cannot be serialized in this context.", "workerd's message");

    const twice = await middle.echo([target, target]);
    check(twice[0] === twice[1], "one stub passed twice arrives as one object");
    same(await twice[0].add(0), 7, "an echoed stub still reaches its object");
  },

  async rpcCallsBack(env) {
    const stub = env.CALLS.getByName("callbacks");
    let local = 0;
    same(await stub.callFunction((value, factor) => { local += 1; return value * factor; }, 21), 42, "a function called back");
    same(local, 1, "the function ran in the caller");

    class Tally extends RpcTarget {
      constructor() {
        super();
        this.count = 10;
      }

      add(amount) {
        this.count += amount;
        return this.count;
      }

      get total() {
        return this.count;
      }
    }
    const tally = new Tally();
    same(await stub.useTarget(tally), [14, 14], "an RpcTarget's method and getter called back");
    same(tally.count, 14, "the RpcTarget was passed by reference");

    await rejects(stub.callFunction(() => { throw new RangeError("from the caller"); }, 1), RangeError, "from the caller");

    await stub.keepCallback(() => 1);
    await rejects(stub.callKept(), Error, "RPC stub used after being disposed.");

    const caller = env.CALLS.getByName("callbacks-caller");
    same(await caller.passCallbackTo("callbacks-receiver"), 3, "a callback runs in the calling object, with its storage");
    same(await caller.add(0), 3, "the calling object kept the callback's write");
  },

  async rpcPassesRequests(env) {
    const stub = env.CALLS.getByName("requests");
    const request = new Request("https://example.com/a?b=1#frag", { method: "POST", headers: { "X-Test": "sent" },
      body: "the request body", cf: { colo: "TEST" } });
    same(await stub.readRequest(request), { method: "POST", url: "https://example.com/a?b=1#frag", header: "sent",
      redirect: "follow", cf: { colo: "TEST" }, body: "the request body" }, "what the object read");
    same(request.bodyUsed, true, "passing a request uses its body");

    const encoder = new TextEncoder();
    const streamed = new Request("https://example.com/stream", { method: "PUT", body: new ReadableStream({
      start(controller) {
        controller.enqueue(encoder.encode("chunk one, "));
        controller.enqueue(encoder.encode("chunk two"));
        controller.close();
      },
    }) });
    same((await stub.readRequest(streamed)).body, "chunk one, chunk two", "a stream body is read to its end and sent");

    const used = new Request("https://example.com/", { method: "POST", body: "once" });
    await used.text();
    await rejects(stub.readRequest(used), TypeError, "The ReadableStream has been locked to a reader.");

    const made = await stub.makeRequest();
    check(made instanceof Request, "a returned Request is a Request");
    same([made.method, made.url, made.headers.get("x-test"), made.redirect], ["PUT", "https://my-url.example/path?q=1",
      "request header", "manual"], "the returned request's fields");
    same(made.cf, { abc: 123 }, "the returned request's cf");
    same(await made.text(), "Hello every body!", "the returned request's body");
    made.headers.set("x-more", "1");
    same(made.headers.get("x-more"), "1", "a received request's headers can be changed");

    const headers = await stub.echo(new Headers([["X-A", "1"], ["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]]));
    check(headers instanceof Headers, "Headers cross as Headers");
    same([headers.get("x-a"), headers.getSetCookie()], ["1", ["a=1", "b=2"]], "the headers' values");
    headers.set("x-b", "2");
    same(headers.get("x-b"), "2", "headers made by new Headers() stay mutable");
  },

  async rpcPassesResponses(env) {
    const stub = env.CALLS.getByName("responses");
    const made = await stub.makeResponse("plain");
    check(made instanceof Response, "a returned Response is a Response");
    same([made.status, made.statusText, made.headers.get("x-test")], [404, "Not Found", "response header"], "the returned response's fields");
    same(await made.text(), "Response body!", "the returned response's body");
    same(await (await stub.makeResponse("stream")).text(), "streamed, in two chunks", "a stream body is read to its end and returned");
    same((await stub.makeResponse("error")).type, "error", "Response.error() stays an error response");

    const sent = new Response("sent back", { status: 201, statusText: "Made", headers: { "X-Test": "argument" } });
    same(await stub.readResponse(sent), { status: 201, statusText: "Made", header: "argument", body: "sent back" },
      "a Response as an argument");

    const used = await rejects(stub.makeUsedResponse(), TypeError, "The ReadableStream has been locked to a reader.");
    same(used.remote, true, "the used body's error comes from the object");
    const webSocket = await rejects(stub.makeWebSocketResponse(), DOMException);
    same(webSocket.name, "DataCloneError", "a WebSocket response cannot be returned");
    check(webSocket.message.startsWith("A Response with a webSocket cannot be passed over RPC"), "message: " + webSocket.message);
  },

  async stubIsNotThenable(env) {
    const stub = env.LAB.get(env.LAB.idFromName("rpc"));
    same(stub.then, undefined, "a stub is not thenable");
    check(await Promise.resolve(stub) === stub, "awaiting a stub gives the stub");
    same(JSON.stringify(stub), "{}", "JSON of a stub");
    same(typeof stub.fetch, "function", "fetch is the stub's own method");
    same(Object.prototype.toString.call(stub), "[object DurableObject]", "string tag");
    same(String(stub), "[object DurableObject]", "toString from Object.prototype");
  },

  async brokenStubFails(env) {
    const stub = env.LAB.get(env.LAB.idFromName("broken-stub"));
    await stub.fetch("https://lab/abort").catch(() => {});
    const error = await rejects(stub.fetch("https://lab/log"), Error);
    same(error.durableObjectReset, true, "a stub of a reset object keeps failing");
    const fresh = env.LAB.get(env.LAB.idFromName("broken-stub"));
    same((await fresh.fetch("https://lab/log")).status, 200, "a new stub reaches the new instance");
  },

  async blockConcurrencyInConstructor(env) {
    const stub = env.SLOW_START.getByName("slow-" + Math.random());
    const replies = await Promise.all([1, 2, 3].map(() => stub.fetch("https://slow/")));
    const bodies = await Promise.all(replies.map((reply) => reply.json()));
    for (const body of bodies) same(body, { ready: true, constructions: 1 }, "every first request waits for the start");
  },

  async constructorThrowRetries(env) {
    const name = "fragile-" + Math.random();
    const first = await rejects(env.FRAGILE.getByName(name).fetch("https://fragile/"), RangeError, "constructor failed once");
    same(first.remote, true, "remote flag");
    same(await (await env.FRAGILE.getByName(name).fetch("https://fragile/")).text(), "constructed", "the next request constructs again");
  },

  async failedCriticalSectionResets(env) {
    const name = "fail-" + Math.random();
    const first = await env.SLOW_START.getByName(name).fetch("https://slow/").catch((error) => error);
    check(first instanceof RangeError, "the request gets the callback's error, got " + first);
    same(first.message, "start failed", "the callback's message");
    same(first.durableObjectReset, true, "reset flag");
    const second = await (await env.SLOW_START.getByName(name).fetch("https://slow/")).json();
    same(second, { ready: true, constructions: 2 }, "the next request constructs the object again");
  },
};

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const [, kind, name] = url.pathname.split("/");
    if (kind !== "case") return new Response("not found", { status: 404 });
    try {
      if (scenarios[name]) {
        const stub = env.LAB.get(env.LAB.newUniqueId());
        return await stub.fetch("https://lab/scenario/" + name);
      }
      if (workerCases[name]) {
        await workerCases[name](env);
        return new Response("ok");
      }
      return new Response("no case named " + name, { status: 404 });
    } catch (error) {
      return new Response(String(error.stack || error), { status: 500 });
    }
  },
};
