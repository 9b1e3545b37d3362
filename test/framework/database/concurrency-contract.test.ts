import { setTimeout as sleep } from "node:timers/promises";
import type { ObjectLiteral, Repository } from "typeorm";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { bootFramework, CrudService, repositoryToken, type Framework, type ModuleDatabase } from "../../../framework";
import { describeEachEngine } from "../../support/each-engine";
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
@Entity({ name: "counters" })
export class Counter {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "integer", default: 0 }) value: number;
}
`;

const DELIBERATE = "deliberate failure";

interface Attempt {
  readonly labels: readonly string[];
  readonly acknowledged: boolean;
  readonly deliberate: boolean;
  readonly error?: string;
}

function jitter(): Promise<void> {
  return sleep(Math.floor(Math.random() * 3));
}

async function attempt(labels: readonly string[], deliberate: boolean, work: () => unknown): Promise<Attempt> {
  try {
    const outcome = await work();
    if (typeof outcome === "object" && outcome !== null && "isErr" in outcome && (outcome as { isErr(): boolean }).isErr()) {
      const error = (outcome as unknown as { error: { message: string } }).error;
      return { labels, acknowledged: false, deliberate, error: error.message };
    }
    return { labels, acknowledged: true, deliberate };
  } catch (error) {
    return { labels, acknowledged: false, deliberate, error: error instanceof Error ? error.message : String(error) };
  }
}

describeEachEngine("concurrent writers on one database (contract)", (engine) => {
  let temp: TempRoot;
  let framework: Framework;
  let db: ModuleDatabase;
  let crud: CrudService;
  let entries: Repository<ObjectLiteral>;

  beforeAll(async () => {
    temp = createTempRoot("concurrency-contract");
    temp.writeModuleFile("ledger", "db-models.ts", LEDGER_MODELS);
    await engine.use(["ledger"]);
    framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    db = framework.databases.get("ledger")._unsafeUnwrap();
    crud = framework.resolve(CrudService);
    const entry = db.entities.find((candidate) => typeof candidate === "function" && candidate.name === "Entry");
    if (entry === undefined) throw new Error("ledger has no Entry entity");
    entries = framework.resolve<Repository<ObjectLiteral>>(repositoryToken(entry));
  });

  beforeEach(async () => {
    await db.dataSource.manager.clear("entries");
  });

  afterAll(async () => {
    await framework?.shutdown();
    temp.remove();
    await engine.release();
  });

  async function storedLabels(): Promise<Set<string>> {
    return new Set((await db.dataSource.manager.find<{ label: string }>("entries")).map((row) => row.label));
  }

  it("keeps every acknowledged write and nothing of failed transactions (40 transactions + repository and CrudService writes)", async () => {
    const attempts: Promise<Attempt>[] = [];
    for (let i = 0; i < 40; i += 1) {
      const fails = i % 5 === 2;
      const labels = [`tx-${i}-a`, `tx-${i}-b`];
      attempts.push(
        attempt(labels, fails, () =>
          db.transaction(async (manager) => {
            await manager.insert("entries", { source: "transaction", label: labels[0] });
            await jitter();
            await manager.insert("entries", { source: "transaction", label: labels[1] });
            await jitter();
            if (fails) throw new Error(DELIBERATE);
          }),
        ),
      );
      attempts.push(attempt([`save-${i}`], false, () => entries.save({ source: "repository.save", label: `save-${i}` })));
      attempts.push(attempt([`insert-${i}`], false, () => entries.insert({ source: "repository.insert", label: `insert-${i}` })));
      attempts.push(attempt([`crud-${i}`], false, () => crud.create("ledger", "entries", { source: "crud", label: `crud-${i}` })));
    }
    const outcomes = await Promise.all(attempts);
    expect(outcomes.filter((outcome) => !outcome.acknowledged && !(outcome.deliberate && outcome.error === DELIBERATE))).toEqual([]);
    const stored = await storedLabels();
    const acknowledged = outcomes.filter((outcome) => outcome.acknowledged).flatMap((outcome) => outcome.labels);
    const failed = outcomes.filter((outcome) => !outcome.acknowledged).flatMap((outcome) => outcome.labels);
    expect(failed).toHaveLength(8 * 2);
    expect(acknowledged.filter((label) => !stored.has(label))).toEqual([]);
    expect(failed.filter((label) => stored.has(label))).toEqual([]);
    expect(stored.size).toBe(acknowledged.length);
  });

  it("loses no update when 25 transactions read a counter and write it back at once", async () => {
    const counter = (await crud.create("ledger", "counters", { value: 0 }))._unsafeUnwrap();
    const increments = await Promise.all(
      Array.from({ length: 25 }, () =>
        db.transaction(async (manager) => {
          const row = await manager.findOneByOrFail<{ id: number; value: number }>("counters", { id: Number(counter.id) });
          await jitter();
          await manager.update("counters", { id: row.id }, { value: row.value + 1 });
        }),
      ),
    );
    expect(increments.filter((result) => result.isErr()).map((result) => result._unsafeUnwrapErr().message)).toEqual([]);
    expect((await crud.get("ledger", "counters", Number(counter.id)))._unsafeUnwrap().value).toBe(25);
  });

  it("never lets a reader outside a transaction see its uncommitted rows", async () => {
    let inserted!: () => void;
    const insertedNow = new Promise<void>((resolve) => (inserted = resolve));
    const rolledBack = db.transaction(async (manager) => {
      await manager.insert("entries", { source: "transaction", label: "uncommitted" });
      inserted();
      await sleep(60);
      throw new Error(DELIBERATE);
    });
    await insertedNow;
    const [count, page, viaRepository] = await Promise.all([crud.count("ledger", "entries"), crud.list("ledger", "entries", {}), entries.count()]);
    expect((await rolledBack).isErr()).toBe(true);
    expect(count._unsafeUnwrap()).toBe(0);
    expect(page._unsafeUnwrap().records).toEqual([]);
    expect(viaRepository).toBe(0);
    expect(await storedLabels()).toEqual(new Set());
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
  });

  it("keeps plain writes made while another caller's transaction is open and then fails", async () => {
    const failing = db.transaction(async (manager) => {
      await manager.insert("entries", { source: "transaction", label: "inside" });
      await sleep(30);
      throw new Error(DELIBERATE);
    });
    await sleep(5);
    await entries.insert({ source: "repository.insert", label: "acknowledged repository write" });
    (await crud.create("ledger", "entries", { source: "crud", label: "acknowledged crud write" }))._unsafeUnwrap();
    expect((await failing)._unsafeUnwrapErr().message).toBe(DELIBERATE);
    expect([...(await storedLabels())].sort()).toEqual(["acknowledged crud write", "acknowledged repository write"]);
  });

  it("refuses a transaction begun on a query runner taken outside any unit of work", async () => {
    const runner = db.dataSource.createQueryRunner();
    await expect(runner.startTransaction()).rejects.toThrow(/ModuleDatabase\.transaction\(\)/);
    expect((await crud.create("ledger", "entries", { source: "crud", label: "after-refusal" })).isOk()).toBe(true);
  });

  it("reports every transaction to the database's activity (what /metrics counts)", async () => {
    const outcomes: string[] = [];
    const stop = db.activity.observe({ transaction: (_database, _seconds, outcome) => outcomes.push(outcome) });
    try {
      (await db.transaction(async (manager) => manager.insert("entries", { source: "transaction", label: "observed" })))._unsafeUnwrap();
      expect(
        (await db.transaction(async () => {
          throw new Error(DELIBERATE);
        })).isErr(),
      ).toBe(true);
    } finally {
      stop();
    }
    expect(outcomes).toEqual(["committed", "rolled_back"]);
  });
});
