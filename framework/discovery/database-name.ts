/** What a `DATABASE_NAME` must look like: it becomes a file name, so no dots, slashes or upper case. */
export const DATABASE_NAME_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

/** The framework's own database; modules cannot claim it. */
export const FRAMEWORK_DATABASE_NAME = "framework";

/** True when `name` may be used as a module's `DATABASE_NAME`. */
export function isValidDatabaseName(name: unknown): name is string {
  return typeof name === "string" && DATABASE_NAME_PATTERN.test(name);
}
