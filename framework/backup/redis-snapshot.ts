import { copyFile, stat } from "node:fs/promises";
import path from "node:path";
import { closeRedisClient, createBoundedRedisClient, startConnecting, type RedisClient } from "../cache/redis/redis-client";
import { BackupAbort, backupError } from "./backup-error";
import { sha256File } from "./file-integrity";
import type { ManifestRedis } from "./manifest";

/** Options of {@link snapshotRedis}. */
export interface RedisSnapshotOptions {
  readonly url: string;
  /** Folder the RDB copy is written to. */
  readonly targetDir: string;
  /** How long BGSAVE may take. */
  readonly saveTimeoutMs?: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function fail(message: string): never {
  throw new BackupAbort(backupError("REDIS_SNAPSHOT_FAILED", message));
}

async function serverSecond(client: RedisClient): Promise<number> {
  const [seconds] = await client.time();
  return Number(seconds);
}

async function bgsaveInProgress(client: RedisClient): Promise<{ inProgress: boolean; lastStatus: string }> {
  const info = await client.info("persistence");
  return { inProgress: /rdb_bgsave_in_progress:1/.test(info), lastStatus: /rdb_last_bgsave_status:(\w+)/.exec(info)?.[1] ?? "unknown" };
}

/**
 * Takes a fresh RDB snapshot (BGSAVE, then waits for LASTSAVE to move past its previous value)
 * and copies the file the server wrote (`CONFIG GET dir`/`dbfilename`) into the backup. The server
 * must share this machine's filesystem; otherwise this fails with REDIS_SNAPSHOT_FAILED.
 */
export async function snapshotRedis(options: RedisSnapshotOptions): Promise<ManifestRedis> {
  const client = createBoundedRedisClient(options.url, { timeoutMs: 5_000 });
  try {
    if (!(await startConnecting(client, 2_000))) fail(`Redis at ${options.url} is not reachable.`);
    const previous = Number(await client.lastSave());
    // LASTSAVE has one-second resolution: start the save in a later second so its change is visible.
    while ((await serverSecond(client)) <= previous) await sleep(100);
    try {
      await client.bgSave();
    } catch (error) {
      // Someone else's BGSAVE is running; waiting for it is as good, but we still want one that starts after now.
      if (!/in progress/i.test(error instanceof Error ? error.message : String(error))) throw error;
    }
    const deadline = Date.now() + (options.saveTimeoutMs ?? 60_000);
    let saved = previous;
    for (;;) {
      const state = await bgsaveInProgress(client);
      saved = Number(await client.lastSave());
      if (saved > previous && !state.inProgress) {
        if (state.lastStatus !== "ok") fail(`Redis BGSAVE finished with status '${state.lastStatus}'.`);
        break;
      }
      if (Date.now() > deadline) fail("Redis BGSAVE did not finish in time.");
      await sleep(100);
    }
    const config = { ...(await client.configGet("dir")), ...(await client.configGet("dbfilename")) } as Record<string, string>;
    const dir = config.dir;
    const name = config.dbfilename;
    if (dir === undefined || name === undefined) fail("Redis did not report its dir/dbfilename.");
    const source = path.join(dir, name);
    const file = `redis-${path.basename(name)}`;
    const target = path.join(options.targetDir, file);
    await copyFile(source, target).catch((error: unknown) => fail(`Could not copy the RDB file '${source}' (is Redis on this machine?): ${error instanceof Error ? error.message : String(error)}`));
    const { size } = await stat(target);
    return { file, size, sha256: await sha256File(target), saved_at: new Date(saved * 1000).toISOString(), source };
  } finally {
    await closeRedisClient(client, 2_000);
  }
}
