/** A parsed query value: text, repeated text, or a bracketed group such as `filter[status][eq]`. */
export type QueryValue = string | string[] | QueryObject;
/** A group of query values by key. */
export interface QueryObject {
  [key: string]: QueryValue;
}

/** Parameters beyond this many make the whole query invalid rather than silently truncated. */
export const MAX_QUERY_PARAMETERS = 200;
/** Bracket depth beyond this is never needed: `filter[or][0][and][1][status][eq]` is 7; deeper groups go in JSON `filter=`. */
const MAX_SEGMENTS = 10;
/** Set when the query string itself is unusable; the route schema rejects it as an unknown parameter. */
export const INVALID_QUERY_KEY = "invalid_query";

type Node = Map<string, Node | string[]>;

function decode(text: string): string {
  const spaced = text.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    // A stray '%' is taken literally, as browsers do, rather than failing the request.
    return spaced;
  }
}

/** `filter[status][eq]` → `["filter", "status", "eq"]`; undefined when brackets are malformed or too deep. */
function splitKey(key: string): string[] | undefined {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (match === null) return undefined;
  const rest = [...(match[2] ?? "").matchAll(/\[([^[\]]*)\]/g)].map((part) => part[1] ?? "");
  const segments = [match[1] ?? "", ...rest];
  return segments.length > MAX_SEGMENTS ? undefined : segments;
}

function place(root: Node, segments: readonly string[], value: string): void {
  let node = root;
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    const existing = node.get(segment);
    if (last) {
      if (existing instanceof Map) place(existing, [""], value);
      else node.set(segment, [...(existing ?? []), value]);
      return;
    }
    if (existing instanceof Map) {
      node = existing;
      return;
    }
    // `a=1&a[b]=2`: the plain value moves under the empty key, where the schema rejects it.
    const child: Node = new Map();
    if (existing !== undefined) child.set("", existing);
    node.set(segment, child);
    node = child;
  });
}

function toObject(node: Node): QueryObject {
  // Object.fromEntries defines own properties, so keys such as __proto__ stay plain data.
  return Object.fromEntries(
    [...node.entries()].map(([key, value]) => [key, value instanceof Map ? toObject(value) : value.length === 1 ? (value[0] as string) : value]),
  );
}

/**
 * Parses a raw query string into nested objects: `filter[priority][in]=1,2&page=2` becomes
 * `{ filter: { priority: { in: "1,2" } }, page: "2" }`. Repeated keys become arrays (which the
 * route schemas reject where one value is expected). Malformed or excessive input is not
 * guessed at: it yields an `invalid_query` entry so validation fails with a clear message.
 */
export function parseQueryString(raw: string): QueryObject {
  const root: Node = new Map();
  const pairs = raw.split("&").filter((pair) => pair !== "");
  if (pairs.length > MAX_QUERY_PARAMETERS) return { [INVALID_QUERY_KEY]: `more than ${MAX_QUERY_PARAMETERS} parameters` };
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    const key = decode(equals === -1 ? pair : pair.slice(0, equals));
    const value = equals === -1 ? "" : decode(pair.slice(equals + 1));
    const segments = splitKey(key);
    if (segments === undefined) return { [INVALID_QUERY_KEY]: `malformed parameter name '${key.slice(0, 100)}'` };
    place(root, segments, value);
  }
  return toObject(root);
}
