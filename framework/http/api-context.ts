import type { Framework } from "../boot/framework";
import type { CrudService } from "../crud/crud-service";
import type { PendingMigrationCounter } from "./describe/database-status";
import type { ServerState } from "./server-state";

/** What every route group needs: the booted framework, its CrudService and the server's phase. */
export interface ApiContext {
  readonly framework: Framework;
  readonly crud: CrudService;
  readonly state: ServerState;
  /** How many migrations each database has pending (null when unknown). */
  readonly pendingMigrations: PendingMigrationCounter;
  /** Bytes a records response may take (`HTTP_RESPONSE_LIMIT`); larger pages and records get RESULT_TOO_LARGE. */
  readonly responseLimit: number;
}
