import { describe, expect, it } from "vitest";
import { findToken, loadTokensFile } from "../../../framework/access/api-tokens";
import { runCli } from "../../support/run-cli";
import { createTempRoot } from "../../support/temp-root";
import { writeFileSync } from "node:fs";
import path from "node:path";

describe("moduledb token:create", () => {
  it("prints a secret once and the file entry that holds only its SHA-256; the entry loads and matches the secret", async () => {
    const run = await runCli(["token:create", "ci-writer", "--scopes", "read,write", "--databases", "ciap", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const { secret, entry } = JSON.parse(run.stdout) as { secret: string; entry: { name: string; sha256: string; scopes: string[]; databases: string[] } };
    expect(entry).toMatchObject({ name: "ci-writer", scopes: ["read", "write"], databases: ["ciap"] });
    expect(JSON.stringify(entry)).not.toContain(secret);
    const temp = createTempRoot("token-create");
    try {
      const file = path.join(temp.root, "tokens.json");
      writeFileSync(file, JSON.stringify({ tokens: [entry] }));
      expect(findToken(secret, loadTokensFile(file)._unsafeUnwrap())?.name).toBe("ci-writer");
    } finally {
      temp.remove();
    }
  });

  it("refuses unknown scopes with exit code 1, naming the scope", async () => {
    const run = await runCli(["token:create", "x", "--scopes", "read,root", "--json"]);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain("'root'");
  });
});
