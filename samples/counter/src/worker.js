// Routes /counter/<name>/<action> to the Counter object named <name>.
export { Counter } from "./counter.js";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const [, prefix, name, ...rest] = url.pathname.split("/");
    if (prefix !== "counter" || !name) {
      return new Response("Try /counter/<name>/increment, /decrement, /reset or /counter/<name>/\n", { status: 404 });
    }
    const counter = env.COUNTER.get(env.COUNTER.idFromName(name));
    url.pathname = "/" + rest.join("/");
    return counter.fetch(url, request);
  },
};
