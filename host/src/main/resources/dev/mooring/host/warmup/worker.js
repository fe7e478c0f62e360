// The warm-up script: typical Worker and Durable Object code, run against a throwaway store
// before the host serves traffic, so that the JS compiler has already compiled the runtime's
// request path (URL, Request, Response, Headers, storage, stubs, promises) and its WebSocket path
// (pairs, accept() with listeners, the hibernation API, attachments, sends) for every script.
// It also uses common language idioms (regular expressions, object spread, Map iteration, timers
// awaited through promises, try/catch with error stacks), so that the JVM has compiled GraalJS's
// interpreter code for them before a user's script first runs them.

import { DurableObject } from "cloudflare:workers";

// Builtins that call script code (forEach, map, filter, the Promise constructor) cache the
// functions they have called, and a function missing from that cache undoes their compiled code.
// Each call site here gets more distinct functions than the cache keeps, so that it switches to
// its uncached form before serving, and a user's own callbacks then find compiled code that stays.
const CALLBACKS = [
  (value) => value,
  (value) => value + 1,
  (value) => `${value}`,
  (value) => [value],
  (value) => ({ value }),
  (value) => value === 0,
  function (value) {
    return value;
  },
];

const EXECUTORS = [
  (resolve) => resolve(0),
  (resolve) => resolve(1),
  (resolve, reject) => resolve(2),
  (resolve) => setTimeout(resolve, 0),
  (resolve) => setTimeout(resolve, 0.5),
  (resolve) => queueMicrotask(() => resolve(4)),
  (resolve) => {
    resolve(5);
  },
  function (resolve) {
    resolve(6);
  },
];

// Calls builtins with the mix of values scripts pass them: each callback and executor above, and
// arrays and numbers of each kind that slice() and String() handle separately.
async function callBuiltinsWithManyCallbacks() {
  const map = new Map([["a", 1], ["b", 2]]);
  const array = [1, 2, 3];
  let results = 0;
  for (const callback of CALLBACKS) {
    map.forEach(callback);
    array.forEach(callback);
    results += array.map(callback).length + array.filter(callback).length;
  }
  for (const executor of EXECUTORS) {
    results += await new Promise(executor);
  }
  for (const values of [[], [1, 2, 3], [0.5, 1.5], ["a", "b", "c"], "x/y/z".split("/"), [{}, null], [1, "a", {}]]) {
    results += values.slice(1).length + values.slice(0, -1).length;
  }
  for (const number of [0, 7, 0.5, 2.5 - 0.5, -0, 1e21, -1.25e-7, NaN, Infinity]) {
    results += String(number).length;
  }
  return results;
}

// Attachment fields whose names differ in length and content, so that the structured-clone
// serializer meets many object layouts before serving.
const ATTACHMENT_FIELDS = ["id", "name", "limiterId", "joinedAt", "room", "color", "blocked", "x"];

// A counter and message store that the Worker reaches with stub.fetch() and, for "/add", over JS RPC.
export class Room extends DurableObject {
  constructor(state, env) {
    super(state, env);
    this.state = state;
    this.storage = state.storage;
    this.count = undefined;
  }

  async fetch(request) {
    const url = new URL(request.url);
    if (this.count === undefined) {
      this.count = (await this.storage.get("count")) ?? 0;
    }
    switch (url.pathname) {
      case "/increment": {
        this.count++;
        await this.storage.put("count", this.count);
        return new Response(this.count);
      }
      case "/message": {
        const body = await request.json();
        const key = new Date(Date.now()).toISOString() + "-" + this.count++;
        await this.storage.put(key, JSON.stringify({ name: body.name, message: body.message }));
        await this.storage.put("count", this.count);
        return Response.json({ stored: key, by: request.headers.get("x-user") });
      }
      case "/history": {
        await callBuiltinsWithManyCallbacks();
        const list = await this.storage.list({ reverse: true, limit: 20 });
        const items = [...list.values()].map((value) => (typeof value === "string" ? value : JSON.stringify(value)));
        return new Response(items.join("\n"), { headers: { "content-type": "text/plain" } });
      }
      case "/object": {
        await this.storage.put("profile", { name: "warm", tags: ["a", "b"], seen: new Date(0), n: this.count });
        const profile = await this.storage.get("profile");
        return new Response(profile.name + ":" + profile.tags.length, { status: 200 });
      }
      default:
        return new Response("Not found", { status: 404 });
    }
  }

