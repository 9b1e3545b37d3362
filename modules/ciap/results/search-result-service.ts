import { err, errAsync, ok, okAsync, Result, type ResultAsync } from "neverthrow";
import { injectable } from "tsyringe";
import { MoreThan, type Repository } from "typeorm";
import { InjectDatabase, InjectRepository, ModuleDatabase, type DbError } from "../../../framework";
import { DATABASE_NAME, SearchResult } from "../db-models";
import { attempt, recordNotFound } from "../shared/attempt";
import { invalid, requireId, requireInteger } from "../shared/validate";
import {
  DEFAULT_RESULT_CHUNK_SIZE,
  DEFAULT_RESULT_LIMIT,
  MAX_RESULT_CHUNK_SIZE,
  type InsertManyOptions,
  type InsertManyReport,
  type NewSearchResult,
  type ResultAnalysis,
} from "./result-types";
import { validateAnalysis, validateResultRow } from "./result-validation";

/** Rows per page when streaming, unless the caller says otherwise. */
export const DEFAULT_STREAM_PAGE_SIZE = 100;

/** Search results: the scraped hits of each search and their analysis. */
@injectable()
export class SearchResultService {
  constructor(
    @InjectDatabase(DATABASE_NAME) private readonly db: ModuleDatabase,
    @InjectRepository(SearchResult) private readonly results: Repository<SearchResult>,
  ) {}

  /**
   * Stores many results in one transaction, `chunkSize` rows per INSERT: either every row is
   * stored or none is. Every row is validated before anything is written; a row the database
   * refuses (say, a `search_id` with no search: CONSTRAINT_VIOLATION) rolls back the earlier chunks too.
   */
  insertMany(rows: readonly NewSearchResult[], options: InsertManyOptions = {}): ResultAsync<InsertManyReport, DbError> {
    if (!Array.isArray(rows)) return errAsync(invalid("rows", "must be an array of results."));
    const chunkSize = requireInteger("chunkSize", options?.chunkSize ?? DEFAULT_RESULT_CHUNK_SIZE, 1, MAX_RESULT_CHUNK_SIZE);
    return Result.combine([chunkSize, Result.combine(rows.map((row, index) => validateResultRow(row, index)))]).asyncAndThen(([size, validRows]) => {
      if (validRows.length === 0) return okAsync({ inserted: 0, chunks: 0 });
      return this.db.transaction(async (manager) => {
        let chunks = 0;
        for (let start = 0; start < validRows.length; start += size) {
          await manager.createQueryBuilder().insert().into(SearchResult).values(validRows.slice(start, start + size)).updateEntity(false).execute();
          chunks += 1;
        }
        return { inserted: validRows.length, chunks };
      });
    });
  }

  /** A search's results by ranking position (rows without a position last), at most `limit` (1..1000, default 100). */
  bySearch(searchId: number, limit: number = DEFAULT_RESULT_LIMIT): ResultAsync<SearchResult[], DbError> {
    return Result.combine([requireId("searchId", searchId), requireInteger("limit", limit, 1, 1000)]).asyncAndThen(([validSearchId, validLimit]) =>
      attempt(() =>
        this.results
          .createQueryBuilder("result")
          .where("result.search_id = :searchId", { searchId: validSearchId })
          .orderBy("result.position", "ASC", "NULLS LAST")
          .addOrderBy("result.id", "ASC")
          .take(validLimit)
          .getMany(),
      ),
    );
  }

  /** Stores the analysis of one result; fields left out keep their values. Returns the result as stored. */
  updateAnalysis(resultId: number, analysis: ResultAnalysis): ResultAsync<SearchResult, DbError> {
    return Result.combine([requireId("resultId", resultId), validateAnalysis(analysis)]).asyncAndThen(([validId, columns]) =>
      this.db
        .transaction(async (manager) => {
          const outcome = await manager.update(SearchResult, { id: validId }, columns);
          return outcome.affected === 0 ? null : manager.findOneByOrFail(SearchResult, { id: validId });
        })
        .andThen((result) => (result === null ? errAsync(recordNotFound("search_results", validId)) : okAsync(result))),
    );
  }

  /** How many results a search has. */
  countForSearch(searchId: number): ResultAsync<number, DbError> {
    return requireId("searchId", searchId).asyncAndThen((validSearchId) => attempt(() => this.results.countBy({ search_id: validSearchId })));
  }

  /**
   * Reads a search's results page by page, in insertion (id) order, without holding them all in
   * memory. Each page is a separate read keyed on the last id seen, so writers get the database
   * between pages and rows added meanwhile are picked up rather than skipped or repeated.
   * The iterator yields Results and never throws; after an error it stops.
   */
  async *stream(searchId: number, pageSize: number = DEFAULT_STREAM_PAGE_SIZE): AsyncGenerator<Result<SearchResult[], DbError>, void, undefined> {
    const validated = Result.combine([requireId("searchId", searchId), requireInteger("pageSize", pageSize, 1, 1000)]);
    if (validated.isErr()) {
      yield err(validated.error);
      return;
    }
    const [validSearchId, validPageSize] = validated.value;
    let lastId = 0;
    for (;;) {
      const page = await attempt(() =>
        this.results.find({ where: { search_id: validSearchId, id: MoreThan(lastId) }, order: { id: "ASC" }, take: validPageSize }),
      );
      if (page.isErr()) {
        yield err(page.error);
        return;
      }
      if (page.value.length === 0) return;
      lastId = page.value[page.value.length - 1]?.id ?? lastId;
      yield ok(page.value);
      if (page.value.length < validPageSize) return;
    }
  }
}
