import type { DbErrorCode } from "../../../framework/errors/db-error";
import { DATABASE_NAME } from "../db-models";

/** Errors only the scraper's own rules produce (on top of the data layer's DbError codes). */
export const SCRAPER_ERROR_CODES = ["INVALID_STATUS_TRANSITION", "INVALID_CREDENTIALS", "SESSION_INVALID", "INVALID_CONFIG_VALUE", "ROLE_FORBIDDEN"] as const;

/** Every code a scraper service can return. */
export type ScraperErrorCode = DbErrorCode | (typeof SCRAPER_ERROR_CODES)[number];

/** The error half of every scraper service Result; a DbError is one too. */
export interface ScraperError {
  readonly code: ScraperErrorCode;
  readonly message: string;
  readonly database?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Builds a {@link ScraperError} on the scraper database. */
export function scraperError(code: ScraperErrorCode, message: string, details?: Record<string, unknown>): ScraperError {
  return details === undefined ? { code, message, database: DATABASE_NAME } : { code, message, database: DATABASE_NAME, details };
}

/** VALIDATION_FAILED naming the offending field. */
export function invalidInput(field: string, message: string): ScraperError {
  return scraperError("VALIDATION_FAILED", `${field}: ${message}`, { field });
}

/** RECORD_NOT_FOUND for one resource. */
export function notFound(resource: string, id: string): ScraperError {
  return scraperError("RECORD_NOT_FOUND", `No ${resource} with id '${id}'.`, { resource, id });
}
