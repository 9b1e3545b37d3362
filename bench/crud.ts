import { rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { bootFramework, CrudService } from "../framework";
import { renderTable } from "../framework/cli/output";
import { crudContender, rawContender, typeormContender, type Contender } from "./crud/contenders";
import { resultRows } from "./crud/result-rows";
import { benchDir, formatRate, measureRate, REPO_ROOT, type BenchSuite } from "./suite";

const SEED_ROWS = 10_000;
const BULK_ROWS = 10_000;
/** Rows set aside per delete measurement; a measurement stops early when they run out. */
const DELETE_POOL = 30_000;

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? String(fallback));
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Deterministic pseudo-random ids, identical for every contender. */
function idSequence(max: number): () => number {
  let state = 12_345;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return 1 + (state % max);
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Fails the run when the contenders disagree: a fast wrong answer is not a result. */
async function checkAgreement(contenders: readonly Contender[]): Promise<void> {
  const answers = await Promise.all(contenders.map(async (contender) => JSON.stringify({ get: (await contender.getById(4321))?.id, page: await contender.listPage(3) })));
  if (new Set(answers).size !== 1) throw new Error(`Contenders disagree:\n${answers.join("\n")}`);
}

/** One operation of the table: how to measure it for one contender (ops/s). */
interface Operation {
  readonly name: string;
  measure(contender: Contender): Promise<number>;
}

/**
 * The operations of the table on ciap's `search_results`, every one leaving the table as it found
 * it (inserted rows removed after each measurement, deleted ones drawn from rows added for it).
 */
function operations(cleanup: Database.Database, duration: number): Operation[] {
  const removeInserted = () => void cleanup.prepare("DELETE FROM search_results WHERE id > ?").run(SEED_ROWS);
  const addPool = (): number[] => {
    const first = SEED_ROWS + 1;
    const insert = cleanup.prepare("INSERT INTO search_results (id, search_id, source, title, snippet, url, position, sentiment_score) VALUES (@id, @search_id, @source, @title, @snippet, @url, @position, @sentiment_score)");
    cleanup.transaction(() => resultRows(DELETE_POOL, 1, first).forEach((row, index) => insert.run({ ...row, id: first + index })))();
    return Array.from({ length: DELETE_POOL }, (_, index) => first + index);
  };
  return [
    {
      name: "get by id",
      measure: (contender) => {
        const nextId = idSequence(SEED_ROWS);
        return measureRate(() => contender.getById(nextId()), duration);
      },
    },
    {
      name: "list page (filter+sort+count)",
      measure: (contender) => {
        let page = 0;
        return measureRate(() => contender.listPage((page++ % 20) + 1), duration);
      },
    },
    {
      name: "single insert",
      measure: async (contender) => {
        let next = SEED_ROWS;
        const rate = await measureRate(() => contender.insertOne(resultRows(1, 1, next++)[0] as never), duration);
        removeInserted();
        return rate;
      },
    },
    {
      name: `bulk insert ${BULK_ROWS.toLocaleString("en")} rows`,
      measure: async (contender) => {
        const rows = resultRows(BULK_ROWS, 1, SEED_ROWS);
        // Two inserts per measurement: bulk inserts are slow, a rate from one would be all noise.
        let elapsed = 0;
        for (let repeat = 0; repeat < 2; repeat += 1) {
          const started = performance.now();
          await contender.insertMany(rows);
          elapsed += performance.now() - started;
          removeInserted();
        }
        return 2 / (elapsed / 1000);
      },
    },
    {
      name: "update by id",
      measure: (contender) => {
        const nextId = idSequence(SEED_ROWS);
        let round = 0;
        return measureRate(() => contender.updateById(nextId(), `Updated ${round++}`), duration);
      },
    },
    {
      name: "delete by id",
      measure: async (contender) => {
        const pool = addPool();
        let next = 0;
        const rate = await measureRate(() => contender.deleteById(pool[next++] as number), duration, 50, pool.length - 50);
        removeInserted();
        return rate;
      },
    },
  ];
}

async function runCrudSuite(): Promise<void> {
  const duration = envNumber("BENCH_DURATION_MS", 1000);
  const rounds = Math.floor(envNumber("BENCH_ROUNDS", 3));
  const dataDir = benchDir("bench-crud");
  // `dist/` holds the compiled ciap module; its search_results table is the benchmark's table.
  const framework = await bootFramework({ rootDir: path.join(REPO_ROOT, "dist"), dataDir });
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

    const measured = operations(cleanup, duration);
    const rates = measured.map(() => contenders.map((): number[] => []));
    // Rounds of every operation by every contender, the contenders' order rotating: load from
    // other work on the machine lands on all of them alike, and the median of each is reported.
    for (let round = 0; round < rounds; round += 1) {
      for (const [operationIndex, operation] of measured.entries()) {
        for (let turn = 0; turn < contenders.length; turn += 1) {
          const index = (turn + round) % contenders.length;
          rates[operationIndex]?.[index]?.push(await operation.measure(contenders[index] as Contender));
        }
      }
    }

    const [raw, typeorm, service] = [0, 1, 2];
    console.log(`${SEED_ROWS.toLocaleString("en")} rows in search_results; median of ${rounds} interleaved rounds of ${duration} ms per measurement (BENCH_ROUNDS, BENCH_DURATION_MS)`);
    const ratio = (value: number, baseline: number) => `${(value / baseline).toFixed(2)}×`;
    console.log(
      renderTable(
        ["operation", ...contenders.map((contender) => contender.name), "CrudService/raw", "CrudService/TypeORM"],
        measured.map((operation, operationIndex) => {
          const medians = (rates[operationIndex] ?? []).map(median);
          return [operation.name, ...medians.map(formatRate), ratio(medians[service] ?? 0, medians[raw] ?? 1), ratio(medians[service] ?? 0, medians[typeorm] ?? 1)];
        }),
      ),
    );
    console.log("  a page on a 1M-row table (offset vs cursor): `npm run bench -- query`; SQLITE_SYNCHRONOUS=FULL vs NORMAL: `-- durability`; 4 writer processes: `-- writers`");
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
  description: "get/list/insert/bulk insert/update/delete: raw better-sqlite3 vs bare TypeORM vs CrudService, interleaved rounds (median)",
  run: runCrudSuite,
};
