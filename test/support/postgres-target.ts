import { inject } from "vitest";
import type { ServiceAvailability } from "./required-service";

declare module "vitest" {
  export interface ProvidedContext {
    /** The PostgreSQL server the suite shares (from `MODULEDB_TEST_POSTGRES_URL` or started by the global setup). */
    postgresUrl: string;
    /** Why no PostgreSQL server is available, when none is. */
    postgresUnavailable: string;
  }
}

/** The URL of the PostgreSQL server shared by this test run, or undefined when there is none. */
export function sharedPostgresUrl(): string | undefined {
  const url = inject("postgresUrl");
  return url === undefined || url === "" ? undefined : url;
}

/** Whether the shared PostgreSQL server is there, for `describeWithService("postgres", …)`. */
export function postgresAvailability(): ServiceAvailability {
  if (sharedPostgresUrl() !== undefined) return { available: true };
  return { available: false, reason: inject("postgresUnavailable") || "no PostgreSQL server" };
}
