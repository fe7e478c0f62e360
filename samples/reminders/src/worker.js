// Routes /reminders/<list> to the ReminderList object named <list>.
export { ReminderList } from "./reminder-list.js";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const [, prefix, list, ...rest] = url.pathname.split("/");
    if (prefix !== "reminders" || !list || rest.some((part) => part !== "")) {
      return new Response("Try POST /reminders/<list>?in=<seconds> with the reminder as the body,"
        + " then GET /reminders/<list>\n", { status: 404 });
    }
    return env.REMINDERS.get(env.REMINDERS.idFromName(list)).fetch(request);
  },
};
