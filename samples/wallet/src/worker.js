// Routes /accounts/<name>/... to the Account object named <name>:
//   POST /accounts/<name>/token                 a token for the account, valid for an hour
//   GET  /accounts/<name>                       the balance
//   POST /accounts/<name>/deposit?amount=N      with "Authorization: Bearer TOKEN"
//   POST /accounts/<name>/withdraw?amount=N     the same; 409 when the balance is too low
import { issueToken, verifyToken } from "./tokens.js";

export { Account } from "./account.js";

const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const [, prefix, name, action, ...rest] = url.pathname.split("/");
    if (prefix !== "accounts" || !/^[a-z0-9-]{1,64}$/.test(name ?? "") || rest.length > 0) {
      return new Response("Try POST /accounts/<name>/token, then POST /accounts/<name>/deposit?amount=<cents>"
        + " with the header \"Authorization: Bearer <token>\"\n", { status: 404 });
    }
    const account = env.ACCOUNTS.get(env.ACCOUNTS.idFromName(name));

    if (!action && request.method === "GET") {
      return Response.json({ account: name, balance: await account.balance() });
    }
    if (action === "token" && request.method === "POST") {
      return Response.json({ token: await issueToken(env.TOKEN_SECRET, name, TOKEN_LIFETIME_MS) }, { status: 201 });
    }
    if ((action !== "deposit" && action !== "withdraw") || request.method !== "POST") {
      return new Response("Use GET /accounts/<name>, or POST to token, deposit or withdraw\n", { status: 405 });
    }

    const token = (request.headers.get("authorization") ?? "").replace(/^Bearer /, "");
    if ((await verifyToken(env.TOKEN_SECRET, token)) !== name) {
      return new Response("Missing, expired or foreign token: get one with POST /accounts/" + name + "/token\n",
        { status: 401 });
    }
    const amount = Number(url.searchParams.get("amount"));
    try {
      const balance = action === "deposit" ? await account.deposit(amount) : await account.withdraw(amount);
      return Response.json({ account: name, balance });
    } catch (error) {
      if (error instanceof RangeError || error instanceof TypeError) {
        return new Response(error.message + "\n", { status: error instanceof RangeError ? 409 : 400 });
      }
      throw error;
    }
  },
};
