/**
 * The scraper module's database (seed 002): users and their sessions, scraping jobs with their
 * configuration, artifacts with metadata tags and content extractions, typed system configuration,
 * per-user API rate-limit windows and the audit log. Every key is a UUID generated in code.
 */
import { ApiRateLimit } from "./entities/api-rate-limit";
import { Artifact } from "./entities/artifact";
import { AuditLog } from "./entities/audit-log";
import { ContentExtraction } from "./entities/content-extraction";
import { JobConfiguration } from "./entities/job-configuration";
import { MetadataTag } from "./entities/metadata-tag";
import { ScraperJob } from "./entities/scraper-job";
import { SystemConfiguration } from "./entities/system-configuration";
import { User } from "./entities/user";
import { UserSession } from "./entities/user-session";

/** The database every scraper entity lives in: `data/scraper.db`. */
export const DATABASE_NAME = "scraper";

/** The scraper entities, in dependency order. */
export const entities = [User, UserSession, ScraperJob, JobConfiguration, Artifact, MetadataTag, ContentExtraction, SystemConfiguration, ApiRateLimit, AuditLog];

export { ApiRateLimit, Artifact, AuditLog, ContentExtraction, JobConfiguration, MetadataTag, ScraperJob, SystemConfiguration, User, UserSession };

/**
 * What the generic records API may do with each table (see docs/module-authoring.md). Accounts,
 * configuration and the audit trail change only through their services (hashing, typed values,
 * audit rows); sessions are not listed at all.
 */
export const api = {
  default: "read-write",
  tables: { users: "read", user_sessions: "hidden", system_configurations: "read", audit_logs: "read" },
} as const;
