/**
 * The ciap module's services, registered by the framework as container singletons. Other
 * modules import these classes from here and receive them by constructor injection.
 */
import { SearchService } from "./searches/search-service";
import { CiapClock } from "./shared/clock";

export { CiapClock } from "./shared/clock";
export { SearchService } from "./searches/search-service";

/** Every service the framework registers for the ciap module. */
export const services = [CiapClock, SearchService];
