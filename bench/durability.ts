import { rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { bootFramework } from "../framework/boot/boot-framework";
import { renderTable } from "../framework/cli/output";
import { CrudService } from "../framework/crud/crud-service";
import { benchDir, formatRate, measureRate, REPO_ROOT, type BenchSuite } from "./suite";

const LEVELS = ["NORMAL", "FULL"] as const;
type Level = (typeof LEVELS)[number];
const ROUNDS = 3;

function durationMs(): number {
  const value = Number(process.env.BENCH_DURATION_MS ?? "1000");
  return Number.isFinite(value) && value > 0 ? value : 1000;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Single-row inserts per second through CrudService.create (one transaction each) with `SQLITE_SYNCHRONOUS=level`. */
async function crudInsertRate(level: Level, duration: number): Promise<number> {
  const dataDir = benchDir(`bench-durability-${level.toLowerCase()}`);
  const saved = process.env.SQLITE_SYNCHRONOUS;
  process.env.SQLITE_SYNCHRONOUS = level;
  try {
    const framework = await bootFramework({ rootDir: path.join(REPO_ROOT, "dist"), dataDir });
    try {
      const crud = framework.resolve(CrudService);
      let next = 0;
      return await measureRate(async () => {
        const created = await crud.create("ciap", "searches", { query: `durability ${next++}` });
        if (created.isErr()) throw new Error(created.error.message);
      }, duration);
    } finally {
      await framework.shutdown();
    }
  } finally {
    if (saved === undefined) delete process.env.SQLITE_SYNCHRONOUS;
    else process.env.SQLITE_SYNCHRONOUS = saved;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The same on a bare better-sqlite3 connection (WAL), to show what the level costs SQLite itself. */
async function rawInsertRate(level: Level, duration: number): Promise<number> {
  const dataDir = benchDir(`bench-durability-raw-${level.toLowerCase()}`);
  const db = new Database(path.join(dataDir, "raw.db"));
  try {
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${level}`);
    db.exec("CREATE TABLE searches (id INTEGER PRIMARY KEY AUTOINCREMENT, query VARCHAR(500) NOT NULL)");
    const insert = db.prepare("INSERT INTO searches (query) VALUES (?)");
    let next = 0;
    return await measureRate(() => insert.run(`durability ${next++}`), duration);
  } finally {
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * `npm run bench -- durability`: what `SQLITE_SYNCHRONOUS=FULL` (every COMMIT fsynced: durable
 * through power loss) costs against the default `NORMAL` (WAL fsynced at checkpoints only: durable
 * through a process crash, the last commits may be lost on power loss), per single-row insert,
 * measured in the same run in interleaved rounds on the filesystem of the repository's `.tmp/`.
 */
export const durabilitySuite: BenchSuite = {
  name: "durability",
  description: `single inserts with SQLITE_SYNCHRONOUS=NORMAL vs FULL, through CrudService and on bare better-sqlite3 (${ROUNDS} interleaved rounds, median; BENCH_DURATION_MS each)`,
  async run() {
    const duration = durationMs();
    const crud: Record<Level, number[]> = { NORMAL: [], FULL: [] };
    const raw: Record<Level, number[]> = { NORMAL: [], FULL: [] };
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const level of LEVELS) {
        crud[level].push(await crudInsertRate(level, duration));
        raw[level].push(await rawInsertRate(level, duration));
      }
    }
    const rows = [
      ["CrudService.create", crud],
      ["bare better-sqlite3 INSERT", raw],
    ] as const;
    console.log(
      renderTable(
        ["single insert", "NORMAL", "FULL", "FULL/NORMAL", "µs per insert NORMAL → FULL"],
        rows.map(([name, rates]) => {
          const normal = median(rates.NORMAL);
          const full = median(rates.FULL);
          return [name, formatRate(normal), formatRate(full), `${(full / normal).toFixed(2)}×`, `${(1e6 / normal).toFixed(0)} → ${(1e6 / full).toFixed(0)}`];
        }),
      ),
    );
  },
};
