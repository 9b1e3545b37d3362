import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CrudService, SqlAccess } from "../../../../framework";
import { SqliteSession } from "../../../../framework/engines/sqlite/sqlite-session";
import { startApi, type ApiUnderTest } from "../../../support/http-harness";
import { simpleModels } from "../../../support/module-sources";
import { createTempRoot, REPO_ROOT } from "../../../support/temp-root";

/** How long the other process holds its write transaction unless told to commit sooner. */
const HOLD_MS = 2_000;

/**
 * Another process that opens the file with better-sqlite3, begins a write transaction, inserts a
 * row and prints `holding`; it commits (and prints `committed`) when told on stdin, or after
 * {@link HOLD_MS} on its own, so reads that waited for it would only finish after `committed`.
 */
const HOLDER_SCRIPT = `
const Database = require("better-sqlite3");
const db = new Database(process.argv[1]);
db.pragma("busy_timeout = 5000");
db.exec("BEGIN IMMEDIATE");
db.prepare("INSERT INTO orders (title) VALUES ('held elsewhere')").run();
process.stdout.write("holding\\n");
let done = false;
const finish = () => {
  if (done) return;
  done = true;
  db.exec("COMMIT");
  db.close();
  process.stdout.write("committed\\n");
  process.exit(0);
};
setTimeout(finish, ${HOLD_MS});
process.stdin.on("data", finish);
`;

interface Holder {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves with `committed` once the holder has committed. */
  readonly committed: Promise<void>;
}

/** Starts the holder and resolves once its transaction is open. */
function holdWriteTransaction(file: string, events: string[]): Promise<Holder> {
  const child = spawn(process.execPath, ["-e", HOLDER_SCRIPT, file], { cwd: REPO_ROOT, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let resolveCommitted!: () => void;
    const committed = new Promise<void>((done) => (resolveCommitted = done));
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`holder exited with ${code}: ${stderr}`));
    });
    createInterface({ input: child.stdout }).on("line", (line) => {
      events.push(line);
      if (line === "holding") resolve({ child, committed });
      if (line === "committed") resolveCommitted();
    });
  });
}

