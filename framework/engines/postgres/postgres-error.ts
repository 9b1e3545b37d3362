import { QueryFailedError } from "typeorm";
import type { ConstraintDetails, ConstraintKind } from "../../errors/constraint-details";
import { dbError, DbErrorException, isDbError, type DbError } from "../../errors/db-error";

/** What node-postgres puts on a server error (the fields the classification reads). */
interface PgErrorFields {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly detail?: unknown;
  readonly table?: unknown;
  readonly column?: unknown;
  readonly constraint?: unknown;
}

function fieldsOf(error: unknown): PgErrorFields | undefined {
  const candidate = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  return typeof candidate === "object" && candidate !== null ? (candidate as PgErrorFields) : undefined;
}

/** The five-character SQLSTATE of a PostgreSQL server error (`23505`, `40001`…), or undefined. */
export function sqlStateOf(error: unknown): string | undefined {
  const code = fieldsOf(error)?.code;
  // Node's own error codes (EPIPE…) are never SQLSTATEs: no SQLSTATE class starts with E.
  return typeof code === "string" && /^[0-9A-DF-Z][0-9A-Z]{4}$/.test(code) ? code : undefined;
}

/** The SQLSTATE a DbError (or a DbErrorException carrying one) was classified from, if any. */
function classifiedState(error: unknown): string | undefined {
  const classified = error instanceof DbErrorException ? error.error : isDbError(error) ? error : undefined;
  const state = classified?.details?.sqlstate;
  return typeof state === "string" ? state : undefined;
}

/**
 * True for the failures after which the whole transaction may simply be run again: serialization
 * failure and deadlock — also when work already classified them (a CrudService unit throws DbErrors).
 */
export function isRetryableTransactionError(error: unknown): boolean {
  const state = sqlStateOf(error) ?? classifiedState(error);
  return state === "40001" || state === "40P01";
}

/** Socket-level failures node reports while talking to the server. */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

/** node-postgres' own words when the connection, not the statement, failed. */
const CONNECTION_MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i, /not queryable/i, /query read timeout/i, /connection (?:was )?closed/i, /cannot use a pool after calling end/i, /query runner already released/i];

/**
 * True when the failure is the server being out of reach rather than the statement being wrong:
 * connection exceptions (class 08), the server shutting down or restarting (57P01–57P03), too many
 * connections (53300), and socket errors or timeouts on the client side.
 */
export function isConnectionError(error: unknown): boolean {
  const state = sqlStateOf(error);
  if (state !== undefined) return state.startsWith("08") || state === "57P01" || state === "57P02" || state === "57P03" || state === "53300";
  const fields = fieldsOf(error);
  const code = fields?.code;
  if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
  const message = typeof fields?.message === "string" ? fields.message : error instanceof Error ? error.message : String(error);
  if (/\bECONNREFUSED\b|\bECONNRESET\b/.test(message)) return true;
  return CONNECTION_MESSAGES.some((pattern) => pattern.test(message));
}

function messageOf(error: unknown): string {
  const message = fieldsOf(error)?.message;
  if (typeof message === "string") return message;
  return error instanceof Error ? error.message : String(error);
}

const KIND_BY_STATE: Readonly<Record<string, ConstraintKind>> = { "23505": "unique", "23503": "foreign_key", "23514": "check", "23502": "not_null" };

/** `Key (a, b)=(1, 2) already exists.` → `["a", "b"]`. */
function keyColumns(detail: unknown): string[] {
  if (typeof detail !== "string") return [];
  const listed = /^Key \(([^)]*)\)=/.exec(detail)?.[1];
  return listed === undefined ? [] : listed.split(",").map((column) => column.trim().replace(/^"|"$/g, "")).filter((column) => column !== "");
}

/**
 * The kind, table and columns of a constraint failure, from the fields the server sends with it
 * (never from its wording, which depends on `lc_messages`). A unique violation of a primary key
 * (TypeORM names them `PK_…`, PostgreSQL `<table>_pkey`) is reported as `primary_key`.
 */
export function postgresConstraintDetails(error: unknown): ConstraintDetails {
  const fields = fieldsOf(error);
  const state = sqlStateOf(error) ?? "";
  const constraint = typeof fields?.constraint === "string" ? fields.constraint : undefined;
  let kind: ConstraintKind = KIND_BY_STATE[state] ?? "other";
  if (kind === "unique" && constraint !== undefined && (/^PK_/.test(constraint) || /_pkey$/.test(constraint))) kind = "primary_key";
  const table = typeof fields?.table === "string" ? fields.table : undefined;
  const columns = kind === "not_null" ? (typeof fields?.column === "string" ? [fields.column] : []) : kind === "check" ? [] : keyColumns(fields?.detail);
  return {
    constraint: kind,
    ...(table === undefined ? {} : { table }),
    columns,
    ...(kind === "check" && constraint !== undefined ? { constraint_name: constraint } : {}),
  };
}

/**
 * Translates anything thrown by TypeORM or node-postgres into a {@link DbError} naming the
 * database: the PostgreSQL engine's `classify`. Integrity violations become CONSTRAINT_VIOLATION
 * (with kind, table and columns), lock waits given up DATABASE_LOCKED, a full disk DISK_FULL, a
 * server out of reach (or a statement cut off by `PG_STATEMENT_TIMEOUT_MS`) DATABASE_UNAVAILABLE;
 * the rest `fallback`. Messages are the server's, which never carry the connection password.
 */
export function toPostgresDbError(error: unknown, database: string, fallback: DbError["code"] = "QUERY_FAILED"): DbError {
  if (error instanceof DbErrorException) return error.error;
  if (isDbError(error)) return error;
  const state = sqlStateOf(error);
  const message = messageOf(error);
  const details = state === undefined ? {} : { sqlstate: state };
  if (state !== undefined && state in KIND_BY_STATE) return dbError("CONSTRAINT_VIOLATION", message, database, { ...details, ...postgresConstraintDetails(error) });
  if (state === "40001" || state === "40P01" || state === "55P03") {
    return dbError("DATABASE_LOCKED", `Database '${database}': the transaction kept colliding with others (${message}); it was not applied.`, database, details);
  }
  if (state === "53100") return dbError("DISK_FULL", `Database '${database}': the server's disk is full (${message}); reads still work, writes fail until space is freed.`, database, details);
  if (state === "57014") return dbError("DATABASE_UNAVAILABLE", `Database '${database}': the statement did not finish within PG_STATEMENT_TIMEOUT_MS (${message}).`, database, details);
  if (state === "58030") return dbError("IO_ERROR", `Database '${database}': the server reported an I/O error (${message}); the write was not made.`, database, details);
  if (state === "XX001" || state === "XX002") return dbError("DATABASE_CORRUPT", `Database '${database}' is corrupt (${state}: ${message}).`, database, details);
  if (isConnectionError(error)) return dbError("DATABASE_UNAVAILABLE", `Database '${database}': the PostgreSQL server cannot be reached (${message}).`, database, { ...details, reason: "connection" });
  return dbError(fallback, message, database, state === undefined ? undefined : details);
}
