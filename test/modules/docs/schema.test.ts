import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqlAccess } from "../../../framework";
import { bootModules, type BootedModules } from "../../support/boot-modules";
import { checkExpressions, columns, foreignKeys, indexes, userTables } from "../../support/sqlite-schema";
import { sqliteConnection } from "../../../framework/engines/sqlite/sqlite-connection";

/** Every CREATE INDEX of seed 004, verbatim: name, table and column. */
const SEED_004_INDEXES = `
CREATE INDEX idx_search_cache_expires_at ON search_cache(expires_at);
CREATE INDEX idx_search_cache_technology_hint ON search_cache(technology_hint);
CREATE INDEX idx_search_cache_created_at ON search_cache(created_at);
CREATE INDEX idx_content_metadata_technology ON content_metadata(technology);
CREATE INDEX idx_content_metadata_source_url ON content_metadata(source_url);
CREATE INDEX idx_content_metadata_content_hash ON content_metadata(content_hash);
CREATE INDEX idx_content_metadata_quality_score ON content_metadata(quality_score);
CREATE INDEX idx_content_metadata_processing_status ON content_metadata(processing_status);
CREATE INDEX idx_content_metadata_created_at ON content_metadata(created_at);
CREATE INDEX idx_content_metadata_last_accessed_at ON content_metadata(last_accessed_at);
CREATE INDEX idx_feedback_events_content_id ON feedback_events(content_id);
CREATE INDEX idx_feedback_events_feedback_type ON feedback_events(feedback_type);
CREATE INDEX idx_feedback_events_created_at ON feedback_events(created_at);
CREATE INDEX idx_feedback_events_user_session_id ON feedback_events(user_session_id);
CREATE INDEX idx_usage_signals_content_id ON usage_signals(content_id);
CREATE INDEX idx_usage_signals_signal_type ON usage_signals(signal_type);
CREATE INDEX idx_usage_signals_created_at ON usage_signals(created_at);
CREATE INDEX idx_usage_signals_user_session_id ON usage_signals(user_session_id);
CREATE INDEX idx_source_metadata_source_type ON source_metadata(source_type);
CREATE INDEX idx_source_metadata_technology ON source_metadata(technology);
CREATE INDEX idx_source_metadata_reliability_score ON source_metadata(reliability_score);
CREATE INDEX idx_source_metadata_is_active ON source_metadata(is_active);
CREATE INDEX idx_source_metadata_updated_at ON source_metadata(updated_at);
CREATE INDEX idx_technology_mappings_technology ON technology_mappings(technology);
CREATE INDEX idx_technology_mappings_source_type ON technology_mappings(source_type);
CREATE INDEX idx_technology_mappings_priority ON technology_mappings(priority);
CREATE INDEX idx_technology_mappings_is_active ON technology_mappings(is_active);
CREATE INDEX idx_technology_mappings_is_official ON technology_mappings(is_official);
`;

/** Every CHECK of seed 004, by table, with the seed's expressions. */
const SEED_004_CHECKS: Record<string, string[]> = {
  content_metadata: [
    "quality_score >= 0.0 AND quality_score <= 1.0",
    "freshness_score >= 0.0 AND freshness_score <= 1.0",
    "processing_status IN ('pending', 'processing', 'completed', 'failed', 'flagged')",
  ],
  feedback_events: ["feedback_type IN ('helpful', 'not_helpful', 'outdated', 'incorrect', 'flag')", "rating >= 1 AND rating <= 5"],
  usage_signals: ["signal_type IN ('click', 'dwell_time', 'copy', 'share', 'scroll_depth')"],
  source_metadata: [
    "source_type IN ('github', 'web', 'api')",
    "reliability_score >= 0.0 AND reliability_score <= 1.0",
    "rate_limit_status IN ('normal', 'limited', 'exhausted')",
    "avg_content_quality >= 0.0 AND avg_content_quality <= 1.0",
  ],
  technology_mappings: ["source_type IN ('github', 'web')"],
  system_config: [],
  search_cache: [],
  schema_versions: [],
};

/** The seed's UNIQUE constraints and foreign keys. */
const SEED_004_UNIQUES = ["content_metadata(content_hash)", "technology_mappings(technology,source_type,owner,repo,base_url)"];
const SEED_004_FOREIGN_KEYS = ["feedback_events.content_id -> content_metadata CASCADE", "usage_signals.content_id -> content_metadata CASCADE"];

