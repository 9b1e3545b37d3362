import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataSource, EntitySchema, type QueryRunner } from "typeorm";
import {
  assertConnectedShape,
  assertPostgresShape,
  clientOf,
  installPostgresTypes,
  markNoTransaction,
  POSTGRES_TYPE_OF,
  releaseRunner,
  transactionDepth,
} from "../../../../framework/engines/postgres/typeorm-internals";
import { postgresAvailability, sharedPostgresUrl } from "../../../support/postgres-target";
import { describeWithService } from "../../../support/required-service";

/** An entity written the way module entities are: SQLite-flavoured column types. */
const Sample = new EntitySchema<Record<string, unknown>>({
  name: "Sample",
  tableName: "samples",
  columns: {
    id: { type: Number, primary: true, generated: true },
    at: { type: "datetime", nullable: true },
    bytes: { type: "blob", nullable: true },
    doc: { type: "simple-json", nullable: true },
    raw: { type: "json", nullable: true },
    ratio: { type: "real", nullable: true },
    note: { type: "text", nullable: true },
  },
});

function postgresDataSource(url: string, schema?: string): DataSource {
  return new DataSource({ type: "postgres", url, entities: [Sample], logging: false, ...(schema === undefined ? {} : { schema, extra: { options: `-c search_path=${schema}` } }) });
}

/**
 * What `framework/engines/postgres/typeorm-internals.ts` relies on, pinned down on a plain
 * (unguarded) postgres DataSource: if a TypeORM upgrade renames a field, stops converting a type
 * or changes how it releases connections, these fail here rather than in production.
 */
describe("TypeORM internals the PostgreSQL engine leans on (no server needed)", () => {
  it("the driver rejects datetime and blob until the types are installed, then maps each declared type", () => {
    const dataSource = postgresDataSource("postgres://nobody@127.0.0.1:1/none");
    const normalize = (type: string) => dataSource.driver.normalizeType({ type });
    // What TypeORM does on its own: passes `datetime` through (which PostgreSQL has no type for) and keeps JSON as text.
    expect(normalize("datetime")).toBe("datetime");
    expect(normalize("simple-json")).toBe("text");
    expect(dataSource.driver.supportedDataTypes).not.toContain("datetime");
    installPostgresTypes(dataSource);
    installPostgresTypes(dataSource);
    expect(Object.fromEntries(Object.keys(POSTGRES_TYPE_OF).map((type) => [type, normalize(type)]))).toEqual({
      datetime: "timestamp with time zone",
      blob: "bytea",
      json: "jsonb",
      "simple-json": "jsonb",
      real: "double precision",
      double: "double precision",
      integer: "bigint",
    });
    for (const type of Object.values(POSTGRES_TYPE_OF)) expect(dataSource.driver.supportedDataTypes).toContain(type);
    // Everything else is TypeORM's own mapping still.
    expect(normalize("varchar")).toBe("character varying");
    expect(normalize("int4")).toBe("integer");
  });
});

describeWithService("postgres", postgresAvailability(), "TypeORM internals the PostgreSQL engine leans on (real server)", () => {
  let dataSource: DataSource;
  let runner: QueryRunner;
  const schema = `internals_${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    const url = sharedPostgresUrl() ?? "";
    // Without the types installed the driver refuses the entity outright; a bare DataSource makes the schema.
    await expect(postgresDataSource(url).initialize()).rejects.toThrow(/Data type "datetime" in "Sample.at" is not supported/);
    const setup = new DataSource({ type: "postgres", url, logging: false });
    await setup.initialize();
    await setup.query(`CREATE SCHEMA "${schema}"`);
    await setup.destroy();
    dataSource = postgresDataSource(url, schema);
    installPostgresTypes(dataSource);
    await dataSource.initialize();
    await dataSource.synchronize();
  });

  afterAll(async () => {
    await dataSource?.query(`DROP SCHEMA "${schema}" CASCADE`);
    await dataSource?.destroy();
  });

  it("creates the faithful column types and converts values both ways by the declared type", async () => {
    const columns = (await dataSource.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'samples' ORDER BY column_name`, [schema])) as { column_name: string; data_type: string }[];
    expect(Object.fromEntries(columns.map((column) => [column.column_name, column.data_type]))).toEqual({
      at: "timestamp with time zone",
      bytes: "bytea",
      doc: "jsonb",
      id: "integer",
      note: "text",
      ratio: "double precision",
      raw: "jsonb",
    });
    const at = new Date("2024-05-06T07:08:09.123Z");
    const saved = await dataSource.getRepository(Sample).save({ at, bytes: Buffer.from([0, 1, 255]), doc: { tags: ["a"], n: 1 }, raw: [1, "two"], ratio: 0.1 + 0.2 });
    const read = await dataSource.getRepository(Sample).findOneByOrFail({ id: saved.id as number });
    expect(read).toMatchObject({ at, doc: { tags: ["a"], n: 1 }, raw: [1, "two"], ratio: 0.1 + 0.2, note: null });
    expect(Buffer.from(read.bytes as Buffer)).toEqual(Buffer.from([0, 1, 255]));
    // The schema TypeORM reads back matches the entity: nothing to change.
    expect((await dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
  });

  it("keeps transaction bookkeeping on the runner, a pg client on databaseConnection, and releases a broken client out of the pool", async () => {
    runner = dataSource.createQueryRunner();
    expect(() => assertPostgresShape(dataSource, runner)).not.toThrow();
    expect(clientOf(runner)).toBeUndefined();
    await runner.connect();
    expect(() => assertConnectedShape(runner)).not.toThrow();
    const client = clientOf(runner);
    expect(client?.getTransactionStatus()).toBe("I");
    await runner.startTransaction();
    expect(runner.isTransactionActive).toBe(true);
    expect(transactionDepth(runner)).toBe(1);
    expect(client?.getTransactionStatus()).toBe("T");
    await runner.query("SELECT 1 / 0").catch(() => undefined);
    // The status arrives with the server's ReadyForQuery, which may come a socket read after the error itself.
    for (let wait = 0; wait < 200 && client?.getTransactionStatus() === "T"; wait += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(client?.getTransactionStatus()).toBe("E");
    await client?.query("ROLLBACK");
    markNoTransaction(runner);
    expect(runner.isTransactionActive).toBe(false);
    expect(transactionDepth(runner)).toBe(0);
    const pool = (dataSource.driver as unknown as { master: { totalCount: number } }).master;
    const before = pool.totalCount;
    await releaseRunner(runner, new Error("broken on purpose"));
    expect(runner.isReleased).toBe(true);
    // Released with an error, the client is destroyed rather than put back for the next caller.
    expect(pool.totalCount).toBe(before - 1);
  });
});
