import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { erdOf, renderDot, renderMermaid, renderSvg } from "../../../framework/erd";
import { bootModules, type BootedModules } from "../../support/boot-modules";
import { runCli, createCompiledRoot } from "../../support/run-cli";
import type { TempRoot } from "../../support/temp-root";
import { findAll, parseXml } from "../../support/xml-check";
import { startApi, type ApiUnderTest } from "../../support/http-harness";
import { createModuleRoot } from "../../support/module-root";

const CIAP_TABLES = ["cache", "rate_limits", "scraping_jobs", "search_results", "searches", "task_queue"];

interface Box {
  readonly table: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

function boxesOf(svg: string): Box[] {
  const root = parseXml(svg);
  expect(root.name).toBe("svg");
  return findAll(root, "g")
    .filter((group) => group.attributes.class === "erd-table")
    .map((group) => {
      const rect = group.children.find((child) => child.name === "rect");
      return { table: group.attributes["data-table"] ?? "", x: Number(rect?.attributes.x), y: Number(rect?.attributes.y), width: Number(rect?.attributes.width), height: Number(rect?.attributes.height) };
    });
}

function overlaps(left: Box, right: Box): boolean {
  return left.x < right.x + right.width && right.x < left.x + left.width && left.y < right.y + right.height && right.y < left.y + left.height;
}

describe("ER diagrams generated from entity metadata (real seed modules)", () => {
  let booted: BootedModules;
  beforeAll(async () => {
    booted = await bootModules("erd", ["ciap", "scraper", "docs"]);
  });
  afterAll(() => booted.close());

  it("mermaid: erDiagram with the six ciap tables, typed columns with keys and the searches relations", () => {
    const mermaid = renderMermaid(erdOf(booted.database("ciap")));
    expect(mermaid.startsWith("erDiagram\n")).toBe(true);
    for (const table of CIAP_TABLES) expect(mermaid).toMatch(new RegExp(`^  ${table} \\{$`, "m"));
    expect(mermaid).toMatch(/^ {2}searches \|o--o\{ search_results : "search_id"$/m);
    expect(mermaid).toMatch(/^ {2}searches \|o--o\{ scraping_jobs : "search_id"$/m);
    expect(mermaid).toMatch(/^ {4}integer id PK$/m);
    expect(mermaid).toMatch(/^ {4}varchar_500 query$/m);
    expect(mermaid).toMatch(/^ {4}integer search_id FK "nullable"$/m);
  });

  it("model: cardinality, optionality and on-delete come from the metadata", () => {
    const model = erdOf(booted.database("ciap"));
    expect(model.tables.map((table) => table.name)).toEqual(CIAP_TABLES);
    const results = model.relations.find((relation) => relation.from === "search_results");
    expect(results).toMatchObject({ to: "searches", columns: ["search_id"], referencedColumns: ["id"], cardinality: "many-to-one", optional: true, onDelete: "CASCADE", crossModule: null });
    const scraper = erdOf(booted.database("scraper"));
    expect(scraper.relations.filter((relation) => relation.to === "users").map((relation) => relation.from).sort()).toEqual(["api_rate_limits", "artifacts", "audit_logs", "scraping_jobs", "user_sessions"]);
  });

  it("svg: well-formed XML, one box per table, no two boxes overlap, a line per relation (every seed module)", () => {
    for (const name of ["ciap", "scraper", "docs"]) {
      const model = erdOf(booted.database(name));
      const svg = renderSvg(model);
      const boxes = boxesOf(svg);
      expect(boxes.map((box) => box.table).sort()).toEqual(model.tables.map((table) => table.name));
      for (const box of boxes) expect(box.width > 0 && box.height > 0 && Number.isFinite(box.x) && Number.isFinite(box.y)).toBe(true);
      for (const [index, box] of boxes.entries()) for (const other of boxes.slice(index + 1)) expect(overlaps(box, other), `${box.table} overlaps ${other.table}`).toBe(false);
      const root = parseXml(svg);
      expect(findAll(root, "g").filter((group) => group.attributes.class === "erd-relation")).toHaveLength(model.relations.length);
      const width = Number(root.attributes.width);
      const height = Number(root.attributes.height);
      for (const box of boxes) expect(box.x + box.width <= width && box.y + box.height <= height).toBe(true);
    }
  });

  it("the XML checker itself refuses broken documents", () => {
    expect(() => parseXml("<svg><g></svg>")).toThrow();
    expect(() => parseXml('<svg a="1" a="2"/>')).toThrow();
    expect(() => parseXml("<svg>a & b</svg>")).toThrow();
    expect(() => parseXml("<svg/><svg/>")).toThrow();
  });

  it("dot: a digraph with a node per table and an edge per foreign key", () => {
    const dot = renderDot(erdOf(booted.database("ciap")));
    expect(dot.startsWith('digraph "ciap" {')).toBe(true);
    for (const table of CIAP_TABLES) expect(dot).toContain(`  "${table}" [label=<`);
    expect(dot).toContain('"search_results" -> "searches" [dir=both');
    expect(dot).toContain('"scraping_jobs" -> "searches" [dir=both');
    expect(dot.trimEnd().endsWith("}")).toBe(true);
  });
});

describe("moduledb erd and GET …/erd (real processes)", () => {
  let temp: TempRoot;
  let paths: string[];
  beforeAll(() => {
    temp = createCompiledRoot("cli-erd", ["ciap"]);
    paths = ["--root", temp.root, "--data", temp.dataDir];
  });
  afterAll(() => temp.remove());

  it("erd ciap --format mermaid|svg|dot; an unknown format or database is refused", async () => {
    const mermaid = await runCli(["erd", "ciap", "--format", "mermaid", ...paths]);
    expect(mermaid.code, mermaid.stderr).toBe(0);
    expect(mermaid.stdout.startsWith("erDiagram\n")).toBe(true);
    for (const table of CIAP_TABLES) expect(mermaid.stdout).toContain(`  ${table} {`);
    expect(mermaid.stdout).toContain("searches |o--o{ search_results");
    expect(mermaid.stdout).toContain("searches |o--o{ scraping_jobs");

    const svg = await runCli(["erd", "ciap", "--format", "svg", ...paths]);
    expect(svg.code, svg.stderr).toBe(0);
    expect(boxesOf(svg.stdout).map((box) => box.table).sort()).toEqual(CIAP_TABLES);

    const dot = await runCli(["erd", "ciap", "--format", "dot", ...paths]);
    expect(dot.code).toBe(0);
    expect(dot.stdout).toContain("digraph");

    const wrong = await runCli(["erd", "ciap", "--format", "png", ...paths]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("INVALID_FORMAT");
    const missing = await runCli(["erd", "nope", ...paths]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("DATABASE_NOT_FOUND");
  });
});

describe("GET /api/v1/db/databases/{db}/erd (real server on a socket)", () => {
  let api: ApiUnderTest;
  let root: TempRoot;
  beforeAll(async () => {
    root = createModuleRoot("erd-http", ["ciap", "docs"]);
    api = await startApi(root);
  });
  afterAll(async () => {
    await api.stop();
    root.remove();
  });

  it("answers mermaid by default, svg and dot on request, 400 for another format, 404 for an unknown database", async () => {
    const mermaid = await fetch(`${api.url}/api/v1/db/databases/ciap/erd`);
    expect(mermaid.status).toBe(200);
    expect(mermaid.headers.get("content-type")).toContain("text/vnd.mermaid");
    expect(await mermaid.text()).toContain("searches |o--o{ search_results");
    const svg = await fetch(`${api.url}/api/v1/db/databases/ciap/erd?format=svg`);
    expect(svg.headers.get("content-type")).toContain("image/svg+xml");
    expect(boxesOf(await svg.text())).toHaveLength(6);
    const dot = await fetch(`${api.url}/api/v1/db/databases/ciap/erd?format=dot`);
    expect(await dot.text()).toContain('digraph "ciap"');
    expect((await fetch(`${api.url}/api/v1/db/databases/ciap/erd?format=png`)).status).toBe(400);
    const missing = await fetch(`${api.url}/api/v1/db/databases/nope/erd`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("DATABASE_NOT_FOUND");
  });

  it("leaves out what the access policy hides: docs.search_cache over HTTP, every framework table", async () => {
    const docs = await (await fetch(`${api.url}/api/v1/db/databases/docs/erd`)).text();
    expect(docs).toContain("content_metadata {");
    expect(docs).not.toContain("search_cache");
    expect(erdOf(api.framework.databases.get("docs")._unsafeUnwrap()).tables.map((table) => table.name)).toContain("search_cache");
    const framework = await (await fetch(`${api.url}/api/v1/db/databases/framework/erd`)).text();
    expect(framework).not.toMatch(/framework_boots|cache_entries/);
  });
});
