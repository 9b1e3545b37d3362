import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";

/** A module the framework discovered, and whether it is healthy. One row per module folder. */
@Entity({ name: "framework_modules" })
export class ModuleRecord {
  @PrimaryColumn({ type: "varchar", length: 200 })
  name: string;

  @Column({ type: "text" })
  file: string;

  @Column({ type: "varchar", length: 63, nullable: true })
  database_name: string | null;

  @Column({ type: "varchar", length: 20 })
  status: string;

  @Column({ type: "text", nullable: true })
  problem: string | null;

  @Column({ type: "datetime" })
  seen_at: Date;
}

/** A database the framework manages: its file, state and tables at the last boot. */
@Entity({ name: "framework_databases" })
export class DatabaseRecord {
  @PrimaryColumn({ type: "varchar", length: 63 })
  name: string;

  @Column({ type: "text" })
  file: string;

  @Column({ type: "varchar", length: 20 })
  state: string;

  @Column({ type: "simple-json" })
  modules: string[];

  @Column({ type: "simple-json" })
  tables: string[];

  @Column({ type: "simple-json" })
  problems: string[];

  @Column({ type: "datetime" })
  seen_at: Date;
}

/** One boot of the framework: when, how it went, what it found. */
@Entity({ name: "framework_boots" })
@Index("idx_framework_boots_started_at", ["started_at"])
export class BootRecord {
  @PrimaryGeneratedColumn()
  id: number;

  @CreateDateColumn({ type: "datetime" })
  started_at: Date;

  @Column({ type: "datetime", nullable: true })
  finished_at: Date | null;

  @Column({ type: "datetime", nullable: true })
  shutdown_at: Date | null;

  @Column({ type: "varchar", length: 20 })
  status: string;

  @Column({ type: "integer", default: 0 })
  pid: number;

  @Column({ type: "simple-json" })
  summary: Record<string, unknown>;
}

/**
 * One entry of the embedded cache backend. Times are epoch milliseconds so expiry checks are a
 * plain integer comparison on an indexed column; `value` holds JSON text or gzip bytes.
 */
@Entity({ name: "cache_entries" })
@Index("idx_cache_entries_expires_at", ["expires_at"])
export class CacheEntry {
  @PrimaryColumn({ type: "varchar", length: 512 })
  key: string;

  @Column({ type: "blob" })
  value: Buffer;

  /** When the entry stops being served; null = never (counters created without TTL). */
  @Column({ type: "integer", nullable: true })
  expires_at: number | null;

  @Column({ type: "integer" })
  updated_at: number;
}

/**
 * The operations log: one row per boot, shutdown, migration run or revert, backup, restore, seed
 * and database refusal or reload, with who did it and how it ended. `at` is epoch milliseconds
 * (indexed, so retention pruning and "latest first" reads are range scans).
 */
@Entity({ name: "framework_operations" })
@Index("idx_framework_operations_at", ["at"])
export class OperationRecord {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "integer" })
  at: number;

  @Column({ type: "varchar", length: 40 })
  kind: string;

  @Column({ type: "varchar", length: 200 })
  actor: string;

  @Column({ type: "varchar", length: 63, nullable: true })
  database_name: string | null;

  @Column({ type: "varchar", length: 20 })
  outcome: string;

  @Column({ type: "text" })
  message: string;

  @Column({ type: "simple-json" })
  details: Record<string, unknown>;
}

/**
 * Module setting values kept in the framework database (seed 003: the framework database holds
 * modules, settings and logs). An environment variable `<MODULE>_<KEY>` wins over a row here; the
 * declared default applies when neither is set. Read once at boot.
 */
@Entity({ name: "framework_settings" })
@Index("idx_framework_settings_module_key", ["module", "key"], { unique: true })
export class SettingRecord {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 100 })
  module: string;

  @Column({ type: "varchar", length: 100 })
  key: string;

  /** The value as text, parsed by the setting's declared type. */
  @Column({ type: "text" })
  value: string;

  @Column({ type: "datetime", default: () => "CURRENT_TIMESTAMP" })
  updated_at: Date;
}

/** The framework database's entities. */
export const SYSTEM_ENTITIES = [ModuleRecord, DatabaseRecord, BootRecord, CacheEntry, OperationRecord, SettingRecord];
