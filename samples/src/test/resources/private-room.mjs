#!/usr/bin/env node
// Checks in Chromium that a chat page's "create a private room" button opens a working room.
//
//   node private-room.mjs BASE_URL [--shots DIR]
//
// BASE_URL is the chat page on a loopback address, normally https://127.0.0.1:PORT/. The script
// works with Mooring's chat sample (samples/chat) and with Cloudflare's workers-chat-demo, served
// unchanged. Both pages ask for a name first (#name-input, submitted with Enter), then show a room
// form with a #go-private button, then a chat with #chat-input (submitted with Enter) and
// #chatlog. The demo's button always posts to "https://" + location.host + "/api/room" (its
// src/chat.html, the same in commit 66f513a of 2022 and in its 2025 version), so with the demo the
// page must be loaded over HTTPS.
//
// Checks, in order:
//   1. the page loads and shows a name field;
//   2. the button's POST /api/room returns 200 with a room ID of 64 hexadecimal digits;
//   3. the page opens that room: the URL's hash is "#" + ID, and the page's WebSocket to
//      /api/room/ID/websocket receives {"ready": true};
//   4. a message typed into the chat comes back over that WebSocket and is shown in the chat log;
//   5. a second page opened on the room's URL joins the same room and shows the message.
//
// Chromium runs headless with certificate errors ignored, because Mooring's development
// certificate is self-signed. The browser is /usr/bin/chromium unless CHROMIUM_PATH names another
// one; this script never downloads a browser.
//
// Exit status: 0 when every check passed, 1 when a check failed (the reason is printed),
// 2 for bad usage or a missing browser, 3 when the whole run exceeds TOTAL_LIMIT_MS.

import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];
const PRIVATE_ROOM_ID = /^[0-9a-f]{64}$/;
// Each step's limit and the limit of the whole run. They are generous because the first requests
// to a fresh server run guest code that the JS compiler has not compiled yet. A passing run
// takes a few seconds.
const STEP_LIMIT_MS = 20_000;
const TOTAL_LIMIT_MS = 120_000;

const EXIT_CHECK_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_TIME_LIMIT = 3;

class CheckFailed extends Error {}

function usageError(message) {
  console.error(`error: ${message}`);
  console.error("usage: node private-room.mjs BASE_URL [--shots DIR]");
  process.exit(EXIT_USAGE);
}

function parseArguments(args) {
  let baseUrl = null;
  let shots = null;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--shots") {
      shots = args[++i];
      if (shots === undefined) {
        usageError("--shots needs a folder");
      }
    } else if (!args[i].startsWith("--") && baseUrl === null) {
      baseUrl = args[i];
    } else {
      usageError(`unknown argument ${args[i]}`);
    }
  }
  if (baseUrl === null) {
    usageError("BASE_URL is missing");
  }

  let url;
  try {
    url = new URL(baseUrl);
  } catch {
    usageError(`BASE_URL ${baseUrl} is not a valid URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    usageError(`BASE_URL ${baseUrl} must start with https:// or http://`);
  }
  if (!LOOPBACK_HOSTS.includes(url.hostname)) {
    usageError(`BASE_URL must name a loopback address (${LOOPBACK_HOSTS.join(", ")}), not ${url.hostname}`);
  }
  url.hash = "";
  return { baseUrl: url, shots };
}

const started = Date.now();

function log(message) {
  const seconds = ((Date.now() - started) / 1000).toFixed(2);
  console.log(`[+${seconds}s] ${message}`);
}

