import { randomUUID } from "node:crypto";
import { err, errAsync, ok, type Result, type ResultAsync } from "neverthrow";
import { injectable } from "tsyringe";
import { InjectDatabase } from "../../../framework/container/tokens";
import type { ModuleDatabase } from "../../../framework/database/module-database";
import type { AuditActor } from "../audit/audit-actor";
import { recordAudit } from "../audit/record-audit";
import { DATABASE_NAME } from "../db-models";
import { SystemConfiguration, type ConfigType } from "../entities/system-configuration";
import { invalidInput, notFound, type ScraperError } from "../support/scraper-error";
import { readQuery, writeTransaction } from "../support/write-transaction";
import { inferConfigType, isConfigType, parseConfigValue, serializeConfigValue, type TypedConfigValue } from "./config-value";

/** Options of `set`. */
export interface SetConfigOptions {
  /** Declared type; inferred from the value when absent (string, boolean, integer, else json). */
  readonly type?: ConfigType;
  readonly description?: string | null;
  /** Sensitive values are readable one by one with `get` but never appear in `list` or the audit log. */
  readonly isSensitive?: boolean;
}

/** One setting, read and typed. */
export interface ConfigEntry {
  readonly key: string;
  readonly description: string | null;
  readonly is_sensitive: boolean;
  readonly setting: TypedConfigValue;
}

/** One setting as listings show it: a sensitive value is withheld. */
export interface ConfigListing {
  readonly key: string;
  readonly config_type: string;
  readonly description: string | null;
  readonly is_sensitive: boolean;
  /** The stored text, or null when the setting is sensitive. */
  readonly config_value: string | null;
  readonly updated_at: Date;
}

const KEY = /^[A-Za-z0-9_.:-]{1,100}$/;

/** Typed system configuration (seed 002 `system_configurations`): `config_type` decides parsing. Audited. */
@injectable()
export class SystemConfigService {
  constructor(@InjectDatabase(DATABASE_NAME) private readonly database: ModuleDatabase) {}

  /** Creates or replaces a setting; a value that does not fit its type is VALIDATION_FAILED and changes nothing. */
  set(actor: AuditActor, key: string, value: unknown, options: SetConfigOptions = {}): ResultAsync<ConfigEntry, ScraperError> {
    if (typeof key !== "string" || !KEY.test(key)) return errAsync(invalidInput("key", "must be 1 to 100 letters, digits, '_', '.', ':' or '-'."));
    const type = options.type ?? inferConfigType(value);
    if (!isConfigType(type)) return errAsync(invalidInput("type", "must be string, integer, boolean or json."));
    const text = serializeConfigValue(type, value);
    if (text.isErr()) return errAsync(text.error);
    const isSensitive = options.isSensitive === true;
    return writeTransaction(this.database, async (manager): Promise<Result<ConfigEntry, ScraperError>> => {
      const existing = await manager.findOneBy(SystemConfiguration, { config_key: key });
      const fields = { config_value: text.value, config_type: type, description: options.description ?? existing?.description ?? null, is_sensitive: isSensitive };
      const id = existing?.id ?? randomUUID();
      if (existing === null) await manager.insert(SystemConfiguration, { id, config_key: key, ...fields });
      else await manager.update(SystemConfiguration, { id }, fields);
      await recordAudit(manager, actor, {
        action: existing === null ? "config.create" : "config.update",
        resourceType: "system_configuration",
        resourceId: id,
        details: { key, config_type: type, is_sensitive: isSensitive, ...(isSensitive ? {} : { value: text.value }) },
      });
      return parseConfigValue(key, type, text.value).map((setting) => ({ key, description: fields.description, is_sensitive: isSensitive, setting }));
    });
  }

  /** One setting, parsed by its type (sensitive values included: the caller asked for this key). */
  get(key: string): ResultAsync<ConfigEntry, ScraperError> {
    return readQuery(this.database, (manager) => manager.findOneBy(SystemConfiguration, { config_key: key })).andThen((row) =>
      row === null
        ? err(notFound("configuration key", key))
        : parseConfigValue(key, row.config_type, row.config_value).map((setting) => ({ key, description: row.description, is_sensitive: row.is_sensitive === true, setting })),
    );
  }

  /** Every setting by key, sensitive values withheld. */
  list(): ResultAsync<ConfigListing[], ScraperError> {
    return readQuery(this.database, (manager) => manager.find(SystemConfiguration, { order: { config_key: "ASC" } })).map((rows) =>
      rows.map((row) => ({
        key: row.config_key,
        config_type: row.config_type ?? "string",
        description: row.description,
        is_sensitive: row.is_sensitive === true,
        config_value: row.is_sensitive === true ? null : row.config_value,
        updated_at: row.updated_at,
      })),
    );
  }

  /** Removes a setting. */
  delete(actor: AuditActor, key: string): ResultAsync<void, ScraperError> {
    return writeTransaction(this.database, async (manager) => {
      const existing = await manager.findOneBy(SystemConfiguration, { config_key: key });
      if (existing === null) return err(notFound("configuration key", key));
      await manager.delete(SystemConfiguration, { id: existing.id });
      await recordAudit(manager, actor, { action: "config.delete", resourceType: "system_configuration", resourceId: existing.id, details: { key } });
      return ok(undefined);
    });
  }
}
