import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DataSource, EntitySchema, type QueryRunner } from "typeorm";
import { assertTypeormShape, markNoTransaction, runnerTransaction, sqliteHandle } from "../../../../framework/engines/sqlite/typeorm-internals";

const Item = new EntitySchema<{ id: number; title: string }>({
  name: "Item",
  tableName: "items",
  columns: { id: { type: Number, primary: true, generated: true }, title: { type: String } },
});

/** Statements TypeORM sends through the runner, recorded by wrapping its `query`. */
function recordStatements(runner: QueryRunner): string[] {
  const sent: string[] = [];
  const original = runner.query.bind(runner);
  runner.query = ((sql: string, ...rest: unknown[]) => {
    sent.push(sql);
    return (original as (...args: unknown[]) => Promise<unknown>)(sql, ...rest);
  }) as QueryRunner["query"];
  return sent;
}

/**
 * The transaction keeper corrects TypeORM's private bookkeeping of the SQLite query runner. These
 * tests pin down exactly what it relies on, on a plain (unguarded) DataSource: if a TypeORM upgrade
 * renames a field or changes when it is set, they fail here rather than at the next full disk.
 */
describe("TypeORM internals the SQLite transaction keeper leans on", () => {
  let dataSource: DataSource;
  let runner: QueryRunner;

  beforeEach(async () => {
    dataSource = new DataSource({ type: "better-sqlite3", database: ":memory:", entities: [Item], synchronize: true, logging: false });
    await dataSource.initialize();
    runner = dataSource.createQueryRunner();
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  it("one shared runner per DataSource, the better-sqlite3 handle on the driver and not on the runner", () => {
    expect(dataSource.createQueryRunner()).toBe(runner);
    const handle = sqliteHandle(dataSource);
    expect(handle.constructor.name).toBe("Database");
    expect(typeof handle.inTransaction).toBe("boolean");
    // The bug this file exists for: the runner itself carries no connection.
    expect((runner as unknown as { databaseConnection?: unknown }).databaseConnection).toBeUndefined();
    expect(() => assertTypeormShape(dataSource, runner)).not.toThrow();
  });

  it("isTransactionActive and transactionDepth track BEGIN, SAVEPOINT, RELEASE and COMMIT", async () => {
    const sent = recordStatements(runner);
    expect(runnerTransaction(runner)).toEqual({ active: false, depth: 0 });
    await runner.startTransaction();
    expect(runnerTransaction(runner)).toEqual({ active: true, depth: 1 });
    await runner.startTransaction();
    expect(runnerTransaction(runner)).toEqual({ active: true, depth: 2 });
    await runner.commitTransaction();
    await runner.commitTransaction();
    expect(runnerTransaction(runner)).toEqual({ active: false, depth: 0 });
    expect(sent).toEqual(["BEGIN TRANSACTION", "SAVEPOINT typeorm_1", "RELEASE SAVEPOINT typeorm_1", "COMMIT"]);
  });

  it("a failed COMMIT leaves TypeORM believing the transaction open, so the next one would be a SAVEPOINT", async () => {
    const sent = recordStatements(runner);
    await runner.startTransaction();
    // SQLite ends the transaction behind TypeORM's back, as a COMMIT failing with SQLITE_FULL does.
    sqliteHandle(dataSource).exec("ROLLBACK");
    await expect(runner.commitTransaction()).rejects.toThrow(/no transaction is active/);
    expect(runnerTransaction(runner)).toEqual({ active: true, depth: 1 });
    await runner.startTransaction();
    // Outside a transaction SQLite takes that SAVEPOINT as a new transaction of its own: the writes
    // inside it would be released into a transaction that is never committed.
    expect(sent.at(-1)).toBe("SAVEPOINT typeorm_1");
    expect(runnerTransaction(runner)).toEqual({ active: true, depth: 2 });
    sqliteHandle(dataSource).exec("ROLLBACK");
  });

  it("markNoTransaction makes the next transaction a real BEGIN", async () => {
    await runner.startTransaction();
    sqliteHandle(dataSource).exec("ROLLBACK");
    await expect(runner.commitTransaction()).rejects.toThrow();
    markNoTransaction(runner);
    expect(runner.isTransactionActive).toBe(false);
    const sent = recordStatements(runner);
    await runner.startTransaction();
    expect(sent).toEqual(["BEGIN TRANSACTION"]);
    await runner.query("INSERT INTO items (title) VALUES ('kept')");
    await runner.commitTransaction();
    expect(sqliteHandle(dataSource).inTransaction).toBe(false);
    expect(await runner.query("SELECT title FROM items")).toEqual([{ title: "kept" }]);
  });

  it("startTransaction marks the transaction active before BEGIN runs (a failed BEGIN leaves it so)", async () => {
    sqliteHandle(dataSource).exec("BEGIN");
    await expect(runner.startTransaction()).rejects.toThrow(/within a transaction/);
    expect(runnerTransaction(runner)).toEqual({ active: true, depth: 0 });
    sqliteHandle(dataSource).exec("ROLLBACK");
  });
});
