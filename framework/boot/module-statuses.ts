import type { DatabaseRegistry } from "../database/database-registry";
import type { DiscoveredModule } from "../discovery/discovered-module";
import { describeIssue, type DiscoveryIssue } from "../discovery/discovery-issue";
import type { ModuleStatus } from "./module-status";

/**
 * The health of every module after boot, sorted by name: a discovered module is healthy when its
 * database is ready and its start hook (if any) ran; a module that broke a discovery rule is not.
 */
export function moduleStatuses(
  discovered: readonly DiscoveredModule[],
  issues: readonly DiscoveryIssue[],
  registry: DatabaseRegistry,
  startProblems: ReadonlyMap<string, string>,
): ModuleStatus[] {
  return [
    ...discovered.map((module) => {
      const entry = registry.entry(module.databaseName);
      const startProblem = startProblems.get(module.name);
      const healthy = entry?.state === "ready" && startProblem === undefined;
      const problems = startProblem !== undefined ? [startProblem] : healthy ? [] : (entry?.problems ?? []);
      return { name: module.name, file: module.file, database: module.databaseName, healthy, problems };
    }),
    ...issues.map((issue) => ({ name: issue.module, file: issue.file, healthy: false, problems: [describeIssue(issue)] })),
  ].sort((a, b) => a.name.localeCompare(b.name));
}
