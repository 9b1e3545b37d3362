import Database from "better-sqlite3";
import { DataSource, LessThanOrEqual, type Repository } from "typeorm";
import type { ResultAsync } from "neverthrow";
import type { CrudService, DbError } from "../../framework";
import { Search, SearchResult } from "../../modules/ciap/db-models";
import { LIST_PAGE_SIZE, LISTED_MAX_POSITION, LISTED_SOURCE, type ResultRow } from "./result-rows";

/** What a list page returns, reduced to what the contenders must agree on. */
export interface ListedPage {
  readonly ids: readonly number[];
  readonly total: number;
}

/** One way of doing the benchmark's four operations on `search_results`. */
export interface Contender {
  readonly name: string;
  getById(id: number): Promise<{ id: number } | undefined>;
  /** A page of `source = google AND position <= 50`, sorted by position desc then id, with the total count. */
  listPage(page: number): Promise<ListedPage>;
  insertOne(row: ResultRow): Promise<void>;
  insertMany(rows: readonly ResultRow[]): Promise<void>;
  /** Sets one row's title. */
  updateById(id: number, title: string): Promise<void>;
  /** Removes one row (it exists). */
  deleteById(id: number): Promise<void>;
  close(): Promise<void>;
}

const COLUMNS = ["search_id", "source", "title", "snippet", "url", "position", "sentiment_score"] as const;

/** better-sqlite3 with prepared statements: the floor every other layer is compared with. */
export function rawContender(file: string): Contender {
  const connection = new Database(file);
  connection.pragma("journal_mode = WAL");
  connection.pragma("synchronous = NORMAL");
  const get = connection.prepare("SELECT * FROM search_results WHERE id = ?");
  const where = "WHERE source = ? AND position <= ?";
  const count = connection.prepare(`SELECT COUNT(*) AS total FROM search_results ${where}`);
  const page = connection.prepare(`SELECT * FROM search_results ${where} ORDER BY position DESC, id ASC LIMIT ? OFFSET ?`);
  const insert = connection.prepare(`INSERT INTO search_results (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map((column) => `@${column}`).join(", ")})`);
  const insertAll = connection.transaction((rows: readonly ResultRow[]) => {
    for (const row of rows) insert.run(row);
  });
  const update = connection.prepare("UPDATE search_results SET title = ? WHERE id = ?");
  const remove = connection.prepare("DELETE FROM search_results WHERE id = ?");
  return {
    name: "raw better-sqlite3",
    getById: async (id) => get.get(id) as { id: number } | undefined,
    listPage: async (pageNumber) => {
      const { total } = count.get(LISTED_SOURCE, LISTED_MAX_POSITION) as { total: number };
      const rows = page.all(LISTED_SOURCE, LISTED_MAX_POSITION, LIST_PAGE_SIZE, (pageNumber - 1) * LIST_PAGE_SIZE) as { id: number }[];
      return { ids: rows.map((row) => row.id), total };
    },
    insertOne: async (row) => void insert.run(row),
    insertMany: async (rows) => insertAll(rows),
    updateById: async (id, title) => void update.run(title, id),
    deleteById: async (id) => void remove.run(id),
    close: async () => void connection.close(),
  };
}

/** Bare TypeORM 1.1 repositories on a plain DataSource: no gate, no retries, no validation. */
export async function typeormContender(file: string): Promise<Contender> {
  const dataSource = new DataSource({ type: "better-sqlite3", database: file, entities: [Search, SearchResult], synchronize: false, prepareDatabase: (db: Database.Database) => {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
  } });
  await dataSource.initialize();
  const repository: Repository<SearchResult> = dataSource.getRepository(SearchResult);
  return {
    name: "bare TypeORM",
    getById: async (id) => (await repository.findOneBy({ id })) ?? undefined,
    listPage: async (pageNumber) => {
      const [rows, total] = await repository.findAndCount({
        where: { source: LISTED_SOURCE, position: LessThanOrEqual(LISTED_MAX_POSITION) },
        order: { position: "DESC", id: "ASC" },
        take: LIST_PAGE_SIZE,
        skip: (pageNumber - 1) * LIST_PAGE_SIZE,
      });
      return { ids: rows.map((row) => row.id), total };
    },
    insertOne: async (row) => void (await repository.insert(row)),
    insertMany: async (rows) => {
      // SQLite caps bound parameters per statement, so bulk inserts go in chunks inside one transaction.
      await dataSource.transaction(async (manager) => {
        for (let start = 0; start < rows.length; start += 500) await manager.insert(SearchResult, rows.slice(start, start + 500));
      });
    },
    updateById: async (id, title) => void (await repository.update({ id }, { title })),
    deleteById: async (id) => void (await repository.delete({ id })),
    close: () => dataSource.destroy(),
  };
}

/** The framework's CrudService: validation, gated serialised access, Results. */
export function crudContender(crud: CrudService, database: string): Contender {
  const unwrap = async <T>(result: ResultAsync<T, DbError>): Promise<T> => {
    const settled = await result;
    if (settled.isErr()) throw new Error(`CrudService failed: ${JSON.stringify(settled.error)}`);
    return settled.value;
  };
  return {
    name: "CrudService",
    getById: async (id) => (await unwrap(crud.get(database, "search_results", id))) as { id: number },
    listPage: async (page) => {
      const result = await unwrap(
        crud.list(database, "search_results", {
          page,
          pageSize: LIST_PAGE_SIZE,
          filters: [
            { column: "source", op: "eq", value: LISTED_SOURCE },
            { column: "position", op: "lte", value: LISTED_MAX_POSITION },
          ],
          sort: [{ column: "position", direction: "desc" }],
        }),
      );
      return { ids: result.records.map((record) => Number(record.id)), total: result.totalRecords ?? 0 };
    },
    insertOne: async (row) => void (await unwrap(crud.create(database, "search_results", { ...row }))),
    insertMany: async (rows) => void (await unwrap(crud.createMany(database, "search_results", rows.map((row) => ({ ...row }))))),
    updateById: async (id, title) => void (await unwrap(crud.update(database, "search_results", id, { title }))),
    deleteById: async (id) => void (await unwrap(crud.delete(database, "search_results", id))),
    close: async () => undefined,
  };
}
