import type { DependencyContainer } from "tsyringe";
import type { EntitySchema } from "typeorm";
import type { ResolvedPolicy } from "../access/access-policy";
import type { ModuleRoutes } from "../http/modules/module-routes";
import type { SettingsDeclaration } from "../settings/setting-types";

/** An entity as a module declares it: a decorated class or an `EntitySchema`. */
export type EntityClassOrSchema = (new (...args: never[]) => object) | EntitySchema<object>;

/** A class a module registers in the container; its constructor dependencies are injected. */
export type ServiceClass = new (...args: never[]) => object;

/**
 * A module's optional start hook, exported as `start` from its `module` file. It runs once after
 * the container is filled (for example to schedule background jobs with the `Scheduler`).
 */
export type ModuleStart = (container: DependencyContainer) => void | Promise<void>;

/** A module whose `db-models` file passed every discovery rule. */
export interface DiscoveredModule {
  /** The module's folder name under `modules/`. */
  readonly name: string;
  /** Absolute path of its `db-models` file. */
  readonly file: string;
  readonly databaseName: string;
  readonly entities: readonly EntityClassOrSchema[];
  /** The tables those entities map to, in declaration order. */
  readonly tables: readonly string[];
  /** The generic API's access level of each of its tables (its `api` export, resolved). */
  readonly access: ResolvedPolicy;
  /** Service classes exported by the module's optional `module` file. */
  readonly services: readonly ServiceClass[];
  /** The settings its `module` file declares (`export const settings`), when it declares any. */
  readonly settings?: SettingsDeclaration;
  /** The module's start hook, when its `module` file exports one. */
  readonly start?: ModuleStart;
  /** The module's HTTP routes, when its `module` file exports `routes` (made by `defineModuleRoutes`). */
  readonly routes?: ModuleRoutes;
  /** The module's folder. */
  readonly directory: string;
}
