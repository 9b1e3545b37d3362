import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
import { Artifact } from "./artifact";

/** Kinds of tag the seed names. */
export const TAG_TYPES = ["type", "keyword", "user", "privacy"] as const;
/** A tag's kind. */
export type TagType = (typeof TAG_TYPES)[number];

/** A metadata tag of an artifact (seed 002 `metadata_tags`). */
@Entity({ name: "metadata_tags" })
@Index("idx_metadata_tags_artifact_id", ["artifact_id"])
export class MetadataTag {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "varchar", nullable: true })
  artifact_id: string | null;

  @ManyToOne(() => Artifact, { onDelete: "CASCADE", nullable: true })
  @JoinColumn({ name: "artifact_id" })
  artifact?: Relation<Artifact>;

  @Column({ type: "varchar", length: 50 })
  tag_type: string;

  @Column({ type: "varchar", length: 100 })
  tag_key: string;

  @Column({ type: "text", nullable: true })
  tag_value: string | null;

  @CreateDateColumn({ type: "datetime", nullable: true })
  created_at: Date;
}
