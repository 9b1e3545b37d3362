import { err, ok, type Result } from "neverthrow";
import { validateKey } from "./cache-arguments";
import { cacheError, type CacheError } from "./cache-error";

/** A concrete cache key with the TTL its pattern prescribes. */
export interface CacheKeySpec {
  readonly key: string;
  readonly ttlSeconds: number;
}

/** The seed-004 key patterns and their TTLs in seconds; use the builders below rather than formatting keys by hand. */
export const CACHE_KEY_PATTERNS = {
  searchResults: { pattern: "search:results:{query_hash}", ttlSeconds: 3600 },
  processedContent: { pattern: "content:processed:{content_hash}", ttlSeconds: 86400 },
  aiEvaluation: { pattern: "ai:evaluation:{query_hash}", ttlSeconds: 7200 },
  githubRepo: { pattern: "github:repo:{owner}/{repo}:{path}", ttlSeconds: 3600 },
  systemConfig: { pattern: "config:system:{version}", ttlSeconds: 300 },
  apiRateLimit: { pattern: "rate_limit:api:{ip}", ttlSeconds: 60 },
  session: { pattern: "session:{session_id}", ttlSeconds: 1800 },
} as const;

/** The name of a seed-004 key pattern. */
export type CacheKeyPatternName = keyof typeof CACHE_KEY_PATTERNS;

function build(name: CacheKeyPatternName, parts: Record<string, string>): Result<CacheKeySpec, CacheError> {
  const { pattern, ttlSeconds } = CACHE_KEY_PATTERNS[name];
  for (const [part, value] of Object.entries(parts)) {
    if (typeof value !== "string" || value.length === 0) {
      return err(cacheError("CACHE_INVALID_KEY", `Key pattern '${pattern}' needs a non-empty {${part}}.`, undefined, { pattern, part }));
    }
  }
  const key = pattern.replace(/\{(\w+)\}/g, (_, part: string) => parts[part] ?? "");
  return validateKey(key).andThen((valid) => ok({ key: valid, ttlSeconds }));
}

/** `search:results:{query_hash}`, 3600 s. */
export function searchResultsKey(queryHash: string): Result<CacheKeySpec, CacheError> {
  return build("searchResults", { query_hash: queryHash });
}

/** `content:processed:{content_hash}`, 86400 s. */
export function processedContentKey(contentHash: string): Result<CacheKeySpec, CacheError> {
  return build("processedContent", { content_hash: contentHash });
}

/** `ai:evaluation:{query_hash}`, 7200 s. */
export function aiEvaluationKey(queryHash: string): Result<CacheKeySpec, CacheError> {
  return build("aiEvaluation", { query_hash: queryHash });
}

/** `github:repo:{owner}/{repo}:{path}`, 3600 s. */
export function githubRepoKey(owner: string, repo: string, path: string): Result<CacheKeySpec, CacheError> {
  return build("githubRepo", { owner, repo, path });
}

/** `config:system:{version}`, 300 s. */
export function systemConfigKey(version: string): Result<CacheKeySpec, CacheError> {
  return build("systemConfig", { version });
}

/** `rate_limit:api:{ip}`, 60 s; meant for `increment(key, 1, ttlSeconds)`. */
export function apiRateLimitKey(ip: string): Result<CacheKeySpec, CacheError> {
  return build("apiRateLimit", { ip });
}

/** `session:{session_id}`, 1800 s; the session is stored as one JSON value (seed 004 names a hash). */
export function sessionKey(sessionId: string): Result<CacheKeySpec, CacheError> {
  return build("session", { session_id: sessionId });
}
