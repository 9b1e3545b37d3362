import { mkdirSync } from "node:fs";
import path from "node:path";
import { redisServerBinary, startRedisServer, type RedisServerHandle } from "./redis-server";

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

/** The banner printed when the Redis run could not be done. */
export function redisNotRunBanner(reason: string): string {
  return `\n${"!".repeat(78)}\n!! REDIS RUN NOT DONE: ${reason}.\n!! Only the embedded cache backend was tested. Set REDIS_URL or install redis-server.\n${"!".repeat(78)}\n`;
}
