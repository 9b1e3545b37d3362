/** The kinds of constraint a CONSTRAINT_VIOLATION names. */
export type ConstraintKind = "unique" | "primary_key" | "not_null" | "foreign_key" | "check" | "trigger" | "other";

/** What a constraint failure is about, without the database engine's own wording. */
export interface ConstraintDetails {
  readonly constraint: ConstraintKind;
  /** The table, when the engine named it. */
  readonly table?: string;
  /** The columns involved, when the engine named them (never for foreign keys: SQLite does not say). */
  readonly columns: readonly string[];
  /** The constraint's own name (CHECK constraints), when it is a plain identifier. */
  readonly constraint_name?: string;
}

const KIND_BY_CODE: Readonly<Record<string, ConstraintKind>> = {
  SQLITE_CONSTRAINT_UNIQUE: "unique",
  SQLITE_CONSTRAINT_PRIMARYKEY: "primary_key",
  SQLITE_CONSTRAINT_NOTNULL: "not_null",
  SQLITE_CONSTRAINT_FOREIGNKEY: "foreign_key",
  SQLITE_CONSTRAINT_CHECK: "check",
  SQLITE_CONSTRAINT_TRIGGER: "trigger",
};

/** `t.a, t.b` → table `t`, columns `a`, `b`. */
function qualifiedColumns(list: string): { table?: string; columns: string[] } {
  const parts = list.split(",").map((part) => part.trim()).filter((part) => part !== "");
  const columns = parts.map((part) => part.slice(part.indexOf(".") + 1));
  const first = parts[0];
  const table = first !== undefined && first.includes(".") ? first.slice(0, first.indexOf(".")) : undefined;
  return table === undefined ? { columns } : { table, columns };
}

/**
 * Reads the kind, table and columns of a SQLite constraint failure from its result code and
 * message (`UNIQUE constraint failed: accounts.email`), so an API can name them without passing the
 * engine's message on.
 */
export function constraintDetails(code: string, message: string): ConstraintDetails {
  const kind = KIND_BY_CODE[code] ?? "other";
  const listed = /constraint failed: (.+)$/i.exec(message)?.[1]?.trim();
  if ((kind === "unique" || kind === "primary_key" || kind === "not_null") && listed !== undefined) return { constraint: kind, ...qualifiedColumns(listed) };
  if (kind === "check" && listed !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(listed)) return { constraint: kind, columns: [], constraint_name: listed };
  return { constraint: kind, columns: [] };
}

/** A one-line description of a constraint failure in the API's own words. */
export function describeConstraint(details: ConstraintDetails): string {
  const where = details.columns.length > 0 ? ` on ${details.table === undefined ? "" : `${details.table}.`}${details.columns.join(", ")}` : details.table === undefined ? "" : ` on ${details.table}`;
  switch (details.constraint) {
    case "unique":
    case "primary_key":
      return `A record with the same value${details.columns.length > 1 ? "s" : ""}${where} already exists (${details.constraint === "unique" ? "unique" : "primary key"} constraint).`;
    case "not_null":
      return `A value is required${where} (not-null constraint).`;
    case "foreign_key":
      return `A foreign key${where} refused the change: the referenced record does not exist, or the record is still referenced.`;
    case "check":
      return `A check constraint failed${details.constraint_name === undefined ? "" : ` (${details.constraint_name})`}: a value is outside what the table accepts.`;
    case "trigger":
      return "A trigger refused the change.";
    default:
      return "A constraint of the table refused the change.";
  }
}
