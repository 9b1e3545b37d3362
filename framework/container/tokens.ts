import { inject } from "tsyringe";
import type { EntityClassOrSchema } from "../discovery/discovered-module";

/** Container token of the validated {@link FrameworkSettings}. */
export const FRAMEWORK_SETTINGS = Symbol.for("moduledb.settings");

/** Token of a database's TypeORM DataSource, derived from its name. */
export function dataSourceToken(databaseName: string): string {
  return `moduledb.datasource.${databaseName}`;
}

/** Token of a database's {@link ModuleDatabase}, derived from its name. */
export function moduleDatabaseToken(databaseName: string): string {
  return `moduledb.database.${databaseName}`;
}

const repositoryTokens = new WeakMap<object, symbol>();

/**
 * Token of an entity's Repository. One token per entity class or schema object, so two modules
 * may both have an entity called `Cache` without clashing.
 */
export function repositoryToken(entity: EntityClassOrSchema): symbol {
  let token = repositoryTokens.get(entity);
  if (token === undefined) {
    const name = typeof entity === "function" ? entity.name : entity.options.name;
    token = Symbol(`moduledb.repository.${name}`);
    repositoryTokens.set(entity, token);
  }
  return token;
}

/** Constructor-parameter decorator: inject the Repository of `entity`, wherever its database is. */
export function InjectRepository(entity: EntityClassOrSchema): ParameterDecorator {
  return inject(repositoryToken(entity)) as ParameterDecorator;
}

/** Constructor-parameter decorator: inject the DataSource of the database named `databaseName`. */
export function InjectDataSource(databaseName: string): ParameterDecorator {
  return inject(dataSourceToken(databaseName)) as ParameterDecorator;
}

/** Constructor-parameter decorator: inject the {@link ModuleDatabase} named `databaseName` (its transaction helper, health, stats). */
export function InjectDatabase(databaseName: string): ParameterDecorator {
  return inject(moduleDatabaseToken(databaseName)) as ParameterDecorator;
}
