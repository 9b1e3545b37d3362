import type { DataSource, EntityManager } from "typeorm";

/** A piece of SQL whose values are named parameters (`:q0`, `:q1`…), never inlined text. */
export interface SqlFragment {
  readonly sql: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** The fragment that matches every row (what an absent WHERE means). */
export const MATCH_ALL: SqlFragment = { sql: "", parameters: {} };

/**
 * Hands out unique parameter names while one statement is being built, so fragments built
 * separately (filters, cursor, soft-delete) can be joined without their names colliding.
 */
export class ParameterBag {
  private next = 0;
  readonly values: Record<string, unknown> = {};

  /** Binds `value` and returns its placeholder, e.g. `:q3`. */
  bind(value: unknown): string {
    const name = `q${this.next++}`;
    this.values[name] = value;
    return `:${name}`;
  }
}

/** `WHERE a AND b` from conditions (empty ones dropped), or "" when none is left. */
export function whereClause(conditions: readonly string[]): string {
  const kept = conditions.filter((condition) => condition !== "");
  return kept.length === 0 ? "" : ` WHERE ${kept.map((condition) => `(${condition})`).join(" AND ")}`;
}

/**
 * Runs SQL with named parameters on any TypeORM driver: the driver itself turns `:name` into its
 * own placeholders (`?` for SQLite, `$1` for PostgreSQL), so the statements stay engine-neutral.
 */
export async function runQuery<T>(runner: DataSource | EntityManager, sql: string, parameters: Readonly<Record<string, unknown>>): Promise<T[]> {
  const driver = "driver" in runner ? runner.driver : runner.connection.driver;
  const [text, values] = driver.escapeQueryWithParameters(sql, { ...parameters });
  return (await runner.query(text, values)) as T[];
}
