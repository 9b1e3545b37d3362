import { defineSettings } from "../../framework/settings/setting-types";
import type { SettingsValues } from "../../framework/settings/setting-types";

/** The module's folder name: its settings are injected under `moduleSettingsToken(DOCS_MODULE)`. */
export const DOCS_MODULE = "docs";

/** The docs module's settings (seed 003's `settings` export); each is set by `DOCS_<KEY>` or the framework's settings table. */
export const settings = defineSettings({
  CACHE_CLEANUP_INTERVAL_MS: {
    type: "integer",
    default: 60_000,
    min: 10,
    max: 24 * 60 * 60 * 1000,
    description: "How often expired search_cache rows are swept, in milliseconds (once a minute keeps them from piling up without busy work).",
  },
});

/** The docs settings as its services receive them. */
export type DocsSettings = SettingsValues<typeof settings>;

/** The environment variable of the sweep interval. */
export const CLEANUP_INTERVAL_VARIABLE = "DOCS_CACHE_CLEANUP_INTERVAL_MS";
