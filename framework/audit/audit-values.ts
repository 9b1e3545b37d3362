/** JSON text of a value for the audit: dates as ISO text, bytes by their size, bigints as text. */
export function auditJson(value: unknown): string {
  return JSON.stringify(value, function replace(this: unknown, key: string, inner: unknown) {
    // JSON.stringify has already called Date#toJSON on `inner`; the holder still has the Date.
    const original = key === "" ? value : (this as Record<string, unknown>)[key];
    if (original instanceof Date) return Number.isNaN(original.getTime()) ? null : original.toISOString();
    if (Buffer.isBuffer(original) || original instanceof Uint8Array) return `<${original.byteLength} bytes>`;
    if (typeof inner === "bigint") return inner.toString();
    return inner;
  });
}

/** A key value as record_key text: numbers and text as they are, anything else as JSON. */
function keyPart(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  return value;
}

/**
 * The `record_key` of a row: the key's value as text for a single-column key (`5`, `abc`), and
 * for a composite key the JSON object of column → value in key order (`{"a":1,"b":"x"}`).
 */
export function recordKeyText(key: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(key);
  if (entries.length === 1) {
    const part = keyPart(entries[0]?.[1]);
    return typeof part === "string" ? part : auditJson(part);
  }
  return auditJson(Object.fromEntries(entries.map(([column, value]) => [column, keyPart(value)])));
}