/** Each CHECK broken once: the statement that breaks it. */
const CHECK_VIOLATIONS: { check: string; table: string; sql: string }[] = [
  { check: "quality_score <= 1.0", table: "content_metadata", sql: "INSERT INTO content_metadata (content_id, title, source_url, technology, content_hash, quality_score) VALUES ('bad', 't', 'u', 'x', 'h-q1', 1.5)" },
  { check: "quality_score >= 0.0", table: "content_metadata", sql: "INSERT INTO content_metadata (content_id, title, source_url, technology, content_hash, quality_score) VALUES ('bad', 't', 'u', 'x', 'h-q2', -0.1)" },
  { check: "freshness_score", table: "content_metadata", sql: "INSERT INTO content_metadata (content_id, title, source_url, technology, content_hash, freshness_score) VALUES ('bad', 't', 'u', 'x', 'h-f', 2)" },
  { check: "processing_status", table: "content_metadata", sql: "INSERT INTO content_metadata (content_id, title, source_url, technology, content_hash, processing_status) VALUES ('bad', 't', 'u', 'x', 'h-s', 'archived')" },
  { check: "feedback_type", table: "feedback_events", sql: "INSERT INTO feedback_events (event_id, content_id, feedback_type) VALUES ('bad', 'doc-1', 'love')" },
  { check: "rating >= 1", table: "feedback_events", sql: "INSERT INTO feedback_events (event_id, content_id, feedback_type, rating) VALUES ('bad', 'doc-1', 'helpful', 0)" },
  { check: "rating <= 5", table: "feedback_events", sql: "INSERT INTO feedback_events (event_id, content_id, feedback_type, rating) VALUES ('bad', 'doc-1', 'helpful', 6)" },
  { check: "signal_type", table: "usage_signals", sql: "INSERT INTO usage_signals (signal_id, content_id, signal_type) VALUES ('bad', 'doc-1', 'hover')" },
  { check: "source_type (sources)", table: "source_metadata", sql: "INSERT INTO source_metadata (source_id, source_type, source_url, technology) VALUES ('bad', 'ftp', 'u', 'x')" },
  { check: "reliability_score", table: "source_metadata", sql: "INSERT INTO source_metadata (source_id, source_type, source_url, technology, reliability_score) VALUES ('bad', 'web', 'u', 'x', 1.01)" },
  { check: "rate_limit_status", table: "source_metadata", sql: "INSERT INTO source_metadata (source_id, source_type, source_url, technology, rate_limit_status) VALUES ('bad', 'web', 'u', 'x', 'throttled')" },
  { check: "avg_content_quality", table: "source_metadata", sql: "INSERT INTO source_metadata (source_id, source_type, source_url, technology, avg_content_quality) VALUES ('bad', 'web', 'u', 'x', -1)" },
  { check: "source_type (mappings)", table: "technology_mappings", sql: "INSERT INTO technology_mappings (mapping_id, technology, source_type) VALUES ('bad', 'x', 'api')" },
  { check: "update of an existing row", table: "content_metadata", sql: "UPDATE content_metadata SET quality_score = 3 WHERE content_id = 'doc-1'" },
];

