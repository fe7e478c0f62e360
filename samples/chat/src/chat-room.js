// One chat room. It accepts WebSockets through the hibernation API, so the room can be evicted
// from memory while its clients stay connected. The constructor then runs again on the next event
// and rebuilds its list of sessions from the sockets and their attachments.
//
// Protocol, as JSON text frames:
//   client -> room   {"name": "alice"}       first frame: joins the room under that name
//                    {"message": "hello"}    every later frame: a chat message
//   room -> client   {"name", "message", "timestamp"}   a chat message, including the backlog
//                    {"joined": "bob"}, {"quit": "bob"}   roster changes
//                    {"ready": true}                     sent once the backlog and roster are out
//                    {"error": "..."}                    the last frame was rejected
//
// Messages are stored under the ISO 8601 form of their timestamp, so keys sort by time and the
// backlog is the last BACKLOG_SIZE keys.

const BACKLOG_SIZE = 100;
const MAX_NAME_LENGTH = 32;
const MAX_MESSAGE_LENGTH = 256;
const RATE_LIMITED = "Your IP is rate-limited: wait a few seconds, then send your message again.";

export class ChatRoom {
  constructor(state, env) {
    this.state = state;
    this.env = env;
    // Timestamp of the newest message, so two messages never share a storage key.
    this.lastTimestamp = 0;

    // Session per socket: { name, limiterId }. The name is null until the client sends its first
    // frame. Each session is also the socket's attachment, which survives hibernation.
    this.sessions = new Map();
    for (const webSocket of state.getWebSockets()) {
      this.sessions.set(webSocket, webSocket.deserializeAttachment());
    }
  }

  async fetch(request) {
    const [client, server] = Object.values(new WebSocketPair());
    this.state.acceptWebSocket(server);

    const ip = request.headers.get("CF-Connecting-IP") ?? "unknown";
    const session = { name: null, limiterId: this.env.limiters.idFromName(ip).toString() };
    server.serializeAttachment(session);
    this.sessions.set(server, session);

    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(webSocket, frame) {
    const session = this.sessions.get(webSocket);
    if (!session) {
      return; // A socket this room has already closed.
    }

    const data = parseFrame(frame);
    if (data === null) {
      sendError(webSocket, "Frames must be JSON objects.");
      return;
    }

    if (session.name === null) {
      await this.join(webSocket, session, data);
    } else {
      await this.post(webSocket, session, data);
    }
  }

  async webSocketClose(webSocket, code, reason, wasClean) {
    this.endSession(webSocket);
    // Completes the close handshake. The codes 1005 (no code), 1006 (connection dropped) and 1015
    // (TLS failure) only report what happened and cannot be sent, so those get a plain 1000.
    const reply = code === 1005 || code === 1006 || code === 1015 ? 1000 : code;
    webSocket.close(reply, "Goodbye");
  }

  async webSocketError(webSocket, error) {
    console.error(`WebSocket of ${this.sessions.get(webSocket)?.name ?? "a client"} failed:`, error);
    this.endSession(webSocket);
  }

  // Sends the backlog and the roster to a new client, then announces it to everyone.
  async join(webSocket, session, data) {
    const name = typeof data.name === "string" ? data.name.trim() : "";
    if (name === "" || name.length > MAX_NAME_LENGTH) {
      sendError(webSocket, `Names must have 1 to ${MAX_NAME_LENGTH} characters.`);
      this.sessions.delete(webSocket);
      webSocket.close(1008, "Invalid name");
      return;
    }

    const stored = await this.state.storage.list({ reverse: true, limit: BACKLOG_SIZE });
    for (const message of [...stored.values()].reverse()) {
      webSocket.send(JSON.stringify(message));
    }
    for (const other of this.sessions.values()) {
      if (other.name !== null) {
        webSocket.send(JSON.stringify({ joined: other.name }));
      }
    }

    session.name = name;
    webSocket.serializeAttachment(session);
    this.broadcast({ joined: name });
    webSocket.send(JSON.stringify({ ready: true }));
  }

  // Stores a chat message and sends it to every client in the room, the sender included.
  async post(webSocket, session, data) {
    const text = typeof data.message === "string" ? data.message : "";
    if (text === "" || text.length > MAX_MESSAGE_LENGTH) {
      sendError(webSocket, `Messages must have 1 to ${MAX_MESSAGE_LENGTH} characters.`);
      return;
    }

    let allowed;
    try {
      allowed = await this.takeRateLimit(session);
    } catch (error) {
      console.error(`Rate limiter ${session.limiterId} failed for ${session.name}:`, error);
      sendError(webSocket, `The rate limiter failed (${error.message}), so the message was not sent.`);
      return;
    }
    if (!allowed) {
      sendError(webSocket, RATE_LIMITED);
      return;
    }

    const timestamp = Math.max(Date.now(), this.lastTimestamp + 1);
    this.lastTimestamp = timestamp;
    const message = { name: session.name, message: text, timestamp };
    await this.state.storage.put(new Date(timestamp).toISOString(), message);
    this.broadcast(message);
  }

  // Asks this client's rate limiter whether it may send one more message.
  async takeRateLimit(session) {
    const limiters = this.env.limiters;
    const limiter = limiters.get(limiters.idFromString(session.limiterId));
    const response = await limiter.fetch("https://limiter/take", { method: "POST" });
    return response.status === 204;
  }

  // Sends to every client that has joined. A socket that fails to send is dropped from the room.
  broadcast(data) {
    const text = JSON.stringify(data);
    const failed = [];
    for (const [webSocket, session] of this.sessions) {
      if (session.name === null) {
        continue;
      }
      try {
        webSocket.send(text);
      } catch {
        failed.push(webSocket);
      }
    }
    for (const webSocket of failed) {
      this.endSession(webSocket);
    }
  }

  // Forgets a socket's session and announces to the others that its user left.
  endSession(webSocket) {
    const session = this.sessions.get(webSocket);
    this.sessions.delete(webSocket);
    if (session?.name) {
      this.broadcast({ quit: session.name });
    }
  }
}

// Returns the JSON object in a text or binary frame, or null when the frame contains none.
function parseFrame(frame) {
  try {
    const data = JSON.parse(typeof frame === "string" ? frame : new TextDecoder().decode(frame));
    return typeof data === "object" && data !== null ? data : null;
  } catch {
    return null;
  }
}

function sendError(webSocket, message) {
  webSocket.send(JSON.stringify({ error: message }));
}
