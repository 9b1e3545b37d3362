/**
 * Child process for the multi-process increment test:
 * `node dist/test/support/cache-increment-worker.js <dataDir> <key> <count>` opens the framework
 * database of an already booted data dir, increments `key` `count` times (10 in flight at once)
 * through the embedded cache backend and prints `done <count>`.
 */
import "reflect-metadata";
import { CacheManager } from "../../framework/cache/cache-manager";
import { EmbeddedCacheBackend } from "../../framework/cache/embedded/embedded-cache-backend";
import { loadSettings } from "../../framework/config/settings";
import { openModuleDatabase } from "../../framework/database/open-data-source";
import { FRAMEWORK_DATABASE_NAME } from "../../framework/discovery/database-name";
import { SYSTEM_ENTITIES } from "../../framework/system/system-entities";

async function main(): Promise<void> {
  const [dataDir, key, countText] = process.argv.slice(2);
  if (dataDir === undefined || key === undefined || countText === undefined) throw new Error("usage: cache-increment-worker <dataDir> <key> <count>");
  const settings = loadSettings({ dataDir })._unsafeUnwrap();
  const database = await openModuleDatabase({ name: FRAMEWORK_DATABASE_NAME, modules: [], entities: SYSTEM_ENTITIES }, settings);
  const cache = new CacheManager(new EmbeddedCacheBackend(database));
  const count = Number(countText);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next += 1;
      (await cache.increment(key))._unsafeUnwrap();
    }
  };
  await Promise.all(Array.from({ length: 10 }, lane));
  await database.close();
  process.stdout.write(`done ${count}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
