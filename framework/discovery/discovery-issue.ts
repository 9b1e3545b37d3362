/** The rules discovery enforces; each broken rule is reported with the file that broke it. */
export type DiscoveryRule =
  | "IMPORT_FAILED"
  | "MISSING_DATABASE_NAME"
  | "INVALID_DATABASE_NAME"
  | "RESERVED_DATABASE_NAME"
  | "NO_ENTITIES"
  | "INVALID_ENTITIES"
  | "DUPLICATE_TABLE"
  | "INVALID_SERVICES"
  | "INVALID_ROUTES"
  | "INVALID_API_POLICY"
  | "INVALID_SETTINGS";

/** One problem found while discovering modules. The module it names is reported unhealthy. */
export interface DiscoveryIssue {
  readonly rule: DiscoveryRule;
  /** The module folder name. */
  readonly module: string;
  /** The file that broke the rule. */
  readonly file: string;
  readonly message: string;
}

/** Formats an issue as one line for logs and boot errors. */
export function describeIssue(issue: DiscoveryIssue): string {
  return `${issue.file}: [${issue.rule}] ${issue.message}`;
}
