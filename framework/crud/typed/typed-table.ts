import { errAsync, type ResultAsync } from "neverthrow";
import type { DatabaseRegistry } from "../../database/database-registry";
import { dbError, type DbError } from "../../errors/db-error";
import type { CrudService } from "../crud-service";
import type { CreateManyResult, FilterOperator, Page } from "../crud-types";
import type { AggregateRow } from "../query/aggregate";
import type { BulkResult } from "../query/bulk-write";

/** An entity class (what `@Entity()` decorates). */
export type EntityClass<T> = new (...args: never[]) => T;

type Element<V> = V extends readonly (infer U)[] ? U : V;
/** Property names of `T` that hold related entities (objects or arrays of objects, not dates). */
export type RelationOf<T> = {
  [K in keyof T & string]-?: NonNullable<Element<NonNullable<T[K]>>> extends Date ? never : unknown extends NonNullable<Element<NonNullable<T[K]>>> ? never : NonNullable<Element<NonNullable<T[K]>>> extends object ? K : never;
}[keyof T & string];
/** Property names of `T` that are columns (everything but relations and methods). */
export type ColumnOf<T> = Exclude<{ [K in keyof T & string]-?: T[K] extends (...args: never[]) => unknown ? never : K }[keyof T & string], RelationOf<T>>;
/** `author.name`-style names of the related entities' columns. */
export type RelatedColumnOf<T> = { [R in RelationOf<T>]: `${R}.${ColumnOf<NonNullable<Element<NonNullable<T[R]>>>>}` }[RelationOf<T>];
/** Include paths: relations, and relations of relations. */
export type IncludeOf<T> = RelationOf<T> | { [R in RelationOf<T>]: `${R}.${RelationOf<NonNullable<Element<NonNullable<T[R]>>>>}` }[RelationOf<T>];

/** A filter whose column must be a column of `T` (or of a related entity). */
export interface TypedFilter<T> {
  readonly column: ColumnOf<T> | RelatedColumnOf<T>;
  readonly op: FilterOperator;
  readonly value?: unknown;
  readonly path?: readonly (string | number)[];
}
/** A filter node of `T`. */
export type TypedFilterNode<T> = TypedFilter<T> | { readonly and: readonly TypedFilterNode<T>[] } | { readonly or: readonly TypedFilterNode<T>[] } | { readonly not: TypedFilterNode<T> };

/** `ListQuery` whose names are checked against `T` at compile time. */
export interface TypedListQuery<T> {
  readonly page?: number;
  readonly pageSize?: number;
  readonly sort?: readonly { readonly column: ColumnOf<T>; readonly direction: "asc" | "desc" }[];
  readonly filters?: readonly TypedFilterNode<T>[];
  readonly fields?: readonly ColumnOf<T>[];
  readonly include?: readonly IncludeOf<T>[];
  readonly cursor?: string;
  readonly count?: "exact" | "none";
  readonly withDeleted?: boolean;
}

/** A page whose records are typed as the entity's columns. */
export interface TypedPage<T> extends Omit<Page, "records"> {
  readonly records: Partial<T>[];
}

/**
 * `crud.table(Book)`: the CrudService for one entity, with column, field, sort and include names
 * checked by the compiler (`keyof Book`), so renaming a property breaks every call that used the
 * old name. Records are keyed by column name; the typing assumes property and column names agree
 * (the convention of this framework's modules). The table is looked up on each call, so an entity
 * of no open database is a DATABASE_NOT_FOUND Result, not an exception.
 */
export class TypedTable<T> {
  constructor(
    private readonly crud: CrudService,
    private readonly registry: DatabaseRegistry,
    private readonly entity: EntityClass<T>,
  ) {}

  list(query: TypedListQuery<T> = {}): ResultAsync<TypedPage<T>, DbError> {
    return this.with((database, table) => this.crud.list(database, table, query as never) as ResultAsync<TypedPage<T>, DbError>);
  }

  get(id: unknown, options: { readonly fields?: readonly ColumnOf<T>[]; readonly include?: readonly IncludeOf<T>[]; readonly withDeleted?: boolean } = {}): ResultAsync<Partial<T>, DbError> {
    return this.with((database, table) => this.crud.get(database, table, id, options) as ResultAsync<Partial<T>, DbError>);
  }

  create(values: { readonly [K in ColumnOf<T>]?: T[K] }): ResultAsync<Partial<T>, DbError> {
    return this.with((database, table) => this.crud.create(database, table, values as Record<string, unknown>) as ResultAsync<Partial<T>, DbError>);
  }

  createMany(rows: readonly { readonly [K in ColumnOf<T>]?: T[K] }[]): ResultAsync<CreateManyResult, DbError> {
    return this.with((database, table) => this.crud.createMany(database, table, rows as Record<string, unknown>[]));
  }

  update(id: unknown, patch: { readonly [K in ColumnOf<T>]?: T[K] }): ResultAsync<Partial<T>, DbError> {
    return this.with((database, table) => this.crud.update(database, table, id, patch as Record<string, unknown>) as ResultAsync<Partial<T>, DbError>);
  }

  delete(id: unknown): ResultAsync<Partial<T>, DbError> {
    return this.with((database, table) => this.crud.delete(database, table, id) as ResultAsync<Partial<T>, DbError>);
  }

  count(filters?: readonly TypedFilterNode<T>[]): ResultAsync<number, DbError> {
    return this.with((database, table) => this.crud.count(database, table, filters as never));
  }

  updateMany(filters: readonly TypedFilterNode<T>[], patch: { readonly [K in ColumnOf<T>]?: T[K] }): ResultAsync<BulkResult, DbError> {
    return this.with((database, table) => this.crud.updateMany(database, table, filters as never, patch as Record<string, unknown>));
  }

  deleteMany(filters: readonly TypedFilterNode<T>[]): ResultAsync<BulkResult, DbError> {
    return this.with((database, table) => this.crud.deleteMany(database, table, filters as never));
  }

  aggregate(query: { readonly filters?: readonly TypedFilterNode<T>[]; readonly groupBy?: readonly ColumnOf<T>[]; readonly count?: boolean; readonly sum?: readonly ColumnOf<T>[]; readonly avg?: readonly ColumnOf<T>[]; readonly min?: readonly ColumnOf<T>[]; readonly max?: readonly ColumnOf<T>[] }): ResultAsync<AggregateRow[], DbError> {
    return this.with((database, table) => this.crud.aggregate(database, table, query as never));
  }

  private with<R>(work: (database: string, table: string) => ResultAsync<R, DbError>): ResultAsync<R, DbError> {
    for (const db of this.registry.open()) {
      const metadata = db.dataSource.hasMetadata(this.entity) ? db.dataSource.getMetadata(this.entity) : undefined;
      if (metadata !== undefined) return work(db.name, metadata.tableName);
    }
    return errAsync(dbError("DATABASE_NOT_FOUND", `No open database holds the entity '${this.entity.name}'.`, undefined, { entity: this.entity.name }));
  }
}
