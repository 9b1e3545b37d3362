import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BackupManifest } from "../../../framework";
import { sha256File } from "../../../framework/backup/file-integrity";
import { runNode } from "../../support/run-process";
import { createTempRoot, REPO_ROOT } from "../../support/temp-root";

const CLI = path.join(REPO_ROOT, "bin", "moduledb.js");

/** Runs the CLI from `cwd` with no DATABASE_DIR, so only --data can point it at the right folder. */
function cli(args: readonly string[], cwd: string) {
  return runNode(CLI, args, { DATABASE_DIR: "", REDIS_URL: "", MODULEDB_ROOT: "" }, cwd);
}

function makeShop(file: string): void {
  const connection = new Database(file);
  connection.pragma("journal_mode = WAL");
  connection.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), note TEXT NOT NULL);
    CREATE INDEX idx_orders_customer ON orders(customer_id);`);
  const customer = connection.prepare("INSERT INTO customers (name) VALUES (?)");
  const order = connection.prepare("INSERT INTO orders (customer_id, note) VALUES (?, ?)");
  connection.transaction(() => {
    for (let index = 1; index <= 200; index += 1) customer.run(`customer ${index}`);
    for (let index = 1; index <= 2_000; index += 1) order.run(1 + (index % 200), `order ${index} ${"x".repeat(200)}`);
  })();
  connection.close();
}

/** Rewrites the manifest entry of `name` so its size and sha256 match the (tampered) file again. */
async function recomputeManifest(backupDir: string, name: string): Promise<void> {
  const manifestFile = path.join(backupDir, "manifest.json");
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as BackupManifest;
  const file = path.join(backupDir, `${name}.db`);
  const databases = await Promise.all(manifest.databases.map(async (entry) => (entry.name === name ? { ...entry, size: readFileSync(file).length, sha256: await sha256File(file) } : entry)));
  writeFileSync(manifestFile, JSON.stringify({ ...manifest, databases }, null, 2));
}

describe("restore checks the copy before swapping it in; backup and restore act on --data", () => {
  const temp = createTempRoot("restore-checks", "compiled");
  const elsewhere = path.join(temp.root, "elsewhere");
  const dataDir = path.join(temp.root, "custom-data");
  const outDir = path.join(temp.root, "backups");
  let backupDir: string;
  beforeAll(() => {
    mkdirSync(elsewhere, { recursive: true });
    mkdirSync(dataDir, { recursive: true });
    makeShop(path.join(dataDir, "shop.db"));
  });
  afterAll(() => temp.remove());

  it("backup --data X backs up X (run from a folder whose ./data does not exist)", async () => {
    const run = await cli(["backup", "--data", dataDir, "--out", outDir, "--json"], elsewhere);
    expect(run.code, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout) as { dir: string; manifest: BackupManifest };
    backupDir = printed.dir;
    expect(printed.manifest.data_dir).toBe(dataDir);
    expect(printed.manifest.databases.map((entry) => entry.name)).toEqual(["shop"]);
    expect(printed.manifest.databases[0]?.row_counts).toEqual({ customers: 200, orders: 2_000 });
    expect(existsSync(path.join(elsewhere, "data"))).toBe(false);
  });

  it("restore --data X restores into X and nowhere else", async () => {
    const connection = new Database(path.join(dataDir, "shop.db"));
    connection.exec("DELETE FROM orders");
    connection.close();
    const run = await cli(["restore", backupDir, "--data", dataDir, "--json"], elsewhere);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { restored: { file: string }[] }).restored.map((entry) => entry.file)).toEqual([path.join(dataDir, "shop.db")]);
    const restored = new Database(path.join(dataDir, "shop.db"), { readonly: true });
    expect(restored.prepare("SELECT COUNT(*) AS n FROM orders").get()).toEqual({ n: 2_000 });
    restored.close();
    expect(existsSync(path.join(elsewhere, "data"))).toBe(false);
  });

  it("refuses a backup whose pages were corrupted (manifest recomputed): INTEGRITY_CHECK_FAILED, nothing replaced", async () => {
    const tampered = path.join(temp.root, "tampered-pages");
    mkdirSync(tampered);
    for (const name of readdirSync(backupDir)) writeFileSync(path.join(tampered, name), readFileSync(path.join(backupDir, name)));
    const copy = path.join(tampered, "shop.db");
    const bytes = readFileSync(copy);
    const pageSize = bytes.readUInt16BE(16);
    // Garbage over three pages in the middle of the file (b-tree pages of orders and its index).
    const first = Math.floor(bytes.length / pageSize / 2);
    for (let offset = first * pageSize; offset < (first + 3) * pageSize; offset += 1) bytes[offset] = (offset * 131) & 0xff;
    writeFileSync(copy, bytes);
    await recomputeManifest(tampered, "shop");

    const live = path.join(dataDir, "shop.db");
    const before = await sha256File(live);
    const files = readdirSync(dataDir).sort();
    const run = await cli(["restore", tampered, "--data", dataDir, "--json"], elsewhere);
    expect(run.code).toBe(1);
    const error = (JSON.parse(run.stdout) as { error: { code: string; message: string; details: { problems: string[] } } }).error;
    expect(error.code).toBe("INTEGRITY_CHECK_FAILED");
    expect(error.message).toContain("'shop'");
    expect(error.details.problems.length).toBeGreaterThan(0);
    expect(error.details.problems[0]).toMatch(/^(integrity_check|unreadable):/);
    expect(await sha256File(live)).toBe(before);
    expect(readdirSync(dataDir).sort()).toEqual(files);
  });

  it("refuses a backup whose rows break a foreign key (manifest recomputed): INTEGRITY_CHECK_FAILED, nothing replaced", async () => {
    const tampered = path.join(temp.root, "tampered-keys");
    mkdirSync(tampered);
    for (const name of readdirSync(backupDir)) writeFileSync(path.join(tampered, name), readFileSync(path.join(backupDir, name)));
    const copy = new Database(path.join(tampered, "shop.db"));
    copy.pragma("foreign_keys = OFF");
    copy.exec("DELETE FROM customers WHERE id = 7");
    copy.close();
    await recomputeManifest(tampered, "shop");

    const before = await sha256File(path.join(dataDir, "shop.db"));
    const run = await cli(["restore", tampered, "shop", "--data", dataDir], elsewhere);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error [INTEGRITY_CHECK_FAILED]: The backup of 'shop' fails its checks");
    expect(await sha256File(path.join(dataDir, "shop.db"))).toBe(before);
    expect(readdirSync(dataDir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });
});
