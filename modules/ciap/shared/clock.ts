import { injectable } from "tsyringe";

/**
 * The ciap module's source of "now". Expiry (cache TTL), rate-limit windows and task timestamps
 * all read time here, so a test or a replay can move time forward without sleeping: register
 * another instance under this class in the container before the services are first resolved.
 */
@injectable()
export class CiapClock {
  /** The current instant. */
  now(): Date {
    return new Date();
  }
}
