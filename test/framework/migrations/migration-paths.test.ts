import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sourceModuleDirectory } from "../../../framework/migrations/migration-paths";
import { nameMigration, slugOf } from "../../../framework/migrations/render-migration";
import { createTempRoot } from "../../support/temp-root";

describe("where generated migrations go and how they are named", () => {
  const temp = createTempRoot("mig-paths");
  afterAll(() => temp.remove());

  it("maps a compiled module folder (dist/modules/<m>) to its source folder when that exists", () => {
    mkdirSync(path.join(temp.root, "modules", "shop"), { recursive: true });
    mkdirSync(path.join(temp.root, "dist", "modules", "shop"), { recursive: true });
    mkdirSync(path.join(temp.root, "dist", "modules", "orphan"), { recursive: true });
    expect(sourceModuleDirectory(path.join(temp.root, "dist", "modules", "shop"))).toBe(path.join(temp.root, "modules", "shop"));
    // No source folder: the compiled folder is all there is.
    expect(sourceModuleDirectory(path.join(temp.root, "dist", "modules", "orphan"))).toBe(path.join(temp.root, "dist", "modules", "orphan"));
    expect(sourceModuleDirectory(path.join(temp.root, "modules", "shop"))).toBe(path.join(temp.root, "modules", "shop"));
  });

  it("names files <timestamp>-<slug>.ts and classes <Pascal><timestamp>", () => {
    expect(nameMigration("Add loyalty points!", 1700000000000)).toEqual({ fileName: "1700000000000-add-loyalty-points.ts", className: "AddLoyaltyPoints1700000000000" });
    expect(nameMigration("2nd try", 1700000000001).className).toBe("M2ndTry1700000000001");
    expect(slugOf("  ***  ")).toBe("");
  });
});
