/**
 * Compile-time checks of `crud.table(Entity)`: `tsc --noEmit -p .` (part of every test run)
 * fails if any `@ts-expect-error` below stops being an error, i.e. if a wrong name type-checks.
 */
import type { CrudService } from "../../../../framework";
import { Novel } from "../../../support/typed-models";

export function typedNames(crud: CrudService): unknown[] {
  const novels = crud.table(Novel);
  return [
    novels.list({ fields: ["title", "pages"], sort: [{ column: "pages", direction: "desc" }], include: ["writer", "writer.novels"], filters: [{ column: "writer.name", op: "eq", value: "x" }] }),
    // @ts-expect-error a renamed or unknown column is not a field
    novels.list({ fields: ["page_count"] }),
    // @ts-expect-error nor a sort key
    novels.list({ sort: [{ column: "name", direction: "asc" }] }),
    // @ts-expect-error nor a filter column
    novels.list({ filters: [{ column: "titel", op: "eq", value: "x" }] }),
    // @ts-expect-error a relation is not a column
    novels.list({ fields: ["writer"] }),
    // @ts-expect-error a column is not a relation
    novels.list({ include: ["title"] }),
    // @ts-expect-error an unknown related column
    novels.count([{ column: "writer.nam", op: "eq", value: 1 }]),
    // @ts-expect-error values keep their types
    novels.create({ title: 5 }),
    // @ts-expect-error sum takes columns only
    novels.aggregate({ sum: ["writer"] }),
  ];
}
