import path from "node:path";
import type { ResultAsync } from "neverthrow";
import { setTimeout as sleep } from "node:timers/promises";
import { DataSource, type ObjectLiteral, type Repository } from "typeorm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bootFramework, CrudService, repositoryToken, type DbError, type Framework, type ModuleDatabase } from "../../../framework";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

const LEDGER_MODELS = `
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
export const DATABASE_NAME = "ledger";
@Entity({ name: "entries" })
export class Entry {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 40 }) source: string;
  @Column({ type: "varchar", length: 100, unique: true }) label: string;
}
`;

/** Thrown on purpose by some transactions; anything else reaching the test is a real failure. */
const DELIBERATE = "deliberate failure";

/** A write attempt and the labels it would have written. */
interface Attempt {
  readonly labels: readonly string[];
  readonly acknowledged: boolean;
  readonly deliberate: boolean;
  readonly error?: string;
}

function jitter(): Promise<void> {
  return sleep(Math.floor(Math.random() * 3));
}

describe("concurrent writers on one database (one process)", () => {
  let temp: TempRoot;
  let framework: Framework;
  let db: ModuleDatabase;
  let crud: CrudService;
  let repository: Repository<ObjectLiteral>;

  beforeAll(async () => {
    temp = createTempRoot("concurrency");
    temp.writeModuleFile("ledger", "db-models.ts", LEDGER_MODELS);
    framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    db = framework.databases.get("ledger")._unsafeUnwrap();
    crud = framework.resolve(CrudService);
    const [entry] = db.entities;
    if (entry === undefined) throw new Error("ledger has no entity");
    repository = framework.resolve<Repository<ObjectLiteral>>(repositoryToken(entry));
  });

  beforeEach(async () => {
    await db.dataSource.query("DELETE FROM entries");
  });

  afterAll(async () => {
    await framework?.shutdown();
    temp.remove();
  });

  async function storedLabels(): Promise<Set<string>> {
    const rows = (await db.dataSource.query("SELECT label FROM entries")) as { label: string }[];
    return new Set(rows.map((row) => row.label));
  }

  function settle(labels: readonly string[], deliberate: boolean, work: Promise<unknown>): Promise<Attempt> {
    return work.then(
      () => ({ labels, acknowledged: true, deliberate }),
      (error: unknown) => ({ labels, acknowledged: false, deliberate, error: error instanceof Error ? error.message : JSON.stringify(error) }),
    );
  }

  function settleResult(labels: readonly string[], deliberate: boolean, work: ResultAsync<unknown, DbError>): Promise<Attempt> {
    const settled = async () => {
      const result = await work;
      if (result.isErr()) throw new Error(result.error.message);
    };
    return settle(labels, deliberate, settled());
  }

  it("keeps every acknowledged write and nothing of failed transactions (50 transactions + repository, raw and CrudService writes)", async () => {
    const attempts: Promise<Attempt>[] = [];
    for (let i = 0; i < 50; i += 1) {
      const fails = i % 5 === 2;
      const labels = [`tx-${i}-a`, `tx-${i}-b`];
      attempts.push(
        settleResult(
          labels,
          fails,
          db.transaction(async (manager) => {
            await manager.insert("entries", { source: "transaction", label: labels[0] });
            await jitter();
            await manager.query("INSERT INTO entries (source, label) VALUES (?, ?)", ["transaction", labels[1]]);
            await jitter();
            if (fails) throw new Error(DELIBERATE);
            return i;
          }),
        ),
      );
      // Plain writes interleaved with the transactions, each started while others are open.
      const save = `save-${i}`;
      attempts.push(settle([save], false, repository.save({ source: "repository.save", label: save })));
      const insert = `insert-${i}`;
      attempts.push(settle([insert], false, repository.insert({ source: "repository.insert", label: insert })));
      const raw = `raw-${i}`;
      attempts.push(settle([raw], false, db.dataSource.query("INSERT INTO entries (source, label) VALUES (?, ?)", ["query", raw])));
      const created = `crud-${i}`;
      attempts.push(settleResult([created], false, crud.create("ledger", "entries", { source: "crud", label: created })));
    }
    const outcomes = await Promise.all(attempts);

    const unexpected = outcomes.filter((outcome) => !outcome.acknowledged && !(outcome.deliberate && outcome.error === DELIBERATE));
    expect(unexpected).toEqual([]);
    const stored = await storedLabels();
    const acknowledged = outcomes.filter((outcome) => outcome.acknowledged).flatMap((outcome) => outcome.labels);
    const failed = outcomes.filter((outcome) => !outcome.acknowledged).flatMap((outcome) => outcome.labels);
    expect(failed).toHaveLength(10 * 2);
    expect(acknowledged).toHaveLength(40 * 2 + 50 * 4);
    expect(acknowledged.filter((label) => !stored.has(label))).toEqual([]);
    expect(failed.filter((label) => stored.has(label))).toEqual([]);
    expect(stored.size).toBe(acknowledged.length);
  });

  it("never lets a reader outside the transaction see its uncommitted rows", async () => {
    const events: string[] = [];
    const rolledBack = db
      .transaction(async (manager) => {
        await manager.insert("entries", { source: "transaction", label: "uncommitted" });
        events.push("inserted");
        await sleep(60);
        throw new Error(DELIBERATE);
      })
      .then((result) => events.push(result.isErr() ? "rolled back" : "committed"));
    await sleep(10);
    expect(events).toEqual(["inserted"]);
    const [count, page, raw, viaRepository] = await Promise.all([
      crud.count("ledger", "entries").map((total) => (events.push("count"), total)),
      crud.list("ledger", "entries", {}),
      db.dataSource.query("SELECT COUNT(*) AS n FROM entries") as Promise<[{ n: number }]>,
      repository.count(),
    ]);
    await rolledBack;
    expect(count._unsafeUnwrap()).toBe(0);
    expect(page._unsafeUnwrap().records).toEqual([]);
    expect(raw[0].n).toBe(0);
    expect(viaRepository).toBe(0);
    // CrudService reads go to the read connection: they did not wait for the transaction, and did not read through it.
    expect(events).toEqual(["inserted", "count", "rolled back"]);

    const committed = db.transaction(async (manager) => {
      await manager.insert("entries", { source: "transaction", label: "committed" });
      await sleep(30);
    });
    await sleep(5);
    const during = await crud.list("ledger", "entries", {});
    expect((await committed).isOk()).toBe(true);
    const after = await crud.list("ledger", "entries", {});
    expect(during._unsafeUnwrap().records).toEqual([]);
    // Once the commit is acknowledged, the very next read sees it.
    expect(after._unsafeUnwrap().records.map((record) => record.label)).toEqual(["committed"]);
  });

  it("serialises concurrent dataSource.transaction() calls made directly", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        db.dataSource.transaction(async (manager) => {
          await manager.insert("entries", { source: "dataSource.transaction", label: `direct-${i}` });
          await jitter();
          if (i % 4 === 0) throw new Error(DELIBERATE);
        }),
      ),
    );
    const rejected = results.flatMap((result, i) => (result.status === "rejected" ? [{ i, message: (result.reason as Error).message }] : []));
    expect(rejected).toEqual(Array.from({ length: 5 }, (_, k) => ({ i: k * 4, message: DELIBERATE })));
    const stored = await storedLabels();
    expect([...stored].sort()).toEqual(Array.from({ length: 20 }, (_, i) => i).filter((i) => i % 4 !== 0).map((i) => `direct-${i}`).sort());
  });

  it("supports nested transactions as savepoints: an inner failure rolls back only the inner work", async () => {
    const result = await db.transaction(async (manager) => {
      await manager.insert("entries", { source: "outer", label: "outer-before" });
      const inner = await db.transaction(async (nested) => {
        await nested.insert("entries", { source: "inner", label: "inner-kept" });
      });
      const failedInner = await manager
        .transaction(async (nested) => {
          await nested.insert("entries", { source: "inner", label: "inner-dropped" });
          throw new Error(DELIBERATE);
        })
        .then(
          () => "committed",
          (error: Error) => error.message,
        );
      await manager.insert("entries", { source: "outer", label: "outer-after" });
      return { inner: inner.isOk(), failedInner };
    });
    expect(result._unsafeUnwrap()).toEqual({ inner: true, failedInner: DELIBERATE });
    expect([...(await storedLabels())].sort()).toEqual(["inner-kept", "outer-after", "outer-before"]);

    const whole = await db.transaction(async (manager) => {
      await manager.insert("entries", { source: "outer", label: "whole-outer" });
      await manager.transaction(async (nested) => nested.insert("entries", { source: "inner", label: "whole-inner" }));
      throw new Error(DELIBERATE);
    });
    expect(whole._unsafeUnwrapErr()).toMatchObject({ code: "TRANSACTION_FAILED", message: DELIBERATE, database: "ledger" });
    const stored = await storedLabels();
    expect(stored.has("whole-outer") || stored.has("whole-inner")).toBe(false);
  });

  it("keeps a plain write made while another caller's transaction is open and then fails", async () => {
    const failing = db.transaction(async (manager) => {
      await manager.query("INSERT INTO entries (source, label) VALUES ('transaction', 'inside')");
      await sleep(30);
      throw new Error(DELIBERATE);
    });
    await sleep(5);
    await db.dataSource.query("INSERT INTO entries (source, label) VALUES ('query', 'acknowledged plain write')");
    await repository.insert({ source: "repository.insert", label: "acknowledged repository write" });
    expect((await failing)._unsafeUnwrapErr().message).toBe(DELIBERATE);
    expect([...(await storedLabels())].sort()).toEqual(["acknowledged plain write", "acknowledged repository write"]);
  });

  it("refuses a transaction begun on the shared query runner without the gate", async () => {
    const runner = db.dataSource.createQueryRunner();
    await expect(runner.startTransaction()).rejects.toThrow(/ModuleDatabase\.transaction\(\)/);
    expect((await crud.create("ledger", "entries", { source: "crud", label: "after-refusal" })).isOk()).toBe(true);
  });
});