// Calls condition() until it returns a truthy value and returns that value, or throws CheckFailed
// with describe()'s text once STEP_LIMIT_MS have passed.
async function waitUntil(condition, describe) {
  const deadline = Date.now() + STEP_LIMIT_MS;
  for (;;) {
    const value = await condition();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new CheckFailed(`Waited ${STEP_LIMIT_MS / 1000} s: ${await describe()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Records what a page does that a failure message may need: console errors, uncaught errors,
// dialogs (the demo alerts "something went wrong" when creating a room fails), failed requests,
// the outcomes of POST /api/room and the frames of its WebSockets.
function watchPage(page, label) {
  // roomResponses contains one promise per POST /api/room, of {url, status, body} or, when the
  // request failed without a response, {url, status: null, failure}.
  const record = { label, problems: [], roomResponses: [], sockets: [] };
  const isRoomCreation = (request) => request.method() === "POST" && new URL(request.url()).pathname === "/api/room";

  page.on("console", (message) => {
    if (message.type() === "error") {
      record.problems.push(`console error: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => record.problems.push(`uncaught error: ${error.message}`));
  page.on("dialog", async (dialog) => {
    record.problems.push(`${dialog.type()} dialog: ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on("requestfailed", (request) => {
    const failure = request.failure()?.errorText;
    record.problems.push(`request failed: ${request.method()} ${request.url()}: ${failure}`);
    if (isRoomCreation(request)) {
      record.roomResponses.push(Promise.resolve({ url: request.url(), status: null, failure }));
    }
  });
  page.on("response", (response) => {
    if (response.status() >= 400) {
      record.problems.push(`HTTP ${response.status()} for ${response.request().method()} ${response.url()}`);
    }
    if (isRoomCreation(response.request())) {
      record.roomResponses.push(
        response.text().then(
          (body) => ({ url: response.url(), status: response.status(), body }),
          (error) => ({ url: response.url(), status: response.status(), body: `(body unreadable: ${error.message})` }),
        ),
      );
    }
  });
  page.on("websocket", (socket) => {
    const entry = { url: socket.url(), received: [], closed: false };
    record.sockets.push(entry);
    socket.on("framereceived", (frame) => {
      if (typeof frame.payload === "string") {
        entry.received.push(frame.payload);
      }
    });
    socket.on("socketerror", (error) => record.problems.push(`WebSocket ${entry.url} error: ${error}`));
    socket.on("close", () => {
      entry.closed = true;
    });
  });
  return record;
}

function describeProblems(record) {
  if (record.problems.length === 0) {
    return `${record.label} reported no errors`;
  }
  return `${record.label} reported:\n    ${record.problems.join("\n    ")}`;
}

function parsedFrames(entry) {
  const frames = [];
  for (const payload of entry.received) {
    try {
      frames.push(JSON.parse(payload));
    } catch {
      // Not JSON; the chat protocol sends none, and the checks below only look at JSON frames.
    }
  }
  return frames;
}

function hash(page) {
  return page.evaluate(() => location.hash);
}

// Enters the user name on the page's first form. Both pages submit it with Enter: the demo's
// name form has no button.
async function enterName(page, record, name) {
  const nameInput = page.locator("#name-input");
  try {
    await nameInput.waitFor({ state: "visible", timeout: STEP_LIMIT_MS });
  } catch {
    throw new CheckFailed(`The page shows no name field (#name-input). ${describeProblems(record)}`);
  }
  await nameInput.fill(name);
  await nameInput.press("Enter");
}

// Waits until one of the page's WebSockets to the room has received {"ready": true}, and returns it.
async function awaitReadySocket(page, record, roomId) {
  const roomPath = `/api/room/${roomId}/websocket`;
  return waitUntil(
    () => record.sockets.find((entry) => new URL(entry.url).pathname === roomPath
        && parsedFrames(entry).some((frame) => frame.ready === true)),
    () => {
      const sockets = record.sockets.map((entry) => `${entry.url} (${entry.received.length} frames`
          + `${entry.closed ? ", closed" : ""})`);
      return `${record.label} got no {"ready": true} on a WebSocket to ${roomPath}. Its WebSockets: `
          + `${sockets.length === 0 ? "none" : sockets.join(", ")}. ${describeProblems(record)}`;
    },
  );
}

// Waits until #chatlog shows a line that contains the message, and returns that line's text.
async function awaitMessageShown(page, record, text) {
  return waitUntil(
    async () => {
      const lines = await page.locator("#chatlog p").allInnerTexts();
      return lines.find((line) => line.includes(text));
    },
    async () => {
      const lines = await page.locator("#chatlog p").allInnerTexts();
      return `${record.label}'s chat log does not show "${text}". It shows: ${JSON.stringify(lines)}. `
          + describeProblems(record);
    },
  );
}

async function checkPrivateRoom(context, baseUrl) {
  const userName = "alice";
  const message = `private hello ${Date.now().toString(36)}`;

  // 1. The page loads and shows a name field.
  const page = await context.newPage();
  const record = watchPage(page, "The first page");
  const response = await page.goto(baseUrl.toString(), { waitUntil: "load", timeout: STEP_LIMIT_MS });
  if (response === null || !response.ok()) {
    throw new CheckFailed(`GET ${baseUrl} returned ${response === null ? "no response" : `HTTP ${response.status()}`}`);
  }
  log(`Loaded ${baseUrl} (HTTP ${response.status()})`);
  await enterName(page, record, userName);

  // 2. The button creates a room.
  const button = page.locator("#go-private");
  try {
    await button.waitFor({ state: "visible", timeout: STEP_LIMIT_MS });
  } catch {
    throw new CheckFailed(`After the name was entered, the page shows no "create a private room" button`
        + ` (#go-private). ${describeProblems(record)}`);
  }
  const buttonLabel = (await button.innerText()).trim();
  await button.click();
  log(`Clicked "${buttonLabel}"`);

  const created = await waitUntil(
    () => record.roomResponses.length > 0 && record.roomResponses[0],
    () => `Clicking "${buttonLabel}" sent no POST /api/room. ${describeProblems(record)}`,
  );
  if (created.status === null) {
    throw new CheckFailed(`POST ${created.url} failed with ${created.failure}. ${describeProblems(record)}`);
  }
  if (created.status !== 200) {
    throw new CheckFailed(`POST ${created.url} returned HTTP ${created.status}: ${created.body.trim()}`);
  }
  const roomId = created.body.trim();
  if (!PRIVATE_ROOM_ID.test(roomId)) {
    throw new CheckFailed(`POST ${created.url} returned ${JSON.stringify(created.body)}, not a room ID of 64 hex digits`);
  }
  log(`POST ${created.url} returned room ID ${roomId}`);

  // 3. The page opens that room.
  await waitUntil(
    async () => (await hash(page)) === `#${roomId}`,
    async () => `The page's URL hash is ${JSON.stringify(await hash(page))}, not "#${roomId}". ${describeProblems(record)}`,
  );
  const roomUrl = page.url();
  await awaitReadySocket(page, record, roomId);
  log(`The page opened ${roomUrl} and its WebSocket to the room is ready`);

  // 4. A message sent in the room comes back.
  const chatInput = page.locator("#chat-input");
  await chatInput.fill(message);
  await chatInput.press("Enter");
  await waitUntil(
    () => record.sockets.some((entry) => parsedFrames(entry).some(
        (frame) => frame.message === message && frame.name === userName)),
    () => `No WebSocket of the first page received the message ${JSON.stringify(message)} back from the room. `
        + describeProblems(record),
  );
  const shownLine = await awaitMessageShown(page, record, message);
  log(`The room sent the message back, and the page shows ${JSON.stringify(shownLine)}`);

  // 5. The room's URL is its invitation: a second page joins the same room and shows the message.
  const guest = await context.newPage();
  const guestRecord = watchPage(guest, "The second page");
  await guest.goto(roomUrl, { waitUntil: "load", timeout: STEP_LIMIT_MS });
  await enterName(guest, guestRecord, "bob");
  await awaitReadySocket(guest, guestRecord, roomId);
  const guestLine = await awaitMessageShown(guest, guestRecord, message);
  log(`A second page opened on ${roomUrl} joined the room and shows ${JSON.stringify(guestLine)}`);
}

async function saveScreenshots(context, folder) {
  fs.mkdirSync(folder, { recursive: true });
  const pages = context.pages();
  for (let i = 0; i < pages.length; i++) {
    const file = path.join(folder, `private-room-page-${i + 1}.png`);
    try {
      await pages[i].screenshot({ path: file, fullPage: true });
      log(`Saved a screenshot of page ${i + 1} to ${file}`);
    } catch (error) {
      log(`Taking a screenshot of page ${i + 1} failed: ${error.message}`);
    }
  }
}

async function main() {
  const { baseUrl, shots } = parseArguments(process.argv.slice(2));
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`error: no browser at ${CHROMIUM}; install Chromium (apt-get install chromium) or set CHROMIUM_PATH`);
    process.exit(EXIT_USAGE);
  }

  const timer = setTimeout(() => {
    console.error(`FAIL: the private room check did not finish within ${TOTAL_LIMIT_MS / 1000} s`);
    process.exit(EXIT_TIME_LIMIT);
  }, TOTAL_LIMIT_MS);

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  let status = 0;
  try {
    await checkPrivateRoom(context, baseUrl);
    console.log(`PASS: "create a private room" on ${baseUrl} opened a room that sends messages back`);
  } catch (error) {
    status = EXIT_CHECK_FAILED;
    // Playwright's errors carry a multi-line call log after the first line.
    const reason = error instanceof CheckFailed ? error.message : `${error.name}: ${String(error.message).split("\n")[0]}`;
    console.error(`FAIL: ${reason}`);
    if (shots !== null) {
      await saveScreenshots(context, shots);
    }
  } finally {
    await browser.close();
    clearTimeout(timer);
  }
  process.exit(status);
}

await main();
