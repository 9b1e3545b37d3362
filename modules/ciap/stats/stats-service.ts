import type { ResultAsync } from "neverthrow";
import { injectable } from "tsyringe";
import { InjectDatabase, ModuleDatabase, type DbError } from "../../../framework";
import { DATABASE_NAME } from "../db-models";

/** Row counts of every ciap table, keyed by table name. */
export type CiapTableCounts = Record<string, number>;

/** Statistics about the ciap database. */
@injectable()
export class CiapStatsService {
  constructor(@InjectDatabase(DATABASE_NAME) private readonly db: ModuleDatabase) {}

  /** Rows per table, all counted in one gated read so the figures belong to the same moment. */
  tableCounts(): ResultAsync<CiapTableCounts, DbError> {
    return this.db.snapshot(async (manager) => {
      const counts: CiapTableCounts = {};
      for (const metadata of this.db.tableMetadatas()) {
        // Table names come from entity metadata, never from callers.
        counts[metadata.tableName] = await manager.getRepository(metadata.target).count();
      }
      return counts;
    });
  }
}
