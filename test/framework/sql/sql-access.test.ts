import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqlAccess, sqlTimestamp } from "../../../framework";
import { bootModules, type BootedModules } from "../../support/boot-modules";
import { sqliteConnection } from "../../../framework/engines/sqlite/sqlite-connection";

/** SqlAccess runs on the docs module's database: real tables, CHECKs and foreign keys. */
describe("SqlAccess (raw parameterised SQL on a module database)", () => {
  let booted: BootedModules;
  let sql: SqlAccess;
  const insertSource = "INSERT INTO source_metadata (source_id, source_type, source_url, technology, is_active) VALUES (?, ?, ?, ?, ?)";

  beforeAll(async () => {
    booted = await bootModules("sql-access", ["docs"]);
    sql = new SqlAccess(booted.database("docs"));
  });
  afterAll(() => booted.close());

  const sourceCount = () => (sqliteConnection(booted.database("docs")).prepare("SELECT COUNT(*) AS n FROM source_metadata").get() as { n: number }).n;

  it("executes writes and reports changes; fetchOne and fetchAll read rows", async () => {
    expect((await sql.execute(insertSource, ["s1", "github", "https://github.com/a/b", "react", true]))._unsafeUnwrap().changes).toBe(1);
    expect((await sql.execute(insertSource, ["s2", "web", "https://docs.x", "react", false]))._unsafeUnwrap().changes).toBe(1);
    expect((await sql.execute("UPDATE source_metadata SET technology = ? WHERE technology = ?", ["React", "react"]))._unsafeUnwrap().changes).toBe(2);

    expect((await sql.fetchOne("SELECT source_id, is_active FROM source_metadata WHERE source_id = ?", ["s1"]))._unsafeUnwrap()).toEqual({ source_id: "s1", is_active: 1 });
    expect((await sql.fetchOne("SELECT * FROM source_metadata WHERE source_id = ?", ["none"]))._unsafeUnwrap()).toBeNull();
    expect((await sql.fetchAll<{ source_id: string }>("SELECT source_id FROM source_metadata ORDER BY source_id"))._unsafeUnwrap().map((row) => row.source_id)).toEqual(["s1", "s2"]);
  });

  it("binds values literally, never as SQL", async () => {
    const hostile = "x'); DROP TABLE source_metadata; --";
    (await sql.execute(insertSource, ["s-hostile", "api", hostile, "sql", true]))._unsafeUnwrap();
    expect((await sql.fetchOne<{ source_url: string }>("SELECT source_url FROM source_metadata WHERE source_id = ?", ["s-hostile"]))._unsafeUnwrap()?.source_url).toBe(hostile);
  });

  it("converts Dates to the framework's UTC timestamp text", async () => {
    const when = new Date("2026-01-02T03:04:05.678Z");
    (await sql.execute("UPDATE source_metadata SET last_failed_fetch = ? WHERE source_id = 's1'", [when]))._unsafeUnwrap();
    expect((await sql.fetchOne("SELECT last_failed_fetch AS at FROM source_metadata WHERE source_id = 's1'"))._unsafeUnwrap()).toEqual({ at: "2026-01-02 03:04:05.678" });
    expect(sqlTimestamp(when)).toBe("2026-01-02 03:04:05.678");
  });

  it("refuses parameters SQLite cannot bind faithfully, naming their position, and runs nothing", async () => {
    const before = sourceCount();
    const undefinedParam = (await sql.execute(insertSource, ["s9", "web", undefined as unknown as string, "x", true]))._unsafeUnwrapErr();
    expect(undefinedParam.code).toBe("VALIDATION_FAILED");
    expect(undefinedParam.details?.parameter_index).toBe(2);
    expect((await sql.execute(insertSource, ["s9", "web", { url: "x" } as unknown as string, "x", true]))._unsafeUnwrapErr().code).toBe("VALIDATION_FAILED");
    expect((await sql.execute(insertSource, ["s9", "web", "u", "x", Number.NaN]))._unsafeUnwrapErr().code).toBe("VALIDATION_FAILED");
    expect((await sql.execute("  "))._unsafeUnwrapErr().code).toBe("VALIDATION_FAILED");
    // Transaction control would escape the connection's gate; executeTransaction is the way.
    expect((await sql.execute("BEGIN IMMEDIATE"))._unsafeUnwrapErr().message).toMatch(/executeTransaction/);
    expect((await sql.executeTransaction([["ROLLBACK"]]))._unsafeUnwrapErr().details?.statement_index).toBe(0);
    expect(sourceCount()).toBe(before);
  });

  it("maps SQL errors to DbError codes", async () => {
    expect((await sql.fetchAll("SELECT * FROM no_such_table"))._unsafeUnwrapErr().code).toBe("QUERY_FAILED");
    expect((await sql.execute(insertSource, ["s1", "web", "dup", "x", true]))._unsafeUnwrapErr().code).toBe("CONSTRAINT_VIOLATION");
  });

  it("executeTransaction applies every statement atomically", async () => {
    const results = (
      await sql.executeTransaction([
        [insertSource, ["t1", "web", "u1", "vue", true]],
        [insertSource, ["t2", "web", "u2", "vue", true]],
        ["UPDATE source_metadata SET consecutive_failures = consecutive_failures + 1 WHERE technology = ?", ["vue"]],
      ])
    )._unsafeUnwrap();
    expect(results.map((result) => result.changes)).toEqual([1, 1, 2]);
    expect((await sql.fetchAll("SELECT source_id, consecutive_failures FROM source_metadata WHERE technology = 'vue' ORDER BY source_id"))._unsafeUnwrap()).toEqual([
      { source_id: "t1", consecutive_failures: 1 },
      { source_id: "t2", consecutive_failures: 1 },
    ]);
  });

  it("executeTransaction rolls back every statement when one fails, naming the failing one", async () => {
    const snapshot = () => sqliteConnection(booted.database("docs")).prepare("SELECT * FROM source_metadata ORDER BY source_id").all();
    const before = snapshot();
    const failure = (
      await sql.executeTransaction([
        [insertSource, ["r1", "web", "u", "svelte", true]],
        ["UPDATE source_metadata SET consecutive_failures = 99 WHERE technology = 'vue'"],
        [insertSource, ["r2", "gopher", "u", "svelte", true]], // breaks the source_type CHECK
        [insertSource, ["r3", "web", "u", "svelte", true]],
      ])
    )._unsafeUnwrapErr();
    expect(failure.code).toBe("CONSTRAINT_VIOLATION");
    expect(failure.details?.statement_index).toBe(2);
    expect(snapshot()).toEqual(before);

    // A bad parameter anywhere is caught before anything runs.
    const badParam = (await sql.executeTransaction([[insertSource, ["r4", "web", "u", "svelte", true]], [insertSource, ["r5", "web", undefined as unknown as string, "svelte", true]]]))._unsafeUnwrapErr();
    expect([badParam.code, badParam.details?.statement_index]).toEqual(["VALIDATION_FAILED", 1]);
    expect(snapshot()).toEqual(before);
    expect((await sql.executeTransaction([]))._unsafeUnwrap()).toEqual([]);
  });

  it("waits out another connection's write lock through the framework's retry", async () => {
    const database = booted.database("docs");
    const other = new Database(database.file);
    const retriesBefore = database.stats.retries;
    other.exec("BEGIN IMMEDIATE");
    other.prepare(insertSource).run("locker", "web", "u", "lock", 1);
    const release = setTimeout(() => other.exec("COMMIT"), 120);
    try {
      const written = await sql.executeTransaction([[insertSource, ["waiter", "web", "u", "lock", true]]]);
      expect(written._unsafeUnwrap()[0]?.changes).toBe(1);
      expect(database.stats.retries).toBeGreaterThan(retriesBefore);
      expect((await sql.fetchAll<{ source_id: string }>("SELECT source_id FROM source_metadata WHERE technology = 'lock' ORDER BY source_id"))._unsafeUnwrap().map((row) => row.source_id)).toEqual(["locker", "waiter"]);
    } finally {
      clearTimeout(release);
      if (other.inTransaction) other.exec("COMMIT");
      other.close();
    }
  });

  it("keeps concurrent transactions and single statements apart on the shared connection", async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        index % 2 === 0
          ? sql.executeTransaction([
              [insertSource, [`c${index}`, "web", "u", "concurrent", true]],
              ["UPDATE source_metadata SET total_documents_processed = total_documents_processed + 1 WHERE source_id = 's1'"],
            ])
          : sql.execute(insertSource, [`c${index}`, "api", "u", "concurrent", true]),
      ),
    );
    expect((await sql.fetchOne("SELECT COUNT(*) AS n FROM source_metadata WHERE technology = 'concurrent'"))._unsafeUnwrap()).toEqual({ n: 20 });
    expect((await sql.fetchOne("SELECT total_documents_processed AS n FROM source_metadata WHERE source_id = 's1'"))._unsafeUnwrap()).toEqual({ n: 10 });
  });
});
