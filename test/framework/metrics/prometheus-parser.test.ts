import { describe, expect, it } from "vitest";
import { parsePrometheusText, sumOf } from "../../support/prometheus-text";

// The tests' own parser must refuse what Prometheus would refuse, or the /metrics tests prove nothing.
describe("the tests' Prometheus text parser", () => {
  const valid = ['# HELP a_total A counter.', '# TYPE a_total counter', 'a_total{db="x"} 3', 'a_total{db="y\\"q"} 1', "# TYPE h histogram", 'h_bucket{le="1"} 1', 'h_bucket{le="+Inf"} 2', "h_sum 3.5", "h_count 2", ""].join("\n");

  it("reads families, labels (with escapes) and values", () => {
    const families = parsePrometheusText(valid);
    expect(families.get("a_total")?.type).toBe("counter");
    expect(sumOf(families, "a_total")).toBe(4);
    expect(families.get("a_total")?.samples[1]?.labels.db).toBe('y"q');
    expect(sumOf(families, "h", {}, "h_count")).toBe(2);
  });

  it.each([
    ["a sample before its TYPE", "x 1\n"],
    ["a malformed value", "# TYPE x gauge\nx one\n"],
    ["an unquoted label", "# TYPE x gauge\nx{a=b} 1\n"],
    ["a repeated series", "# TYPE x gauge\nx 1\nx 2\n"],
    ["a family split in two", "# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\n# TYPE x gauge\n"],
    ["a negative counter", "# TYPE x_total counter\nx_total -1\n"],
    ["a histogram without +Inf", '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n'],
    ["decreasing buckets", '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'],
    ["a count that disagrees with +Inf", '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n'],
    ["no final newline", "# TYPE x gauge\nx 1"],
  ])("refuses %s", (_what, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
