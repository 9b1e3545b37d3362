import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { bootFramework, CrudService, type Framework } from "../../../framework";
import { AUDIT_PRUNE_JOB, pruneAuditTrails } from "../../../framework/audit/audit-pruning";
import { auditRows, vaultFile, writeVaultModule } from "../../support/audit-module";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

const DAY = 86_400_000;

/** Writes audit rows of the given ages straight into a file (the framework not running on it). */
function plantAged(file: string, agesInDays: readonly number[]): void {
  const db = new Database(file);
  try {
    const insert = db.prepare(`INSERT INTO moduledb_audit (at, actor, request_id, table_name, operation, record_key, changed_columns, "values") VALUES (?, 'planted', NULL, 'memos', 'create', ?, '[]', NULL)`);
    agesInDays.forEach((age, index) => insert.run(Date.now() - age * DAY, `planted-${index}`));
  } finally {
    db.close();
  }
}

describe("AUDIT_RETENTION_DAYS: the scheduler prunes every database's audit trail", () => {
  let temp: TempRoot;
  const saved = process.env.AUDIT_RETENTION_DAYS;

  beforeAll(async () => {
    temp = createTempRoot("audit-retention");
    writeVaultModule(temp);
    const first = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    (await first.resolve(CrudService).create("vault", "memos", { body: "fresh" }))._unsafeUnwrap();
    await first.shutdown();
  });

  afterEach(() => {
    if (saved === undefined) delete process.env.AUDIT_RETENTION_DAYS;
    else process.env.AUDIT_RETENTION_DAYS = saved;
  });

  afterAll(() => temp?.remove());

  it("is validated with the other settings: an invalid value stops boot naming the variable", async () => {
    for (const value of ["ninety", "-1", "40000"]) {
      process.env.AUDIT_RETENTION_DAYS = value;
      await expect(bootFramework({ rootDir: temp.root, dataDir: temp.dataDir })).rejects.toMatchObject({ code: "INVALID_SETTING", message: expect.stringContaining("AUDIT_RETENTION_DAYS") });
    }
  });

  it("prunes rows past the retention at boot and schedules the job; newer rows stay", async () => {
    plantAged(vaultFile(temp), [100, 91, 89, 1]);
    let framework: Framework | undefined;
    try {
      framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
      expect(framework.scheduler.list().map((job) => job.name)).toContain(AUDIT_PRUNE_JOB);
      const kept = auditRows(vaultFile(temp)).map((row) => row.record_key);
      expect(kept).toEqual(["1", "planted-2", "planted-3"]);
      // The job itself, run as the scheduler runs it, with a shorter retention: only the recent ones stay.
      expect(await pruneAuditTrails(framework.databases, 30)).toBe(1);
      expect(auditRows(vaultFile(temp)).map((row) => row.record_key)).toEqual(["1", "planted-3"]);
    } finally {
      await framework?.shutdown();
    }
  });

  it("keeps everything with 0 (no job scheduled)", async () => {
    plantAged(vaultFile(temp), [5000]);
    process.env.AUDIT_RETENTION_DAYS = "0";
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    try {
      expect(framework.scheduler.list().map((job) => job.name)).not.toContain(AUDIT_PRUNE_JOB);
      expect(auditRows(vaultFile(temp)).map((row) => row.record_key)).toContain("planted-0");
    } finally {
      await framework.shutdown();
    }
  });
});
