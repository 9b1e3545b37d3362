import { Column, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, type Relation } from "typeorm";

/** Entities imported both by a test and (through a re-exporting module file) by the framework, for `crud.table(…)`. */
@Entity({ name: "writers" })
export class Writer {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 100 }) name: string;
  @OneToMany(() => Novel, (novel) => novel.writer) novels?: Relation<Novel[]>;
}

/** A novel by a writer. */
@Entity({ name: "novels" })
export class Novel {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 200 }) title: string;
  @Column({ type: "integer", default: 0 }) pages: number;
  @Column({ type: "simple-json", nullable: true }) tags: string[] | null;
  @Column({ type: "integer", nullable: true }) writer_id: number | null;
  @ManyToOne(() => Writer, (writer) => writer.novels) @JoinColumn({ name: "writer_id" }) writer?: Relation<Writer>;
}
