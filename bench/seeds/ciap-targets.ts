import path from "node:path";
import Database from "better-sqlite3";
import type { Framework } from "../../framework";
import { SearchResultService } from "../../modules/ciap/results/search-result-service";
import { SearchService } from "../../modules/ciap/searches/search-service";
import { TaskQueueService } from "../../modules/ciap/tasks/task-queue-service";
import { latency, ok, report } from "./latency";

/** Rows per table: the plan's "module operations on 100k rows". */
export const CIAP_ROWS = 100_000;
/** The plan's target for queries. */
const TARGET_MS = 100;
const STATUSES = ["pending", "processing", "completed", "failed"];
const RESULTS_PER_SEARCH = 100;

function fill(raw: Database.Database): void {
  const insertSearch = raw.prepare("INSERT INTO searches (query, status, sources, created_at, updated_at) VALUES (?, ?, '[\"google\"]', ?, ?)");
  const insertResult = raw.prepare("INSERT INTO search_results (search_id, source, title, url, position) VALUES (?, 'google', ?, ?, ?)");
  const insertTask = raw.prepare("INSERT INTO task_queue (task_type, payload, priority, scheduled_at) VALUES ('scrape', '{}', ?, ?)");
  const base = Date.UTC(2030, 0, 1);
  raw.transaction(() => {
    for (let i = 0; i < CIAP_ROWS; i += 1) {
      const at = new Date(base + i * 1000).toISOString().replace("T", " ").replace("Z", "");
      insertSearch.run(`query ${i}`, STATUSES[i % STATUSES.length], at, at);
      insertResult.run(1 + Math.floor(i / RESULTS_PER_SEARCH), `result ${i}`, `https://example.com/${i}`, i % RESULTS_PER_SEARCH);
      insertTask.run(1 + (i % 10), at);
    }
  })();
}

/**
 * The plan's targets on 100k rows per table, each module operation next to the same query on a
 * bare better-sqlite3 connection: searches by status (a page of 50 with its total), the results of
 * a search (100), and dequeue (select + claim in one write transaction).
 */
export async function benchCiap(framework: Framework, dataDir: string): Promise<void> {
  const raw = new Database(path.join(dataDir, "ciap.db"));
  raw.pragma("busy_timeout = 5000");
  const filled = performance.now();
  fill(raw);
  console.log(`  filled searches, search_results, task_queue with ${CIAP_ROWS} rows each in ${((performance.now() - filled) / 1000).toFixed(1)} s`);

  const searches = framework.resolve(SearchService);
  const results = framework.resolve(SearchResultService);
  const tasks = framework.resolve(TaskQueueService);

  const page = raw.prepare("SELECT * FROM searches WHERE status = ? ORDER BY created_at DESC, id DESC LIMIT 50 OFFSET ?");
  const total = raw.prepare("SELECT COUNT(*) AS n FROM searches WHERE status = ?");
  report(
    "search by status (page of 50 + total)",
    await latency((i) => searches.list({ status: "pending", page: 1 + (i % 20), pageSize: 50 }).then(ok)),
    await latency((i) => {
      page.all("pending", (i % 20) * 50);
      return total.get("pending");
    }),
    TARGET_MS,
  );

  const bySearch = raw.prepare("SELECT * FROM search_results WHERE search_id = ? ORDER BY position ASC NULLS LAST, id ASC LIMIT 100");
  const searchCount = CIAP_ROWS / RESULTS_PER_SEARCH;
  report(
    "results of a search (100 rows)",
    await latency((i) => results.bySearch(1 + (i % searchCount), 100).then(ok)),
    await latency((i) => bySearch.all(1 + (i % searchCount))),
    TARGET_MS,
  );

  const next = raw.prepare("SELECT id FROM task_queue WHERE status = 'pending' ORDER BY priority ASC, scheduled_at ASC, id ASC LIMIT 1");
  const claim = raw.prepare("UPDATE task_queue SET status = 'processing', started_at = ? WHERE id = ? AND status = 'pending'");
  const rawDequeue = raw.transaction(() => {
    const row = next.get() as { id: number } | undefined;
    if (row !== undefined) claim.run(new Date().toISOString(), row.id);
    return row;
  });
  report(
    "dequeue (select + claim, one transaction)",
    await latency(() => tasks.dequeue().then(ok)),
    await latency(() => rawDequeue.immediate()),
    TARGET_MS,
  );
  raw.close();
}
