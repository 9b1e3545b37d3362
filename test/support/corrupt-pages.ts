import { closeSync, openSync, writeSync } from "node:fs";
import { randomBytes, randomInt } from "node:crypto";
import Database from "better-sqlite3";

/**
 * Overwrites `count` pages of a table's b-trees (the table and its indexes, from SQLite's dbstat)
 * with random bytes, always including the root page of each of them, so that any read of the
 * table finds the damage whichever b-tree SQLite chooses (COUNT(*) reads the smallest index).
 * The file must not hold unmerged WAL frames (checkpoint first). Returns the pages overwritten.
 */
export function corruptTablePages(file: string, table: string, count: number): number[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  let pageSize: number;
  let candidates: number[];
  let roots: number[];
  try {
    pageSize = db.pragma("page_size", { simple: true }) as number;
    const trees = db.prepare("SELECT name, rootpage FROM sqlite_master WHERE tbl_name = ? AND type IN ('table', 'index') AND rootpage > 0").all(table) as { name: string; rootpage: number }[];
    roots = trees.map((tree) => tree.rootpage);
    const names = trees.map((tree) => tree.name);
    candidates = (db.prepare(`SELECT pageno FROM dbstat WHERE name IN (${names.map(() => "?").join(", ")})`).all(...names) as { pageno: number }[]).map((row) => row.pageno).filter((page) => !roots.includes(page));
  } finally {
    db.close();
  }
  const chosen = new Set<number>(roots);
  while (chosen.size < Math.min(Math.max(count, roots.length), candidates.length + roots.length)) chosen.add(candidates[randomInt(candidates.length)] as number);
  const fd = openSync(file, "r+");
  try {
    for (const page of chosen) writeSync(fd, randomBytes(pageSize), 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
  return [...chosen].sort((a, b) => a - b);
}
