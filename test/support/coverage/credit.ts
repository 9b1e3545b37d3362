import { rangeKey, type CoverageMapData, type FileCoverageData } from "./coverage-data";

/** How much of some extra coverage could be credited to the base report's items. */
export interface CreditTally {
  /** Extra items with hits that matched a base item (same file, same source range). */
  matched: number;
  /** Extra items with hits that matched none (left out: the base report defines what is counted). */
  unmatched: number;
  /** Extra files the base report does not list (left out). */
  unknownFiles: number;
}

/** A fresh tally. */
export function emptyTally(): CreditTally {
  return { matched: 0, unmatched: 0, unknownFiles: 0 };
}

/**
 * Adds the hits of `extra` (coverage of `file` measured elsewhere: a child process, a copy of the
 * file) to `base`'s statements and branches with the same source range (see `rangeKey`) and functions
 * declared at the same place. Items
 * only `extra` has are not added: the statements, functions and branches counted stay the ones
 * Vitest's own pass defines, so crediting can raise what is covered but never what there is.
 */
export function creditHits(base: CoverageMapData, file: string, extra: FileCoverageData, tally: CreditTally): void {
  const target = base[file];
  if (target === undefined) {
    tally.unknownFiles += 1;
    return;
  }
  const statements = indexBy(target.statementMap, (range) => rangeKey(range));
  for (const [id, range] of Object.entries(extra.statementMap)) add(extra.s[id] ?? 0, statements.get(rangeKey(range)), (key, hits) => (target.s[key] = (target.s[key] ?? 0) + hits), tally);
  // Function ranges start differently (tsc's output has no parameter types, so its columns shift);
  // the line of the declaration holds, so the n-th function declared on a line is the same one.
  const functions = functionsByLine(target.fnMap);
  for (const [line, ids] of functionsByLine(extra.fnMap)) {
    const counterparts = functions.get(line);
    ids.forEach((id, index) => add(extra.f[id] ?? 0, counterparts?.length === ids.length ? counterparts[index] : undefined, (key, hits) => (target.f[key] = (target.f[key] ?? 0) + hits), tally));
  }
  const branches = indexBy(target.branchMap, (branch) => branchKey(branch.locations));
  for (const [id, branch] of Object.entries(extra.branchMap)) {
    const counts = extra.b[id] ?? [];
    const key = branches.get(branchKey(branch.locations));
    add(
      counts.reduce((sum, count) => sum + count, 0),
      key,
      (found) => {
        const into = target.b[found] ?? [];
        counts.forEach((count, index) => (into[index] = (into[index] ?? 0) + count));
        target.b[found] = into;
      },
      tally,
    );
  }
}

function add(hits: number, key: string | undefined, apply: (key: string, hits: number) => void, tally: CreditTally): void {
  if (hits === 0) return;
  if (key === undefined) {
    tally.unmatched += 1;
    return;
  }
  apply(key, hits);
  tally.matched += 1;
}

function branchKey(locations: readonly FileCoverageData["statementMap"][string][]): string {
  return locations.map((range) => rangeKey(range)).join("|");
}

/** Function ids by the line their declaration starts on, in column order. */
function functionsByLine(fnMap: FileCoverageData["fnMap"]): Map<number, string[]> {
  const sorted = Object.entries(fnMap).sort(([, a], [, b]) => a.decl.start.line - b.decl.start.line || (a.decl.start.column ?? 0) - (b.decl.start.column ?? 0));
  const byLine = new Map<number, string[]>();
  for (const [id, fn] of sorted) byLine.set(fn.decl.start.line, [...(byLine.get(fn.decl.start.line) ?? []), id]);
  return byLine;
}

function indexBy<T>(items: Record<string, T>, key: (item: T) => string): Map<string, string> {
  const index = new Map<string, string>();
  for (const [id, item] of Object.entries(items)) if (!index.has(key(item))) index.set(key(item), id);
  return index;
}
