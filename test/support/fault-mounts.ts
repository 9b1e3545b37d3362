import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import type { ServiceAvailability } from "./required-service";
import { REPO_ROOT } from "./temp-root";

/**
 * Real storage faults for the fault-injection suite: a small tmpfs that fills up (SQLITE_FULL at
 * COMMIT) and grows again with `mount -o remount,size=…`, and an ext4 image on a loop device whose
 * files `chattr +i` makes refuse every write with EPERM (SQLITE_IOERR_WRITE) until `chattr -i`.
 * Both need root; the availability checks try the real thing once, so a suite runs or is skipped
 * visibly with the reason.
 */

function run(command: string, args: readonly string[]): string {
  return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function errorText(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr;
  return typeof stderr === "string" && stderr.trim() !== "" ? stderr.trim() : error instanceof Error ? error.message : String(error);
}

function mountBase(): string {
  const base = path.join(REPO_ROOT, ".tmp");
  mkdirSync(base, { recursive: true });
  return base;
}

/** A mounted filesystem a test fills, breaks and repairs. */
export interface FaultMount {
  /** The mount point: use it (or a folder in it) as DATABASE_DIR. */
  readonly dir: string;
  /** Unmounts and removes the mount point (and the image, for loop mounts). */
  remove(): void;
}

/** A tmpfs of a given size. */
export interface TmpfsMount extends FaultMount {
  /** Changes the size of the live filesystem (`mount -o remount,size=…`); open files stay open. */
  resize(bytes: number): void;
}

/** Mounts a tmpfs of `bytes` under the repository's `.tmp/`. */
export function mountTmpfs(prefix: string, bytes: number): TmpfsMount {
  const dir = mkdtempSync(path.join(mountBase(), `${prefix}-`));
  run("mount", ["-t", "tmpfs", "-o", `size=${bytes}`, "tmpfs", dir]);
  return {
    dir,
    resize(size) {
      run("mount", ["-o", `remount,size=${size}`, dir]);
    },
    remove() {
      try {
        run("umount", [dir]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** An ext4 filesystem in an image file, loop-mounted. */
export interface Ext4Mount extends FaultMount {
  /** `chattr +i` (immutable: every write gets EPERM) or `chattr -i` on files inside the mount. */
  setImmutable(files: readonly string[], immutable: boolean): void;
}

/** Creates a `megabytes` ext4 image and loop-mounts it under the repository's `.tmp/`. */
export function mountLoopExt4(prefix: string, megabytes: number): Ext4Mount {
  const base = mkdtempSync(path.join(mountBase(), `${prefix}-`));
  const image = path.join(base, "fs.img");
  const dir = path.join(base, "mnt");
  mkdirSync(dir);
  run("truncate", ["-s", `${megabytes}M`, image]);
  run("mkfs.ext4", ["-q", "-F", image]);
  run("mount", ["-o", "loop", image, dir]);
  return {
    dir,
    setImmutable(files, immutable) {
      run("chattr", [immutable ? "+i" : "-i", ...files]);
    },
    remove() {
      try {
        run("umount", [dir]);
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },
  };
}

function probe(attempt: () => FaultMount): ServiceAvailability {
  if (process.getuid?.() !== 0) return { available: false, reason: "the fault-injection mounts need root" };
  try {
    attempt().remove();
    return { available: true };
  } catch (error) {
    return { available: false, reason: errorText(error) };
  }
}

/** Whether this run can mount (and resize) a tmpfs. */
export function tmpfsAvailability(): ServiceAvailability {
  return probe(() => {
    const mount = mountTmpfs("probe-tmpfs", 1_048_576);
    try {
      mount.resize(2_097_152);
    } catch (error) {
      mount.remove();
      throw error;
    }
    return mount;
  });
}

/** Whether this run can loop-mount an ext4 image and set the immutable attribute in it. */
export function loopExt4Availability(): ServiceAvailability {
  return probe(() => {
    const mount = mountLoopExt4("probe-ext4", 8);
    try {
      const file = path.join(mount.dir, "probe");
      run("touch", [file]);
      mount.setImmutable([file], true);
      mount.setImmutable([file], false);
    } catch (error) {
      mount.remove();
      throw error;
    }
    return mount;
  });
}
