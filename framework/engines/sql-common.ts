/** SQL helpers every engine shares; kept apart from the dialect registry so engine dialects can use them without an import cycle. */

/** Escapes LIKE wildcards so user text matches only itself (used with `ESCAPE '\'`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** `"name"` with inner quotes doubled: the same in every engine the framework speaks. */
export function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The timestamp text the framework stores and reads back (UTC, `YYYY-MM-DD HH:MM:SS.SSS`): sorts and compares as text. */
export function timestampText(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

/** `INSERT … ON CONFLICT …` with `?` placeholders, the form both engines accept. */
export function upsertSql(table: string, columns: readonly string[], conflict: readonly string[], update: readonly string[]): string {
  const names = columns.map(quoteName).join(", ");
  const values = columns.map(() => "?").join(", ");
  const action = update.length === 0 ? "DO NOTHING" : `DO UPDATE SET ${update.map((column) => `${quoteName(column)} = excluded.${quoteName(column)}`).join(", ")}`;
  return `INSERT INTO ${quoteName(table)} (${names}) VALUES (${values}) ON CONFLICT (${conflict.map(quoteName).join(", ")}) ${action}`;
}
