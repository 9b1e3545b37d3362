import "reflect-metadata";

export { bootFramework, type BootOptions } from "./boot/boot-framework";
export { Framework } from "./boot/framework";
export { BootError, type BootErrorCode } from "./boot/boot-error";
export type { ModuleStatus } from "./boot/module-status";
export { loadSettings, type FrameworkSettings, type SqliteSettings, type SettingsError, type SettingsOptions } from "./config/settings";
export { DatabaseRegistry, type DatabaseEntry, type DatabaseState } from "./database/database-registry";
export { ModuleDatabase, type DatabaseHealth } from "./database/module-database";
export type { LockStats, RetryPolicy } from "./database/retry-policy";
export { CrudService } from "./crud/crud-service";
export {
  FILTER_OPERATORS,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type Filter,
  type FilterOperator,
  type Sort,
  type ListQuery,
  type Page,
  type CrudRecord,
  type CreateManyResult,
} from "./crud/crud-types";
export { DB_ERROR_CODES, dbError, isDbError, DbErrorException, type DbError, type DbErrorCode } from "./errors/db-error";
export { toDbError, isLockedError } from "./errors/sqlite-error";
export {
  dataSourceToken,
  moduleDatabaseToken,
  repositoryToken,
  InjectRepository,
  InjectDataSource,
  InjectDatabase,
  FRAMEWORK_SETTINGS,
} from "./container/tokens";
export { DATABASE_NAME_PATTERN, FRAMEWORK_DATABASE_NAME, isValidDatabaseName } from "./discovery/database-name";
export type { DiscoveryIssue, DiscoveryRule } from "./discovery/discovery-issue";
export type { DiscoveredModule, EntityClassOrSchema, ModuleStart, ServiceClass } from "./discovery/discovered-module";
export { Sensitive, markSensitive, sensitiveColumns } from "./crud/sensitive";
export { Scheduler, type ScheduledJob } from "./scheduler/scheduler";
export type { SchemaChange, SchemaChangeKind } from "./schema/schema-change";
export { SqlAccess } from "./sql/sql-access";
export { sqlTimestamp } from "./sql/sql-params";
export type { SqlParam, SqlStatement, SqlRow, ExecuteResult } from "./sql/sql-types";
