import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startApi, type ApiUnderTest } from "../../support/http-harness";
import { FRAMEWORK_IMPORT, simpleModels } from "../../support/module-sources";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

/** A module whose listed service has a constructor parameter but no @injectable(): tsyringe cannot build it. */
const FORGETFUL_MODULE = `
import { CrudService } from "${FRAMEWORK_IMPORT}";

export class Forgetful {
  constructor(readonly crud: CrudService) {}
}

export const services = [Forgetful];
`;

const FINE_MODULE = `
import { injectable } from "tsyringe";
import { CrudService } from "${FRAMEWORK_IMPORT}";

@injectable()
export class Fine {
  constructor(readonly crud: CrudService) {}
}

export const services = [Fine];
`;

describe("boot checks and truthful readiness", () => {
  let temp: TempRoot;
  let api: ApiUnderTest;
  beforeAll(async () => {
    temp = createTempRoot("boot-checks");
    temp.writeModuleFile("forgetful", "db-models.ts", simpleModels("forgetful", ["lapses"]));
    temp.writeModuleFile("forgetful", "module.ts", FORGETFUL_MODULE);
    temp.writeModuleFile("fine", "db-models.ts", simpleModels("fine", ["things"], "Thing"));
    temp.writeModuleFile("fine", "module.ts", FINE_MODULE);
    api = await startApi(temp);
  });
  afterAll(async () => {
    await api?.stop();
    temp?.remove();
  });

  it("a listed service without @injectable() marks its module unhealthy at boot, naming the class and the reason", () => {
    const forgetful = api.framework.modules.find((module) => module.name === "forgetful");
    expect(forgetful?.healthy).toBe(false);
    expect(forgetful?.problems).toHaveLength(1);
    expect(forgetful?.problems[0]).toMatch(/^forgetful: service Forgetful cannot be constructed: TypeInfo not known for "Forgetful" — is the class decorated with @injectable\(\)/);
    expect(api.framework.modules.find((module) => module.name === "fine")).toMatchObject({ healthy: true, problems: [] });
    // Its database itself is fine and still served.
    expect(api.framework.databases.entry("forgetful")?.state).toBe("ready");
  });

  it("/ready is 503 degraded while one module is unhealthy, naming it; 200 with allow_degraded=true", async () => {
    for (const url of ["/ready", "/api/v1/db/is-ready"]) {
      const strict = await call(api.url, "GET", url);
      expect(strict.status).toBe(503);
      expect(strict.body).toMatchObject({ ready: false, status: "degraded", unhealthy_databases: [], unhealthy_modules: ["forgetful"] });
      expect(strict.body.problems).toEqual([expect.stringMatching(/^Module .forgetful.: forgetful: service Forgetful cannot be constructed/)]);
      const lenient = await call(api.url, "GET", `${url}?allow_degraded=true`);
      expect(lenient.status).toBe(200);
      expect(lenient.body).toMatchObject({ ready: true, status: "degraded", unhealthy_modules: ["forgetful"] });
    }
    const status = await call(api.url, "GET", "/api/v1/db/status");
    expect(status.body.status).toBe("degraded");
    const bad = await call(api.url, "GET", "/ready?allow_degraded=maybe");
    expect(bad.status).toBe(400);
  });

  it("the boot summary and the operations log name the automatic changes boot applied", async () => {
    expect(api.framework.automaticChanges.map((change) => `${change.database}: ${change.description}`)).toEqual(expect.arrayContaining(["fine: Created table 'things'.", "forgetful: Created table 'lapses'."]));
    const log = await call(api.url, "GET", "/api/v1/db/operations?kind=boot");
    expect(log.status).toBe(200);
    expect(log.body.operations[0]).toMatchObject({ kind: "boot", outcome: "failed" });
    expect(log.body.operations[0].message).toContain("fine: Created table 'things'.");
    expect(log.body.operations[0].message).toContain("unhealthy: forgetful");
  });
});
