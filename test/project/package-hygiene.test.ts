import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/temp-root";

interface Semver {
  subset(sub: string, dom: string): boolean;
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
}

// semver is in the lockfile (fastify, typeorm and others depend on it); loaded untyped on purpose.
const semver = createRequire(path.join(REPO_ROOT, "package.json"))("semver") as Semver;

interface LockedPackage {
  readonly version?: string;
  readonly engines?: { node?: string } | string[];
  readonly hasInstallScript?: boolean;
}

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { engines: { node: string }; allowScripts?: Record<string, boolean>; overrides?: Record<string, string> };
const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, LockedPackage> };
const installed = Object.entries(lock.packages).filter(([key]) => key.startsWith("node_modules/"));

function nameOf(key: string): string {
  return key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
}

describe("the dependency tree keeps the Node promise of package.json", () => {
  it("package.json promises Node 20.19 and later", () => {
    expect(manifest.engines.node).toBe(">=20.19.0");
    expect(semver.minVersion(manifest.engines.node)?.version).toBe("20.19.0");
  });

  it("every installed package's engines.node admits every Node 20 release from 20.19.0 (and the Node running this test)", () => {
    const ranges = installed.flatMap(([key, entry]) => (entry.engines !== undefined && !Array.isArray(entry.engines) && typeof entry.engines.node === "string" ? [[key, entry.engines.node] as const] : []));
    expect(ranges.length).toBeGreaterThan(50);
    const broken = ranges.filter(([, range]) => !semver.subset("^20.19.0", range)).map(([key, range]) => `${nameOf(key)}@${lock.packages[key]?.version ?? "?"} wants node ${range}`);
    expect(broken).toEqual([]);
    if (semver.satisfies(process.versions.node, manifest.engines.node)) {
      expect(ranges.filter(([, range]) => !semver.satisfies(process.versions.node, range)).map(([key]) => nameOf(key))).toEqual([]);
    }
  });

  it("the cookie override keeps light-my-request on a cookie release that runs on Node 20", () => {
    expect(manifest.overrides?.cookie).toBe("^1.1.1");
    const cookies = installed.filter(([key]) => nameOf(key) === "cookie");
    expect(cookies.length).toBeGreaterThan(0);
    for (const [, entry] of cookies) expect(semver.satisfies(entry.version ?? "0.0.0", "^1.1.1")).toBe(true);
  });

  it("every package with an install script is declared in allowScripts", () => {
    const withScripts = installed.filter(([, entry]) => entry.hasInstallScript === true).map(([key]) => nameOf(key));
    expect(withScripts).toContain("better-sqlite3");
    expect(withScripts.filter((name) => manifest.allowScripts?.[name] !== true)).toEqual([]);
  });
});
