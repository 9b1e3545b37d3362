import { err, ok, type Result } from "neverthrow";
import { validateKey } from "./cache-arguments";
import { cacheError, type CacheError } from "./cache-error";

/** How entries of a key pattern are stored: a JSON value, or a hash of string fields (Redis `HSET`). */
export type CacheEntryKind = "value" | "hash";

/** A key pattern a module declares, e.g. `{ pattern: "search:results:{query_hash}", ttlSeconds: 3600, compress: true }`. */
export interface CacheKeyPattern {
  /** Literal text with `{part}` placeholders. */
  readonly pattern: string;
  readonly ttlSeconds: number;
  /** Store values gzip-compressed whatever their size (default: only above the compression threshold). */
  readonly compress?: boolean;
  /** `hash` for patterns used with `hashSet`/`hashGetAll` (default `value`). */
  readonly kind?: CacheEntryKind;
}

/** A concrete cache key with how its pattern says to store it. */
export interface CacheKeySpec {
  readonly key: string;
  readonly ttlSeconds: number;
  readonly compress: boolean;
  readonly kind: CacheEntryKind;
}

/** The `{part}` names of a pattern. */
function partsOf(pattern: string): string[] {
  return [...pattern.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? "");
}

/**
 * Builds the keys of one pattern: each `{part}` must be given, non-empty, and the key must be a
 * valid cache key (CACHE_INVALID_KEY naming the pattern and part otherwise). The framework knows no
 * module's patterns; modules declare theirs with this.
 */
export function keyBuilder(declared: CacheKeyPattern): (parts: Readonly<Record<string, string>>) => Result<CacheKeySpec, CacheError> {
  const names = partsOf(declared.pattern);
  return (parts) => {
    for (const part of names) {
      const value = parts[part];
      if (typeof value !== "string" || value.length === 0) {
        return err(cacheError("CACHE_INVALID_KEY", `Key pattern '${declared.pattern}' needs a non-empty {${part}}.`, undefined, { pattern: declared.pattern, part }));
      }
    }
    const key = declared.pattern.replace(/\{(\w+)\}/g, (_, part: string) => parts[part] ?? "");
    return validateKey(key).andThen((valid) => ok({ key: valid, ttlSeconds: declared.ttlSeconds, compress: declared.compress === true, kind: declared.kind ?? "value" }));
  };
}
