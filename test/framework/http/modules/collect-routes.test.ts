import { describe, expect, it } from "vitest";
import { defineModuleRoutes, type ModuleRouteContext, type ModuleRouteOptions, type ModuleRoutes } from "../../../../framework";
import { collectRoutes } from "../../../../framework/http/modules/collect-routes";

const context: ModuleRouteContext = { module: "m", database: "m", resolve: () => { throw new Error("not in this test"); } };
const fine: ModuleRouteOptions = { scope: "read", schema: { summary: "Fine", response: { 200: { type: "object" } } } };

async function problemOf(routes: ModuleRoutes): Promise<string | undefined> {
  const collected = await collectRoutes(routes, context);
  return "problem" in collected ? collected.problem : undefined;
}

describe("checking a module's route declarations", () => {
  it("accepts routes that name a scope, a summary and their success response, with declared module codes", async () => {
    const collected = await collectRoutes(
      defineModuleRoutes(
        (router) => {
          router.get("/a/:id", fine, () => ({}));
          router.post("/a/:id", { ...fine, scope: "write", status: 201, schema: { summary: "Made", response: { 201: { type: "object" } } } }, () => ({}));
        },
        { errors: { BOOK_UNAVAILABLE: 409 } },
      ),
      context,
    );
    expect("routes" in collected && collected.routes.map((route) => `${route.method} ${route.url} ${route.options.scope}`)).toEqual(["GET /a/:id read", "POST /a/:id write"]);
    expect("errors" in collected && [...collected.errors]).toEqual([["BOOK_UNAVAILABLE", 409]]);
  });

  it("refuses every route of the module for one that breaks a rule, naming the route and the rule", async () => {
    const withRoute = (options: unknown, url = "/x") => defineModuleRoutes((router) => {
      router.get("/ok", fine, () => ({}));
      router.post(url, options as ModuleRouteOptions, () => ({}));
    });
    expect(await problemOf(withRoute({ schema: fine.schema }))).toBe("POST /x declares no scope: every module route needs scope 'read', 'write' or 'admin'.");
    expect(await problemOf(withRoute({ ...fine, scope: "public" }))).toContain("scope 'public' is not one of read, write, admin (module routes cannot be public)");
    expect(await problemOf(withRoute({ scope: "write", schema: { response: { 200: {} } } }))).toContain("POST /x: schema.summary is required");
    expect(await problemOf(withRoute({ ...fine, status: 201 }))).toBe("POST /x: schema.response must describe the 201 answer.");
    expect(await problemOf(withRoute({ ...fine, status: 302 }))).toContain("must be a 2xx status");
    expect(await problemOf(withRoute(fine, "no-slash"))).toContain("the URL must start with '/'");
    expect(await problemOf(defineModuleRoutes((router) => {
      router.get("/a/:id", fine, () => ({}));
      router.get("/a/:other", fine, () => ({}));
    }))).toBe("GET /a/:other is declared twice.");
  });

  it("refuses error declarations that are not the module's to make", async () => {
    const declaring = (errors: Record<string, number>) => defineModuleRoutes((router) => router.get("/ok", fine, () => ({})), { errors });
    expect(await problemOf(declaring({ RECORD_NOT_FOUND: 410 }))).toBe("error code 'RECORD_NOT_FOUND' is a framework code; its status is fixed and cannot be declared.");
    expect(await problemOf(declaring({ "not-upper": 400 }))).toContain("must be upper-case words joined by '_'");
    expect(await problemOf(declaring({ TEAPOT: 200 }))).toBe("error code 'TEAPOT': status 200 must be 400–599.");
  });

  it("reports a declaration that throws, async ones included", async () => {
    expect(await problemOf(defineModuleRoutes(async () => Promise.reject(new Error("no config"))))).toBe("declaring its routes threw: no config");
  });
});