describe("docs schema against seed 004", () => {
  let booted: BootedModules;
  beforeAll(async () => {
    booted = await bootModules("docs-schema", ["docs"]);
  });
  afterAll(() => booted.close());
  const db = () => sqliteConnection(booted.database("docs"));

  it("creates docs.db with the seed's eight tables", () => {
    expect(booted.database("docs").file).toBe(`${booted.temp.dataDir}/docs.db`);
    expect(userTables(db())).toEqual(["content_metadata", "feedback_events", "schema_versions", "search_cache", "source_metadata", "system_config", "technology_mappings", "usage_signals"]);
  });

  it("creates every index of the seed under the seed's name, on the seed's column, and no other", () => {
    const expected = [...SEED_004_INDEXES.matchAll(/CREATE INDEX (\w+) ON (\w+)\((\w+)\);/g)].map(([, name, table, column]) => `${name} on ${table}(${column})`);
    expect(expected).toHaveLength(28);
    const actual = indexes(db())
      .filter((index) => index.origin === "c")
      .map((index) => `${index.name} on ${index.table}(${index.columns.join(",")})`);
    expect(actual.sort()).toEqual(expected.sort());
  });

  it("has every CHECK of the seed, with the seed's expressions", () => {
    for (const [table, expected] of Object.entries(SEED_004_CHECKS)) {
      expect(checkExpressions(db(), table).sort(), table).toEqual([...expected].sort());
    }
  });

  it("has the seed's UNIQUE constraints, foreign keys, NOT NULLs and defaults", () => {
    const uniques = indexes(db())
      .filter((index) => index.origin === "u")
      .map((index) => `${index.table}(${index.columns.join(",")})`);
    expect(uniques.sort()).toEqual([...SEED_004_UNIQUES].sort());
    expect(foreignKeys(db()).map((key) => `${key.table}.${key.column} -> ${key.references} ${key.onDelete}`).sort()).toEqual(SEED_004_FOREIGN_KEYS);

    const mappings = columns(db(), "technology_mappings");
    expect(mappings.file_patterns).toEqual({ type: "text", notNull: true, default: `'["*.md", "*.mdx"]'` });
    expect(mappings.docs_path).toEqual({ type: "text", notNull: true, default: "'docs'" });
    expect(mappings.owner?.notNull).toBe(false);
    expect(columns(db(), "system_config").updated_by).toEqual({ type: "text", notNull: true, default: "'system'" });
    expect(columns(db(), "search_cache").expires_at).toEqual({ type: "datetime", notNull: true, default: null });
    expect(columns(db(), "content_metadata").created_at).toEqual({ type: "datetime", notNull: true, default: "CURRENT_TIMESTAMP" });
    expect(columns(db(), "source_metadata").rate_limit_status).toEqual({ type: "text", notNull: false, default: "'normal'" });
    expect(columns(db(), "feedback_events").rating).toEqual({ type: "integer", notNull: false, default: null });
  });

  it("rejects each CHECK's bad value with CONSTRAINT_VIOLATION and writes nothing", async () => {
    const sql = new SqlAccess(booted.database("docs"));
    (await sql.execute("INSERT INTO content_metadata (content_id, title, source_url, technology, content_hash) VALUES ('doc-1', 't', 'u', 'x', 'h-ok')"))._unsafeUnwrap();
    for (const violation of CHECK_VIOLATIONS) {
      const before = db().prepare(`SELECT * FROM ${violation.table} ORDER BY 1`).all();
      const failure = (await sql.execute(violation.sql))._unsafeUnwrapErr();
      expect(failure.code, violation.check).toBe("CONSTRAINT_VIOLATION");
      expect(failure.message, violation.check).toMatch(/CHECK constraint failed/);
      expect(db().prepare(`SELECT * FROM ${violation.table} ORDER BY 1`).all(), violation.check).toEqual(before);
    }
    expect((await sql.execute("INSERT INTO feedback_events (event_id, content_id, feedback_type, rating) VALUES ('ok', 'doc-1', 'helpful', 5)"))._unsafeUnwrap().changes).toBe(1);
  });

  it("enforces the UNIQUE and foreign keys, and cascades deletes of content to its feedback and signals", async () => {
    const sql = new SqlAccess(booted.database("docs"));
    (await sql.execute("INSERT INTO content_metadata (content_id, title, source_url, technology, content_hash) VALUES ('doc-2', 't', 'u', 'x', 'h-2')"))._unsafeUnwrap();
    expect((await sql.execute("INSERT INTO content_metadata (content_id, title, source_url, technology, content_hash) VALUES ('doc-3', 't', 'u', 'x', 'h-2')"))._unsafeUnwrapErr().code).toBe("CONSTRAINT_VIOLATION");
    expect((await sql.execute("INSERT INTO usage_signals (signal_id, content_id, signal_type) VALUES ('orphan', 'no-such-doc', 'click')"))._unsafeUnwrapErr().code).toBe("CONSTRAINT_VIOLATION");

    const mapping = "INSERT INTO technology_mappings (mapping_id, technology, source_type, owner, repo, base_url) VALUES (?, 'react', 'github', 'facebook', 'react', 'https://react.dev')";
    (await sql.execute(mapping, ["m1"]))._unsafeUnwrap();
    expect((await sql.execute(mapping, ["m2"]))._unsafeUnwrapErr().code).toBe("CONSTRAINT_VIOLATION");

    (await sql.execute("INSERT INTO feedback_events (event_id, content_id, feedback_type) VALUES ('f2', 'doc-2', 'outdated')"))._unsafeUnwrap();
    (await sql.execute("INSERT INTO usage_signals (signal_id, content_id, signal_type, signal_value) VALUES ('s2', 'doc-2', 'dwell_time', 12.5)"))._unsafeUnwrap();
    (await sql.execute("DELETE FROM content_metadata WHERE content_id = 'doc-2'"))._unsafeUnwrap();
    expect((await sql.fetchOne("SELECT (SELECT COUNT(*) FROM feedback_events WHERE content_id = 'doc-2') + (SELECT COUNT(*) FROM usage_signals WHERE content_id = 'doc-2') AS n"))._unsafeUnwrap()).toEqual({ n: 0 });
  });
});
