import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { bootFramework, CrudService } from "../framework";
import { renderTable } from "../framework/cli/output";
import { crudContender, rawContender, typeormContender, type Contender } from "./crud/contenders";
import { resultRows } from "./crud/result-rows";
import { formatRate, measureRate, type BenchSuite } from "./suite";

const SEED_ROWS = 10_000;
const BULK_ROWS = 10_000;
const BULK_ROUNDS = 3;

/** One measured operation: ops/s per contender, in contender order. */
interface Measured {
  readonly operation: string;
  readonly rates: readonly number[];
}

function durationMs(): number {
  const value = Number(process.env.BENCH_DURATION_MS ?? "1000");
  return Number.isFinite(value) && value > 0 ? value : 1000;
}

/** Deterministic pseudo-random ids, identical for every contender. */
function idSequence(max: number): () => number {
  let state = 12_345;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return 1 + (state % max);
  };
}

/** Fails the run when the contenders disagree: a fast wrong answer is not a result. */
async function checkAgreement(contenders: readonly Contender[]): Promise<void> {
  const answers = await Promise.all(contenders.map(async (contender) => JSON.stringify({ get: (await contender.getById(4321))?.id, page: await contender.listPage(3) })));
  if (new Set(answers).size !== 1) throw new Error(`Contenders disagree:\n${answers.join("\n")}`);
}

async function bulkRate(contender: Contender, removeInserted: () => void): Promise<number> {
  let elapsed = 0;
  for (let round = 0; round < BULK_ROUNDS; round += 1) {
    const rows = resultRows(BULK_ROWS, 1, SEED_ROWS + round * BULK_ROWS);
    const started = performance.now();
    await contender.insertMany(rows);
    elapsed += performance.now() - started;
    removeInserted();
  }
  return BULK_ROUNDS / (elapsed / 1000);
}

function ratio(value: number, baseline: number): string {
  return `${(value / baseline).toFixed(2)}×`;
}

async function runCrudSuite(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "moduledb-bench-crud-"));
  // `dist/` holds the compiled ciap module; its search_results table is the benchmark's table.
  const framework = await bootFramework({ rootDir: path.resolve(__dirname, ".."), dataDir });
  const contenders: Contender[] = [];
  const cleanup = new Database(path.join(dataDir, "ciap.db"));
  try {
    const crud = framework.resolve(CrudService);
    const search = await crud.create("ciap", "searches", { query: "benchmark" });
    if (search.isErr()) throw new Error(search.error.message);
    const seeded = await crud.createMany("ciap", "search_results", resultRows(SEED_ROWS, Number(search.value.id)));
    if (seeded.isErr()) throw new Error(seeded.error.message);
    const file = framework.databases.get("ciap")._unsafeUnwrap().file;
    contenders.push(rawContender(file), await typeormContender(file), crudContender(crud, "ciap"));
    await checkAgreement(contenders);
    const removeInserted = () => void cleanup.prepare("DELETE FROM search_results WHERE id > ?").run(SEED_ROWS);

    const duration = durationMs();
    const measured: Measured[] = [];
    const measure = async (operation: string, run: (contender: Contender) => Promise<number>) => {
      const rates: number[] = [];
      for (const contender of contenders) rates.push(await run(contender));
      measured.push({ operation, rates });
    };
    await measure("get by id", (contender) => {
      const nextId = idSequence(SEED_ROWS);
      return measureRate(() => contender.getById(nextId()), duration);
    });
    await measure("list page (filter+sort+count)", (contender) => {
      let page = 0;
      return measureRate(() => contender.listPage((page++ % 20) + 1), duration);
    });
    await measure("single insert", async (contender) => {
      let next = SEED_ROWS;
      const rate = await measureRate(() => contender.insertOne(resultRows(1, 1, next++)[0] as never), duration);
      removeInserted();
      return rate;
    });
    await measure(`bulk insert ${BULK_ROWS.toLocaleString("en")} rows`, (contender) => bulkRate(contender, removeInserted));

    const [raw, typeorm, service] = [0, 1, 2];
    console.log(`${SEED_ROWS.toLocaleString("en")} rows in search_results; ${duration} ms per measurement; bulk = ${BULK_ROUNDS} rounds of ${BULK_ROWS.toLocaleString("en")} rows (ops/s = bulk inserts per second)`);
    console.log(
      renderTable(
        ["operation", ...contenders.map((contender) => contender.name), "CrudService/raw", "CrudService/TypeORM"],
        measured.map(({ operation, rates }) => [
          operation,
          ...rates.map(formatRate),
          ratio(rates[service] ?? 0, rates[raw] ?? 1),
          ratio(rates[service] ?? 0, rates[typeorm] ?? 1),
        ]),
      ),
    );
  } finally {
    for (const contender of contenders) await contender.close();
    cleanup.close();
    await framework.shutdown();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `npm run bench -- crud`: CrudService against raw better-sqlite3 and bare TypeORM on the same data. */
export const crudSuite: BenchSuite = {
  name: "crud",
  description: "get by id, list page, single and bulk insert: raw better-sqlite3 vs bare TypeORM vs CrudService (BENCH_DURATION_MS per measurement)",
  run: runCrudSuite,
};
