import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createTempRoot, REPO_ROOT } from "../support/temp-root";

/**
 * The `ts file=<path>` code blocks of a Markdown document. A file shown in several blocks (the
 * guide adds to `module.ts` section by section) is their concatenation, in order.
 */
function codeBlocks(markdown: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const match of markdown.matchAll(/```ts file=(\S+)\n([\s\S]*?)```/g)) blocks.set(match[1] as string, `${blocks.get(match[1] as string) ?? ""}${match[2] as string}`);
  return blocks;
}

describe("docs/module-authoring.md", () => {
  const temp = createTempRoot("docs-authoring");
  afterAll(() => temp.remove());

  it("builds a working module from exactly the files the guide shows", async () => {
    const blocks = codeBlocks(readFileSync(path.join(REPO_ROOT, "docs", "module-authoring.md"), "utf8"));
    expect([...blocks.keys()].sort()).toEqual(["modules/notes/db-models.ts", "modules/notes/module.ts", "modules/notes/note-routes.ts", "modules/notes/note-service.ts", "usage.ts"]);
    // The guide's files import the framework as a sibling folder; temp roots link it there.
    for (const [file, source] of blocks) {
      mkdirSync(path.dirname(path.join(temp.root, file)), { recursive: true });
      writeFileSync(path.join(temp.root, file), source);
    }

    const usage = (await import(path.join(temp.root, "usage.ts"))) as { useNotes(root: string, data: string): Promise<Record<string, unknown>> };
    const outcome = await usage.useNotes(temp.root, temp.dataDir);
    expect(outcome).toEqual({ posted: 201, written: 1, archived: 2, listed: 2, missing: "RECORD_NOT_FOUND" });

    const file = new Database(path.join(temp.dataDir, "notes.db"), { readonly: true });
    try {
      const indexes = file.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'notes'").all() as { name: string }[];
      expect(indexes.map((index) => index.name)).toContain("idx_notes_author");
      expect(file.prepare("SELECT COUNT(*) AS n FROM notes WHERE archived = 1").get()).toEqual({ n: 2 });
      // The note posted through the module's route, by the service.
      expect(file.prepare("SELECT author, body, archived FROM notes WHERE author = 'bob'").all()).toEqual([{ author: "bob", body: "Over HTTP", archived: 0 }]);
    } finally {
      file.close();
    }
  });
});
