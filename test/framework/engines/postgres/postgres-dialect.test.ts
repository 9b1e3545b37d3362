import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from "typeorm";
import { compileFilters } from "../../../../framework/crud/query/filter-tree";
import { ParameterBag, runQuery } from "../../../../framework/crud/query/sql-fragment";
import type { FilterNode } from "../../../../framework";
import { dialectOf, type SqlDialect } from "../../../../framework/engines/sql-dialect";
import { ensureMigrationTable, hasMigrationTable, hasUserTables, isApplied, recordApplied, readAppliedMigrations } from "../../../../framework/migrations/migration-table";
import { postgresAvailability, sharedPostgresUrl } from "../../../support/postgres-target";
import { describeWithService } from "../../../support/required-service";
import { createTempRoot } from "../../../support/temp-root";
import { EVENTS, BOOKS } from "../../../support/query-models";

@Entity({ name: "events" })
class DialectEvent {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 40 }) kind: string;
  @Column({ type: "simple-json", nullable: true }) payload: unknown;
  @Column({ type: "simple-json", nullable: true }) tags: unknown[] | null;
  @Column({ type: "simple-array", nullable: true }) labels: string[] | null;
}

@Entity({ name: "books" })
class DialectBook {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 200 }) title: string;
  @Column({ type: "varchar", length: 20 }) status: string;
  @Column({ type: "integer", nullable: true }) priority: number | null;
}

type EventRow = (typeof EVENTS)[number] & { id: number };
type BookRow = (typeof BOOKS)[number] & { id: number };
const events: EventRow[] = EVENTS.map((event, index) => ({ ...event, id: index + 1 }));
const books: BookRow[] = BOOKS.map((book, index) => ({ ...book, id: index + 1 }));
const eventIds = (predicate: (event: EventRow) => boolean) => events.filter(predicate).map((event) => event.id);
const bookIds = (predicate: (book: BookRow) => boolean) => books.filter(predicate).map((book) => book.id);
const payloadOf = (event: EventRow) => event.payload as { a: { b: number; name: string }; list: number[] } | null;

/** Opens the same two tables on one engine, filled with the same rows. */
async function openEngine(kind: "sqlite" | "postgres"): Promise<DataSource> {
  let dataSource: DataSource;
  if (kind === "sqlite") {
    const root = createTempRoot("dialect");
    dataSource = new DataSource({ type: "better-sqlite3", database: path.join(root.dataDir, "dialect.db"), entities: [DialectEvent, DialectBook], synchronize: true });
  } else {
    const schema = `dialect_${process.pid}_${Date.now()}`;
    const setup = new DataSource({ type: "postgres", url: sharedPostgresUrl() as string });
    await setup.initialize();
    await setup.query(`CREATE SCHEMA "${schema}"`);
    await setup.destroy();
    dataSource = new DataSource({ type: "postgres", url: sharedPostgresUrl() as string, schema, entities: [DialectEvent, DialectBook], synchronize: true, extra: { options: `-c search_path="${schema}" -c TimeZone=UTC` } });
  }
  await dataSource.initialize();
  await dataSource.getRepository(DialectEvent).save(EVENTS.map((event) => ({ ...event })));
  await dataSource.getRepository(DialectBook).save(BOOKS.map(({ title, status, priority }) => ({ title, status, priority })));
  return dataSource;
}

async function ids(dataSource: DataSource, table: "events" | "books", filters: FilterNode[]): Promise<number[]> {
  const metadata = dataSource.getMetadata(table === "events" ? DialectEvent : DialectBook);
  const bag = new ParameterBag();
  const condition = compileFilters(dataSource, metadata, filters, "dialect", bag)._unsafeUnwrap();
  const rows = await runQuery<{ id: number }>(dataSource, `SELECT "id" FROM "${table}" WHERE ${condition} ORDER BY "id"`, bag.values);
  return rows.map((row) => Number(row.id));
}

