import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startApi, type ApiUnderTest } from "../support/http-harness";
import { createModuleRoot } from "../support/module-root";
import { REPO_ROOT } from "../support/temp-root";
import { writeAccountsModule } from "../framework/http/fixtures";

// The seed modules too: their module routes are registered routes like any other.
const temp = createModuleRoot("docs-routes", ["ciap", "docs", "scraper"]);
writeAccountsModule(temp);
let api: ApiUnderTest;
beforeAll(async () => {
  api = await startApi(temp);
});
afterAll(async () => {
  await api?.stop();
  temp.remove();
});

describe("docs/routes.md", () => {
  it("lists every route of the OpenAPI document with the scope the route really demands", async () => {
    const page = readFileSync(path.join(REPO_ROOT, "docs", "routes.md"), "utf8");
    const rows = new Set([...page.matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| (public|read|write|admin) \|/gm)].map((match) => `${match[1]} ${match[2]} ${match[3]}`));
    const document = (await call(api.url, "GET", "/api/v1/openapi.json")).body as { paths: Record<string, Record<string, { "x-required-scope": string }>> };
    // Each route as registered, with the scope its config demands: the page must say the same.
    // Concrete per-table paths (…/tables/searches/records) are generated copies of the generic routes; they carry no scope of their own.
    const routes = Object.entries(document.paths).flatMap(([route, methods]) =>
      Object.entries(methods).flatMap(([method, operation]) => (operation["x-required-scope"] === undefined ? [] : [`${method.toUpperCase()} ${route} ${operation["x-required-scope"]}`])),
    );
    expect(routes.length).toBeGreaterThan(10);
    const missing = routes.filter((route) => !rows.has(route));
    expect(missing).toEqual([]);
  });

  it("lists the seed modules' own routes under /api/v1/modules/<module>/, each with a scope, and the page names no route that is not served", async () => {
    const document = (await call(api.url, "GET", "/api/v1/openapi.json")).body as { paths: Record<string, Record<string, { "x-required-scope": string }>> };
    const moduleRoutes = Object.entries(document.paths).flatMap(([route, methods]) => (route.startsWith("/api/v1/modules/") ? Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`) : []));
    for (const module of ["ciap", "scraper", "docs"]) expect(moduleRoutes.filter((route) => route.includes(`/api/v1/modules/${module}/`)).length).toBeGreaterThanOrEqual(4);
    const page = readFileSync(path.join(REPO_ROOT, "docs", "routes.md"), "utf8");
    const documented = [...page.matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) \| `(\/api\/v1\/modules\/[^`]+)` \|/gm)].map((match) => `${match[1]} ${match[2]}`);
    expect(documented.sort()).toEqual([...moduleRoutes].sort());
  });
});
