import { FRAMEWORK_DATABASE_NAME } from "../discovery/database-name";
import type { DiscoveredModule } from "../discovery/discovered-module";
import type { MigrationTarget } from "../migrations/migration-target";
import { SYSTEM_ENTITIES } from "../system/system-entities";

/** Discovered modules grouped by the database they declare, in discovery order. */
export function groupByDatabase(modules: readonly DiscoveredModule[]): Map<string, DiscoveredModule[]> {
  const groups = new Map<string, DiscoveredModule[]>();
  for (const module of modules) groups.set(module.databaseName, [...(groups.get(module.databaseName) ?? []), module]);
  return groups;
}

/** The databases as the migration and seed machinery sees them: each with its modules' folders and entities (the framework's own first). */
export function migrationTargets(groups: ReadonlyMap<string, readonly DiscoveredModule[]>): MigrationTarget[] {
  const targets: MigrationTarget[] = [{ database: FRAMEWORK_DATABASE_NAME, modules: [], entities: SYSTEM_ENTITIES }];
  for (const [database, modules] of groups) {
    const sorted = [...modules].sort((a, b) => a.name.localeCompare(b.name));
    targets.push({
      database,
      modules: sorted.map((module) => ({ name: module.name, directory: module.directory, tables: module.tables })),
      entities: sorted.flatMap((module) => module.entities),
    });
  }
  return targets;
}