/** The filters whose results must be the same on every engine, with what they must select. */
const CASES: readonly { name: string; table: "events" | "books"; filters: FilterNode[]; expected: number[] }[] = [
  { name: "has on a JSON array (text)", table: "events", filters: [{ column: "tags", op: "has", value: "blue" }], expected: eventIds((e) => e.tags?.includes("blue") === true) },
  { name: "has on a JSON array (number)", table: "events", filters: [{ column: "tags", op: "has", value: 4 }], expected: eventIds((e) => e.tags?.includes(4) === true) },
  { name: "has on a simple-array list", table: "events", filters: [{ column: "labels", op: "has", value: "l1" }], expected: eventIds((e) => e.labels?.includes("l1") === true) },
  { name: "JSON path = number", table: "events", filters: [{ column: "payload", path: ["a", "b"], op: "eq", value: 2 }], expected: eventIds((e) => payloadOf(e)?.a.b === 2) },
  { name: "JSON path > number", table: "events", filters: [{ column: "payload", path: ["a", "b"], op: "gt", value: 1 }], expected: eventIds((e) => (payloadOf(e)?.a.b ?? -1) > 1) },
  { name: "JSON path = text", table: "events", filters: [{ column: "payload", path: ["a", "name"], op: "eq", value: "n1" }], expected: eventIds((e) => payloadOf(e)?.a.name === "n1") },
  { name: "JSON path: a number never equals text", table: "events", filters: [{ column: "payload", path: ["a", "b"], op: "eq", value: "2" }], expected: [] },
  { name: "JSON path into an array", table: "events", filters: [{ column: "payload", path: ["list", 1], op: "gte", value: 20 }], expected: eventIds((e) => (payloadOf(e)?.list[1] ?? -1) >= 20) },
  { name: "JSON path in (numbers)", table: "events", filters: [{ column: "payload", path: ["a", "b"], op: "in", value: [0, 3] }], expected: eventIds((e) => [0, 3].includes(payloadOf(e)?.a.b ?? -1)) },
  { name: "JSON path isnull", table: "events", filters: [{ column: "payload", path: ["a", "b"], op: "isnull" }], expected: eventIds((e) => payloadOf(e) === null) },
  { name: "JSON path between", table: "events", filters: [{ column: "payload", path: ["a", "b"], op: "between", value: [1, 2] }], expected: eventIds((e) => { const b = payloadOf(e)?.a.b; return b !== undefined && b >= 1 && b <= 2; }) },
  { name: "JSON path starts_with", table: "events", filters: [{ column: "payload", path: ["a", "name"], op: "starts_with", value: "n" }], expected: eventIds((e) => payloadOf(e) !== null) },
  { name: "ilike folds case, wildcards work", table: "books", filters: [{ column: "title", op: "ilike", value: "the road%" }], expected: bookIds((b) => b.title.toLowerCase().startsWith("the road")) },
  { name: "ilike: an escaped wildcard is literal", table: "books", filters: [{ column: "title", op: "ilike", value: "100\\%\\_%" }], expected: bookIds((b) => b.title.startsWith("100%_")) },
  { name: "contains: % and _ are literal", table: "books", filters: [{ column: "title", op: "contains", value: "%_" }], expected: bookIds((b) => b.title.includes("%_")) },
  { name: "contains", table: "books", filters: [{ column: "title", op: "contains", value: "Road" }], expected: bookIds((b) => b.title.includes("Road")) },
  { name: "contains is case-sensitive: never matches other case", table: "books", filters: [{ column: "title", op: "contains", value: "road" }], expected: [] },
  { name: "starts_with", table: "books", filters: [{ column: "title", op: "starts_with", value: "The" }], expected: bookIds((b) => b.title.startsWith("The")) },
  { name: "starts_with is case-sensitive: never matches other case", table: "books", filters: [{ column: "title", op: "starts_with", value: "the" }], expected: [] },
  { name: "ends_with", table: "books", filters: [{ column: "title", op: "ends_with", value: "_sure 0" }], expected: bookIds((b) => b.title.endsWith("_sure 0")) },
  { name: "not over a NULL comparison", table: "books", filters: [{ not: { column: "priority", op: "gt", value: 2 } }], expected: bookIds((b) => !(b.priority !== null && b.priority > 2)) },
];

