// A named counter. Each instance owns one number in its private storage; requests to one
// counter run one at a time, so increments never collide.
export class Counter {
  constructor(state, env) {
    this.storage = state.storage;
    this.value = undefined;
  }

  async fetch(request) {
    if (this.value === undefined) {
      this.value = (await this.storage.get("value")) ?? 0;
    }

    const { pathname } = new URL(request.url);
    switch (pathname) {
      case "/increment":
        this.value += 1;
        await this.storage.put("value", this.value);
        break;
      case "/decrement":
        this.value -= 1;
        await this.storage.put("value", this.value);
        break;
      case "/reset":
        this.value = 0;
        await this.storage.delete("value");
        break;
      case "/":
        break;
      default:
        return new Response("Not found", { status: 404 });
    }
    return new Response(String(this.value));
  }
}
