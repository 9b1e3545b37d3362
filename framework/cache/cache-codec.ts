import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { err, errAsync, ok, okAsync, ResultAsync, type Result } from "neverthrow";
import { cacheError, errorMessage, type CacheError } from "./cache-error";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** The first two bytes of every gzip stream; JSON text can never start with 0x1f, so they mark compressed payloads unambiguously. */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** True when a stored payload is gzip-compressed. */
export function isCompressed(payload: Uint8Array): boolean {
  return payload.length >= 2 && payload[0] === GZIP_MAGIC[0] && payload[1] === GZIP_MAGIC[1];
}

function toJson(value: unknown, key: string): Result<string, CacheError> {
  try {
    const text = JSON.stringify(value);
    // JSON.stringify returns undefined for undefined, functions and symbols: nothing that could be read back.
    if (typeof text !== "string") return err(cacheError("CACHE_SERIALIZATION_FAILED", `Value for '${key}' is not JSON-serialisable (${typeof value}).`, key));
    return ok(text);
  } catch (error) {
    return err(cacheError("CACHE_SERIALIZATION_FAILED", `Value for '${key}' is not JSON-serialisable: ${errorMessage(error)}`, key));
  }
}

/**
 * Turns a value into the bytes a backend stores: its JSON text, gzip-compressed when the text is
 * larger than `thresholdBytes`. Small integers stay plain text, which is what lets Redis' INCRBY
 * and the embedded backend's increment work on values written by `set`.
 */
export function encodeValue(value: unknown, key: string, thresholdBytes: number): ResultAsync<Buffer, CacheError> {
  const json = toJson(value, key);
  if (json.isErr()) return errAsync(json.error);
  const text = Buffer.from(json.value, "utf8");
  if (text.length <= thresholdBytes) return okAsync(text);
  return ResultAsync.fromPromise(gzipAsync(text), (error) => cacheError("CACHE_SERIALIZATION_FAILED", `Could not compress value for '${key}': ${errorMessage(error)}`, key));
}

/** Reads back what {@link encodeValue} wrote, decompressing when the payload is gzip. */
export function decodeValue<T>(payload: Uint8Array, key: string): ResultAsync<T, CacheError> {
  const text: ResultAsync<Buffer, CacheError> = isCompressed(payload)
    ? ResultAsync.fromPromise(gunzipAsync(payload), (error) => cacheError("CACHE_SERIALIZATION_FAILED", `Stored value for '${key}' is not valid gzip: ${errorMessage(error)}`, key))
    : okAsync(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
  return text.andThen((bytes) => {
    try {
      return ok(JSON.parse(bytes.toString("utf8")) as T);
    } catch (error) {
      return err(cacheError("CACHE_SERIALIZATION_FAILED", `Stored value for '${key}' is not valid JSON: ${errorMessage(error)}`, key));
    }
  });
}
