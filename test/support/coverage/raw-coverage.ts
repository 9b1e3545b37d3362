import { mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ProcessCov } from "@bcoe/v8-coverage";

/** A raw file still unreadable after this long is given up (a process killed mid-write), not retried. */
const GIVE_UP_AFTER_MS = 120_000;

/**
 * Shrinks the raw V8 coverage child processes wrote into `rawDir` (`coverage-<pid>-….json`, about
 * 10 MB each: every script of node_modules included) to the scripts `wanted` keeps, writes that to
 * `compactDir` under the same name and deletes the raw file. A file that does not parse yet is left
 * for the next call (its process may still be writing it). Returns how many files were compacted.
 */
export function compactRawCoverage(rawDir: string, compactDir: string, wanted: (file: string) => boolean): number {
  mkdirSync(compactDir, { recursive: true });
  let compacted = 0;
  for (const name of safeList(rawDir)) {
    if (!name.startsWith("coverage-") || !name.endsWith(".json")) continue;
    const file = path.join(rawDir, name);
    let parsed: ProcessCov;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8")) as ProcessCov;
    } catch {
      if (Date.now() - statSync(file).mtimeMs > GIVE_UP_AFTER_MS) unlinkSync(file);
      continue;
    }
    const result = parsed.result.filter((script) => script.url.startsWith("file://") && wanted(fileURLToPath(script.url)));
    writeFileSync(path.join(compactDir, name), JSON.stringify({ result }));
    unlinkSync(file);
    compacted += 1;
  }
  return compacted;
}

/** The compacted coverage files of `compactDir`, parsed one at a time. */
export function* readCompacted(compactDir: string): Generator<ProcessCov> {
  for (const name of safeList(compactDir)) {
    if (name.endsWith(".json")) yield JSON.parse(readFileSync(path.join(compactDir, name), "utf8")) as ProcessCov;
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
