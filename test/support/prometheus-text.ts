/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), written for the
 * tests so that `/metrics` is checked by something other than the library that produced it.
 * It throws, naming the line, on anything the format does not allow: a sample before its TYPE,
 * a family split in two, a malformed name, label or value, a repeated series, a histogram
 * without its `+Inf` bucket or with buckets that decrease.
 */

/** One sample line. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A metric family: its TYPE, HELP and samples in order. */
export interface Family {
  readonly name: string;
  readonly type: "counter" | "gauge" | "histogram" | "summary" | "untyped";
  help: string;
  readonly samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

function fail(lineNumber: number, line: string, why: string): never {
  throw new Error(`line ${lineNumber}: ${why}: ${JSON.stringify(line)}`);
}

// Prometheus reads values with Go's ParseFloat, which takes Inf and NaN in any letter case
// (prom-client writes an event-loop figure with no samples yet as `Nan`).
function parseValue(text: string, lineNumber: number, line: string): number {
  if (/^\+?inf$/i.test(text)) return Number.POSITIVE_INFINITY;
  if (/^-inf$/i.test(text)) return Number.NEGATIVE_INFINITY;
  if (/^nan$/i.test(text)) return Number.NaN;
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) fail(lineNumber, line, `invalid value '${text}'`);
  return Number(text);
}

/** Reads `{a="x",b="y"}` starting at `start`; returns the labels and the index after `}`. */
function parseLabels(line: string, start: number, lineNumber: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let index = start + 1;
  while (line[index] !== "}") {
    const equals = line.indexOf("=", index);
    if (equals === -1) fail(lineNumber, line, "label without '='");
    const name = line.slice(index, equals);
    if (!LABEL_NAME.test(name)) fail(lineNumber, line, `invalid label name '${name}'`);
    if (name in labels) fail(lineNumber, line, `label '${name}' repeated`);
    if (line[equals + 1] !== '"') fail(lineNumber, line, "label value not quoted");
    let value = "";
    let cursor = equals + 2;
    for (;;) {
      const char = line[cursor];
      if (char === undefined) fail(lineNumber, line, "unterminated label value");
      if (char === '"') break;
      if (char === "\\") {
        const escaped = line[cursor + 1];
        if (escaped === "\\") value += "\\";
        else if (escaped === '"') value += '"';
        else if (escaped === "n") value += "\n";
        else fail(lineNumber, line, `invalid escape '\\${escaped ?? ""}'`);
        cursor += 2;
        continue;
      }
      value += char;
      cursor += 1;
    }
    labels[name] = value;
    index = cursor + 1;
    if (line[index] === ",") index += 1;
    else if (line[index] !== "}") fail(lineNumber, line, "expected ',' or '}' after a label");
  }
  return { labels, end: index + 1 };
}

/** The family a sample name belongs to, given the declared families. */
function familyOf(sampleName: string, families: Map<string, Family>): Family | undefined {
  const direct = families.get(sampleName);
  if (direct !== undefined) return direct;
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (!sampleName.endsWith(suffix)) continue;
    const family = families.get(sampleName.slice(0, -suffix.length));
    if (family !== undefined && (family.type === "histogram" || family.type === "summary")) return family;
  }
  return undefined;
}

function seriesKey(name: string, labels: Record<string, string>): string {
  return `${name}{${Object.keys(labels).sort().map((key) => `${key}=${JSON.stringify(labels[key])}`).join(",")}}`;
}

function checkHistogram(family: Family): void {
  const groups = new Map<string, { buckets: [number, number][]; count?: number }>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = seriesKey("", rest);
    const group = groups.get(key) ?? { buckets: [] };
    groups.set(key, group);
    if (sample.name.endsWith("_bucket")) {
      if (le === undefined) throw new Error(`${family.name}: a bucket without 'le'`);
      group.buckets.push([le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le), sample.value]);
    } else if (sample.name.endsWith("_count")) group.count = sample.value;
  }
  for (const [key, group] of groups) {
    const last = group.buckets[group.buckets.length - 1];
    if (last === undefined || last[0] !== Number.POSITIVE_INFINITY) throw new Error(`${family.name}${key}: no +Inf bucket`);
    for (let index = 1; index < group.buckets.length; index += 1) {
      const [bound, count] = group.buckets[index] as [number, number];
      const [previousBound, previousCount] = group.buckets[index - 1] as [number, number];
      if (bound <= previousBound || count < previousCount) throw new Error(`${family.name}${key}: buckets not increasing at le=${bound}`);
    }
    if (group.count !== last[1]) throw new Error(`${family.name}${key}: _count ${group.count} differs from the +Inf bucket ${last[1]}`);
  }
}

