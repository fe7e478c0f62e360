// The warm-up script: typical Worker and Durable Object code, run against a throwaway store
// before the host serves traffic, so that the JS compiler has already compiled the runtime's
// request path (URL, Request, Response, Headers, storage, stubs, promises) and its WebSocket path
// (pairs, accept() with listeners, the hibernation API, attachments, sends) for every script.

export class Room {
  constructor(state, env) {
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
}

// A chat room on the hibernation API: each message is checked with a limiter object, stamped,
// sent to every socket of the room and stored.
export class HibernatingChat {
  constructor(state, env) {
    this.state = state;
    this.env = env;
    this.last = 0;
  }

  async fetch(request) {
    if (request.headers.get("Upgrade") !== "websocket") {
      return new Response("expected a WebSocket", { status: 400 });
    }
    const pair = new WebSocketPair();
    this.state.acceptWebSocket(pair[1], ["chat"]);
    pair[1].serializeAttachment({ name: null, joined: Date.now() });
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  async webSocketMessage(socket, text) {
    const data = JSON.parse(text);
    const session = socket.deserializeAttachment();
    if (!session.name) {
      session.name = String(data.name).slice(0, 32);
      socket.serializeAttachment(session);
      const backlog = await this.state.storage.list({ reverse: true, limit: 20 });
      for (const value of [...backlog.values()].reverse()) {
        socket.send(value);
      }
      socket.send(JSON.stringify({ ready: true }));
      return;
    }
    const limiter = this.env.LIMITERS.get(this.env.LIMITERS.idFromName(session.name));
    const verdict = await (await limiter.fetch("https://limiter/check", { method: "POST" })).json();
    if (!verdict.allowed) {
      socket.send(JSON.stringify({ error: "rate limited" }));
      return;
    }
    const timestamp = Math.max(Date.now(), this.last + 1);
    this.last = timestamp;
    const message = JSON.stringify({ name: session.name, message: String(data.message), timestamp });
    for (const other of this.state.getWebSockets("chat")) {
      try {
        other.send(message);
      } catch (error) {
        other.close(1011, String(error.stack));
      }
    }
    await this.state.storage.put(new Date(timestamp).toISOString(), message);
  }

  async webSocketClose(socket, code, reason) {
    socket.close(1000, "bye");
  }

  async webSocketError(socket, error) {
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
    socket.addEventListener("message", async (event) => {
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
    });
    const leave = () => {
      this.sessions = this.sessions.filter((other) => other !== session);
    };
    socket.addEventListener("close", leave);
    socket.addEventListener("error", leave);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }
}

// Lets each name act about every 5 ms, with a burst allowance.
export class Limiter {
  constructor(state) {
    this.next = 0;
  }

  async fetch(request) {
    const now = Date.now() / 1000;
    this.next = Math.max(now, this.next);
    const allowed = this.next - now <= 20;
    this.next += 0.005;
    return new Response(JSON.stringify({ allowed }), { headers: { "content-type": "application/json" } });
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
    if (parts[1] !== "room" || !parts[2]) {
      return new Response("Not found", { status: 404 });
    }
    const id = parts[2].length === 64 ? env.ROOMS.idFromString(parts[2]) : env.ROOMS.idFromName(parts[2]);
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
