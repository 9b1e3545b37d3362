import { describe, expect, it } from "vitest";
import { keyBuilder } from "../../../framework";

describe("cache key builder (modules declare their own key patterns)", () => {
  it("fills every {part}, carrying the pattern's TTL, compression and kind", () => {
    const repoKey = keyBuilder({ pattern: "repo:{owner}/{repo}:{path}", ttlSeconds: 3600, compress: true });
    expect(repoKey({ owner: "octo", repo: "hello", path: "src/a.ts" })._unsafeUnwrap()).toEqual({ key: "repo:octo/hello:src/a.ts", ttlSeconds: 3600, compress: true, kind: "value" });
    expect(keyBuilder({ pattern: "session:{id}", ttlSeconds: 60, kind: "hash" })({ id: "s" })._unsafeUnwrap()).toEqual({ key: "session:s", ttlSeconds: 60, compress: false, kind: "hash" });
  });

  it("refuses missing or empty parts and invalid keys, naming the pattern and part", () => {
    const repoKey = keyBuilder({ pattern: "repo:{owner}/{repo}", ttlSeconds: 1 });
    const empty = repoKey({ owner: "octo", repo: "" })._unsafeUnwrapErr();
    expect(empty).toMatchObject({ code: "CACHE_INVALID_KEY", details: { pattern: "repo:{owner}/{repo}", part: "repo" } });
    expect(repoKey({ owner: "octo" })._unsafeUnwrapErr().message).toContain("{repo}");
    expect(repoKey({ owner: "has space", repo: "x" })._unsafeUnwrapErr().code).toBe("CACHE_INVALID_KEY");
  });
});
