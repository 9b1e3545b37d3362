import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from "typeorm";
import { Sensitive } from "../../../framework/crud/sensitive";

/** How `config_value` is parsed (seed 002 `config_type`). */
export const CONFIG_TYPES = ["string", "integer", "boolean", "json"] as const;
/** A configuration value's declared type. */
export type ConfigType = (typeof CONFIG_TYPES)[number];

/** A typed system setting (seed 002 `system_configurations`). */
@Entity({ name: "system_configurations" })
@Unique("uq_system_configurations_config_key", ["config_key"])
export class SystemConfiguration {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "varchar", length: 100 })
  config_key: string;

  /**
   * The value as text; `config_type` says how to read it. The service withholds it from listings
   * when `is_sensitive`; the framework's generic CRUD/HTTP layer cannot judge row by row, so the
   * whole column is sensitive there and settings are read through SystemConfigService.
   */
  @Sensitive()
  @Column({ type: "text", nullable: true })
  config_value: string | null;

  @Column({ type: "varchar", length: 20, nullable: true, default: "string" })
  config_type: string | null;

  @Column({ type: "text", nullable: true })
  description: string | null;

  @Column({ type: "boolean", nullable: true, default: false })
  is_sensitive: boolean | null;

  @CreateDateColumn({ type: "datetime", nullable: true })
  created_at: Date;

  @UpdateDateColumn({ type: "datetime", nullable: true })
  updated_at: Date;
}
