import { afterAll, describe, expect, it } from "vitest";
import { bootFramework, CrudService } from "../../framework";
import { createTempRoot } from "../support/temp-root";

describe("smoke", () => {
  const temp = createTempRoot("smoke");
  temp.copyModule("ciap");
  afterAll(() => temp.remove());

  it("boots, creates ciap tables and does CRUD", async () => {
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    console.log(framework.modules, framework.databases.list().map((e) => [e.name, e.state, e.problems]));
    const crud = framework.resolve(CrudService);
    const created = await crud.create("ciap", "searches", { query: "hello", sources: ["google"] });
    console.log(created);
    expect(created.isOk()).toBe(true);
    const page = await crud.list("ciap", "searches", { filters: [{ column: "status", op: "eq", value: "pending" }], sort: [{ column: "created_at", direction: "desc" }] });
    console.log(page);
    await framework.shutdown();
    const again = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    console.log(again.databases.list().map((e) => [e.name, e.state, e.problems, e.applied]));
    await again.shutdown();
  });
});