function engineSuite(kind: "sqlite" | "postgres"): void {
  let dataSource: DataSource;
  let dialect: SqlDialect;
  beforeAll(async () => {
    dataSource = await openEngine(kind);
    dialect = dialectOf(dataSource);
  });
  afterAll(async () => {
    if (dataSource?.isInitialized) {
      if (kind === "postgres") await dataSource.query(`DROP SCHEMA "${String((dataSource.options as { schema?: string }).schema)}" CASCADE`);
      await dataSource.destroy();
    }
  });

  it("is the engine's own dialect", () => {
    expect(dialect.engine).toBe(kind);
  });

  for (const testCase of CASES) {
    it(`filters: ${testCase.name}`, async () => {
      expect(testCase.expected.length > 0 || testCase.name.includes("never")).toBe(true);
      expect(await ids(dataSource, testCase.table, testCase.filters)).toEqual(testCase.expected);
    });
  }

  it("raw SQL written with ? placeholders runs through positional(); bound booleans and Dates compare with stored values", async () => {
    const rows = (await dataSource.query(dialect.positional(`SELECT COUNT(*) AS n FROM "books" WHERE "status" = ? AND "title" <> '?' AND ${dialect.boolean(true)} = ?`), ["a", dialect.bindValue(true)])) as { n: unknown }[];
    expect(Number(rows[0]?.n)).toBe(books.filter((b) => b.status === "a").length);
  });

  it("upsert inserts, then updates only the named columns; DO NOTHING keeps the row", async () => {
    await dataSource.query(`CREATE TABLE "kv" ("k" varchar(20) PRIMARY KEY, "v" integer NOT NULL, "w" integer NOT NULL)`);
    const upsert = dialect.upsert("kv", ["k", "v", "w"], ["k"], ["v"]);
    await dataSource.query(upsert, ["a", 1, 1]);
    await dataSource.query(upsert, ["a", 2, 2]);
    await dataSource.query(dialect.upsert("kv", ["k", "v", "w"], ["k"], []), ["a", 3, 3]);
    expect(await dataSource.query(`SELECT "k", "v", "w" FROM "kv"`)).toEqual([{ k: "a", v: 2, w: 1 }]);
  });

  it("now() and toTimestamp() give values that compare with bound Dates; rows read back as UTC text", async () => {
    await dataSource.query(`CREATE TABLE "stamps" ("id" integer PRIMARY KEY, "at" ${kind === "postgres" ? "timestamptz" : "datetime"} NOT NULL)`);
    await dataSource.query(dialect.positional(`INSERT INTO "stamps" ("id", "at") VALUES (1, ${dialect.now()}), (2, ${dialect.toTimestamp("?")})`), ["2001-02-03T04:05:06.789Z"]);
    const before = new Date(Date.now() - 60_000);
    const recent = (await dataSource.query(dialect.positional(`SELECT "id" FROM "stamps" WHERE "at" > ? ORDER BY "id"`), [dialect.bindValue(before)])) as { id: number }[];
    expect(recent.map((row) => row.id)).toEqual([1]);
    const [old] = ((await dataSource.query(dialect.positional(`SELECT "at" FROM "stamps" WHERE "id" = ?`), [2])) as Record<string, unknown>[]).map((row) => dialect.readRow(row));
    expect(old?.at).toBe("2001-02-03 04:05:06.789");
  });

  it("catalog: table names, a table's definition that recreates it, foreign key check, and the migrations table", async () => {
    const runner = dataSource.createQueryRunner();
    try {
      expect(await dialect.catalog.tableNames(runner)).toEqual(expect.arrayContaining(["books", "events"]));
      await dataSource.query(`CREATE TABLE "parent" ("id" integer PRIMARY KEY)`);
      await dataSource.query(`CREATE TABLE "child" ("id" integer PRIMARY KEY, "parent_id" integer REFERENCES "parent" ("id"), "note" varchar(30) NOT NULL DEFAULT 'x')`);
      await dataSource.query(`CREATE INDEX "idx_child_note" ON "child" ("note")`);
      const definition = await dialect.catalog.tableDefinition(runner, "child");
      expect(definition?.columns).toEqual(["id", "parent_id", "note"]);
      expect(definition?.indexes.join(" ")).toContain("idx_child_note");
      await dataSource.query(`DROP TABLE "child"`);
      for (const sql of [...(definition?.create ?? []), ...(definition?.indexes ?? [])]) await dataSource.query(sql);
      await dataSource.query(`INSERT INTO "parent" ("id") VALUES (1)`);
      await dataSource.query(`INSERT INTO "child" ("id", "parent_id") VALUES (1, 1)`);
      expect(await dataSource.query(`SELECT "note" FROM "child"`)).toEqual([{ note: "x" }]);
      await expect(dataSource.query(`INSERT INTO "child" ("id", "parent_id") VALUES (2, 99)`)).rejects.toThrow();
      expect(await dialect.catalog.foreignKeyViolations(runner)).toEqual([]);
      expect(await dialect.catalog.tableDefinition(runner, "no_such_table")).toBeUndefined();

      expect(await hasMigrationTable(runner)).toBe(false);
      await ensureMigrationTable(runner);
      await ensureMigrationTable(runner);
      expect(await hasMigrationTable(runner)).toBe(true);
      await recordApplied(runner, "1-first", "first", "baseline");
      await recordApplied(runner, "2-second", null, "run");
      expect(await isApplied(runner, "2-second")).toBe(true);
      expect((await readAppliedMigrations(runner)).map((entry) => [entry.name, entry.mode])).toEqual([["1-first", "baseline"], ["2-second", "run"]]);
      expect(await hasUserTables(runner)).toBe(true);
    } finally {
      await runner.release();
    }
  });
}

describe("SQL dialect: SQLite", () => engineSuite("sqlite"));
describeWithService("postgres", postgresAvailability(), "SQL dialect: PostgreSQL", () => engineSuite("postgres"));
