/** How a discovered module came out of boot. */
export interface ModuleStatus {
  /** The module's folder name. */
  readonly name: string;
  /** Its `db-models` file. */
  readonly file: string;
  /** Its `DATABASE_NAME`, when it declared a valid one. */
  readonly database?: string;
  /** True when the module's file passed discovery and its database is ready. */
  readonly healthy: boolean;
  /** Why it is unhealthy. */
  readonly problems: readonly string[];
}
