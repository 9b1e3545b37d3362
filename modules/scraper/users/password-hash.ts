import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/** scrypt cost parameters: N = 2^15, r = 8, p = 1 (about 32 MiB and tens of ms per hash). */
const COST = { N: 32_768, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;
const SALT_BYTES = 16;
/** scrypt needs 128·N·r bytes; allow that plus headroom. */
const MAX_MEMORY = 128 * COST.N * COST.r * 2;

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }, length: number): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: Math.max(MAX_MEMORY, 128 * cost.N * cost.r * 2) };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, length, options, (error, key) => (error === null ? resolve(key) : reject(error)));
  });
}

/**
 * Hashes a password with a fresh random salt: `scrypt$N$r$p$<salt base64>$<hash base64>`.
 * The parameters travel with the hash, so they can be raised later without breaking old ones.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, COST, KEY_LENGTH);
  return ["scrypt", COST.N, COST.r, COST.p, salt.toString("base64"), key.toString("base64")].join("$");
}

/** True when `password` matches `stored`; compares in constant time and never throws on a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4] ?? "", "base64");
  const expected = Buffer.from(parts[5] ?? "", "base64");
  if (!Number.isInteger(N) || !Number.isInteger(r) || !Number.isInteger(p) || salt.length === 0 || expected.length === 0) return false;
  try {
    const actual = await derive(password, salt, { N: N as number, r: r as number, p: p as number }, expected.length);
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}

/**
 * A real hash of a random password, checked against when a username does not exist, so a
 * failed login takes as long for an unknown user as for a wrong password.
 */
export const unknownUserHash: Promise<string> = hashPassword(randomBytes(16).toString("hex"));
