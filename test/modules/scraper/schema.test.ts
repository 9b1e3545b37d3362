import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootModules, type BootedModules } from "../../support/boot-modules";
import { checkExpressions, columns, foreignKeys, indexes, userTables } from "../../support/sqlite-schema";
import { sqliteConnection } from "../../../framework/engines/sqlite/sqlite-connection";

/** Seed 002's tables and columns, as its CREATE TABLE statements list them. */
const SEED_002_COLUMNS: Record<string, string[]> = {
  users: ["id", "username", "email", "password_hash", "full_name", "role", "is_active", "created_at", "updated_at"],
  user_sessions: ["id", "user_id", "token_hash", "expires_at", "created_at"],
  scraping_jobs: ["id", "user_id", "job_type", "keywords", "expanded_keywords", "status", "progress", "total_items", "completed_items", "error_message", "started_at", "completed_at", "created_at", "updated_at"],
  job_configurations: ["id", "job_id", "config_key", "config_value", "created_at"],
  artifacts: ["id", "job_id", "user_id", "artifact_type", "source_url", "title", "content_hash", "file_size", "mime_type", "minio_path", "is_public", "created_at"],
  metadata_tags: ["id", "artifact_id", "tag_type", "tag_key", "tag_value", "created_at"],
  content_extractions: ["id", "artifact_id", "extraction_type", "extracted_data", "confidence_score", "created_at"],
  system_configurations: ["id", "config_key", "config_value", "config_type", "description", "is_sensitive", "created_at", "updated_at"],
  api_rate_limits: ["id", "user_id", "endpoint", "request_count", "window_start", "created_at"],
  audit_logs: ["id", "user_id", "action", "resource_type", "resource_id", "details", "ip_address", "user_agent", "created_at"],
};

/** Columns the issue adds on top of the seed: soft delete for users and artifacts. */
const ADDED_COLUMNS: Record<string, string[]> = { users: ["deleted_at"], artifacts: ["deleted_at"] };

/** The seed's NOT NULL columns (besides primary keys). */
const SEED_002_NOT_NULL: Record<string, string[]> = {
  users: ["username", "email", "password_hash"],
  user_sessions: ["token_hash", "expires_at"],
  scraping_jobs: ["job_type", "keywords"],
  job_configurations: ["config_key"],
  artifacts: ["artifact_type", "content_hash", "minio_path"],
  metadata_tags: ["tag_type", "tag_key"],
  content_extractions: ["extraction_type"],
  system_configurations: ["config_key"],
  api_rate_limits: ["endpoint", "window_start"],
  audit_logs: ["action"],
};

/** The seed's REFERENCES clauses with their ON DELETE rules. */
const SEED_002_FOREIGN_KEYS = [
  "user_sessions.user_id -> users CASCADE",
  "scraping_jobs.user_id -> users CASCADE",
  "job_configurations.job_id -> scraping_jobs CASCADE",
  "artifacts.job_id -> scraping_jobs CASCADE",
  "artifacts.user_id -> users CASCADE",
  "metadata_tags.artifact_id -> artifacts CASCADE",
  "content_extractions.artifact_id -> artifacts CASCADE",
  "api_rate_limits.user_id -> users CASCADE",
  "audit_logs.user_id -> users SET NULL",
];

/** The seed's UNIQUE columns. */
const SEED_002_UNIQUES = ["users(username)", "users(email)", "system_configurations(config_key)"];

/**
 * Seed 002 names no indexes (it asks to "add proper indexes"); these are the module's own,
 * on every foreign key and on the lookups the services make.
 */
const MODULE_INDEXES = [
  "idx_api_rate_limits_user_endpoint_window on api_rate_limits(user_id,endpoint,window_start)",
  "idx_artifacts_content_hash on artifacts(content_hash)",
  "idx_artifacts_job_id on artifacts(job_id)",
  "idx_artifacts_user_id on artifacts(user_id)",
  "idx_audit_logs_created_at on audit_logs(created_at)",
  "idx_audit_logs_resource on audit_logs(resource_type,resource_id)",
  "idx_audit_logs_user_id on audit_logs(user_id)",
  "idx_content_extractions_artifact_id on content_extractions(artifact_id)",
  "idx_job_configurations_job_id on job_configurations(job_id)",
  "idx_metadata_tags_artifact_id on metadata_tags(artifact_id)",
  "idx_scraping_jobs_status on scraping_jobs(status)",
  "idx_scraping_jobs_user_id on scraping_jobs(user_id)",
  "idx_user_sessions_token_hash on user_sessions(token_hash)",
  "idx_user_sessions_user_id on user_sessions(user_id)",
];

describe("scraper schema against seed 002", () => {
  let booted: BootedModules;
  beforeAll(async () => {
    booted = await bootModules("scraper-schema", ["scraper"]);
  });
  afterAll(() => booted.close());
  const db = () => sqliteConnection(booted.database("scraper"));

  it("creates scraper.db with every table and column of the seed (plus soft-delete columns)", () => {
    expect(booted.database("scraper").file).toBe(`${booted.temp.dataDir}/scraper.db`);
    expect(userTables(db())).toEqual(Object.keys(SEED_002_COLUMNS).sort());
    for (const [table, seedColumns] of Object.entries(SEED_002_COLUMNS)) {
      expect(Object.keys(columns(db(), table)).sort(), table).toEqual([...seedColumns, ...(ADDED_COLUMNS[table] ?? [])].sort());
    }
  });

  it("keeps the seed's NOT NULLs, defaults and mapped types", () => {
    for (const [table, required] of Object.entries(SEED_002_NOT_NULL)) {
      const actual = columns(db(), table);
      const notNull = Object.entries(actual).filter(([name, column]) => column.notNull && name !== "id").map(([name]) => name);
      expect(notNull.sort(), table).toEqual([...required].sort());
    }
    const users = columns(db(), "users");
    expect([users.role?.default, users.is_active?.default, users.created_at?.default]).toEqual(["'user'", "1", "datetime('now')"]);
    expect(columns(db(), "scraping_jobs").status?.default).toBe("'pending'");
    expect(columns(db(), "system_configurations").config_type?.default).toBe("'string'");
    expect(columns(db(), "artifacts").is_public?.default).toBe("0");
    expect(columns(db(), "content_extractions").confidence_score?.type).toBe("decimal(3,2)");
    expect(columns(db(), "users").username?.type).toBe("varchar(50)");
    expect(columns(db(), "audit_logs").ip_address?.type).toBe("text");
  });

  it("has exactly the seed's foreign keys with their ON DELETE rules", () => {
    const actual = foreignKeys(db()).map((key) => `${key.table}.${key.column} -> ${key.references} ${key.onDelete}`);
    expect(actual.sort()).toEqual([...SEED_002_FOREIGN_KEYS].sort());
  });

  it("has the seed's UNIQUE constraints, the module's named indexes and no CHECKs (the seed has none)", () => {
    const all = indexes(db());
    const uniques = all.filter((index) => index.origin === "u").map((index) => `${index.table}(${index.columns.join(",")})`);
    expect(uniques.sort()).toEqual([...SEED_002_UNIQUES].sort());
    const named = all.filter((index) => index.origin === "c").map((index) => `${index.name} on ${index.table}(${index.columns.join(",")})`);
    expect(named.sort()).toEqual([...MODULE_INDEXES].sort());
    for (const table of Object.keys(SEED_002_COLUMNS)) expect(checkExpressions(db(), table), table).toEqual([]);
  });
});
