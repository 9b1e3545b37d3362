import { Result, type Result as ResultType } from "neverthrow";
import type { DbError } from "../../../framework";
import { requireInteger } from "./validate";

/** Rows per page when a caller names none. */
export const CIAP_DEFAULT_PAGE_SIZE = 50;
/** The largest page a caller may ask for. */
export const CIAP_MAX_PAGE_SIZE = 1000;

/** A validated page request. */
export interface PageRequest {
  readonly page: number;
  readonly pageSize: number;
}

/** One page of rows, shaped like the framework CrudService's pages. */
export interface CiapPage<T> {
  readonly records: T[];
  readonly page: number;
  readonly pageSize: number;
  readonly totalRecords: number;
  readonly totalPages: number;
}

/** Checks `page` (1-based) and `pageSize` (1..1000), filling in the defaults. */
export function pageRequest(page: unknown = 1, pageSize: unknown = CIAP_DEFAULT_PAGE_SIZE): ResultType<PageRequest, DbError> {
  return Result.combine([requireInteger("page", page, 1), requireInteger("pageSize", pageSize, 1, CIAP_MAX_PAGE_SIZE)]).map(([validPage, validSize]) => ({
    page: validPage,
    pageSize: validSize,
  }));
}

/** Builds a page from the rows read and the total count. */
export function toPage<T>(records: T[], request: PageRequest, totalRecords: number): CiapPage<T> {
  return { records, page: request.page, pageSize: request.pageSize, totalRecords, totalPages: Math.ceil(totalRecords / request.pageSize) };
}
