import path from "node:path";
import type { Result } from "neverthrow";
import { bootFramework, type Framework } from "../../../framework";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

/** The ciap module's exports, typed from the repository's copy. */
export type CiapModule = typeof import("../../../modules/ciap/module");

/** A clock the test moves by hand; registered in place of the module's system clock. */
export class ManualClock {
  constructor(private current = new Date("2030-01-01T00:00:00.000Z")) {}

  /** The instant the clock shows. */
  now(): Date {
    return new Date(this.current.getTime());
  }

  /** Moves the clock forward by `seconds`. */
  advance(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

/** A framework booted on a temporary root holding a copy of the ciap module. */
export interface CiapFixture {
  readonly temp: TempRoot;
  readonly framework: Framework;
  /**
   * The module as the framework loaded it from the temporary root. Its classes (not the
   * repository's copies) are the ones registered in the container.
   */
  readonly ciap: CiapModule;
  /** Shuts the framework down and removes the temporary root. */
  close(): Promise<void>;
}

/**
 * Boots the framework on a fresh temporary root with the ciap module copied in. With `clock`,
 * that clock replaces the module's system clock before any service is resolved.
 */
export async function bootCiap(prefix: string, clock?: ManualClock): Promise<CiapFixture> {
  const temp = createTempRoot(prefix);
  temp.copyModule("ciap");
  const framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
  const ciap = (await import(path.join(temp.root, "modules", "ciap", "module.ts"))) as CiapModule;
  if (clock !== undefined) framework.container.registerInstance(ciap.CiapClock, clock);
  return {
    temp,
    framework,
    ciap,
    async close() {
      await framework.shutdown();
      temp.remove();
    },
  };
}

/** The value of an Ok result; fails the test with the error when it is an Err. */
export function unwrap<T, E>(result: Result<T, E>): T {
  if (result.isErr()) throw new Error(`Expected Ok, got Err: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** The error of an Err result; fails the test when it is an Ok. */
export function unwrapErr<T, E>(result: Result<T, E>): E {
  if (result.isOk()) throw new Error(`Expected Err, got Ok: ${JSON.stringify(result.value)}`);
  return result.error;
}
