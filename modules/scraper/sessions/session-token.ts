import { createHash, randomBytes } from "node:crypto";

/** A new session token: 32 random bytes, base64url. Handed to the client once, never stored. */
export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What the database keeps instead of the token: its hex SHA-256 (a token has enough entropy not to need a slow hash). */
export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
