import { err, ok, Result } from "neverthrow";
import type { DbError } from "../../../framework";
import type { SearchResult } from "../db-models";
import { invalid, optionalNumber, optionalStringArray, optionalText, requireId } from "../shared/validate";
import type { NewSearchResult, ResultAnalysis } from "./result-types";

/** The columns a new result row is inserted with. */
export type SearchResultRow = Pick<
  SearchResult,
  "search_id" | "source" | "title" | "snippet" | "url" | "position" | "sentiment_score" | "competitor_mentioned" | "keywords"
>;

/** The analysis columns of an update, only those the caller named. */
export type AnalysisColumns = Partial<Pick<SearchResult, "sentiment_score" | "competitor_mentioned" | "keywords">>;

function optionalInteger(field: string, value: unknown): Result<number | null, DbError> {
  if (value === undefined || value === null) return ok(null);
  if (typeof value !== "number" || !Number.isInteger(value)) return err(invalid(field, "must be an integer or null.", value));
  return ok(value);
}

/** Checks one new result row; errors carry the row's index. */
export function validateResultRow(row: NewSearchResult, index: number): Result<SearchResultRow, DbError> {
  if (typeof row !== "object" || row === null) return err(invalid(`rows[${index}]`, "must be an object."));
  return Result.combine([
    requireId("search_id", row.search_id),
    optionalText("source", row.source, 50),
    optionalText("title", row.title, 500),
    optionalText("snippet", row.snippet, Number.MAX_SAFE_INTEGER),
    optionalText("url", row.url, 1000),
    optionalInteger("position", row.position),
    optionalNumber("sentiment_score", row.sentiment_score),
    optionalStringArray("competitor_mentioned", row.competitor_mentioned),
    optionalStringArray("keywords", row.keywords),
  ])
    .map(([search_id, source, title, snippet, url, position, sentiment_score, competitor_mentioned, keywords]) => ({
      search_id,
      source,
      title,
      snippet,
      url,
      position,
      sentiment_score,
      competitor_mentioned,
      keywords,
    }))
    .mapErr((error) => ({ ...error, message: `rows[${index}]: ${error.message}`, details: { ...error.details, row: index } }));
}

/** Checks an analysis patch: at least one known field, each of the right type. */
export function validateAnalysis(analysis: ResultAnalysis): Result<AnalysisColumns, DbError> {
  if (typeof analysis !== "object" || analysis === null) return err(invalid("analysis", "must be an object."));
  const known = ["sentiment_score", "competitor_mentioned", "keywords"];
  const unknown = Object.keys(analysis).filter((key) => !known.includes(key));
  if (unknown.length > 0) return err(invalid("analysis", `has unknown field(s) ${unknown.join(", ")}; allowed: ${known.join(", ")}.`));
  if (Object.keys(analysis).length === 0) return err(invalid("analysis", `must set at least one of ${known.join(", ")}.`));
  const columns: AnalysisColumns = {};
  const checks: Result<unknown, DbError>[] = [];
  if ("sentiment_score" in analysis) checks.push(optionalNumber("sentiment_score", analysis.sentiment_score).map((value) => (columns.sentiment_score = value)));
  if ("competitor_mentioned" in analysis) {
    checks.push(optionalStringArray("competitor_mentioned", analysis.competitor_mentioned).map((value) => (columns.competitor_mentioned = value)));
  }
  if ("keywords" in analysis) checks.push(optionalStringArray("keywords", analysis.keywords).map((value) => (columns.keywords = value)));
  return Result.combine(checks).map(() => columns);
}
