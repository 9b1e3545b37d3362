import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { err, ok, type Result } from "neverthrow";
import { dbError, type DbError } from "../../errors/db-error";

/** The environment variable holding a cursor-signing secret shared across restarts and processes. */
export const CURSOR_SECRET_VARIABLE = "MODULEDB_CURSOR_SECRET";
const MIN_SECRET_LENGTH = 32;
const MAX_CURSOR_LENGTH = 8_192;

/** What a cursor says: which query it belongs to and the sort-key values of the row it follows. */
export interface CursorPosition {
  /** Fingerprint of database, table, sort and filters: a cursor only continues the query it came from. */
  readonly query: string;
  readonly values: readonly unknown[];
}

/** A fingerprint of the parts of a query that decide which rows follow which. */
export function queryFingerprint(parts: unknown): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 22);
}

/**
 * Signs and checks keyset cursors: `base64url(json).base64url(hmac-sha256)`. The key is the
 * secret given ({@link CURSOR_SECRET_VARIABLE}, validated with the other settings), otherwise
 * random for the life of this instance, so a cursor can never be forged or edited into a different position.
 */
export class CursorCodec {
  private readonly key: Buffer;

  constructor(secret?: string) {
    if (secret !== undefined && secret !== "" && secret.length < MIN_SECRET_LENGTH) {
      throw new Error(`Invalid ${CURSOR_SECRET_VARIABLE}: expected at least ${MIN_SECRET_LENGTH} characters.`);
    }
    this.key = secret === undefined || secret === "" ? randomBytes(32) : Buffer.from(secret, "utf8");
  }

  /** The opaque token for a position. */
  encode(position: CursorPosition): string {
    const body = Buffer.from(JSON.stringify({ q: position.query, v: position.values }), "utf8").toString("base64url");
    return `${body}.${this.sign(body).toString("base64url")}`;
  }

  /** The position a token names, or VALIDATION_FAILED (`invalid_cursor`) for anything not signed here for this query. */
  decode(token: unknown, query: string, keyCount: number, database: string): Result<CursorPosition, DbError> {
    const refuse = (why: string) => err(dbError("VALIDATION_FAILED", `Invalid cursor: ${why}. Use the next_cursor of a previous page of the same query.`, database, { reason: "invalid_cursor" }));
    if (typeof token !== "string" || token.length === 0 || token.length > MAX_CURSOR_LENGTH) return refuse("not a cursor token");
    const [body, signature, extra] = token.split(".");
    if (body === undefined || signature === undefined || extra !== undefined) return refuse("not a cursor token");
    const expected = this.sign(body);
    const given = Buffer.from(signature, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refuse("the signature does not match");
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    } catch {
      return refuse("not a cursor token");
    }
    const { q, v } = (parsed ?? {}) as { q?: unknown; v?: unknown };
    if (q !== query) return refuse("it belongs to a different query (sort, filters or table changed)");
    if (!Array.isArray(v) || v.length !== keyCount) return refuse("it does not match the sort keys");
    return ok({ query: q, values: v });
  }

  private sign(body: string): Buffer {
    return createHmac("sha256", this.key).update(body).digest();
  }
}
