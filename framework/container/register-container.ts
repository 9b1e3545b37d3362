import { instanceCachingFactory, type DependencyContainer } from "tsyringe";
import { serviceActor } from "../audit/audit-actor";
import type { FrameworkSettings } from "../config/settings";
import { CrudService } from "../crud/crud-service";
import { DatabaseRegistry } from "../database/database-registry";
import type { ModuleDatabase } from "../database/module-database";
import type { DiscoveredModule } from "../discovery/discovered-module";
import { dataSourceToken, FRAMEWORK_SETTINGS, moduleDatabaseToken, repositoryToken } from "./tokens";

/** Registers one open database in the container: its DataSource, its ModuleDatabase and a Repository per entity. */
export function registerDatabase(container: DependencyContainer, database: ModuleDatabase): void {
  container.registerInstance(dataSourceToken(database.name), database.dataSource);
  container.registerInstance(moduleDatabaseToken(database.name), database);
  for (const entity of database.entities) {
    container.registerInstance(repositoryToken(entity), database.dataSource.getRepository(entity));
  }
}

/**
 * Registers the services of modules as singletons (their constructors may ask for anything
 * registered). Each service is built in a scope of its own where `CrudService` is the framework's
 * one bound to `service:<ClassName>`, so the audit trail names the service that wrote; everything
 * else it asks for comes from `container` as before.
 */
export function registerServices(container: DependencyContainer, modules: readonly DiscoveredModule[]): void {
  for (const module of modules) {
    for (const service of module.services) {
      const type = service as new (...args: unknown[]) => object;
      const scope = container.createChildContainer();
      scope.register(CrudService, { useFactory: instanceCachingFactory(() => container.resolve(CrudService).as(serviceActor(type.name))) });
      scope.registerSingleton(type);
      container.register(type, { useFactory: instanceCachingFactory(() => scope.resolve(type)) });
    }
  }
}

/**
 * Fills a framework's container: settings, the registry, the CrudService, and for every ready
 * database its DataSource, its ModuleDatabase and a Repository per entity. Services of healthy
 * modules are registered last, as singletons, so their constructors can ask for any of those.
 */
export function registerContainer(container: DependencyContainer, settings: FrameworkSettings, registry: DatabaseRegistry, healthyModules: readonly DiscoveredModule[]): void {
  container.registerInstance(FRAMEWORK_SETTINGS, settings);
  container.registerInstance(DatabaseRegistry, registry);
  container.registerSingleton(CrudService);
  for (const database of registry.open()) registerDatabase(container, database);
  registerServices(container, healthyModules);
}
