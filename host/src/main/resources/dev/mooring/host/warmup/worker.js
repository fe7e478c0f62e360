// The warm-up script: typical Worker and Durable Object code, run against a throwaway store
// before the host serves traffic, so that the JS compiler has already compiled the runtime's
// request path (URL, Request, Response, Headers, storage, stubs, promises) for every script.

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

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const parts = url.pathname.split("/");
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
