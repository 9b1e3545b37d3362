import { readFileSync } from "node:fs";
import path from "node:path";
import { createClient } from "redis";
import { afterAll, expect, it } from "vitest";
import { bootFramework, createBackup, listBackups } from "../../../framework";
import { sha256File } from "../../../framework/backup/file-integrity";
import { redisServerBinary, startRedisServer } from "../../support/redis-server";
import { redisBinaryAvailability } from "../../support/redis-target";
import { describeWithService } from "../../support/required-service";
import { createTempRoot } from "../../support/temp-root";

const binary = redisServerBinary();

describeWithService("redis", redisBinaryAvailability(binary), "backup with Redis configured", () => {
  const temp = createTempRoot("backup-redis");
  afterAll(() => temp.remove());


  it("takes a BGSAVE snapshot, copies the RDB file and records it in the manifest", async () => {
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    await framework.shutdown();
    const server = await startRedisServer(binary!, temp.root);
    const client = createClient({ url: server.url });
    try {
      await client.connect();
      await client.set("snapshot:marker", "present-in-rdb");
      const report = (await createBackup({ dataDir: temp.dataDir, outDir: path.join(temp.root, "backups"), redisUrl: server.url }))._unsafeUnwrap();
      const redis = report.manifest.redis;
      expect(redis).not.toBeNull();
      expect(redis!.source).toBe(path.join(temp.root, "dump.rdb"));
      const copy = path.join(report.dir, redis!.file);
      expect(redis!.sha256).toBe(await sha256File(copy));
      const bytes = readFileSync(copy);
      expect(bytes.subarray(0, 5).toString()).toBe("REDIS");
      expect(bytes.includes(Buffer.from("present-in-rdb"))).toBe(true);
      expect(Date.parse(redis!.saved_at)).toBeGreaterThan(Date.now() - 60_000);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it("fails with REDIS_SNAPSHOT_FAILED (and leaves no backup) when Redis is unreachable", async () => {
    const outDir = path.join(temp.root, "backups-unreachable");
    const result = await createBackup({ dataDir: temp.dataDir, outDir, redisUrl: "redis://127.0.0.1:1" });
    expect(result._unsafeUnwrapErr().code).toBe("REDIS_SNAPSHOT_FAILED");
    expect(listBackups(outDir)).toEqual([]);
  });
});
