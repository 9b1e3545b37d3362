import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootFramework, CrudService, type CrudRecord, type Framework } from "../../../../framework";
import { createTempRoot, type TempRoot } from "../../../support/temp-root";

/** Column kinds whose storage differs from their JS value, plus everything TypeORM fills itself on writes. */
const LEDGER_MODELS = `
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn, PrimaryColumn } from "typeorm";
export const DATABASE_NAME = "ledger";

@Entity({ name: "entries" })
export class Entry {
  @PrimaryGeneratedColumn("uuid") id: string;
  @Column({ type: "varchar", length: 20 }) label: string;
  @Column({ type: "decimal", precision: 12, scale: 2, default: 0 }) amount: number;
  @Column({ type: "boolean", default: false }) settled: boolean;
  @Column({ type: "simple-enum", enum: ["open", "closed"], default: "open" }) state: string;
  @Column({ type: "simple-array", nullable: true }) tags: string[] | null;
  @Column({ type: "simple-json", nullable: true }) meta: Record<string, unknown> | null;
  @Column({ type: "date", nullable: true }) booked_on: string | null;
  @Column({ type: "datetime", nullable: true }) due_at: Date | null;
  @Column({ type: "text", default: "none" }) note: string;
  @CreateDateColumn() created_at: Date;
  @UpdateDateColumn() updated_at: Date;
  @VersionColumn() version: number;
}

@Entity({ name: "pairs" })
export class Pair {
  @PrimaryColumn({ type: "varchar", length: 10 }) a: string;
  @PrimaryColumn({ type: "integer" }) b: number;
  @Column({ type: "integer", nullable: true }) n: number | null;
}
`;

interface Booted {
  readonly temp: TempRoot;
  readonly framework: Framework;
  readonly crud: CrudService;
}

async function boot(prefix: string, direct: boolean): Promise<Booted> {
  const temp = createTempRoot(prefix);
  temp.writeModuleFile("ledger", "db-models.ts", LEDGER_MODELS);
  const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
  // The DataSource path is what an engine without direct statements gets; the two must agree.
  if (!direct) (framework.databases.get("ledger")._unsafeUnwrap().session as { direct?: unknown }).direct = undefined;
  return { temp, framework, crud: framework.resolve(CrudService) };
}

