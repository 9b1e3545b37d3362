import type { Result } from "neverthrow";
import type { CacheError, CacheKeySpec } from "../../../framework";
import { keyBuilder } from "../../../framework/cache/key-patterns";

/**
 * Seed 004's cache key patterns, TTLs in seconds. The three the seed marks "Gzip-compressed JSON"
 * are stored compressed whatever their size; `session:{session_id}` is a hash (Redis `HSET` with
 * its TTL). Build keys with the functions below rather than formatting them by hand.
 */
export const DOCS_CACHE_KEY_PATTERNS = {
  searchResults: { pattern: "search:results:{query_hash}", ttlSeconds: 3600, compress: true },
  processedContent: { pattern: "content:processed:{content_hash}", ttlSeconds: 86400, compress: true },
  aiEvaluation: { pattern: "ai:evaluation:{query_hash}", ttlSeconds: 7200 },
  githubRepo: { pattern: "github:repo:{owner}/{repo}:{path}", ttlSeconds: 3600, compress: true },
  systemConfig: { pattern: "config:system:{version}", ttlSeconds: 300 },
  apiRateLimit: { pattern: "rate_limit:api:{ip}", ttlSeconds: 60 },
  session: { pattern: "session:{session_id}", ttlSeconds: 1800, kind: "hash" },
} as const;

/** The name of a seed-004 key pattern. */
export type DocsCacheKeyPatternName = keyof typeof DOCS_CACHE_KEY_PATTERNS;

const build = Object.fromEntries(Object.entries(DOCS_CACHE_KEY_PATTERNS).map(([name, pattern]) => [name, keyBuilder(pattern)])) as Record<
  DocsCacheKeyPatternName,
  (parts: Readonly<Record<string, string>>) => Result<CacheKeySpec, CacheError>
>;

/** `search:results:{query_hash}`, 3600 s, always gzip. */
export function searchResultsKey(queryHash: string): Result<CacheKeySpec, CacheError> {
  return build.searchResults({ query_hash: queryHash });
}

/** `content:processed:{content_hash}`, 86400 s, always gzip. */
export function processedContentKey(contentHash: string): Result<CacheKeySpec, CacheError> {
  return build.processedContent({ content_hash: contentHash });
}

/** `ai:evaluation:{query_hash}`, 7200 s. */
export function aiEvaluationKey(queryHash: string): Result<CacheKeySpec, CacheError> {
  return build.aiEvaluation({ query_hash: queryHash });
}

/** `github:repo:{owner}/{repo}:{path}`, 3600 s, always gzip. */
export function githubRepoKey(owner: string, repo: string, path: string): Result<CacheKeySpec, CacheError> {
  return build.githubRepo({ owner, repo, path });
}

/** `config:system:{version}`, 300 s. */
export function systemConfigKey(version: string): Result<CacheKeySpec, CacheError> {
  return build.systemConfig({ version });
}

/** `rate_limit:api:{ip}`, 60 s; meant for `increment(key, 1, ttlSeconds)`. */
export function apiRateLimitKey(ip: string): Result<CacheKeySpec, CacheError> {
  return build.apiRateLimit({ ip });
}

/** `session:{session_id}`, 1800 s, a hash. */
export function sessionKey(sessionId: string): Result<CacheKeySpec, CacheError> {
  return build.session({ session_id: sessionId });
}
