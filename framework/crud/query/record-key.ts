import type { Result } from "neverthrow";
import type { DataSource, EntityMetadata } from "typeorm";
import type { DbError } from "../../errors/db-error";
import { primaryKeyWhere } from "../record-values";
import { quoteIdentifier } from "../sql-identifier";
import type { ParameterBag } from "./sql-fragment";

/** The condition selecting one row by primary key, its values bound in `bag`; VALIDATION_FAILED for an unusable id. */
export function keyCondition(metadata: EntityMetadata, id: unknown, dataSource: DataSource, database: string, bag: ParameterBag): Result<string, DbError> {
  return primaryKeyWhere(metadata, id, dataSource, database).map(({ parameters }) =>
    metadata.primaryColumns.map((column, index) => `${quoteIdentifier(column.databaseName)} = ${bag.bind(parameters[index])}`).join(" AND "),
  );
}
