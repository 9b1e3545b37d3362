import { Column, Entity, PrimaryColumn } from "typeorm";

/** Schema versions applied to the docs database (seed 004 `schema_versions`). */
@Entity({ name: "schema_versions" })
export class SchemaVersion {
  @PrimaryColumn({ type: "text" })
  version_id: string;

  @Column({ type: "datetime", default: () => "CURRENT_TIMESTAMP" })
  applied_at: Date;

  @Column({ type: "text", nullable: true })
  description: string | null;

  @Column({ type: "text", nullable: true })
  migration_script: string | null;
}
