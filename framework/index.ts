import "reflect-metadata";

export { bootFramework, DATABASE_WATCH_JOB, DATABASE_CHECKPOINT_JOB, type BootOptions } from "./boot/boot-framework";
export type { AutomaticChange } from "./boot/automatic-changes";
export { OPERATIONS_LOG_PRUNE_JOB } from "./boot/boot-records";
export { Framework } from "./boot/framework";
export { BootError, type BootErrorCode } from "./boot/boot-error";
export type { ModuleStatus } from "./boot/module-status";
export { loadSettings, type FrameworkSettings, type SqliteSettings, type SettingsError, type SettingsOptions } from "./config/settings";
export { DatabaseRegistry, type DatabaseEntry, type DatabaseState, type DatabaseRefusal, type DatabaseReloader } from "./database/database-registry";
export { DatabaseCondition, type StorageFault, type StorageFaultCode } from "./database/database-condition";
export { ModuleDatabase, type DatabaseHealth } from "./database/module-database";
export type { LockStats, RetryPolicy } from "./database/retry-policy";
export { CrudService } from "./crud/crud-service";
export {
  FILTER_OPERATORS,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  MAX_FILTER_DEPTH,
  MAX_FILTER_NODES,
  type Filter,
  type FilterNode,
  type AndGroup,
  type OrGroup,
  type NotGroup,
  type FilterOperator,
  type Sort,
  type ListQuery,
  type Page,
  type CrudRecord,
  type CreateManyResult,
  type GetOptions,
} from "./crud/crud-types";
export { registerDialect, dialectOf, type SqlDialect } from "./engines/sql-dialect";
export { SQLITE_DIALECT } from "./engines/sqlite/sqlite-dialect";
export { POSTGRES_DIALECT } from "./engines/postgres/postgres-dialect";
export { CURSOR_SECRET_VARIABLE } from "./crud/query/cursor-codec";
export { DB_ERROR_CODES, dbError, isDbError, DbErrorException, type DbError, type DbErrorCode } from "./errors/db-error";
export { moduleError, isModuleError, MODULE_ERROR_CODE_PATTERN, type ModuleError, type ModuleOrDbError } from "./errors/module-error";
export { unwrapModule, ModuleErrorException } from "./http/errors/unwrap";
export {
  defineModuleRoutes,
  isModuleRoutes,
  MODULE_ROUTE_SCOPES,
  MODULE_ROUTE_METHODS,
  type ModuleRoutes,
  type ModuleRoutesOptions,
  type ModuleRoutesDeclaration,
  type ModuleRouter,
  type ModuleRouteContext,
  type ModuleRouteOptions,
  type ModuleRouteSchema,
  type ModuleRouteHandler,
  type ModuleRouteScope,
  type ModuleRouteMethod,
} from "./http/modules/module-routes";
export { MODULE_ROUTES_PREFIX, type ModuleRoutesSource } from "./http/modules/register-module-routes";
export { UNDECLARED_MODULE_ERROR_STATUS } from "./http/modules/route-answer";
export { toDbError } from "./errors/to-db-error";
export { isLockedError } from "./engines/sqlite/sqlite-error";
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
export { FrameworkMetrics, type MetricFamilyJson } from "./metrics/framework-metrics";
export { DatabaseActivity, type ActivityObserver, type StatementEvent, type StatementOutcome, type TransactionOutcome } from "./metrics/database-activity";
export { SlowStatementLog, elideSqlValues, type SlowStatement, type SlowStatementSink } from "./metrics/slow-statement-log";
export { loadMetricsSettings, DEFAULT_SLOW_QUERY_MS, type MetricsSettings } from "./metrics/metrics-settings";
export { topSnapshot, type TopSnapshot, type DatabaseFigures } from "./metrics/top-snapshot";
export { currentActor, currentRequestContext, identifyActor, runAsActor, runInRequestContext, type RequestContext } from "./runtime/request-context";
export { AUDIT_TABLE, AuditEntity, type AuditRecord } from "./audit/audit-entity";
export { auditContext, serviceActor, UNKNOWN_ACTOR, type AuditContext } from "./audit/audit-actor";
export { auditedTransaction, AuditTrail, type AuditChanges, type AuditOperation } from "./audit/audit-trail";
export { recordAudit, type AuditEntry } from "./audit/record-audit";
export { readAudit, pruneAudit, DEFAULT_AUDIT_PAGE_SIZE, MAX_AUDIT_PAGE_SIZE, type AuditFilter, type AuditPage, type AuditView } from "./audit/audit-log";
export { AUDIT_PRUNE_JOB, pruneAuditTrails } from "./audit/audit-pruning";
export type { SchemaChange, SchemaChangeKind } from "./schema/schema-change";
export { CacheManager, DEFAULT_COMPRESSION_THRESHOLD, type CacheManagerOptions, type SetOptions } from "./cache/cache-manager";
export { CACHE_ERROR_CODES, cacheError, isCacheError, type CacheError, type CacheErrorCode } from "./cache/cache-error";
export type { CacheBackend, CacheBackendKind } from "./cache/cache-backend";
export { loadCacheSettings, type CacheSettings } from "./cache/cache-settings";
export { MAX_KEY_LENGTH } from "./cache/cache-arguments";
export { keyBuilder, type CacheKeyPattern, type CacheKeySpec, type CacheEntryKind } from "./cache/key-patterns";
export { liveHolders, holderFilePath, claimHolder, describeHolder, HolderClaim, type HolderRecord, type HolderAccess, type HolderState } from "./runtime/holder-file";
export { claimExclusive, liveExclusiveClaims, waitForExclusiveClaims, type ExclusiveRecord, type ExclusiveConflict, type ExclusiveClaim } from "./runtime/exclusive-claim";
export { currentProcess, identityState, processStartToken, type ProcessIdentity, type IdentityState } from "./runtime/process-identity";
export { loadRuntimeSettings, type RuntimeSettings } from "./runtime/runtime-settings";
export { OperationsLog, OPERATION_KINDS, MAX_OPERATIONS_PER_READ, type OperationEntry, type OperationKind, type OperationOutcome, type OperationView, type OperationFilter } from "./system/operations-log";
export { describeTable, type TableSchema, type ColumnSchema, type IndexSchema, type ForeignKeySchema, type CheckSchema } from "./inspection/describe-table";
export { createBackup, type BackupOptions, type BackupReport } from "./backup/create-backup";
export { restoreBackup, type RestoreOptions, type RestoredDatabase } from "./backup/restore-backup";
export { BACKUP_ERROR_CODES, type BackupError, type BackupErrorCode } from "./backup/backup-error";
export { MANIFEST_FILE, type BackupManifest, type ManifestDatabase, type ManifestRedis } from "./backup/manifest";
export { listBackups, pruneBackups } from "./backup/prune-backups";
export { streamProgress, SILENT_PROGRESS, type ProgressReporter } from "./backup/progress-reporter";
export { MigrationService, type DatabaseMigrationStatus, type DatabaseRunReport, type OperationActor } from "./migrations/migration-service";
export { viewMigrationStatus, type MigrationStatusView } from "./migrations/migration-status-view";
export { migrationError, type MigrationError, type MigrationErrorCode } from "./migrations/migration-error";
export type { AppliedMigration, LoadedMigration, MigrationClass, MigrationOutcome } from "./migrations/migration-types";
export type { MigrationStatus, PendingMigration } from "./migrations/migration-status";
export type { GeneratedMigration } from "./migrations/generate-migration";
export type { MigrationPlan, PlannedStatement } from "./migrations/plan-migration";
export type { ColumnRename } from "./migrations/detect-renames";
export { REVERT_ALL, type RevertOptions, type RevertOutcome } from "./migrations/revert-migrations";
export type { BootMigrationOutcome } from "./migrations/boot-migrations";
export { MIGRATIONS_TABLE } from "./migrations/migration-table";
export { SeedRunner } from "./seeds/seed-runner";
export type { SeedContext, SeedFunction, SeedError, SeedErrorCode, SeedOutcome } from "./seeds/seed-types";
export { buildServer, API_VERSION, type BuildServerOptions } from "./http/build-server";
export { serveHttp, stopOnSignals, type RunningServer } from "./http/serve-http";
export { loadHttpSettings, isLoopbackHost, HTTP_DEFAULTS, MIN_API_TOKEN_LENGTH, type HttpSettings, type HttpSettingsError, type LogLevel } from "./http/http-settings";
export { API_ERROR_CODES, HTTP_ERROR_CODES, MIGRATION_ERROR_CODES, type ApiError, type ApiErrorCode, type ApiErrorSource } from "./http/errors/api-error";
export { HTTP_STATUS_BY_CODE, httpStatusOf } from "./http/errors/http-status";
export { ServerState, type ServerPhase } from "./http/server-state";
export { SqlAccess } from "./sql/sql-access";
export { sqlTimestamp } from "./sql/sql-params";
export type { SqlParam, SqlStatement, SqlRow, ExecuteResult } from "./sql/sql-types";
export { ModuleSettings, moduleSettingsToken, InjectModuleSettings, type SettingsOwner, type StoredSetting, type SettingsLookupError } from "./settings/module-settings";
export { defineSettings, SETTING_TYPES, type SettingType, type SettingDeclaration, type SettingsDeclaration, type SettingsValues, type SettingSource, type SettingView } from "./settings/setting-types";
export { settingVariable } from "./settings/parse-setting";
export { SettingRecord } from "./system/system-entities";