/** What must agree: everything but the values that differ by nature (a fresh uuid, the clock). */
function comparable(result: { isOk(): boolean; isErr(): boolean; _unsafeUnwrap(): unknown; _unsafeUnwrapErr(): unknown }): unknown {
  if (result.isErr()) return { error: JSON.parse(JSON.stringify(result._unsafeUnwrapErr()).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>")) as unknown };
  const value = result._unsafeUnwrap();
  if (typeof value !== "object" || value === null || !("label" in value)) return value;
  const record = { ...(value as CrudRecord) };
  for (const key of ["id", "created_at", "updated_at"] as const) {
    if (key === "id") expect(record.id).toMatch(/^[0-9a-f-]{36}$/);
    else expect(record[key]).toBeInstanceOf(Date);
    record[key] = `<${key}>`;
  }
  return record;
}

describe("compiled statements and the DataSource path give the same results and errors", () => {
  let direct: Booted;
  let plain: Booted;
  beforeAll(async () => {
    [direct, plain] = [await boot("parity-direct", true), await boot("parity-plain", false)];
  });
  afterAll(async () => {
    for (const booted of [direct, plain]) {
      await booted?.framework.shutdown();
      booted?.temp.remove();
    }
  });

  /** Runs one step on both and expects the same answer; returns the direct one. */
  async function both(step: (crud: CrudService, ids: Map<string, unknown>) => unknown, ids: { direct: Map<string, unknown>; plain: Map<string, unknown> }): Promise<unknown> {
    const fromDirect = await step(direct.crud, ids.direct);
    const fromPlain = await step(plain.crud, ids.plain);
    expect(comparable(fromDirect as never)).toEqual(comparable(fromPlain as never));
    return fromDirect;
  }

  it("create, get, update and delete: values, defaults, dates, versions, JSON, decimals, errors", async () => {
    const ids = { direct: new Map<string, unknown>(), plain: new Map<string, unknown>() };
    const full = { label: "rent", amount: 1250.5, settled: true, state: "closed", tags: ["home", "monthly"], meta: { a: [1, 2], b: "x" }, booked_on: "2024-03-01", due_at: new Date(Date.UTC(2024, 2, 5, 10, 30, 15, 250)), note: "paid" };
    const steps: ((crud: CrudService, ids: Map<string, unknown>) => unknown)[] = [
      async (crud, known) => {
        const created = await crud.create("ledger", "entries", full);
        known.set("full", created._unsafeUnwrap().id);
        return created;
      },
      async (crud, known) => {
        const created = await crud.create("ledger", "entries", { label: "defaults" });
        known.set("defaults", created._unsafeUnwrap().id);
        return created;
      },
      (crud, known) => crud.get("ledger", "entries", known.get("full")),
      (crud, known) => crud.get("ledger", "entries", known.get("defaults")),
      (crud, known) => crud.update("ledger", "entries", known.get("full"), { amount: 99.99, tags: null, settled: false }),
      (crud, known) => crud.update("ledger", "entries", known.get("defaults"), { meta: { nested: { deep: true } }, due_at: null }),
      (crud) => crud.create("ledger", "entries", { label: "x".repeat(21) }),
      (crud) => crud.create("ledger", "entries", { label: "bad", settled: "yes" }),
      (crud) => crud.create("ledger", "entries", { label: "bad", nope: 1 }),
      (crud) => crud.create("ledger", "entries", { amount: 1 }),
      (crud) => crud.create("ledger", "entries", ["not", "an", "object"] as never),
      (crud, known) => crud.update("ledger", "entries", known.get("full"), { id: "x" }),
      (crud, known) => crud.update("ledger", "entries", known.get("full"), {}),
      (crud) => crud.update("ledger", "entries", "00000000-0000-4000-8000-000000000000", { note: "n" }),
      (crud, known) => crud.delete("ledger", "entries", known.get("defaults")),
      (crud, known) => crud.get("ledger", "entries", known.get("defaults")),
      (crud, known) => crud.delete("ledger", "entries", known.get("defaults")),
      (crud) => crud.createMany("ledger", "pairs", [{ a: "x", b: 1, n: 5 }, { a: "x", b: 2 }]),
      (crud) => crud.createMany("ledger", "pairs", [{ a: "y", b: 1 }, { a: "x", b: 1 }]),
      (crud) => crud.createMany("ledger", "pairs", [{ a: "z", b: 1 }, { a: "z", b: "two" }]),
      (crud) => crud.get("ledger", "pairs", { a: "x", b: 2 }),
      (crud) => crud.get("ledger", "pairs", { a: "y", b: 1 }),
      (crud) => crud.get("ledger", "pairs", "x"),
      (crud) => crud.get("ledger", "pairs", { a: "x", b: "2.0" }),
      (crud) => crud.update("ledger", "pairs", { a: "x", b: 1 }, { n: null }),
      (crud) => crud.delete("ledger", "pairs", { a: "x", b: 1 }),
      (crud) => crud.count("ledger", "pairs"),
    ];
    const seen = { direct: [] as string[], plain: [] as string[] };
    const stops = (["direct", "plain"] as const).map((which) =>
      (which === "direct" ? direct : plain).framework.databases.get("ledger")._unsafeUnwrap().activity.observe({ statement: (event) => seen[which].push(event.sql) }),
    );
    try {
      for (const step of steps) await both(step, ids);
    } finally {
      for (const stop of stops) stop();
    }
    // Each side took its own path: one statement per write on the compiled one.
    const compiledDelete = (sql: string) => sql.startsWith('DELETE FROM "entries" WHERE "id" = ? RETURNING');
    expect(seen.direct.filter(compiledDelete)).toHaveLength(2);
    expect(seen.plain.filter(compiledDelete)).toHaveLength(0);

    // The version moved on with each update, and the update date with it.
    const updated = (await direct.crud.get("ledger", "entries", ids.direct.get("full")))._unsafeUnwrap();
    expect(updated.version).toBe(2);
    expect((updated.updated_at as Date).getTime()).toBeGreaterThanOrEqual((updated.created_at as Date).getTime());
    expect((updated.created_at as Date).getUTCMilliseconds() + (updated.updated_at as Date).getUTCMilliseconds()).toBeGreaterThanOrEqual(0);
  });
});