  async add(amount) {
    if (this.count === undefined) {
      this.count = (await this.storage.get("count")) ?? 0;
    }
    this.count += amount;
    await this.storage.put("count", this.count);
    return { count: this.count, at: new Date(Date.now()) };
  }
}

// A chat room on the hibernation API: each message is checked with a limiter object, stamped,
// sent to every socket of the room and stored. Its sessions live in a Map that the constructor
// rebuilds from the sockets' attachments, so that the room survives hibernation.
export class HibernatingChat {
  constructor(state, env) {
    this.state = state;
    this.env = env;
    this.last = 0;
    this.sessions = new Map();
    for (const socket of state.getWebSockets()) {
      this.sessions.set(socket, { ...socket.deserializeAttachment(), pending: [] });
    }
  }

  async fetch(request) {
    if (request.headers.get("Upgrade") !== "websocket") {
      return new Response("expected a WebSocket", { status: 400 });
    }
    const pair = new WebSocketPair();
    this.state.acceptWebSocket(pair[1], ["chat"]);
    // A new socket has no attachment yet, so this read gives null, as a script's first read does.
    pair[1].deserializeAttachment();
    pair[1].serializeAttachment({ name: null, joined: Date.now() });
    this.sessions.set(pair[1], { name: null, pending: [] });
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  async webSocketMessage(socket, text) {
    try {
      const data = JSON.parse(text);
      const session = this.sessions.get(socket) ?? { name: null, pending: [] };
      if (!session.name) {
        session.name = "" + (data.name || "anonymous");
        socket.serializeAttachment({ ...socket.deserializeAttachment(), name: session.name });
        this.sessions.set(socket, session);
        const backlog = await this.state.storage.list({ reverse: true, limit: 20 });
        [...backlog.values()].reverse().forEach((value) => socket.send(value));
        delete session.pending;
        socket.send(JSON.stringify({ ready: true }));
        return;
      }
      if (!(await this.allowed(session.name))) {
        socket.send(JSON.stringify({ error: "rate limited" }));
        return;
      }
      const timestamp = Math.max(Date.now(), this.last + 1);
      this.last = timestamp;
      const message = JSON.stringify({ name: session.name, message: "" + data.message, timestamp });
      this.broadcast(message);
      // Attachments go through the structured-clone serializer, which scripts often call only when a
      // client joins. Updating one for every message makes that path hot enough to be compiled.
      const field = ATTACHMENT_FIELDS[timestamp % ATTACHMENT_FIELDS.length];
      socket.serializeAttachment({ ...socket.deserializeAttachment(), sent: timestamp, [field]: this.state.id.toString() });
      await this.state.storage.put(new Date(timestamp).toISOString(), message);
    } catch (error) {
      socket.send(JSON.stringify({ error: error.stack }));
    }
  }

  async allowed(name) {
    const limiter = this.env.LIMITERS.get(this.env.LIMITERS.idFromName(name));
    const cooldown = +(await (await limiter.fetch("https://limiter/check", { method: "POST" })).text());
    if (cooldown > 0.02) {
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, cooldown * 1000));
    return true;
  }

  broadcast(message) {
    const quitters = [];
    this.sessions.forEach((session, other) => {
      if (!session.name) {
        return;
      }
      try {
        other.send(message);
      } catch (error) {
        quitters.push(other);
        other.close(1011, String(error.stack));
      }
    });
    quitters.forEach((other) => this.sessions.delete(other));
  }

  async webSocketClose(socket, code, reason) {
    this.sessions.delete(socket);
    socket.close(1000, "bye");
  }

  async webSocketError(socket, error) {
    this.sessions.delete(socket);
    socket.close(1011, "error");
  }
}

// The same room on accept() with event listeners, as older Workers code writes it.
export class ListeningChat {
  constructor(state) {
    this.state = state;
    this.sessions = [];
  }

