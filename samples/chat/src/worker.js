// The Worker entry: serves the page, creates private rooms and hands WebSocket upgrades to the
// room's Durable Object.
//
//   GET  /                           the chat page
//   POST /api/room                   a new private room; returns its 64-hex-digit ID
//   GET  /api/room/<room>/websocket  a WebSocket to the room. <room> is a public room name of
//                                    at most 32 characters, or the ID of a private room.
import PAGE from "./chat.html";

export { ChatRoom } from "./chat-room.js";
export { RateLimiter } from "./rate-limiter.js";

const MAX_ROOM_NAME_LENGTH = 32;
const PRIVATE_ROOM_ID = /^[0-9a-f]{64}$/;
const WEBSOCKET_PATH = /^\/api\/room\/([^/]+)\/websocket$/;

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);

    if (pathname === "/") {
      if (request.method !== "GET" && request.method !== "HEAD") {
        return methodNotAllowed("GET, HEAD");
      }
      return new Response(PAGE, { headers: { "content-type": "text/html;charset=UTF-8" } });
    }

    if (pathname === "/api/room") {
      if (request.method !== "POST") {
        return methodNotAllowed("POST");
      }
      return new Response(env.rooms.newUniqueId().toString());
    }

    const match = WEBSOCKET_PATH.exec(pathname);
    if (match) {
      return connectToRoom(request, env, match[1]);
    }

    return new Response("Not found\n", { status: 404 });
  },
};

async function connectToRoom(request, env, room) {
  let id;
  if (PRIVATE_ROOM_ID.test(room)) {
    try {
      id = env.rooms.idFromString(room);
    } catch {
      // A well-formed ID that this namespace did not create.
      return new Response(`No private room has the ID ${room}\n`, { status: 404 });
    }
  } else if (room.length <= MAX_ROOM_NAME_LENGTH) {
    id = env.rooms.idFromName(room);
  } else {
    return new Response(`Room names have at most ${MAX_ROOM_NAME_LENGTH} characters\n`, { status: 404 });
  }

  if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
    return new Response("Expected a WebSocket upgrade (Upgrade: websocket)\n", { status: 426 });
  }

  // The room accepts the WebSocket and returns a 101 response that carries the client's end.
  return env.rooms.get(id).fetch(request);
}

function methodNotAllowed(allowed) {
  return new Response("Method not allowed\n", { status: 405, headers: { allow: allowed } });
}
