import { closeSync, openSync, writeSync } from "node:fs";
import { randomBytes, randomInt } from "node:crypto";
import Database from "better-sqlite3";

/**
 * Overwrites `count` pages of a table's b-trees (the table and its indexes, from SQLite's dbstat)
 * with random bytes, always including the table's root page, so that any read of the table finds
 * the damage. The file must not be open in WAL mode with unmerged frames (checkpoint first).
 * Returns the page numbers overwritten.
 */
export function corruptTablePages(file: string, table: string, count: number): number[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  let pageSize: number;
  let candidates: number[];
  let root: number;
  try {
    pageSize = db.pragma("page_size", { simple: true }) as number;
    root = (db.prepare("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as { rootpage: number }).rootpage;
    const owners = (db.prepare("SELECT name FROM sqlite_master WHERE tbl_name = ? AND type IN ('table', 'index')").all(table) as { name: string }[]).map((row) => row.name);
    candidates = (db.prepare(`SELECT pageno FROM dbstat WHERE name IN (${owners.map(() => "?").join(", ")})`).all(...owners) as { pageno: number }[]).map((row) => row.pageno).filter((page) => page !== root);
  } finally {
    db.close();
  }
  const chosen = new Set<number>([root]);
  while (chosen.size < Math.min(count, candidates.length + 1)) chosen.add(candidates[randomInt(candidates.length)] as number);
  const fd = openSync(file, "r+");
  try {
    for (const page of chosen) writeSync(fd, randomBytes(pageSize), 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
  return [...chosen].sort((a, b) => a - b);
}
