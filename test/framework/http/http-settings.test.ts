import { describe, expect, it } from "vitest";
import { isLoopbackHost, loadHttpSettings } from "../../../framework/http/http-settings";
import { bearerToken, tokensMatch } from "../../../framework/http/auth/bearer-auth";
import { TEST_TOKEN } from "./fixtures";

describe("HTTP settings", () => {
  it("defaults to 127.0.0.1:3000, no token, 1 MiB bodies, 8 MiB responses, info logs", () => {
    expect(loadHttpSettings({})._unsafeUnwrap()).toEqual({ host: "127.0.0.1", port: 3000, bodyLimit: 1_048_576, responseLimit: 8_388_608, logLevel: "info", allowedHosts: [], publicRead: false });
  });

  it("reads HOST, PORT, API_TOKEN, HTTP_BODY_LIMIT, HTTP_RESPONSE_LIMIT and LOG_LEVEL", () => {
    expect(loadHttpSettings({ HOST: "0.0.0.0", PORT: "8080", API_TOKEN: TEST_TOKEN, HTTP_BODY_LIMIT: "2048", HTTP_RESPONSE_LIMIT: "65536", LOG_LEVEL: "WARN" })._unsafeUnwrap()).toEqual({
      host: "0.0.0.0",
      port: 8080,
      apiToken: TEST_TOKEN,
      bodyLimit: 2048,
      responseLimit: 65_536,
      logLevel: "warn",
      allowedHosts: [],
      publicRead: false,
    });
  });

  it("refuses a non-loopback host without API_TOKEN, naming the fix", () => {
    for (const host of ["0.0.0.0", "::", "192.168.1.10", "example.com"]) {
      const error = loadHttpSettings({ HOST: host })._unsafeUnwrapErr();
      expect(error.code).toBe("INSECURE_HOST");
      expect(error.message).toContain("API_TOKEN");
      expect(error.message).toContain(host);
    }
  });

  it("knows loopback addresses", () => {
    for (const host of ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"]) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "10.0.0.1", "localhost.example.com", "128.0.0.1"]) expect(isLoopbackHost(host), host).toBe(false);
  });

  it("rejects bad values with the variable named and never echoes the token", () => {
    expect(loadHttpSettings({ PORT: "70000" })._unsafeUnwrapErr()).toMatchObject({ code: "INVALID_SETTING", variable: "PORT" });
    expect(loadHttpSettings({ PORT: "80a" })._unsafeUnwrapErr()).toMatchObject({ variable: "PORT" });
    expect(loadHttpSettings({ HTTP_BODY_LIMIT: "10" })._unsafeUnwrapErr()).toMatchObject({ variable: "HTTP_BODY_LIMIT" });
    expect(loadHttpSettings({ HTTP_RESPONSE_LIMIT: "8MB" })._unsafeUnwrapErr()).toMatchObject({ variable: "HTTP_RESPONSE_LIMIT" });
    expect(loadHttpSettings({ LOG_LEVEL: "loud" })._unsafeUnwrapErr()).toMatchObject({ variable: "LOG_LEVEL" });
    const short = loadHttpSettings({ API_TOKEN: "short-secret" })._unsafeUnwrapErr();
    expect(short).toMatchObject({ variable: "API_TOKEN" });
    expect(JSON.stringify(short)).not.toContain("short-secret");
  });
});

describe("bearer token checks", () => {
  it("parses only well-formed Bearer headers", () => {
    expect(bearerToken(`Bearer ${TEST_TOKEN}`)).toBe(TEST_TOKEN);
    expect(bearerToken(`bearer ${TEST_TOKEN}`)).toBe(TEST_TOKEN);
    for (const header of [undefined, "", "Bearer", `Basic ${TEST_TOKEN}`, `Bearer ${TEST_TOKEN} extra`, TEST_TOKEN]) expect(bearerToken(header), String(header)).toBeUndefined();
  });

  it("matches only the exact token", () => {
    expect(tokensMatch(TEST_TOKEN, TEST_TOKEN)).toBe(true);
    for (const guess of ["", TEST_TOKEN.slice(0, -1), `${TEST_TOKEN}x`, TEST_TOKEN.toUpperCase()]) expect(tokensMatch(guess, TEST_TOKEN), guess).toBe(false);
  });
});
