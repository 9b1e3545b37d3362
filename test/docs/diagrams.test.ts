import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { erdOf, renderDiagramDocument } from "../../framework/erd";
import { bootModules, type BootedModules } from "../support/boot-modules";
import { REPO_ROOT } from "../support/temp-root";

const SEED_MODULES = ["ciap", "scraper", "docs"] as const;

describe("docs/diagrams/ matches the entities", () => {
  let booted: BootedModules;
  beforeAll(async () => {
    booted = await bootModules("diagrams", [...SEED_MODULES]);
  });
  afterAll(() => booted.close());

  it.each(SEED_MODULES)("docs/diagrams/%s.md is what `moduledb erd %s --format markdown` makes today", (name) => {
    const expected = renderDiagramDocument(erdOf(booted.database(name)));
    const file = path.join(REPO_ROOT, "docs", "diagrams", `${name}.md`);
    const actual = readFileSync(file, "utf8");
    expect(actual, `docs/diagrams/${name}.md is out of date; run: npm run db -- erd ${name} --format markdown > docs/diagrams/${name}.md`).toBe(expected);
  });
});
