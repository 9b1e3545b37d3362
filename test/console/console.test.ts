import Database from "better-sqlite3";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { EntryType } from "node:perf_hooks";
import { chromiumAvailability, chromiumPath } from "../support/chromium-target";
import { describeWithService } from "../support/required-service";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { REPO_ROOT } from "../support/temp-root";

/** The two properties of an HTMLImageElement the test reads (the test's tsconfig has no DOM library). */
interface ImageSize {
  readonly naturalWidth: number;
  readonly naturalHeight: number;
}

/** The browser global the init script uses (the test's tsconfig has no DOM library). */
interface BrowserGlobals {
  readonly sessionStorage: { setItem(key: string, value: string): void };
}

const SCREENSHOTS = path.join(REPO_ROOT, ".tmp", "screenshots");
const TOKEN = "console-test-token-0123456789abcdef";

/** Waits until the pager's text contains `text` (the table has loaded what the last action asked for). */
async function pagerSays(page: Page, text: string): Promise<void> {
  // Polls from the test side: the console's CSP (rightly) forbids the eval a string predicate needs.
  await expect.poll(() => page.locator(".pager-text").textContent(), { timeout: 10_000 }).toContain(text);
}

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
}

describeWithService("chromium", chromiumAvailability(), "/ui console in a real browser (Chromium, real server process, the three seed modules)", () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  const dataDir = mkdtempSync(path.join(REPO_ROOT, ".tmp", "console-"));
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startServerProcess({ DATABASE_DIR: dataDir, API_TOKEN: TOKEN, API_PUBLIC_READ: "true" });
    for (let index = 1; index <= 30; index += 1) {
      const created = await post(`${server.url}/api/v1/db/databases/ciap/tables/searches/records`, { query: `query ${String(index).padStart(2, "0")}`, status: index % 3 === 0 ? "completed" : "pending" });
      expect(created.status).toBe(201);
    }
    browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    // The token a person would type into the header's prompt, there from the first request on (/metrics needs it).
    await page.addInitScript((token) => (globalThis as unknown as BrowserGlobals).sessionStorage.setItem("moduledb.token", token), TOKEN);
    // 4xx answers the test provokes (the validation error) are logged by Chromium too; everything else counts.
    page.on("console", (message) => message.type() === "error" && !message.text().includes("status of 400") && problems.push(message.text()));
    page.on("pageerror", (error) => problems.push(error.message));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("/ redirects to /ui/, which is served with a strict CSP and only same-origin assets", async () => {
    const root = await fetch(`${server.url}/`, { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/ui/");
    const ui = await fetch(`${server.url}/ui/`);
    expect(ui.status).toBe(200);
    const csp = ui.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(await ui.text()).not.toMatch(/https?:\/\//);
    expect((await fetch(`${server.url}/ui/app/..%2Fpackage.json`)).status).toBe(404);
  });

  it("overview: modules with health, databases and row counts; first paint from a warm server is printed", async () => {
    await page.goto(`${server.url}/ui/`);
    await page.waitForSelector('[data-database="ciap"]');
    await page.reload();
    await page.waitForSelector('[data-database="ciap"]');
    const paint = await page.evaluate(() => performance.getEntriesByType("paint" as EntryType).map((entry) => ({ name: entry.name, ms: entry.startTime })));
    const contentful = paint.find((entry) => entry.name === "first-contentful-paint")?.ms;
    const loaded = await page.evaluate(() => performance.now());
    console.log(`overview first-contentful-paint ${contentful?.toFixed(1) ?? "?"} ms; overview with data ${loaded.toFixed(1)} ms after navigation (warm server)`);
    for (const name of ["ciap", "scraper", "docs"]) await expect(page.locator(`[data-database="${name}"]`).count()).resolves.toBe(1);
    const searches = page.locator('[data-database="ciap"] tr', { hasText: "searches" });
    await expect(searches.locator("td.num").textContent()).resolves.toBe("30");
    await expect(page.locator("text=healthy").count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('[data-database="ciap"] .sizes').textContent()).resolves.toMatch(/^file \d+(\.\d)? (B|KiB|MiB) · WAL \d+(\.\d)? (B|KiB|MiB) · lock retries \d+$/);
    await page.screenshot({ path: path.join(SCREENSHOTS, "overview.png"), fullPage: true });
  });

  it("ciap.searches: filter, sort, page", async () => {
    await page.click('[data-database="ciap"] a:text-is("searches")');
    await page.waitForSelector("table.records tbody tr");
    await expect(page.locator(".pager-text").textContent()).resolves.toContain("30 records");
    await page.selectOption('select[name="filter-column"]', "status");
    await page.selectOption('select[name="filter-operator"]', "eq");
    await page.fill('input[name="filter-value"]', "completed");
    await page.click('button:text-is("Add filter")');
    await pagerSays(page, "· 10 records");
    await page.click('.chip button');
    await pagerSays(page, "· 30 records");
    await page.click('th button.sort:text("query")');
    await page.click('th button.sort:text("query")');
    await expect.poll(() => page.locator("table.records tbody tr td:nth-child(2)").first().textContent(), { timeout: 10_000 }).toBe("query 30");
    await page.click('button:text-is("Next ›")');
    await pagerSays(page, "page 2 of 2");
    await expect(page.locator("table.records tbody tr").count()).resolves.toBe(5);
    await page.screenshot({ path: path.join(SCREENSHOTS, "table.png"), fullPage: true });
  });

  it("create through the form, see the API's validation error beside the field, edit, delete", async () => {
    await expect(page.locator("#api-token").inputValue()).resolves.toBe(TOKEN);
    await page.click('button:text-is("Update")');
    await page.click('button:text-is("New record")');
    await page.fill("#field-query", "x".repeat(501));
    await page.click('button:text-is("Create")');
    await page.waitForSelector("#field-query-error:not(:empty)");
    const message = await page.locator("#field-query-error").textContent();
    expect(message).toContain("at most 500");
    await page.screenshot({ path: path.join(SCREENSHOTS, "record-form-error.png"), fullPage: true });
    await page.fill("#field-query", "made in the browser");
    await page.click('button:text-is("Create")');
    await pagerSays(page, "· 31 records");

    await page.selectOption('select[name="filter-column"]', "query");
    await page.selectOption('select[name="filter-operator"]', "eq");
    await page.fill('input[name="filter-value"]', "made in the browser");
    await page.click('button:text-is("Add filter")');
    await pagerSays(page, "· 1 records");
    await page.click('table.records button:text-is("Edit")');
    await page.fill("#field-query", "edited in the browser");
    await page.click('button:text-is("Save")');
    await pagerSays(page, "· 0 records");
    const listed = (await (await fetch(`${server.url}/api/v1/db/databases/ciap/tables/searches?filter[query][eq]=edited%20in%20the%20browser`)).json()) as { records: { id: number }[] };
    expect(listed.records).toHaveLength(1);

    await page.click(".chip button");
    await page.fill('input[name="filter-value"]', "edited in the browser");
    await page.click('button:text-is("Add filter")');
    await pagerSays(page, "· 1 records");
    page.once("dialog", (dialog) => void dialog.accept());
    await page.click(`tr[data-id="${listed.records[0]?.id}"] button:text-is("Delete")`);
    await pagerSays(page, "· 0 records");
    const gone = await fetch(`${server.url}/api/v1/db/databases/ciap/tables/searches/records/${listed.records[0]?.id}`);
    expect(gone.status).toBe(404);
  });

  it("ER diagram of ciap: an image of the server's SVG with a box per table", async () => {
    await page.click('a:text-is("ER diagram")');
    await page.waitForSelector(".diagram img");
    const size = await page.locator(".diagram img").evaluate((image) => ({ width: (image as unknown as ImageSize).naturalWidth, height: (image as unknown as ImageSize).naturalHeight }));
    expect(size.width).toBeGreaterThan(300);
    await page.screenshot({ path: path.join(SCREENSHOTS, "erd.png"), fullPage: true });
  });

  it("obeys the access policy: hidden tables are not listed, a read-only table offers no create, edit or delete", async () => {
    // One task written below the API: the generic API refuses writes to ciap.task_queue (read).
    const file = new Database(path.join(dataDir, "ciap.db"));
    try {
      file.pragma("busy_timeout = 5000");
      file.prepare("INSERT INTO task_queue (task_type) VALUES ('probe')").run();
    } finally {
      file.close();
    }
    await page.goto(`${server.url}/ui/`);
    await page.waitForSelector('[data-database="docs"]');
    await expect(page.locator('[data-database="docs"] a:text-is("search_cache")').count()).resolves.toBe(0);
    await expect(page.locator('[data-database="docs"] a:text-is("content_metadata")').count()).resolves.toBe(1);
    await expect(page.locator('[data-database="framework"] a').filter({ hasText: /^framework_|^cache_entries$/ }).count()).resolves.toBe(0);
    await page.goto(`${server.url}/ui/#/db/ciap/task_queue`);
    await page.waitForSelector("table.records tbody tr");
    await expect(page.locator(".read-only-note").textContent()).resolves.toBe("read-only table");
    for (const label of ["New record", "Edit", "Delete"]) await expect(page.locator(`button:text-is("${label}")`).count(), label).resolves.toBe(0);
    await page.click('table.records tbody tr button:text-is("View")');
    await page.waitForSelector(".record-view");
    await expect(page.locator('.record-view button:text-is("Edit")').count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, "read-only-table.png"), fullPage: true });
    // A writable table still offers its controls.
    await page.goto(`${server.url}/ui/#/db/ciap/searches`);
    await page.waitForSelector('button:text-is("New record")');
  });

  it("migrations and operations pages list every database's migrations and the operations log", async () => {
    await page.click('nav a:text-is("Migrations")');
    await page.waitForSelector('.migrations-view [data-database="ciap"]');
    await expect(page.locator('.migrations-view [data-database="ciap"]').textContent()).resolves.toMatch(/\d+ applied · 0 pending/);
    await page.click('nav a:text-is("Operations")');
    await page.waitForSelector(".operations-view table tbody tr");
    await expect(page.locator(".operations-view").textContent()).resolves.toContain("boot");
    await page.screenshot({ path: path.join(SCREENSHOTS, "operations.png"), fullPage: true });
  });

  it("phone width: the overview fits without sideways scrolling; no script errors anywhere", async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.addInitScript((token) => (globalThis as unknown as BrowserGlobals).sessionStorage.setItem("moduledb.token", token), TOKEN);
    phone.on("console", (message) => message.type() === "error" && problems.push(`phone: ${message.text()}`));
    await phone.goto(`${server.url}/ui/`);
    await phone.waitForSelector('[data-database="ciap"]');
    const overflow = await phone.locator("html").evaluate((root) => root.scrollWidth - root.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: path.join(SCREENSHOTS, "overview-phone.png"), fullPage: true });
    await phone.close();
    expect(problems).toEqual([]);
  });
});
