import type { DataSource, EntityManager, QueryRunner } from "typeorm";
import { TypeORMError } from "typeorm";
import { retryOnLocked, type LockStats, type RetryPolicy } from "../../database/retry-policy";
import { isRetryableTransactionError } from "./postgres-error";
import type { PostgresGate } from "./postgres-gate";

/** EntityManager methods that touch the database; each becomes one unit of work on one pinned client. */
const GATED_MANAGER_METHODS = [
  "transaction", "query", "save", "remove", "softRemove", "recover", "insert", "update", "upsert",
  "delete", "softDelete", "restore", "exists", "existsBy", "count", "countBy", "sum", "average",
  "minimum", "maximum", "find", "findBy", "findAndCount", "findAndCountBy", "findByIds", "findOne",
  "findOneBy", "findOneById", "findOneOrFail", "findOneByOrFail", "clear", "increment", "decrement",
  "preload", "updateAll", "deleteAll",
] as const;

/** What the guard needs to know about its database. */
export interface PostgresGuardOptions {
  readonly gate: PostgresGate;
  readonly retry: RetryPolicy;
  readonly stats: LockStats;
}

type AnyFunction = (...args: unknown[]) => unknown;

/**
 * Runs `work` as one unit on its own client; when it is a whole unit (the caller held no client) a
 * serialization failure or deadlock, after which the server rolled all of it back, runs it again.
 */
export function unitOfWork<T>(options: PostgresGuardOptions, work: () => Promise<T>): Promise<T> {
  const { gate, retry, stats } = options;
  if (gate.isHeld()) return work();
  return retryOnLocked(() => gate.run(work), isRetryableTransactionError, retry, stats);
}

/**
 * The runner handed out outside any unit of work: every call borrows a client for just that call,
 * so nothing can be left holding one. Transactions cannot be started on it — they could not be kept
 * on one connection — and say how to start one instead.
 */
function detachedRunner(dataSource: DataSource, template: QueryRunner, options: PostgresGuardOptions): QueryRunner {
  const { gate } = options;
  return new Proxy(template, {
    get(target, property, receiver) {
      if (property === "release" || property === "connect") return async () => undefined;
      if (property === "isTransactionActive" || property === "isReleased") return false;
      if (property === "manager") return dataSource.manager;
      if (property === "startTransaction") {
        return async () => {
          throw new TypeORMError(`Database '${gate.name}': start transactions with ModuleDatabase.transaction() (or dataSource.transaction()); a runner taken outside a unit of work has no connection of its own to keep one on.`);
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const call = () => {
          const runner = gate.current() as unknown as Record<PropertyKey, AnyFunction>;
          return Promise.resolve(runner[property]?.(...args));
        };
        // A lone autocommit statement is its own whole unit, safe to run again after a deadlock.
        return property === "query" ? unitOfWork(options, call) : gate.run(call);
      };
    },
  });
}

/**
 * Makes a postgres DataSource keep every unit of work on one pooled connection:
 *
 * - `createQueryRunner()` inside a unit returns that unit's pinned runner (TypeORM's internal
 *   save/remove transactions, schema work and `SqlAccess` all stay on it); outside one, a detached
 *   runner that borrows a client per call.
 * - Every EntityManager operation of the default manager (and so every repository) is one unit,
 *   retried whole on serialization failure (40001) or deadlock (40P01).
 */
export function guardPostgresDataSource(dataSource: DataSource, createRaw: () => QueryRunner, options: PostgresGuardOptions): void {
  const { gate } = options;
  const template = createRaw();
  const detached = detachedRunner(dataSource, template, options);
  dataSource.createQueryRunner = (() => gate.current() ?? detached) as DataSource["createQueryRunner"];

  const manager = dataSource.manager as unknown as Record<string, unknown>;
  for (const method of GATED_MANAGER_METHODS) {
    const original = manager[method];
    if (typeof original !== "function") continue;
    manager[method] = function gated(this: EntityManager, ...args: unknown[]): Promise<unknown> {
      return unitOfWork(options, () => (original as AnyFunction).apply(this, args) as Promise<unknown>);
    };
  }
}
