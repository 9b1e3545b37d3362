import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootFramework, CrudService, type Framework, type ModuleDatabase } from "../../../framework";
import { simpleModels } from "../../support/module-sources";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

const LOCK_VARIABLES = ["SQLITE_BUSY_TIMEOUT", "DATABASE_MAX_RETRIES", "DATABASE_RETRY_BASE_DELAY"] as const;

/** Boots with the given lock settings in process.env, restoring the previous values afterwards. */
async function bootWith(temp: TempRoot, values: Record<(typeof LOCK_VARIABLES)[number], string>): Promise<Framework> {
  const saved = LOCK_VARIABLES.map((variable) => [variable, process.env[variable]] as const);
  Object.assign(process.env, values);
  try {
    return await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
  } finally {
    for (const [variable, value] of saved) {
      if (value === undefined) delete process.env[variable];
      else process.env[variable] = value;
    }
  }
}

/** Counts timer ticks and the longest gap between them while `work` runs. */
async function watchEventLoop<T>(work: () => Promise<T>): Promise<{ value: T; ticks: number; longestGapMs: number }> {
  let ticks = 0;
  let last = performance.now();
  let longestGapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestGapMs = Math.max(longestGapMs, now - last);
    last = now;
    ticks += 1;
  }, 2);
  try {
    const value = await work();
    return { value, ticks, longestGapMs: Math.max(longestGapMs, performance.now() - last) };
  } finally {
    clearInterval(timer);
  }
}

describe("a write lock held by another connection", () => {
  const temp = createTempRoot("locked");
  temp.writeModuleFile("shop", "db-models.ts", simpleModels("shop", ["orders"]));
  let holder: Database.Database | undefined;

  function holdWriteLock(file: string): void {
    holder = new Database(file);
    holder.exec("BEGIN IMMEDIATE");
    holder.prepare("INSERT INTO orders (title) VALUES ('held, never committed')").run();
  }

  function releaseWriteLock(): void {
    holder?.exec("ROLLBACK");
    holder?.close();
    holder = undefined;
  }

  afterAll(() => {
    releaseWriteLock();
    temp.remove();
  });

  it("gives DATABASE_LOCKED at once with DATABASE_MAX_RETRIES=0, writing nothing", async () => {
    const framework = await bootWith(temp, { SQLITE_BUSY_TIMEOUT: "0", DATABASE_MAX_RETRIES: "0", DATABASE_RETRY_BASE_DELAY: "20" });
    const db = framework.databases.get("shop")._unsafeUnwrap();
    const crud = framework.resolve(CrudService);
    try {
      holdWriteLock(db.file);
      const failed = await db.transaction(async (manager) => manager.query("INSERT INTO orders (title) VALUES ('lost?')"));
      expect(failed._unsafeUnwrapErr()).toMatchObject({ code: "DATABASE_LOCKED", database: "shop", details: { sqlite_code: "SQLITE_BUSY" } });
      const created = await crud.create("shop", "orders", { title: "lost?" });
      expect(created._unsafeUnwrapErr().code).toBe("DATABASE_LOCKED");
      expect(db.stats).toEqual({ retries: 0, lockedFailures: 2 });
      releaseWriteLock();
      expect((await crud.count("shop", "orders"))._unsafeUnwrap()).toBe(0);
      // The same calls succeed once the other connection lets go.
      expect((await crud.create("shop", "orders", { title: "after release" })).isOk()).toBe(true);
      expect((await crud.count("shop", "orders"))._unsafeUnwrap()).toBe(1);
    } finally {
      releaseWriteLock();
      await framework.shutdown();
    }
  });

  it("retries with backoff off the event loop, then gives DATABASE_LOCKED", async () => {
    const framework = await bootWith(temp, { SQLITE_BUSY_TIMEOUT: "2", DATABASE_MAX_RETRIES: "4", DATABASE_RETRY_BASE_DELAY: "10" });
    const db: ModuleDatabase = framework.databases.get("shop")._unsafeUnwrap();
    const crud = framework.resolve(CrudService);
    try {
      const before = (await crud.count("shop", "orders"))._unsafeUnwrap();
      holdWriteLock(db.file);
      const watched = await watchEventLoop(async () => await crud.create("shop", "orders", { title: "lost?" }));
      expect(watched.value._unsafeUnwrapErr().code).toBe("DATABASE_LOCKED");
      expect(db.stats).toEqual({ retries: 4, lockedFailures: 1 });
      // Four backoff waits of at least 5, 10, 20 and 40 ms: the timer kept firing through them.
      expect(watched.ticks).toBeGreaterThan(10);
      expect(watched.longestGapMs).toBeLessThan(250);
      releaseWriteLock();
      expect((await crud.count("shop", "orders"))._unsafeUnwrap()).toBe(before);
    } finally {
      releaseWriteLock();
      await framework.shutdown();
    }
  });

  it("succeeds when the lock is released while the caller is still retrying", async () => {
    const framework = await bootWith(temp, { SQLITE_BUSY_TIMEOUT: "1", DATABASE_MAX_RETRIES: "20", DATABASE_RETRY_BASE_DELAY: "5" });
    const db = framework.databases.get("shop")._unsafeUnwrap();
    const crud = framework.resolve(CrudService);
    try {
      const before = (await crud.count("shop", "orders"))._unsafeUnwrap();
      holdWriteLock(db.file);
      setTimeout(releaseWriteLock, 40);
      const created = await db.transaction(async (manager) => manager.query("INSERT INTO orders (title) VALUES ('waited')"));
      expect(created.isOk()).toBe(true);
      expect(db.stats.retries).toBeGreaterThan(0);
      expect(db.stats.lockedFailures).toBe(0);
      expect((await crud.count("shop", "orders"))._unsafeUnwrap()).toBe(before + 1);
    } finally {
      releaseWriteLock();
      await framework.shutdown();
    }
  });
});
