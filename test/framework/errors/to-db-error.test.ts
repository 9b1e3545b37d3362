import Database from "better-sqlite3";
import { QueryFailedError } from "typeorm";
import { afterEach, describe, expect, it } from "vitest";
import { dbError, DbErrorException } from "../../../framework/errors/db-error";
import { toDbError } from "../../../framework/errors/to-db-error";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

describe("toDbError: anything the data layer throws becomes a typed DbError naming the database", () => {
  let temp: TempRoot | undefined;
  afterEach(() => temp?.remove());

  it("passes a DbError through, thrown as such or wrapped in DbErrorException", () => {
    const original = dbError("RECORD_NOT_FOUND", "no row 7", "docs", { id: 7 });
    expect(toDbError(original, "other")).toBe(original);
    expect(toDbError(new DbErrorException(original), "other")).toBe(original);
  });

  it("lets the engine classify a real SQLite failure: a UNIQUE violation is CONSTRAINT_VIOLATION with its SQLite code", () => {
    temp = createTempRoot("to-db-error");
    const connection = new Database(`${temp.root}/unique.db`);
    try {
      connection.exec("CREATE TABLE t (name TEXT UNIQUE)");
      connection.prepare("INSERT INTO t VALUES ('a')").run();
      let thrown: unknown;
      try {
        connection.prepare("INSERT INTO t VALUES ('a')").run();
      } catch (error) {
        thrown = error;
      }
      const classified = toDbError(thrown, "shop");
      expect(classified).toMatchObject({ code: "CONSTRAINT_VIOLATION", database: "shop", details: { sqlite_code: "SQLITE_CONSTRAINT_UNIQUE" } });
      expect(classified.message).toContain("UNIQUE constraint failed: t.name");
    } finally {
      connection.close();
    }
  });

  it("a PostgreSQL error (it carries a SQLSTATE) is the PostgreSQL engine's to classify, keeping the SQLSTATE", () => {
    const failed = new QueryFailedError("SELECT 1", [], Object.assign(new Error('relation "things" does not exist'), { code: "42P01" }));
    expect(toDbError(failed, "docs")).toMatchObject({ database: "docs", message: 'relation "things" does not exist', details: { sqlstate: "42P01" } });
  });

  it("an error no engine claims gets the fallback code and the driver's own message", () => {
    const failed = new QueryFailedError("SELECT 1", [], new Error("the driver gave up"));
    expect(toDbError(failed, "docs")).toEqual({ code: "QUERY_FAILED", message: "the driver gave up", database: "docs" });
    expect(toDbError(new Error("socket closed"), "docs", "DATABASE_UNAVAILABLE")).toEqual({ code: "DATABASE_UNAVAILABLE", message: "socket closed", database: "docs" });
    expect(toDbError("plain text", "docs")).toEqual({ code: "QUERY_FAILED", message: "plain text", database: "docs" });
  });
});
