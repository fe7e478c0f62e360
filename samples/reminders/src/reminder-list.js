// One list of reminders. Each waits in storage under a key that sorts by its due time, and the
// object's one alarm is set for the earliest. When the alarm runs, every reminder that is due
// moves to the "fired" list, and the alarm is set again for the next one.

const PENDING = "pending/";
const FIRED = "fired/";
const MAX_SECONDS = 366 * 24 * 3600;

// Pads a time so that keys sort by it: 13 digits last until the year 2286.
function timeKey(ms) {
  return String(ms).padStart(13, "0");
}

export class ReminderList {
  constructor(state) {
    this.storage = state.storage;
  }

  async fetch(request) {
    if (request.method === "POST") {
      return this.add(request);
    }
    if (request.method === "GET") {
      const pending = [...(await this.storage.list({ prefix: PENDING })).values()];
      const fired = [...(await this.storage.list({ prefix: FIRED })).values()];
      return Response.json({ pending, fired, alarm: await this.storage.getAlarm() });
    }
    return new Response("Use GET or POST\n", { status: 405, headers: { allow: "GET, POST" } });
  }

  async add(request) {
    const seconds = Number(new URL(request.url).searchParams.get("in"));
    if (!(seconds >= 0 && seconds <= MAX_SECONDS)) {
      return new Response("Give ?in=<seconds>, from 0 to " + MAX_SECONDS + "\n", { status: 400 });
    }
    const text = await request.text();
    if (text === "") {
      return new Response("Send the reminder's text as the request body\n", { status: 400 });
    }

    const due = Date.now() + Math.round(seconds * 1000);
    const reminder = { text, due };
    await this.storage.put(PENDING + timeKey(due) + "/" + crypto.randomUUID(), reminder);

    const alarm = await this.storage.getAlarm();
    if (alarm === null || due < alarm) {
      await this.storage.setAlarm(due);
    }
    return Response.json(reminder, { status: 201 });
  }

  async alarm() {
    const now = Date.now();
    const due = await this.storage.list({ prefix: PENDING, end: PENDING + timeKey(now + 1) });
    for (const [key, reminder] of due) {
      await this.storage.put(FIRED + key.slice(PENDING.length), { ...reminder, fired: now });
      await this.storage.delete(key);
    }

    const next = await this.storage.list({ prefix: PENDING, limit: 1 });
    for (const reminder of next.values()) {
      await this.storage.setAlarm(reminder.due);
    }
  }
}
