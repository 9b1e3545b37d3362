import { Column, Entity, PrimaryColumn } from "typeorm";

/** Runtime configuration, one JSON value per key (seed 004 `system_config`). */
@Entity({ name: "system_config" })
export class SystemConfig {
  @PrimaryColumn({ type: "text" })
  key: string;

  @Column({ type: "simple-json" })
  value: unknown;

  @Column({ type: "text", default: "1.0" })
  schema_version: string;

  @Column({ type: "datetime", default: () => "CURRENT_TIMESTAMP" })
  updated_at: Date;

  @Column({ type: "text", default: "system" })
  updated_by: string;
}
