import type { EntityManager } from "typeorm";
import { dbError, DbErrorException } from "../../errors/db-error";
import type { Page } from "../crud-types";
import { hydrateRecord } from "../record-values";
import { dialectOf } from "../../engines/sql-dialect";
import { budgetRefusal, rowSizeExpression } from "../row-sizes";
import { quoteIdentifier } from "../sql-identifier";
import type { CursorCodec } from "./cursor-codec";
import type { ListPlan } from "./list-plan";
import { runQuery } from "./sql-fragment";
import { columnList } from "./table-target";

/**
 * Reads one planned page on one snapshot: the total (unless `count: "none"`), then one row more
 * than the page holds, which says whether a next cursor is due. Refused pages (out of range, over
 * the byte budget) throw a DbErrorException before any value is read.
 */
export async function readPage(manager: EntityManager, plan: ListPlan, cursors: CursorCodec, maxBytes: number | undefined): Promise<Page> {
  const { target, page, pageSize } = plan;
  const database = target.db.name;
  const table = quoteIdentifier(target.metadata.tableName);
  let totalRecords: number | null = null;
  let totalPages: number | null = null;
  if (plan.count === "exact") {
    const [row] = await runQuery<{ total: number }>(manager, `SELECT COUNT(*) AS total FROM ${table}${plan.matchWhere}`, plan.bag.values);
    totalRecords = Number(row?.total ?? 0);
    totalPages = Math.ceil(totalRecords / pageSize);
    if (!plan.fromCursor && page > Math.max(1, totalPages)) {
      throw new DbErrorException(
        dbError("VALIDATION_FAILED", `Page ${page} is out of range: there are ${totalPages} page(s).`, database, { page, total_pages: totalPages, total_records: totalRecords }),
      );
    }
  }
  const window = { ...plan.bag.values, page_limit: pageSize, page_offset: plan.fromCursor ? 0 : (page - 1) * pageSize };
  if (maxBytes !== undefined) {
    // Measured from record headers first: a page that would be huge is refused before any value is read.
    const sizes = await runQuery<{ bytes: number }>(manager, `SELECT ${rowSizeExpression(dialectOf(manager.connection), target.metadata, plan.output)} AS bytes FROM ${table}${plan.pageWhere}${plan.orderBy} LIMIT :page_limit OFFSET :page_offset`, window);
    const refusal = budgetRefusal(target.metadata, database, sizes.map((row) => Number(row.bytes)), maxBytes, "page");
    if (refusal !== undefined) throw new DbErrorException(refusal);
  }
  const rows = await runQuery<Record<string, unknown>>(
    manager,
    `SELECT ${columnList(plan.read)} FROM ${table}${plan.pageWhere}${plan.orderBy} LIMIT :page_limit OFFSET :page_offset`,
    { ...window, page_limit: pageSize + 1 },
  );
  const pageRows = rows.slice(0, pageSize);
  const last = pageRows[pageRows.length - 1];
  const nextCursor =
    rows.length > pageSize && last !== undefined ? cursors.encode({ query: plan.fingerprint, values: plan.keys.map((key) => last[key.column.databaseName] ?? null) }) : null;
  return {
    records: pageRows.map((row) => hydrateRecord(target.db.dataSource, target.metadata, row, plan.output)),
    page,
    pageSize,
    totalRecords,
    totalPages,
    nextCursor,
  };
}
