import type { DatabaseEntry } from "../database/database-registry";
import type { ModuleDatabase } from "../database/module-database";
import type { AutomaticChange } from "../boot/automatic-changes";
import type { ModuleStatus } from "../boot/module-status";
import { BootRecord, DatabaseRecord, ModuleRecord } from "./system-entities";

/** Writes what boot found into the framework database: modules, databases and boot history. */
export class BootRecorder {
  private bootId: number | undefined;
  private lastKnown = new Map<string, string>();
  private rememberedByDatabase = new Map<string, readonly string[]>();

  constructor(private readonly database: ModuleDatabase) {}

  /** Remembers which database each module used, and which tables each database had, at the previous boot (reads only). */
  async readPrevious(): Promise<void> {
    const previous = await this.database.repository(ModuleRecord).find();
    this.lastKnown = new Map(previous.flatMap((record) => (record.database_name === null ? [] : [[record.name, record.database_name] as const])));
    const databases = await this.database.repository(DatabaseRecord).find();
    this.rememberedByDatabase = new Map(databases.map((record) => [record.name, record.tables]));
  }

  /** Opens a boot-history row (call {@link readPrevious} first). */
  async start(): Promise<void> {
    const boot = await this.database.repository(BootRecord).save({ status: "booting", pid: process.pid, summary: {}, finished_at: null, shutdown_at: null });
    this.bootId = boot.id;
  }

  /**
   * The database recorded for a module at the previous boot (kept while the module stays broken).
   * A module that now fails discovery cannot say where its tables are; this is how boot still knows.
   */
  lastKnownDatabase(moduleName: string): string | undefined {
    return this.lastKnown.get(moduleName);
  }

  /**
   * The tables recorded for a database at the previous boot: a database whose file turns up
   * missing or empty while it had tables is refused instead of being recreated empty.
   */
  rememberedTables(databaseName: string): readonly string[] {
    return this.rememberedByDatabase.get(databaseName) ?? [];
  }

  /** Records every module and database in one transaction and closes the boot row with a summary (naming every automatic change). */
  async finish(modules: readonly ModuleStatus[], databases: readonly DatabaseEntry[], automaticChanges: readonly AutomaticChange[] = []): Promise<void> {
    const now = new Date();
    const degraded = modules.some((module) => !module.healthy) || databases.some((entry) => entry.state !== "ready");
    const result = await this.database.transaction(async (manager) => {
      await manager.createQueryBuilder().delete().from(ModuleRecord).execute();
      await manager.createQueryBuilder().delete().from(DatabaseRecord).execute();
      await manager.insert(
        ModuleRecord,
        modules.map((module) => ({ name: module.name, file: module.file, database_name: module.database ?? this.lastKnown.get(module.name) ?? null, status: module.healthy ? "healthy" : "unhealthy", problem: module.problems.join(" ") || null, seen_at: now })),
      );
      await manager.insert(
        DatabaseRecord,
        databases.map((entry) => ({ name: entry.name, file: entry.file, state: entry.state, modules: [...entry.modules], tables: entry.database?.tableNames() ?? [...this.rememberedTables(entry.name)], problems: entry.problems, seen_at: now })),
      );
      if (this.bootId !== undefined) {
        await manager.update(BootRecord, { id: this.bootId }, {
          status: degraded ? "degraded" : "ready",
          finished_at: now,
          summary: {
            modules: modules.length,
            unhealthy_modules: modules.filter((m) => !m.healthy).map((m) => m.name),
            databases: databases.map((d) => ({ name: d.name, state: d.state })),
            automatic_changes: automaticChanges.map((change) => ({ database: change.database, kind: change.kind, description: change.description })),
          },
        });
      }
    });
    if (result.isErr()) throw new Error(`Could not record boot: ${result.error.message}`);
  }

  /** Stamps the shutdown time on this boot's row. */
  async shutdown(): Promise<void> {
    if (this.bootId === undefined) return;
    await this.database.repository(BootRecord).update({ id: this.bootId }, { shutdown_at: new Date() });
  }
}
