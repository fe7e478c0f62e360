// Signed tokens "ACCOUNT.EXPIRY.SIGNATURE": the signature is an HMAC-SHA-256 of "ACCOUNT.EXPIRY"
// under the secret, in base64url. A token proves which account a request may change until EXPIRY
// (milliseconds since the epoch).
const encoder = new TextEncoder();

async function keyFor(secret) {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false,
    ["sign", "verify"]);
}

function toBase64Url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (character) => character.charCodeAt(0));
}

export async function issueToken(secret, account, lifetimeMs) {
  const payload = `${account}.${Date.now() + lifetimeMs}`;
  const signature = await crypto.subtle.sign("HMAC", await keyFor(secret), encoder.encode(payload));
  return `${payload}.${toBase64Url(signature)}`;
}

// Returns the account the token was issued for, or null when it is malformed, forged or expired.
export async function verifyToken(secret, token) {
  const parts = token.split(".");
  if (parts.length !== 3 || !/^\d+$/.test(parts[1]) || !/^[A-Za-z0-9_-]+$/.test(parts[2])) {
    return null;
  }
  const [account, expiry, signature] = parts;
  const valid = await crypto.subtle.verify("HMAC", await keyFor(secret), fromBase64Url(signature),
    encoder.encode(`${account}.${expiry}`));
  return valid && Number(expiry) > Date.now() ? account : null;
}
