/**
 * Child process standing in for a server that keeps writing:
 * `node dist/test/support/sequence-writer.js <dbFile>` opens the file in WAL mode and inserts rows
 * n = 1, 2, 3, ... (each with a 2 KiB payload, each in its own transaction) as fast as it can,
 * yielding to the event loop between rows. It prints `ready` after 500 rows, and on SIGTERM stops,
 * prints `last <n>` and exits.
 */
import Database from "better-sqlite3";

const file = process.argv[2];
if (file === undefined) throw new Error("usage: sequence-writer <dbFile>");
const connection = new Database(file, { timeout: 5_000 });
connection.pragma("journal_mode = WAL");
connection.pragma("synchronous = NORMAL");
connection.exec("CREATE TABLE IF NOT EXISTS seq (n INTEGER PRIMARY KEY, payload BLOB NOT NULL)");
const insert = connection.prepare("INSERT INTO seq (n, payload) VALUES (?, ?)");
const payload = Buffer.alloc(2048, 7);
let last = (connection.prepare("SELECT COALESCE(MAX(n), 0) AS n FROM seq").get() as { n: number }).n;
let stopping = false;

process.on("SIGTERM", () => {
  stopping = true;
});

function writeSome(): void {
  if (stopping) {
    connection.close();
    process.stdout.write(`last ${last}\n`);
    process.exit(0);
  }
  // A few rows per tick, each its own transaction: many small commits interleave with the backup's steps.
  for (let i = 0; i < 5; i += 1) {
    last += 1;
    insert.run(last, payload);
    if (last === 500) process.stdout.write("ready\n");
  }
  setImmediate(writeSome);
}

writeSome();