  async fetch(request) {
    const pair = new WebSocketPair();
    const socket = pair[1];
    socket.accept();
    const session = { socket, name: null };
    this.sessions.push(session);
    // The listener itself returns nothing: a listener that returns a promise gets a warning.
    const receive = async (event) => {
      const data = JSON.parse(event.data);
      if (!session.name) {
        session.name = String(data.name);
        socket.send(JSON.stringify({ ready: true }));
        return;
      }
      const message = JSON.stringify({ name: session.name, message: String(data.message), timestamp: Date.now() });
      this.sessions = this.sessions.filter((other) => {
        try {
          other.socket.send(message);
          return true;
        } catch (error) {
          return false;
        }
      });
      await this.state.storage.put("last", message);
    };
    socket.addEventListener("message", (event) => {
      receive(event);
    });
    const leave = () => {
      this.sessions = this.sessions.filter((other) => other !== session);
    };
    socket.addEventListener("close", leave);
    socket.addEventListener("error", leave);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }
}

// Lets each name act about every 5 ms, with a burst allowance. The response body is the number of
// seconds the caller must wait.
export class Limiter {
  constructor(state) {
    this.next = 0;
  }

  async fetch(request) {
    return await handleErrors(async () => {
      const now = Date.now() / 1000;
      this.next = Math.max(now, this.next);
      if (request.method === "POST") {
        this.next += 0.005;
      }
      return new Response(Math.max(0, this.next - now - 20));
    });
  }
}

// Two small classes, so that the runtime code that looks up a handler on an object meets more
// classes than its cache keeps, and a user's classes do not undo its compiled code.
export class Echo {
  async fetch(request) {
    if (new URL(request.url).searchParams.has("page")) {
      return new Response(PAGE, { headers: { "Content-Type": "text/html;charset=UTF-8" } });
    }
    return new Response(request.method + " " + new URL(request.url).pathname);
  }
}

// A page as an ArrayBuffer, the form in which a Data module gives a script its HTML.
const PAGE = new TextEncoder().encode("<!doctype html><title>warm-up</title><p>A page.</p>").buffer;

export class Greeter {
  constructor(state) {
    this.greeted = 0;
  }

  async fetch(request) {
    this.greeted++;
    return Response.json({ greeting: "hello", greeted: this.greeted });
  }
}

// Turns an exception into a 500 response with its stack, as many Workers do while developing.
async function handleErrors(handler) {
  try {
    return await handler();
  } catch (error) {
    return new Response(error.stack, { status: 500 });
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const parts = url.pathname.split("/");
    if (parts[1] === "chat" || parts[1] === "listening-chat") {
      const namespace = parts[1] === "chat" ? env.CHATS : env.LISTENING_CHATS;
      return namespace.get(namespace.idFromName(parts[2])).fetch(request);
    }
    if ((parts[1] === "echo" || parts[1] === "greet") && parts[2]) {
      const namespace = parts[1] === "echo" ? env.ECHOES : env.GREETERS;
      return namespace.get(namespace.idFromName(parts[2])).fetch(request);
    }
    if (parts[1] !== "room" || !parts[2]) {
      return new Response("Not found", { status: 404 });
    }
    const quota = env.LIMITERS.get(env.LIMITERS.idFromName(request.headers.get("x-user") ?? "anonymous"));
    const wait = +(await (await quota.fetch("https://limiter/check", { method: "POST" })).text());
    if (wait > 0) {
      return new Response("Too many requests; retry in " + wait + " s", { status: 429 });
    }
    const id = /^[0-9a-f]{64}$/.test(parts[2]) ? env.ROOMS.idFromString(parts[2]) : env.ROOMS.idFromName(parts[2]);
    if (parts[3] === "add") {
      const added = await env.ROOMS.get(id).add(1);
      return new Response(added.count + " at " + added.at.toISOString());
    }
    const target = new URL(request.url);
    target.pathname = "/" + parts.slice(3).join("/");
    target.searchParams.set("via", "worker");
    const response = await env.ROOMS.get(id).fetch(target, request);
    if (url.searchParams.has("copy")) {
      return new Response(await response.text(), response);
    }
    return response;
  },
};
