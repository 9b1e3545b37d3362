import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostAllowed } from "../../../framework/http/auth/host-check";
import { loadHttpSettings } from "../../../framework/http/http-settings";
import { call, snapshotDatabase, startApi, type ApiUnderTest } from "../../support/http-harness";
import { rawRequest } from "../../support/raw-request";
import { createTempRoot } from "../../support/temp-root";
import { TEST_TOKEN, writeAccountsModule } from "../http/fixtures";

describe("hostAllowed", () => {
  it("accepts the loopback names with no port or the server's port, and ALLOWED_HOSTS", () => {
    for (const host of ["localhost", "localhost:3000", "127.0.0.1:3000", "[::1]:3000", "[::1]", "LOCALHOST:3000"]) expect(hostAllowed(host, 3000), host).toBe(true);
    for (const host of ["evil.example", "evil.example:3000", "127.0.0.1:4000", "localhost.evil.example", "127.0.0.2:3000", "", undefined]) expect(hostAllowed(host, 3000), String(host)).toBe(false);
    expect(hostAllowed("api.internal:3000", 3000, ["api.internal"])).toBe(true);
    expect(hostAllowed("proxy.example:443", 3000, ["proxy.example:443"])).toBe(true);
    expect(hostAllowed("proxy.example:444", 3000, ["proxy.example:443"])).toBe(false);
  });

  it("ALLOWED_HOSTS is validated, naming the variable", () => {
    expect(loadHttpSettings({ ALLOWED_HOSTS: "api.internal, Proxy.example:443" })._unsafeUnwrap().allowedHosts).toEqual(["api.internal", "proxy.example:443"]);
    expect(loadHttpSettings({ ALLOWED_HOSTS: "ok.example,bad host" })._unsafeUnwrapErr()).toMatchObject({ code: "INVALID_SETTING", variable: "ALLOWED_HOSTS" });
  });
});

describe("a server without tokens checks the Host header (DNS rebinding)", () => {
  const temp = createTempRoot("host-check");
  writeAccountsModule(temp);
  let api: ApiUnderTest;
  let port: string;
  beforeAll(async () => {
    api = await startApi(temp, { settings: { allowedHosts: ["api.internal"] } });
    port = new URL(api.url).port;
  });
  afterAll(async () => {
    await api?.stop();
    temp.remove();
  });

  it("Host: evil.example is 403 HOST_NOT_ALLOWED on reads, writes and probes, and nothing is written", async () => {
    const file = api.framework.databases.entry("accounts")?.file ?? "";
    const before = snapshotDatabase(file);
    for (const [method, path, body] of [
      ["GET", "/api/v1/db/databases/accounts/tables/accounts", undefined],
      ["POST", "/api/v1/db/databases/accounts/tables/accounts/records", JSON.stringify({ email: "e@example.com", name: "E" })],
      ["GET", "/health", undefined],
    ] as const) {
      for (const host of ["evil.example", `evil.example:${port}`, `127.0.0.1:${Number(port) + 1}`]) {
        const response = await rawRequest(api.url, method, path, { host, ...(body === undefined ? {} : { "content-type": "application/json" }) }, body);
        expect(response.status, `${host} ${method} ${path}`).toBe(403);
        expect(response.body.error).toMatchObject({ code: "HOST_NOT_ALLOWED", module: "core.http" });
      }
    }
    expect(snapshotDatabase(file)).toBe(before);
  });

  it("localhost, 127.0.0.1 and [::1] with the port, and ALLOWED_HOSTS names, are served", async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, "localhost", `api.internal:${port}`]) {
      expect((await rawRequest(api.url, "GET", "/api/v1/db/databases", { host })).status, host).toBe(200);
    }
  });
});

describe("a server with a token does not need the Host check", () => {
  const temp = createTempRoot("host-check-token");
  writeAccountsModule(temp);
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApi(temp, { settings: { apiToken: TEST_TOKEN } });
  });
  afterAll(async () => {
    await api?.stop();
    temp.remove();
  });

  it("answers any Host once the token is presented", async () => {
    const response = await rawRequest(api.url, "GET", "/api/v1/db/databases", { host: "db.example.com", authorization: `Bearer ${TEST_TOKEN}` });
    expect(response.status).toBe(200);
    expect((await call(api.url, "GET", "/health")).status).toBe(200);
  });
});