/** Parses a whole exposition; throws on the first violation. */
export function parsePrometheusText(text: string): Map<string, Family> {
  if (!text.endsWith("\n")) throw new Error("the exposition must end with a newline");
  const families = new Map<string, Family>();
  const finished = new Set<string>();
  const seen = new Set<string>();
  let current: Family | undefined;
  const lines = text.slice(0, -1).split("\n");
  lines.forEach((line, offset) => {
    const lineNumber = offset + 1;
    if (line.trim() === "") return;
    if (line.startsWith("#")) {
      const match = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (match === null) return; // other comments are allowed and ignored
      const [, keyword, name = "", rest = ""] = match;
      if (!METRIC_NAME.test(name)) fail(lineNumber, line, `invalid metric name '${name}'`);
      if (finished.has(name)) fail(lineNumber, line, `family '${name}' appears twice`);
      if (current !== undefined && current.name !== name) {
        finished.add(current.name);
        current = undefined;
      }
      if (keyword === "TYPE") {
        if (!TYPES.has(rest)) fail(lineNumber, line, `invalid type '${rest}'`);
        if (families.get(name)?.samples.length) fail(lineNumber, line, "TYPE after samples");
        const help = families.get(name)?.help ?? "";
        current = { name, type: rest as Family["type"], help, samples: [] };
        families.set(name, current);
      } else {
        const family = families.get(name) ?? { name, type: "untyped" as const, help: "", samples: [] };
        family.help = rest;
        families.set(name, family);
        current = family;
      }
      return;
    }
    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (nameMatch === null) fail(lineNumber, line, "a sample must start with a metric name");
    const name = nameMatch[0];
    let index = name.length;
    let labels: Record<string, string> = {};
    if (line[index] === "{") ({ labels, end: index } = parseLabels(line, index, lineNumber));
    if (line[index] !== " ") fail(lineNumber, line, "expected one space before the value");
    const parts = line.slice(index + 1).split(" ");
    if (parts.length > 2 || parts[0] === "") fail(lineNumber, line, "expected a value and an optional timestamp");
    const value = parseValue(parts[0] as string, lineNumber, line);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) fail(lineNumber, line, "invalid timestamp");
    const family = familyOf(name, families);
    if (family === undefined) fail(lineNumber, line, `sample of '${name}' before its TYPE`);
    if (current !== family) fail(lineNumber, line, `sample of '${family.name}' outside its family's block`);
    if (family.type === "counter" && !(value >= 0)) fail(lineNumber, line, "a counter must be non-negative");
    const key = seriesKey(name, labels);
    if (seen.has(key)) fail(lineNumber, line, "series repeated");
    seen.add(key);
    family.samples.push({ name, labels, value });
  });
  for (const family of families.values()) if (family.type === "histogram") checkHistogram(family);
  return families;
}

/** Sum of the samples named `sampleName` (a family's own name by default) whose labels include `match`. */
export function sumOf(families: Map<string, Family>, familyName: string, match: Record<string, string> = {}, sampleName = familyName): number {
  const family = families.get(familyName);
  if (family === undefined) throw new Error(`no family '${familyName}'`);
  return family.samples
    .filter((sample) => sample.name === sampleName && Object.entries(match).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** Every series (sample name plus labels) of the exposition, for counting. */
export function seriesKeys(families: Map<string, Family>): Set<string> {
  const keys = new Set<string>();
  for (const family of families.values()) for (const sample of family.samples) keys.add(seriesKey(sample.name, sample.labels as Record<string, string>));
  return keys;
}
