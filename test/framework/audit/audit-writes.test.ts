import Database from "better-sqlite3";
import type { InjectionToken } from "tsyringe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CrudService } from "../../../framework";
import { startApi, type ApiUnderTest } from "../../support/http-harness";
import { auditRows, VAULT_SECRET, vaultFile, writeVaultModule, type StoredAuditRow } from "../../support/audit-module";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

type Desk = { open(name: string, secret: string): Promise<{ isOk(): boolean; _unsafeUnwrap(): Record<string, unknown> }> };

describe("moduledb_audit: every write leaves its rows in the same database, in the same transaction", () => {
  let temp: TempRoot;
  let api: ApiUnderTest;
  let crud: CrudService;
  let seen = 0;

  /** The rows added since the last call. */
  function newRows(): StoredAuditRow[] {
    const rows = auditRows(vaultFile(temp));
    const fresh = rows.slice(seen);
    seen = rows.length;
    return fresh;
  }

  beforeAll(async () => {
    temp = createTempRoot("audit-writes");
    writeVaultModule(temp);
    api = await startApi(temp, {}, { strict: true });
    crud = api.framework.resolve(CrudService);
    newRows();
  });

  afterAll(async () => {
    await api?.stop();
    temp?.remove();
  });

  it("a create through the HTTP API leaves exactly one row: anonymous, with the request id, no sensitive value", async () => {
    const response = await fetch(`${api.url}/api/v1/db/databases/vault/tables/accounts/records`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "ada", secret: VAULT_SECRET }),
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { data?: { id: number }; record?: { id: number } };
    const rows = newRows();
    expect(rows).toHaveLength(1);
    const [row] = rows as [StoredAuditRow];
    expect(row).toMatchObject({ actor: "anonymous", request_id: response.headers.get("x-request-id"), table_name: "accounts", operation: "create" });
    expect(row.record_key).toBe(String(created.data?.id ?? created.record?.id));
    expect(JSON.parse(row.changed_columns)).toEqual(["name", "secret"]);
    expect(JSON.parse(row.values ?? "null")).toEqual({ name: "ada" });
    expect(JSON.stringify(row)).not.toContain(VAULT_SECRET);
    expect(Math.abs(row.at - Date.now())).toBeLessThan(60_000);
  });

  it("a create by a module service through CrudService leaves exactly one row naming the service", async () => {
    const { AccountDesk } = (await import(`${temp.root}/modules/vault/module.ts`)) as { AccountDesk: InjectionToken<Desk> };
    const record = (await api.framework.resolve(AccountDesk).open("grace", VAULT_SECRET))._unsafeUnwrap();
    const rows = newRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: "service:AccountDesk", request_id: null, operation: "create", record_key: String(record.id) });
    expect(JSON.stringify(rows[0])).not.toContain(VAULT_SECRET);
  });

  it("framework code calling the CrudService outside any request records service:unknown", async () => {
    (await crud.update("vault", "accounts", 1, { name: "ada l.", secret: `${VAULT_SECRET}-2` }))._unsafeUnwrap();
    const rows = newRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: "service:unknown", operation: "update", record_key: "1", changed_columns: JSON.stringify(["name", "secret"]), values: JSON.stringify({ name: "ada l." }) });
    expect(JSON.stringify(rows[0])).not.toContain(VAULT_SECRET);
  });

  it("a write whose COMMIT fails after the audit insert leaves neither the row nor its audit", async () => {
    // account 9999 does not exist: the deferred foreign key is checked only at COMMIT, after the insert, the read-back and the audit row.
    const file = new Database(vaultFile(temp), { readonly: true });
    const ledgerSql = (file.prepare("SELECT sql FROM sqlite_master WHERE name = 'ledger'").get() as { sql: string }).sql;
    file.close();
    expect(ledgerSql).toContain("DEFERRABLE INITIALLY DEFERRED");
    const failed = await crud.create("vault", "ledger", { account_id: 9999, amount: 5 });
    expect(failed.isErr()).toBe(true);
    expect(failed._unsafeUnwrapErr().code).toBe("CONSTRAINT_VIOLATION");
    expect(newRows()).toEqual([]);
    expect((await crud.count("vault", "ledger"))._unsafeUnwrap()).toBe(0);
    // The same write with a real account commits, with its one audit row.
    (await crud.create("vault", "ledger", { account_id: 1, amount: 5 }))._unsafeUnwrap();
    expect(newRows().map((row) => [row.table_name, row.operation])).toEqual([["ledger", "create"]]);
  });

  it("soft delete, restore and hard delete each leave one row; restoring a live record leaves none", async () => {
    const memo = (await crud.create("vault", "memos", { body: "remember" }))._unsafeUnwrap();
    (await crud.delete("vault", "memos", memo.id))._unsafeUnwrap();
    (await crud.restore("vault", "memos", memo.id))._unsafeUnwrap();
    (await crud.restore("vault", "memos", memo.id))._unsafeUnwrap();
    (await crud.hardDelete("vault", "memos", memo.id))._unsafeUnwrap();
    const rows = newRows();
    expect(rows.map((row) => [row.operation, row.record_key, JSON.parse(row.changed_columns)])).toEqual([
      ["create", String(memo.id), ["body"]],
      ["delete", String(memo.id), ["deleted_at"]],
      ["restore", String(memo.id), ["deleted_at"]],
      ["hard-delete", String(memo.id), []],
    ]);
    // A refused write (no such record) leaves nothing.
    expect((await crud.update("vault", "memos", 424242, { body: "x" })).isErr()).toBe(true);
    expect(newRows()).toEqual([]);
  });

  it("bulk forms leave one row per affected record, each with its key", async () => {
    const created = (await crud.createMany("vault", "memos", [{ body: "a" }, { body: "b" }, { body: "c", status: "done" }]))._unsafeUnwrap();
    expect(created).toEqual({ inserted: 3 });
    const inserted = newRows();
    expect(inserted.map((row) => row.operation)).toEqual(["create", "create", "create"]);
    const ids = (await crud.list("vault", "memos", { sort: [{ column: "id", direction: "asc" }] }))._unsafeUnwrap().records.map((record) => String(record.id));
    expect(inserted.map((row) => row.record_key)).toEqual(ids);
    expect(inserted.map((row) => JSON.parse(row.values ?? "{}").body)).toEqual(["a", "b", "c"]);

    expect((await crud.updateMany("vault", "memos", [{ column: "status", op: "eq", value: "open" }], { status: "seen" }))._unsafeUnwrap()).toEqual({ affected: 2 });
    const updated = newRows();
    expect(updated.map((row) => [row.operation, row.record_key, row.values])).toEqual(ids.slice(0, 2).map((id) => ["update", id, JSON.stringify({ status: "seen" })]));

    expect((await crud.deleteMany("vault", "memos", [{ column: "status", op: "eq", value: "seen" }]))._unsafeUnwrap()).toEqual({ affected: 2 });
    expect(newRows().map((row) => [row.operation, row.record_key])).toEqual(ids.slice(0, 2).map((id) => ["delete", id]));
    // A bulk write matching nothing leaves nothing.
    expect((await crud.updateMany("vault", "memos", [{ column: "status", op: "eq", value: "nobody" }], { status: "x" }))._unsafeUnwrap()).toEqual({ affected: 0 });
    expect(newRows()).toEqual([]);
  });

  it("an import leaves one `import` row per record, committed with its batch; composite keys are JSON", async () => {
    async function* pairs() {
      yield { left: "a", right: 1, label: "one" };
      yield { left: "a", right: 2, label: null };
      yield { left: "b", right: 1, label: "three" };
    }
    expect((await crud.importRecords("vault", "pairs", pairs(), { batchSize: 2 }))._unsafeUnwrap()).toEqual({ imported: 3, batches: 2 });
    const rows = newRows();
    expect(rows.map((row) => [row.operation, row.record_key])).toEqual([
      ["import", JSON.stringify({ left: "a", right: 1 })],
      ["import", JSON.stringify({ left: "a", right: 2 })],
      ["import", JSON.stringify({ left: "b", right: 1 })],
    ]);
    (await crud.update("vault", "pairs", { left: "a", right: 2 }, { label: "two" }))._unsafeUnwrap();
    expect(newRows().map((row) => row.record_key)).toEqual([JSON.stringify({ left: "a", right: 2 })]);
  });

  it("an import that fails part-way keeps no audit rows of the rolled-back rows", async () => {
    async function* rows() {
      yield { left: "c", right: 1, label: "fine" };
      yield { left: "c", right: "not a number" };
    }
    expect((await crud.importRecords("vault", "pairs", rows())).isErr()).toBe(true);
    expect(newRows()).toEqual([]);
  });
});
