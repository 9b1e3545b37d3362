import { errAsync, ok, okAsync, Result, type ResultAsync } from "neverthrow";
import { inject, injectable } from "tsyringe";
import type { Repository } from "typeorm";
import { InjectDatabase, InjectRepository, ModuleDatabase, type DbError } from "../../../framework";
import { DATABASE_NAME, Search, SEARCH_STATUSES, type SearchStatus } from "../db-models";
import { attempt, recordNotFound } from "../shared/attempt";
import { CiapClock } from "../shared/clock";
import { pageRequest, toPage, type CiapPage } from "../shared/paging";
import { optionalStringArray, optionalText, requireId, requireOneOf, requireText } from "../shared/validate";
import { FINAL_SEARCH_STATUSES, MAX_QUERY_LENGTH, MAX_USER_ID_LENGTH, type ListSearchesQuery } from "./search-types";

/**
 * Searches: the queries users ask ciap to research, and where each one stands
 * (`pending` → `processing` → `completed` | `failed`).
 */
@injectable()
export class SearchService {
  constructor(
    @InjectDatabase(DATABASE_NAME) private readonly db: ModuleDatabase,
    @InjectRepository(Search) private readonly searches: Repository<Search>,
    @inject(CiapClock) private readonly clock: CiapClock,
  ) {}

  /** Records a new `pending` search and returns it with its id. */
  create(query: string, sources: readonly string[] = [], userId: string | null = null): ResultAsync<Search, DbError> {
    const validated = Result.combine([
      requireText("query", query, MAX_QUERY_LENGTH),
      optionalStringArray("sources", sources),
      optionalText("user_id", userId, MAX_USER_ID_LENGTH),
    ]);
    return validated.asyncAndThen(([validQuery, validSources, validUserId]) =>
      this.db.transaction(async (manager) => {
        const now = this.clock.now();
        const inserted = await manager.insert(Search, {
          query: validQuery,
          sources: validSources ?? [],
          user_id: validUserId,
          status: "pending",
          created_at: now,
          updated_at: now,
        });
        const id = inserted.identifiers[0]?.id as number;
        return manager.findOneByOrFail(Search, { id });
      }),
    );
  }

  /** One search by id, or RECORD_NOT_FOUND. */
  get(id: number): ResultAsync<Search, DbError> {
    return requireId("id", id).asyncAndThen((validId) =>
      attempt(() => this.searches.findOneBy({ id: validId })).andThen((search) => (search === null ? errAsync(recordNotFound("searches", validId)) : okAsync(search))),
    );
  }

  /** One page of searches, newest first, optionally only those in one status. */
  list(query: ListSearchesQuery = {}): ResultAsync<CiapPage<Search>, DbError> {
    const status: Result<SearchStatus | undefined, DbError> = query?.status === undefined ? ok(undefined) : requireOneOf("status", query.status, SEARCH_STATUSES);
    return Result.combine([pageRequest(query?.page, query?.pageSize), status]).asyncAndThen(([request, validStatus]) =>
      // findAndCount is one gated unit: the page and its total come from the same moment.
      attempt(() =>
        this.searches.findAndCount({
          where: validStatus === undefined ? {} : { status: validStatus },
          order: { created_at: "DESC", id: "DESC" },
          skip: (request.page - 1) * request.pageSize,
          take: request.pageSize,
        }),
      ).map(([records, total]) => toPage(records, request, total)),
    );
  }

  /**
   * Moves a search to `status`, stamping `updated_at`; `completed` and `failed` also stamp
   * `completed_at` (other statuses clear it). `errorMessage` replaces the stored one (cleared when omitted).
   */
  updateStatus(id: number, status: SearchStatus, errorMessage: string | null = null): ResultAsync<Search, DbError> {
    const validated = Result.combine([requireId("id", id), requireOneOf("status", status, SEARCH_STATUSES), optionalText("error_message", errorMessage, Number.MAX_SAFE_INTEGER)]);
    return validated.asyncAndThen(([validId, validStatus, validError]) =>
      this.db
        .transaction(async (manager) => {
          const now = this.clock.now();
          const outcome = await manager.update(Search, { id: validId }, {
            status: validStatus,
            updated_at: now,
            completed_at: FINAL_SEARCH_STATUSES.includes(validStatus) ? now : null,
            error_message: validError,
          });
          return outcome.affected === 0 ? null : manager.findOneByOrFail(Search, { id: validId });
        })
        .andThen((search) => (search === null ? errAsync(recordNotFound("searches", validId)) : okAsync(search))),
    );
  }
}
