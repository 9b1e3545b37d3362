import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootFramework, CrudService, type Framework } from "../../../framework";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

const MODELS = `import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
export const DATABASE_NAME = "stamps";
@Entity({ name: "events" })
export class Event {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 50 }) label: string;
  @CreateDateColumn({ type: "datetime" }) created_at: Date;
  @UpdateDateColumn({ type: "datetime" }) updated_at: Date;
}
`;

function stored(file: string): { id: number; created_at: string; updated_at: string }[] {
  const connection = new Database(file, { readonly: true });
  try {
    return connection.prepare("SELECT id, created_at, updated_at FROM events ORDER BY id").all() as { id: number; created_at: string; updated_at: string }[];
  } finally {
    connection.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const WITH_MS = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;

describe("CreateDateColumn and UpdateDateColumn keep their milliseconds", () => {
  let temp: TempRoot;
  let framework: Framework;
  let file: string;
  beforeAll(async () => {
    temp = createTempRoot("timestamps");
    temp.writeModuleFile("stamps", "db-models.ts", MODELS);
    framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    file = path.join(temp.dataDir, "stamps.db");
  });
  afterAll(async () => {
    await framework?.shutdown();
    temp?.remove();
  });

  it("through CrudService, the repository and query builders; rows a few ms apart keep their order", async () => {
    const crud = framework.resolve(CrudService);
    const created: string[] = [];
    for (let index = 0; index < 8; index += 1) {
      const record = (await crud.create("stamps", "events", { label: `crud ${index}` }))._unsafeUnwrap();
      created.push(new Date(record.created_at as string | Date).toISOString());
      await sleep(3);
    }
    const repository = framework.databases.get("stamps")._unsafeUnwrap().dataSource.getRepository("Event");
    await repository.save(repository.create({ label: "repository" }));
    await repository.insert({ label: "insert" });

    const rows = stored(file);
    expect(rows).toHaveLength(10);
    for (const row of rows) {
      expect(row.created_at).toMatch(WITH_MS);
      expect(row.updated_at).toMatch(WITH_MS);
    }
    // Whole seconds would make most of these equal; with milliseconds they are strictly increasing.
    const times = rows.map((row) => Date.parse(`${row.created_at.replace(" ", "T")}Z`));
    for (let index = 1; index < times.length; index += 1) expect(times[index]).toBeGreaterThan(times[index - 1] as number);
    expect(rows.some((row) => !row.created_at.endsWith(".000"))).toBe(true);
    expect(Math.abs((times[0] as number) - Date.now())).toBeLessThan(60_000);
    expect(created[0]).toBe(new Date(`${rows[0]?.created_at.replace(" ", "T")}Z`).toISOString());
  });

  it("an update moves updated_at on, with milliseconds, and leaves created_at alone", async () => {
    const before = stored(file)[0];
    await sleep(5);
    (await framework.resolve(CrudService).update("stamps", "events", before?.id, { label: "changed" }))._unsafeUnwrap();
    const repository = framework.databases.get("stamps")._unsafeUnwrap().dataSource.getRepository<{ id: number; label: string }>("Event");
    await sleep(5);
    const second = await repository.findOneByOrFail({ id: 2 });
    second.label = "saved";
    await repository.save(second);

    const after = stored(file);
    expect(after[0]?.created_at).toBe(before?.created_at);
    expect(after[0]?.updated_at).toMatch(WITH_MS);
    expect(Date.parse(`${after[0]?.updated_at.replace(" ", "T")}Z`)).toBeGreaterThan(Date.parse(`${before?.updated_at.replace(" ", "T")}Z`));
    expect(after[1]?.updated_at).toMatch(WITH_MS);
    expect(Date.parse(`${after[1]?.updated_at.replace(" ", "T")}Z`)).toBeGreaterThan(Date.parse(`${after[0]?.updated_at.replace(" ", "T")}Z`));
  });
});
