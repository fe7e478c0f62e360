// One rate limiter per client IP address (the room gets it with idFromName(ip)), shared by every
// room that client is in.
//
// Each allowed message books the next free slot, MESSAGE_INTERVAL_MS after the previous one.
// A message is allowed while its slot lies at most BURST_WINDOW_MS in the future, so a client
// may send a burst of four messages, then one every five seconds.
//
//   POST https://limiter/take   204 when the message may be sent, 429 when it may not
//
// The booked slot is kept in memory only: when the object is evicted, the limit starts afresh.

const MESSAGE_INTERVAL_MS = 5_000;
const BURST_WINDOW_MS = 15_000;

export class RateLimiter {
  constructor(state, env) {
    this.nextSlot = 0;
  }

  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname !== "/take") {
      return new Response("Not found\n", { status: 404 });
    }
    if (request.method !== "POST") {
      return new Response("Method not allowed\n", { status: 405, headers: { allow: "POST" } });
    }

    const now = Date.now();
    const slot = Math.max(now, this.nextSlot);
    const wait = slot - now - BURST_WINDOW_MS;
    if (wait > 0) {
      return new Response(null, { status: 429, headers: { "retry-after": String(Math.ceil(wait / 1000)) } });
    }
    this.nextSlot = slot + MESSAGE_INTERVAL_MS;
    return new Response(null, { status: 204 });
  }
}
