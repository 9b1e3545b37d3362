import { describe, expect, it } from "vitest";
import { aiEvaluationKey, apiRateLimitKey, githubRepoKey, processedContentKey, searchResultsKey, sessionKey, systemConfigKey } from "../../../framework";

describe("seed-004 key patterns", () => {
  it("build the documented keys with their TTLs", () => {
    expect(searchResultsKey("abc")._unsafeUnwrap()).toEqual({ key: "search:results:abc", ttlSeconds: 3600 });
    expect(processedContentKey("h1")._unsafeUnwrap()).toEqual({ key: "content:processed:h1", ttlSeconds: 86400 });
    expect(aiEvaluationKey("q")._unsafeUnwrap()).toEqual({ key: "ai:evaluation:q", ttlSeconds: 7200 });
    expect(githubRepoKey("octo", "hello", "src/a.ts")._unsafeUnwrap()).toEqual({ key: "github:repo:octo/hello:src/a.ts", ttlSeconds: 3600 });
    expect(systemConfigKey("7")._unsafeUnwrap()).toEqual({ key: "config:system:7", ttlSeconds: 300 });
    expect(apiRateLimitKey("10.0.0.1")._unsafeUnwrap()).toEqual({ key: "rate_limit:api:10.0.0.1", ttlSeconds: 60 });
    expect(sessionKey("s-1")._unsafeUnwrap()).toEqual({ key: "session:s-1", ttlSeconds: 1800 });
  });

  it("refuse empty parts and parts with whitespace, naming the pattern", () => {
    const empty = githubRepoKey("octo", "", "x")._unsafeUnwrapErr();
    expect(empty.code).toBe("CACHE_INVALID_KEY");
    expect(empty.message).toContain("{repo}");
    expect(sessionKey("has space")._unsafeUnwrapErr().code).toBe("CACHE_INVALID_KEY");
  });
});