describe("bare TypeORM without the framework (the holes the framework closes)", () => {
  it("loses a plain write made while another caller's transaction is open, after acknowledging it", async () => {
    const temp = createTempRoot("bare-typeorm-lost");
    const dataSource = new DataSource({ type: "better-sqlite3", database: path.join(temp.root, "bare.db") });
    await dataSource.initialize();
    try {
      await dataSource.query("CREATE TABLE entries (id INTEGER PRIMARY KEY, label TEXT)");
      const failing = dataSource
        .transaction(async (manager) => {
          await manager.query("INSERT INTO entries (label) VALUES ('inside')");
          await sleep(30);
          throw new Error(DELIBERATE);
        })
        .catch((error: Error) => error.message);
      await sleep(5);
      await dataSource.query("INSERT INTO entries (label) VALUES ('acknowledged plain write')");
      expect(await failing).toBe(DELIBERATE);
      expect(await dataSource.query("SELECT label FROM entries")).toEqual([]);
    } finally {
      await dataSource.destroy();
      temp.remove();
    }
  });


  it("fails concurrent dataSource.transaction() calls on one better-sqlite3 DataSource", async () => {
    const temp = createTempRoot("bare-typeorm");
    const dataSource = new DataSource({ type: "better-sqlite3", database: path.join(temp.root, "bare.db") });
    await dataSource.initialize();
    try {
      await dataSource.query("CREATE TABLE entries (id INTEGER PRIMARY KEY, label TEXT)");
      const results = await Promise.allSettled(
        Array.from({ length: 2 }, (_, i) =>
          dataSource.transaction(async (manager) => {
            await manager.query("INSERT INTO entries (label) VALUES (?)", [`bare-${i}`]);
          }),
        ),
      );
      const messages = results.flatMap((result) => (result.status === "rejected" ? [(result.reason as Error).message] : []));
      expect(messages.join("\n")).toContain("cannot start a transaction within a transaction");
    } finally {
      await dataSource.destroy();
      temp.remove();
    }
  });
});
