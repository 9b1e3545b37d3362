import { describe, it } from "vitest";

/**
 * A real service some tests need and cannot replace with a mock. `tmpfs` and `loop-ext4` are the
 * fault-injection mounts (root: a small tmpfs to fill, an ext4 image on a loop device for I/O errors).
 */
export type ServiceName = "redis" | "postgres" | "chromium" | "tmpfs" | "loop-ext4";

/** Whether a service can be used in this run, and if not, why. */
export type ServiceAvailability = { readonly available: true } | { readonly available: false; readonly reason: string };

const ALL_SERVICES: readonly ServiceName[] = ["redis", "postgres", "chromium", "tmpfs", "loop-ext4"];

/**
 * The services this run must have, from `MODULEDB_REQUIRE_SERVICES` (a comma list, or `all`).
 * CI sets it so that a service that failed to start fails the suite instead of being skipped.
 */
export function requiredServices(env: NodeJS.ProcessEnv = process.env): ReadonlySet<ServiceName> {
  const raw = (env.MODULEDB_REQUIRE_SERVICES ?? "").trim().toLowerCase();
  if (raw === "") return new Set();
  if (raw === "all" || raw === "1" || raw === "true") return new Set(ALL_SERVICES);
  return new Set(raw.split(",").map((name) => name.trim()).filter((name): name is ServiceName => (ALL_SERVICES as readonly string[]).includes(name)));
}

/**
 * Registers a suite that needs `service`. When the service is available the suite runs as usual.
 * When it is not, the suite is skipped visibly (its title carries the reason, so the summary shows
 * it as skipped, never passed) — unless this run requires the service, in which case one failing
 * test stands in for the suite and names what is missing.
 */
export function describeWithService(service: ServiceName, availability: ServiceAvailability, title: string, suite: () => void): void {
  if (availability.available) {
    describe(title, suite);
    return;
  }
  const reason = availability.reason;
  if (requiredServices().has(service)) {
    describe(title, () => {
      it(`needs ${service}, which this run requires (MODULEDB_REQUIRE_SERVICES)`, () => {
        throw new Error(`${service} is required in this run but unavailable: ${reason}`);
      });
    });
    return;
  }
  describe.skipIf(true)(`${title} [skipped: ${service} unavailable: ${reason}]`, suite);
}
