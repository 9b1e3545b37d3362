import { errAsync, ok, type ResultAsync } from "neverthrow";
import type { EntityMetadata } from "typeorm";
import type { DatabaseRegistry } from "../../database/database-registry";
import type { DbError } from "../../errors/db-error";
import type { CrudRecord } from "../crud-types";
import type { TableTarget } from "../query/table-target";
import { compiledTable } from "./compiled-table";
import { recordNotFound, refused, runDirect, type CompiledTarget } from "./direct-run";

/**
 * The CrudService's hot paths on compiled tables: each call is a few prepared statements run
 * straight on the engine's driver, with validation, key checks and hydration built once per table.
 * Used only where the engine offers direct statements ({@link EngineSession.direct}); the
 * CrudService keeps its DataSource path for every other engine and every option these paths do
 * not cover, with the same results and the same errors.
 */
export class DirectCrud {
  /** Compiled targets by metadata (metadata belongs to one DataSource, so to one database). */
  private readonly targets = new WeakMap<EntityMetadata, CompiledTarget | null>();

  constructor(private readonly registry: DatabaseRegistry) {}

  /** The compiled form of a resolved table, or undefined when its engine has no direct statements. */
  compile(target: TableTarget): CompiledTarget | undefined {
    let compiled = this.targets.get(target.metadata);
    if (compiled === undefined) {
      const table = compiledTable(target.metadata, target.db.session.direct, target.db.dataSource, target.db.name);
      compiled = table === undefined ? null : { db: target.db, metadata: target.metadata, table };
      this.targets.set(target.metadata, compiled);
    }
    return compiled ?? undefined;
  }

  /** One record by primary key, every column (`CrudService.get` without fields, include or maxBytes). */
  get(target: CompiledTarget, id: unknown, withDeleted: boolean): ResultAsync<CrudRecord, DbError> {
    const { table } = target;
    const key = table.keyValues(id);
    if (key.isErr()) return errAsync(key.error);
    const sql = table.selectByKey(withDeleted);
    return runDirect(
      this.registry,
      target,
      "read",
      (connection) => connection.prepare(sql).get(key.value),
      (row) => (row === undefined ? refused<CrudRecord>(recordNotFound(target.metadata.tableName, target.db.name, id)) : ok(table.hydrate(row))),
    );
  }
}
