import { injectable } from "tsyringe";
import { InjectDatabase } from "../../framework/container/tokens";
import type { ModuleDatabase } from "../../framework/database/module-database";
import { SqlAccess } from "../../framework/sql/sql-access";
import { DATABASE_NAME } from "./db-models";

/** The framework's raw-SQL access bound to the docs database; every docs repository runs on it. */
@injectable()
export class DocsSql extends SqlAccess {
  constructor(@InjectDatabase(DATABASE_NAME) database: ModuleDatabase) {
    super(database);
  }
}
