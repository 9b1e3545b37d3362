import { mkdirSync } from "node:fs";
import path from "node:path";
import { redisServerBinary, startRedisServer, type RedisServerHandle } from "./redis-server";
import type { ServiceAvailability } from "./required-service";

/** Where the Redis tests run: an external server (REDIS_URL), a private redis-server, or nowhere. */
export type RedisTarget = { readonly kind: "external"; readonly url: string } | { readonly kind: "spawn"; readonly binary: string } | { readonly kind: "none"; readonly reason: string };

/**
 * Decides once, synchronously (so test files can register suites), where Redis tests run:
 * `REDIS_URL` when set, else a private redis-server when the binary is installed, else nowhere.
 */
export function redisTarget(env: NodeJS.ProcessEnv = process.env): RedisTarget {
  const url = env.REDIS_URL?.trim();
  if (url !== undefined && url !== "") return { kind: "external", url };
  const binary = redisServerBinary();
  if (binary !== undefined) return { kind: "spawn", binary };
  return { kind: "none", reason: "REDIS_URL is not set and no redis-server binary is installed (apt-get install redis-server)" };
}

/** A usable Redis URL for a target, and how to release it. */
export async function openRedisTarget(target: RedisTarget, workDir: string): Promise<{ url: string; server?: RedisServerHandle; release(): Promise<void> }> {
  if (target.kind === "external") return { url: target.url, release: () => Promise.resolve() };
  if (target.kind === "none") throw new Error(target.reason);
  const dir = path.join(workDir, "redis");
  mkdirSync(dir, { recursive: true });
  const server = await startRedisServer(target.binary, dir);
  return { url: server.url, server, release: () => server.stop() };
}

/** The target as a service availability for `describeWithService`. */
export function redisAvailability(target: RedisTarget): ServiceAvailability {
  return target.kind === "none" ? { available: false, reason: target.reason } : { available: true };
}

/** Whether a private redis-server can be started (tests that stop and restart their own server). */
export function redisBinaryAvailability(binary: string | undefined): ServiceAvailability {
  return binary === undefined ? { available: false, reason: "no redis-server binary is installed (apt-get install redis-server)" } : { available: true };
}
