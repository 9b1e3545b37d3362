import type { Framework } from "../../boot/framework";

/** A database that does not serve fully right now, as `/health` names it. */
export interface DegradedDatabase {
  readonly database: string;
  /** The code its failing calls get: DISK_FULL, IO_ERROR, DATABASE_CORRUPT, DATABASE_EMPTIED, DATABASE_UNAVAILABLE, ... */
  readonly code: string;
  readonly reason: string;
  /** When a storage fault began (ISO-8601); absent for refusals. */
  readonly since?: string;
}

/**
 * Every database that is refused or living through a storage fault, from what the framework
 * already knows (no statement runs): cheap enough for a liveness probe polled every second.
 */
export function degradedDatabases(framework: Framework): DegradedDatabase[] {
  const degraded: DegradedDatabase[] = [];
  for (const entry of framework.databases.list()) {
    const refused = framework.databases.get(entry.name);
    if (refused.isErr()) {
      degraded.push({ database: entry.name, code: refused.error.code, reason: refused.error.message });
      continue;
    }
    const fault = refused.value.condition.fault;
    if (fault !== undefined) degraded.push({ database: entry.name, code: fault.code, reason: fault.message, since: fault.since });
  }
  return degraded;
}

/**
 * Asks again every open database whose server could not be reached (`SELECT 1`, one connection
 * each, in parallel, bounded by the engine's connect timeout), so a server that came back is not
 * reported as down until the database's next use. Storage faults are left to the next write.
 */
export async function reprobeUnreachable(framework: Framework): Promise<void> {
  const probes: Promise<unknown>[] = [];
  for (const entry of framework.databases.list()) {
    const database = framework.databases.get(entry.name);
    if (database.isOk() && database.value.condition.fault?.code === "DATABASE_UNAVAILABLE") probes.push(database.value.health());
  }
  await Promise.all(probes);
}
