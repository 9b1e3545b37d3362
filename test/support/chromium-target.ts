import { existsSync } from "node:fs";
import type { ServiceAvailability } from "./required-service";

/** The Chromium binary browser tests drive: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter((candidate): candidate is string => candidate !== undefined && candidate !== "");
  return candidates.find((candidate) => existsSync(candidate));
}

/** Whether a browser is installed, for `describeWithService("chromium", …)`. */
export function chromiumAvailability(): ServiceAvailability {
  return chromiumPath() === undefined ? { available: false, reason: "no Chromium binary (set CHROMIUM_PATH or apt-get install chromium)" } : { available: true };
}
