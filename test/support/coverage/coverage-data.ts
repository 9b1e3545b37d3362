/** A position in a source file, as Istanbul records it (line from 1, column from 0). */
export interface Location {
  readonly line: number;
  readonly column: number | null;
}

/** A source range. */
export interface Range {
  readonly start: Location;
  readonly end: Location;
}

/** Istanbul's raw coverage of one file (`coverage-final.json` holds one per file). */
export interface FileCoverageData {
  readonly path: string;
  readonly statementMap: Record<string, Range>;
  readonly fnMap: Record<string, { readonly name: string; readonly decl: Range; readonly loc: Range; readonly line: number }>;
  readonly branchMap: Record<string, { readonly loc: Range; readonly type: string; readonly locations: readonly Range[]; readonly line: number }>;
  readonly s: Record<string, number>;
  readonly f: Record<string, number>;
  readonly b: Record<string, number[]>;
}

/** Istanbul's raw coverage, by absolute file path. */
export type CoverageMapData = Record<string, FileCoverageData>;

/**
 * The key two measurements of one source item are matched by: where it starts and the line it
 * ends on. Not the end column: Vitest's source maps leave it null where tsc's give a number.
 */
export function rangeKey(range: Range): string {
  return `${range.start.line}:${range.start.column}-${range.end.line}`;
}
