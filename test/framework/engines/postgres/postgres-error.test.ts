import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRetryableTransactionError, sqlStateOf, toPostgresDbError } from "../../../../framework/engines/postgres/postgres-error";
import { dbError, DbErrorException } from "../../../../framework/errors/db-error";
import { toDbError } from "../../../../framework/errors/to-db-error";
import { postgresAvailability, sharedPostgresUrl } from "../../../support/postgres-target";
import { describeWithService } from "../../../support/required-service";

describe("SQLSTATE classification without a server", () => {
  it("maps a full disk, node's socket errors and DbErrors carrying a retryable SQLSTATE", () => {
    expect(toPostgresDbError({ code: "53100", message: "could not extend file: No space left on device" }, "shop")).toMatchObject({ code: "DISK_FULL", database: "shop", details: { sqlstate: "53100" } });
    expect(toPostgresDbError({ code: "57P01", message: "terminating connection due to administrator command" }, "shop").code).toBe("DATABASE_UNAVAILABLE");
    expect(toPostgresDbError({ code: "08006", message: "connection failure" }, "shop").code).toBe("DATABASE_UNAVAILABLE");
    expect(toPostgresDbError(new Error("Connection terminated unexpectedly"), "shop").code).toBe("DATABASE_UNAVAILABLE");
    // Node's EPIPE looks like a SQLSTATE by its shape; it is not one.
    expect(sqlStateOf({ code: "EPIPE" })).toBeUndefined();
    expect(toPostgresDbError(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }), "shop").code).toBe("DATABASE_UNAVAILABLE");
    expect(toPostgresDbError({ code: "42601", message: "syntax error" }, "shop", "QUERY_FAILED")).toMatchObject({ code: "QUERY_FAILED", details: { sqlstate: "42601" } });
    const classified = dbError("DATABASE_LOCKED", "collided", "shop", { sqlstate: "40001" });
    expect(isRetryableTransactionError(new DbErrorException(classified))).toBe(true);
    expect(isRetryableTransactionError(classified)).toBe(true);
    expect(isRetryableTransactionError({ code: "40P01" })).toBe(true);
    expect(isRetryableTransactionError({ code: "23505" })).toBe(false);
  });
});

describeWithService("postgres", postgresAvailability(), "SQLSTATE classification of real server errors", () => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ connectionString: sharedPostgresUrl() });
    await client.connect();
    await client.query("CREATE TEMP TABLE parents (id integer PRIMARY KEY)");
    await client.query("CREATE TEMP TABLE children (id integer PRIMARY KEY, parent_id integer REFERENCES parents (id), qty integer NOT NULL CONSTRAINT qty_positive CHECK (qty > 0), code text, CONSTRAINT code_unique UNIQUE (code, qty))");
    await client.query("INSERT INTO parents VALUES (1)");
    await client.query("INSERT INTO children VALUES (1, 1, 5, 'a')");
  });

  afterAll(async () => {
    await client?.end();
  });

  async function failure(sql: string): Promise<unknown> {
    try {
      await client.query(sql);
    } catch (error) {
      return error;
    }
    throw new Error(`expected '${sql}' to fail`);
  }

  it("names the kind, table and columns of every integrity violation (never from the message text)", async () => {
    expect(toPostgresDbError(await failure("INSERT INTO children VALUES (1, 1, 1, 'b')"), "shop")).toMatchObject({
      code: "CONSTRAINT_VIOLATION",
      details: { sqlstate: "23505", constraint: "primary_key", table: "children", columns: ["id"] },
    });
    expect(toPostgresDbError(await failure("INSERT INTO children VALUES (2, 1, 5, 'a')"), "shop").details).toMatchObject({ constraint: "unique", columns: ["code", "qty"] });
    expect(toPostgresDbError(await failure("INSERT INTO children VALUES (3, 9, 1, 'c')"), "shop").details).toMatchObject({ sqlstate: "23503", constraint: "foreign_key", table: "children", columns: ["parent_id"] });
    expect(toPostgresDbError(await failure("INSERT INTO children VALUES (4, 1, 0, 'd')"), "shop").details).toMatchObject({ sqlstate: "23514", constraint: "check", constraint_name: "qty_positive" });
    expect(toPostgresDbError(await failure("INSERT INTO children (id, parent_id) VALUES (5, 1)"), "shop").details).toMatchObject({ sqlstate: "23502", constraint: "not_null", table: "children", columns: ["qty"] });
    // The engine-neutral entry point recognises PostgreSQL errors too.
    expect(toDbError(await failure("INSERT INTO children VALUES (1, 1, 1, 'b')"), "shop").code).toBe("CONSTRAINT_VIOLATION");
  });

  it("a statement cut off by the statement timeout is DATABASE_UNAVAILABLE; an unreachable server too, with no password in the message", async () => {
    await client.query("SET statement_timeout = 50");
    const timedOut = toPostgresDbError(await failure("SELECT pg_sleep(2)"), "shop");
    await client.query("RESET statement_timeout");
    expect(timedOut).toMatchObject({ code: "DATABASE_UNAVAILABLE", details: { sqlstate: "57014" } });
    expect(timedOut.message).toMatch(/PG_STATEMENT_TIMEOUT_MS/);
    const unreachable = new Client({ connectionString: "postgres://app:s3cret-word@127.0.0.1:1/app", connectionTimeoutMillis: 2_000 });
    const error = await unreachable.connect().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    const classified = toPostgresDbError(error, "shop");
    expect(classified.code).toBe("DATABASE_UNAVAILABLE");
    expect(JSON.stringify(classified)).not.toContain("s3cret-word");
  });
});
