/** A child row whose parent does not exist, as the engine's foreign key check reports it. */
export interface ForeignKeyViolation {
  readonly table: string;
  readonly rowid: number | null;
  readonly parent: string;
  readonly fkid: number;
}

/** What the engine's integrity and foreign key checks found in one database. */
export interface IntegrityReport {
  readonly database: string;
  /** Where the database lives (file path, or server and schema). */
  readonly file: string;
  /** `["ok"]` when the storage is sound, otherwise one line per problem. */
  readonly integrity: readonly string[];
  readonly foreign_key_violations: readonly ForeignKeyViolation[];
  /** True when both checks passed. */
  readonly ok: boolean;
  /** Set when the database could not be checked at all. */
  readonly error?: string;
}
