import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { bootFramework, BootError } from "../../../framework";
import { OPERATIONS_LOG_PRUNE_JOB } from "../../../framework/boot/boot-records";
import { createTempRoot } from "../../support/temp-root";

const DAY = 86_400_000;

function insertEntry(file: string, at: number, message: string): void {
  const connection = new Database(file);
  try {
    connection.prepare("INSERT INTO framework_operations (at, kind, actor, database_name, outcome, message, details) VALUES (?, 'backup', 'test', NULL, 'ok', ?, '{}')").run(at, message);
  } finally {
    connection.close();
  }
}

function messages(file: string): string[] {
  const connection = new Database(file, { readonly: true });
  try {
    return (connection.prepare("SELECT message FROM framework_operations WHERE kind = 'backup' ORDER BY at").all() as { message: string }[]).map((row) => row.message);
  } finally {
    connection.close();
  }
}

describe("operations log retention (OPERATIONS_LOG_RETENTION_DAYS)", () => {
  const temp = createTempRoot("operations-log");
  const file = path.join(temp.dataDir, "framework.db");
  afterEach(() => {
    delete process.env.OPERATIONS_LOG_RETENTION_DAYS;
  });
  afterAll(() => temp.remove());

  it("entries older than the retention are pruned at boot (the same prune runs hourly as a scheduler job); newer ones stay", async () => {
    const first = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    expect(first.scheduler.list().find((job) => job.name === OPERATIONS_LOG_PRUNE_JOB)).toMatchObject({ intervalMs: 3_600_000 });
    await first.shutdown();
    insertEntry(file, Date.now() - 3 * DAY, "three days old");
    insertEntry(file, Date.now() - 1 * DAY, "one day old");

    process.env.OPERATIONS_LOG_RETENTION_DAYS = "2";
    const second = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    try {
      expect(messages(file)).toEqual(["one day old"]);
      const pruned = await second.operations.prune(0.5);
      expect(pruned._unsafeUnwrap()).toBe(1);
      expect(messages(file)).toEqual([]);
      const kinds = (await second.operations.list({ limit: 10 }))._unsafeUnwrap().map((entry) => entry.kind);
      expect(kinds).toEqual(expect.arrayContaining(["boot", "shutdown"]));
    } finally {
      await second.shutdown();
    }
  });

  it("0 keeps everything (no prune job); an invalid value rejects the boot naming the variable", async () => {
    insertEntry(file, Date.now() - 400 * DAY, "ancient");
    process.env.OPERATIONS_LOG_RETENTION_DAYS = "0";
    const keeping = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    expect(keeping.scheduler.list().map((job) => job.name)).not.toContain(OPERATIONS_LOG_PRUNE_JOB);
    await keeping.shutdown();
    expect(messages(file)).toEqual(["ancient"]);

    process.env.OPERATIONS_LOG_RETENTION_DAYS = "forever";
    const rejected = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir }).catch((error: unknown) => error);
    expect(rejected).toBeInstanceOf(BootError);
    expect((rejected as BootError).code).toBe("INVALID_SETTING");
    expect((rejected as BootError).problems).toEqual(["OPERATIONS_LOG_RETENTION_DAYS"]);
  });
});
