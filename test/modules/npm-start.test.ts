import { existsSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/temp-root";
import { startServerProcess } from "../support/server-process";
import { indexes, userTables } from "../support/sqlite-schema";

describe("npm start with the scraper and docs modules", () => {
  const dataDir = mkdtempSync(path.join(REPO_ROOT, ".tmp", "npm-start-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("creates scraper.db and docs.db beside the others, with the seeds' tables and indexes", async () => {
    // The build `npm start` runs (global setup compiled it), as a real process: it boots, prints
    // its summary and serves until stopped.
    const server = await startServerProcess({ DATABASE_DIR: dataDir });
    expect(await server.stop("SIGTERM")).toBe(0);
    const stdout = server.output();
    expect(stdout).toMatch(/module docs\s+healthy/);
    expect(stdout).toMatch(/module scraper\s+healthy/);
    for (const name of ["framework", "ciap", "scraper", "docs"]) expect(existsSync(path.join(dataDir, `${name}.db`)), name).toBe(true);

    const docs = new Database(path.join(dataDir, "docs.db"), { readonly: true });
    const scraper = new Database(path.join(dataDir, "scraper.db"), { readonly: true });
    try {
      expect(indexes(docs).filter((index) => index.origin === "c" && index.name.startsWith("idx_"))).toHaveLength(28);
      expect(userTables(docs)).toContain("schema_versions");
      expect(userTables(scraper)).toEqual(["api_rate_limits", "artifacts", "audit_logs", "content_extractions", "job_configurations", "metadata_tags", "scraping_jobs", "system_configurations", "user_sessions", "users"]);
    } finally {
      docs.close();
      scraper.close();
    }
  });
});
