import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import Fastify, { type FastifyInstance } from "fastify";
import { DataSource } from "typeorm";
import { Search, SearchResult } from "../modules/ciap/db-models";
import { REPO_ROOT } from "./suite";

/** A contender server listening on loopback. */
export interface Contender {
  readonly url: string;
  close(): Promise<void>;
}

/** Listens on a free loopback port and returns the origin. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return `http://127.0.0.1:${address.port}`;
}

/** One Fastify route that pages `searches` with a bare TypeORM DataSource (`findAndCount`). */
export async function bareTypeormServer(file: string, pageSize: number): Promise<Contender> {
  const dataSource = await new DataSource({ type: "better-sqlite3", database: file, entities: [Search, SearchResult] }).initialize();
  const repository = dataSource.getRepository(Search);
  const app = Fastify({ logger: false });
  app.get<{ Querystring: { page?: string } }>("/bare", async (request) => {
    const page = Number(request.query.page ?? "1");
    const [records, total] = await repository.findAndCount({ order: { id: "ASC" }, skip: (page - 1) * pageSize, take: pageSize });
    return { page, page_size: pageSize, total_records: total, records };
  });
  const url = await listen(app);
  return {
    url,
    close: async () => {
      await app.close();
      await dataSource.destroy();
    },
  };
}

/**
 * The practical limit: a minimal hand-written Fastify route over a raw better-sqlite3 connection,
 * doing the same page query as the REST API (count, then one ordered page by offset) with
 * statements prepared once, rows sent as the driver returns them.
 */
export async function rawSqliteServer(file: string, pageSize: number): Promise<Contender> {
  const db = new Database(file, { readonly: true });
  const count = db.prepare<[], { total: number }>("SELECT COUNT(*) AS total FROM searches");
  const rows = db.prepare<[number, number], Record<string, unknown>>("SELECT * FROM searches ORDER BY id LIMIT ? OFFSET ?");
  const app = Fastify({ logger: false });
  app.get<{ Querystring: { page?: string } }>("/raw", async (request) => {
    const page = Number(request.query.page ?? "1");
    const total = count.get()?.total ?? 0;
    const records = rows.all(pageSize, (page - 1) * pageSize);
    return { success: true, page, page_size: pageSize, total_records: total, total_pages: Math.ceil(total / pageSize), records };
  });
  const url = await listen(app);
  return {
    url,
    close: async () => {
      await app.close();
      db.close();
    },
  };
}

/** A write transaction another process holds open on a database file. */
export interface HeldTransaction {
  /** Commits it; resolves with how long it was held, in milliseconds. */
  release(): Promise<number>;
}

const HOLDER_SCRIPT = `
const Database = require("better-sqlite3");
const db = new Database(process.argv[1]);
db.pragma("busy_timeout = 10000");
db.exec("BEGIN IMMEDIATE");
db.prepare("INSERT INTO searches (query, status, created_at, updated_at) VALUES ('held', 'pending', datetime('now'), datetime('now'))").run();
const began = performance.now();
process.stdout.write("holding\\n");
process.stdin.once("data", () => {
  db.exec("COMMIT");
  db.close();
  process.stdout.write(JSON.stringify({ heldMs: performance.now() - began }) + "\\n");
  process.exit(0);
});
`;

/** Starts another process that takes the write lock of `file` (BEGIN IMMEDIATE + an insert) and holds it until released. */
export function holdWriteTransaction(file: string): Promise<HeldTransaction> {
  const child = spawn(process.execPath, ["-e", HOLDER_SCRIPT, file], { cwd: REPO_ROOT, stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let released: ((ms: number) => void) | undefined;
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`holder exited with ${code}`));
    });
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line === "holding") {
        resolve({
          release: () =>
            new Promise<number>((done) => {
              released = done;
              child.stdin.write("commit\n");
            }),
        });
      } else released?.((JSON.parse(line) as { heldMs: number }).heldMs);
    });
  });
}