describe("reads while another process holds a write transaction (WAL read connection)", () => {
  const temp = createTempRoot("read-connection");
  temp.writeModuleFile("shop", "db-models.ts", simpleModels("shop", ["orders"]));
  let api: ApiUnderTest;
  let crud: CrudService;

  beforeAll(async () => {
    api = await startApi(temp);
    crud = api.framework.resolve(CrudService);
    expect((await crud.createMany("shop", "orders", [{ title: "a" }, { title: "b" }]))._unsafeUnwrap().inserted).toBe(2);
  });
  afterAll(async () => {
    await api.stop();
    temp.remove();
  });

  it("opens a read connection next to the writer in WAL mode", () => {
    const session = api.framework.databases.get("shop")._unsafeUnwrap().session;
    expect(session).toBeInstanceOf(SqliteSession);
    const reader = (session as SqliteSession).reader;
    expect(reader).toBeDefined();
    expect(reader?.connection().readonly).toBe(true);
    expect(reader?.connection()).not.toBe((session as SqliteSession).connection());
  });

  it("answers CrudService, SqlAccess and HTTP reads before the other process lets go, without its uncommitted row", async () => {
    const db = api.framework.databases.get("shop")._unsafeUnwrap();
    const sql = new SqlAccess(db);
    const events: string[] = [];
    const holder = await holdWriteTransaction(db.file, events);
    let write: Promise<unknown> = Promise.resolve();
    try {
      // A write of this process now waits out the other process' lock while holding the write gate.
      const retriesBefore = db.stats.retries;
      write = Promise.resolve(crud.create("shop", "orders", { title: "queued here" })).then(() => events.push("write settled"));
      while (db.stats.retries === retriesBefore) await new Promise((resolve) => setTimeout(resolve, 5));
      const [page, one, count, rows, httpPage, httpRecord] = await Promise.all([
        crud.list("shop", "orders", { pageSize: 10 }),
        crud.get("shop", "orders", 1),
        crud.count("shop", "orders"),
        sql.fetchAll<{ title: string }>("SELECT title FROM orders ORDER BY id"),
        fetch(`${api.url}/api/v1/db/databases/shop/tables/orders?page_size=10`).then(async (response) => ({ status: response.status, body: (await response.json()) as { total_records: number } })),
        fetch(`${api.url}/api/v1/db/databases/shop/tables/orders/records/2`).then(async (response) => ({ status: response.status, body: (await response.json()) as { record: { title: string } } })),
      ]);
      events.push("reads done");
      expect(page._unsafeUnwrap().totalRecords).toBe(2);
      expect(one._unsafeUnwrap().title).toBe("a");
      expect(count._unsafeUnwrap()).toBe(2);
      expect(rows._unsafeUnwrap().map((row) => row.title)).toEqual(["a", "b"]);
      expect(httpPage).toMatchObject({ status: 200, body: { total_records: 2 } });
      expect(httpRecord).toMatchObject({ status: 200, body: { record: { title: "b" } } });
    } finally {
      holder.child.stdin.write("commit\n");
      await holder.committed;
      await write;
    }
    // Every read finished while the other process still held its transaction open, and while
    // this process' own write was still waiting for it.
    expect(events.slice(0, 2)).toEqual(["holding", "reads done"]);
    expect(events.slice(2).sort()).toEqual(["committed", "write settled"]);
    // And the first read after its commit sees the committed row.
    expect((await sql.fetchOne<{ title: string }>("SELECT title FROM orders WHERE id = 3"))._unsafeUnwrap()?.title).toBe("held elsewhere");
  });

  it("sees a write of this process as soon as it is acknowledged", async () => {
    for (let index = 0; index < 20; index += 1) {
      const created = (await crud.create("shop", "orders", { title: `acked ${index}` }))._unsafeUnwrap();
      expect((await crud.get("shop", "orders", created.id))._unsafeUnwrap().title).toBe(`acked ${index}`);
      const updated = (await crud.update("shop", "orders", created.id, { note: "changed" }))._unsafeUnwrap();
      expect(updated.note).toBe("changed");
      expect((await crud.list("shop", "orders", { filters: [{ column: "id", op: "eq", value: created.id }] }))._unsafeUnwrap().records[0]?.note).toBe("changed");
    }
  });

  it("reads a transaction's own writes when called inside it, and refuses writes there", async () => {
    const db = api.framework.databases.get("shop")._unsafeUnwrap();
    const before = (await crud.count("shop", "orders"))._unsafeUnwrap();
    const seen = await db.transaction(async (manager) => {
      await manager.query("INSERT INTO orders (title) VALUES ('inside')");
      const inside = await db.snapshot(async (reading) => ((await reading.query("SELECT COUNT(*) AS n FROM orders")) as [{ n: number }])[0].n);
      const counted = await crud.count("shop", "orders");
      const refused = await db.snapshot((reading) => reading.query("INSERT INTO orders (title) VALUES ('refused')"));
      return { inside: inside._unsafeUnwrap(), counted: counted._unsafeUnwrap(), refused: refused.isErr() };
    });
    expect(seen._unsafeUnwrap()).toEqual({ inside: before + 1, counted: before + 1, refused: true });
    expect((await crud.count("shop", "orders"))._unsafeUnwrap()).toBe(before + 1);
  });

  it("sends SQL that writes to the writer even through fetchOne", async () => {
    const sql = new SqlAccess(api.framework.databases.get("shop")._unsafeUnwrap());
    const changed = await sql.fetchOne<{ title: string }>("UPDATE orders SET title = 'renamed' WHERE id = 1 RETURNING title");
    expect(changed._unsafeUnwrap()?.title).toBe("renamed");
    expect((await crud.get("shop", "orders", 1))._unsafeUnwrap().title).toBe("renamed");
  });
});

describe("outside WAL mode", () => {
  const temp = createTempRoot("read-connection-delete");
  temp.writeModuleFile("shop", "db-models.ts", simpleModels("shop", ["orders"]));
  afterAll(() => temp.remove());

  it("opens no read connection (readers and writers block each other anyway) and reads through the writer", async () => {
    const saved = process.env.SQLITE_JOURNAL_MODE;
    process.env.SQLITE_JOURNAL_MODE = "DELETE";
    let api: ApiUnderTest | undefined;
    try {
      api = await startApi(temp);
      const session = api.framework.databases.get("shop")._unsafeUnwrap().session as SqliteSession;
      expect(session.reader).toBeUndefined();
      expect(session.readsOnly("SELECT 1")).toBe(false);
      const crud = api.framework.resolve(CrudService);
      await crud.create("shop", "orders", { title: "one" });
      expect((await crud.list("shop", "orders"))._unsafeUnwrap().totalRecords).toBe(1);
      expect((await crud.get("shop", "orders", 1))._unsafeUnwrap().title).toBe("one");
    } finally {
      if (saved === undefined) delete process.env.SQLITE_JOURNAL_MODE;
      else process.env.SQLITE_JOURNAL_MODE = saved;
      await api?.stop();
    }
  });
});
