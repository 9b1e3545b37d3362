/**
 * How the embedded store keeps a hash in `cache_entries.value`: a 0x00 byte, then the fields as a
 * JSON object. Values are JSON text or gzip (0x1f 0x8b); neither can start with 0x00, so a hash is
 * told apart from a value by its first byte, as Redis tells them apart by the key's type.
 */
const HASH_MARKER = 0x00;

/** True when a stored payload is a hash. */
export function isHashPayload(payload: Uint8Array): boolean {
  return payload.length > 0 && payload[0] === HASH_MARKER;
}

/** The bytes of a hash with `fields`. */
export function encodeHash(fields: Readonly<Record<string, string>>): Buffer {
  return Buffer.concat([Buffer.from([HASH_MARKER]), Buffer.from(JSON.stringify(fields), "utf8")]);
}

/** The fields of a hash payload (see {@link isHashPayload}). */
export function decodeHash(payload: Uint8Array): Record<string, string> {
  return JSON.parse(Buffer.from(payload.subarray(1)).toString("utf8")) as Record<string, string>;
}
