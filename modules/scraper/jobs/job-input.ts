import { err, ok, Result } from "neverthrow";
import { JOB_TYPES, type JobType } from "../entities/scraper-job";
import { invalidInput, type ScraperError } from "../support/scraper-error";

/** A job configuration value; stored as text. */
export type JobConfigValue = string | number | boolean | null;

/** What creating a job needs. */
export interface CreateJobInput {
  readonly userId: string;
  readonly jobType: JobType;
  /** At least one keyword. */
  readonly keywords: readonly string[];
  readonly expandedKeywords?: readonly string[] | null;
  /** Stored one row per key in `job_configurations`. */
  readonly configuration?: Readonly<Record<string, JobConfigValue>>;
  readonly totalItems?: number;
}

/** A checked job, ready to insert. */
export interface CheckedJob {
  readonly userId: string;
  readonly jobType: JobType;
  readonly keywords: string[];
  readonly expandedKeywords: string[] | null;
  readonly configuration: [string, string | null][];
  readonly totalItems: number;
}

function keywordList(value: unknown, field: string, required: boolean): Result<string[] | null, ScraperError> {
  if (!required && (value === undefined || value === null)) return ok(null);
  if (!Array.isArray(value) || (required && value.length === 0)) return err(invalidInput(field, required ? "must be a non-empty array of strings." : "must be an array of strings."));
  const bad = value.findIndex((keyword) => typeof keyword !== "string" || keyword.trim() === "");
  return bad >= 0 ? err(invalidInput(`${field}[${bad}]`, "must be a non-empty string.")) : ok(value.map((keyword: string) => keyword.trim()));
}

function configurationRows(value: unknown): Result<[string, string | null][], ScraperError> {
  if (value === undefined || value === null) return ok([]);
  if (typeof value !== "object" || Array.isArray(value)) return err(invalidInput("configuration", "must be an object of key → value."));
  const rows: [string, string | null][] = [];
  for (const [key, raw] of Object.entries(value)) {
    if (key === "" || key.length > 100) return err(invalidInput("configuration", `key '${key}' must be 1 to 100 characters.`));
    if (raw !== null && !["string", "number", "boolean"].includes(typeof raw)) return err(invalidInput(`configuration.${key}`, "must be a string, number, boolean or null."));
    rows.push([key, raw === null ? null : String(raw)]);
  }
  return ok(rows);
}

/** Checks a new job field by field. */
export function checkJob(input: CreateJobInput): Result<CheckedJob, ScraperError> {
  const userId = typeof input.userId === "string" && input.userId !== "" ? ok(input.userId) : err(invalidInput("userId", "is required."));
  const jobType = JOB_TYPES.includes(input.jobType) ? ok(input.jobType) : err(invalidInput("jobType", `must be one of ${JOB_TYPES.join(", ")}.`));
  const totalItems = input.totalItems === undefined ? ok(0) : Number.isInteger(input.totalItems) && input.totalItems >= 0 ? ok(input.totalItems) : err(invalidInput("totalItems", "must be a non-negative integer."));
  return Result.combine([userId, jobType, keywordList(input.keywords, "keywords", true), keywordList(input.expandedKeywords, "expandedKeywords", false), configurationRows(input.configuration), totalItems]).map(
    ([user, type, keywords, expandedKeywords, configuration, total]) => ({ userId: user, jobType: type, keywords: keywords ?? [], expandedKeywords, configuration, totalItems: total }),
  );
}
