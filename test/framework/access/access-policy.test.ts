import { afterEach, describe, expect, it } from "vitest";
import { resolveApiPolicy } from "../../../framework/access/access-policy";
import { bootFramework } from "../../../framework/boot/boot-framework";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

const where = { module: "shop", file: "/x/modules/shop/db-models.ts" };
const tables = ["products", "orders"];

describe("resolveApiPolicy", () => {
  it("without an api export every table is read-write", () => {
    expect(resolveApiPolicy(undefined, tables, where)).toEqual(new Map([["products", "read-write"], ["orders", "read-write"]]));
  });

  it("applies the default to tables the policy does not name", () => {
    expect(resolveApiPolicy({ default: "read", tables: { orders: "hidden" } }, tables, where)).toEqual(new Map([["products", "read"], ["orders", "hidden"]]));
  });

  it("names the key of an invalid level, an unknown table, an unknown key and a malformed value", () => {
    const cases: [unknown, RegExp][] = [
      [{ default: "write" }, /api\.default "write" is not one of hidden, read, read-write/],
      [{ tables: { orders: "rw" } }, /api\.tables\.orders: "rw" is not one of/],
      [{ tables: { invoices: "read" } }, /api\.tables\.invoices: 'invoices' is not a table of this module \(its tables: products, orders\)/],
      [{ defaults: "read" }, /unknown key\(s\) 'defaults'/],
      [{ tables: ["orders"] }, /api\.tables must be an object/],
      ["read", /`api` must be an object/],
    ];
    for (const [api, message] of cases) {
      const issue = resolveApiPolicy(api, tables, where);
      expect(issue, JSON.stringify(api)).toMatchObject({ rule: "INVALID_API_POLICY", module: "shop", file: where.file });
      expect((issue as { message: string }).message).toMatch(message);
    }
  });
});

describe("discovery reads the api export next to the entities", () => {
  let temp: TempRoot | undefined;
  afterEach(() => temp?.remove());

  const model = (api: string) => `
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
export const DATABASE_NAME = "shop";
@Entity({ name: "products" })
export class Product {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 50 }) name: string;
}
${api}
`;

  it("an invalid policy marks only that module unhealthy, naming the module and the key", async () => {
    temp = createTempRoot("access-policy");
    temp.writeModuleFile("shop", "db-models.ts", model(`export const api = { tables: { product: "read" } };`));
    temp.writeModuleFile("blog", "db-models.ts", model("").replace(/shop/g, "blog").replace("products", "posts"));
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    try {
      const shop = framework.modules.find((module) => module.name === "shop");
      expect(shop?.healthy).toBe(false);
      expect(framework.issues).toEqual([expect.objectContaining({ rule: "INVALID_API_POLICY", module: "shop", message: expect.stringContaining("api.tables.product") })]);
      expect(framework.modules.find((module) => module.name === "blog")?.healthy).toBe(true);
    } finally {
      await framework.shutdown();
    }
  });

  it("strict boot fails on it", async () => {
    temp = createTempRoot("access-policy-strict");
    temp.writeModuleFile("shop", "db-models.ts", model(`export const api = { default: "writable" };`));
    await expect(bootFramework({ rootDir: temp.root, dataDir: temp.dataDir, strict: true })).rejects.toMatchObject({ code: "DISCOVERY_FAILED" });
  });

  it("a valid policy is what tableAccess answers; framework tables are hidden", async () => {
    temp = createTempRoot("access-policy-valid");
    temp.writeModuleFile("shop", "db-models.ts", model(`export const api = { default: "read" };`));
    const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir, strict: true });
    try {
      expect(framework.access.tableAccess("shop", "products")).toBe("read");
      for (const table of framework.databases.get("framework")._unsafeUnwrap().tableNames()) expect(framework.access.tableAccess("framework", table)).toBe("hidden");
    } finally {
      await framework.shutdown();
    }
  });
});
