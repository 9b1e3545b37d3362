import { describe, expect, it } from "vitest";
import { numberedPlaceholders } from "../../../../framework/engines/postgres/numbered-placeholders";

describe("numberedPlaceholders", () => {
  it("numbers ? in order", () => {
    expect(numberedPlaceholders("SELECT * FROM t WHERE a = ? AND b IN (?, ?)")).toBe("SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)");
  });

  it("leaves ? alone inside strings, identifiers, comments and dollar quotes", () => {
    const sql = `SELECT '?', 'it''s ?', E'\\'?', "col?", $$ ? $$, $tag$ ? $tag$ -- ?\n, /* ? /* ? */ ? */ ? FROM t WHERE x = ?`;
    expect(numberedPlaceholders(sql)).toBe(`SELECT '?', 'it''s ?', E'\\'?', "col?", $$ ? $$, $tag$ ? $tag$ -- ?\n, /* ? /* ? */ ? */ $1 FROM t WHERE x = $2`);
  });

  it("returns SQL without ? (or already numbered) unchanged", () => {
    expect(numberedPlaceholders("SELECT $1, $2::int")).toBe("SELECT $1, $2::int");
    expect(numberedPlaceholders("SELECT 1")).toBe("SELECT 1");
  });
});
