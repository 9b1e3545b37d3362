import type { DatabaseActivity } from "../metrics/database-activity";
import type { DatabaseCondition } from "./database-condition";
import type { LockStats } from "./retry-policy";

/** Where an engine reports what happens to one database's connection; owned by its ModuleDatabase. */
export interface DatabaseObservers {
  /** Lock contention counters (retries made, operations that gave up). */
  readonly stats: LockStats;
  /** Storage faults, transaction-state repairs and corruption seen by statements. */
  readonly condition: DatabaseCondition;
  /** Statement and transaction times, gate waits and checkpoints, for the metrics. */
  readonly activity: DatabaseActivity;
}
