import type { DependencyContainer } from "tsyringe";
import type { DiscoveredModule } from "../discovery/discovered-module";
import { errorText } from "./error-text";

/**
 * Why a service class cannot be built, in words an author can act on. tsyringe's own message for
 * a class it has no constructor metadata for ("TypeInfo not known") does not say what to add.
 */
function constructionReason(error: unknown): string {
  const text = errorText(error);
  if (/TypeInfo not known/.test(text)) return `${text} — is the class decorated with @injectable() (or @singleton()), and are its constructor parameters injectable?`;
  return text;
}

/**
 * Builds every listed service of `modules` once, so a class the container cannot construct (no
 * `@injectable()`, an unregistered constructor parameter, a constructor that throws) is found at
 * boot instead of at its first use. Returns one problem per module, naming the class and the reason.
 *
 * The trial runs in a scratch child container where the module services are transient: the real
 * singletons are not built (and fixed) yet, so whatever is registered after boot — a test's clock,
 * say — still reaches them. The trial instances are dropped.
 */
export function checkServices(container: DependencyContainer, modules: readonly DiscoveredModule[]): Map<string, string> {
  const problems = new Map<string, string>();
  const scratch = container.createChildContainer();
  for (const module of modules) for (const service of module.services) scratch.register(service as new (...args: unknown[]) => object, { useClass: service as new (...args: unknown[]) => object });
  for (const module of modules) {
    const failures: string[] = [];
    for (const service of module.services) {
      try {
        scratch.resolve(service as new (...args: unknown[]) => object);
      } catch (error) {
        failures.push(`service ${service.name || "(anonymous class)"} cannot be constructed: ${constructionReason(error)}`);
      }
    }
    if (failures.length > 0) problems.set(module.name, `${module.name}: ${failures.join("; ")}`);
  }
  return problems;
}

/** Runs the start hooks of `modules` in order; a hook that throws becomes that module's problem. */
export async function runStartHooks(container: DependencyContainer, modules: readonly DiscoveredModule[]): Promise<Map<string, string>> {
  const problems = new Map<string, string>();
  for (const module of modules) {
    try {
      await module.start?.(container);
    } catch (error) {
      problems.set(module.name, `${module.name}: start hook failed: ${errorText(error)}`);
    }
  }
  return problems;
}
