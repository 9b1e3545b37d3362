import { afterAll, beforeAll, expect, it } from "vitest";
import { bootFramework, CrudService } from "../../../framework";
import { describeEachEngine } from "../../support/each-engine";
import { createTempRoot } from "../../support/temp-root";

/** Entities using most column options TypeORM offers on SQLite, so a spurious difference would show. */
const RICH = `
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique, UpdateDateColumn, VersionColumn, type Relation } from "typeorm";
export const DATABASE_NAME = "rich";
@Entity({ name: "owners" })
export class Owner { @PrimaryGeneratedColumn("uuid") id: string; @Column({ type: "varchar", length: 30, unique: true }) handle: string; }
@Entity({ name: "gadgets" })
@Unique("uq_gadgets_owner_name", ["owner_id", "name"])
@Check("chk_gadgets_weight", "weight >= 0")
@Index("idx_gadgets_kind", ["kind"])
@Index("uidx_gadgets_serial", ["serial"], { unique: true })
export class Gadget {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 80 }) name: string;
  @Column({ type: "varchar", length: 40, nullable: true }) serial: string | null;
  @Column({ type: "simple-enum", enum: ["small", "large"], default: "small" }) kind: string;
  @Column({ type: "decimal", precision: 10, scale: 2, default: 0 }) price: string;
  @Column({ type: "real", default: 1.5 }) weight: number;
  @Column({ type: "boolean", default: false }) archived: boolean;
  @Column({ type: "datetime", default: () => "CURRENT_TIMESTAMP" }) seen_at: Date;
  @Column({ type: "simple-array", nullable: true }) labels: string[] | null;
  @Column({ type: "blob", nullable: true }) thumbnail: Buffer | null;
  @CreateDateColumn() created_at: Date;
  @UpdateDateColumn() updated_at: Date;
  @VersionColumn() version: number;
  @Column({ type: "varchar", nullable: true }) owner_id: string | null;
  @ManyToOne(() => Owner, { onDelete: "CASCADE" }) @JoinColumn({ name: "owner_id" }) owner?: Relation<Owner>;
}
@Entity({ name: "pairs" })
export class Pair { @PrimaryColumn({ type: "integer" }) left: number; @PrimaryColumn({ type: "varchar", length: 10 }) right: string; @Column({ type: "text", default: "" }) note: string; }
`;

describeEachEngine("rebooting unchanged entities", (engine) => {
  const temp = createTempRoot("schema-reboot");
  temp.writeModuleFile("rich", "db-models.ts", RICH);
  beforeAll(() => engine.use(["rich"]));
  afterAll(async () => {
    temp.remove();
    await engine.release();
  });

  it("finds nothing to change on the second boot, whatever the column options, and CRUD works on every kind", async () => {
    const first = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    expect(first.databases.entry("rich")).toMatchObject({ state: "ready", problems: [] });
    // The audit table every database holds is created by the same step.
    expect(first.databases.entry("rich")?.applied.filter((change) => change.kind === "add_table").map((change) => change.table).sort()).toEqual(["gadgets", "moduledb_audit", "owners", "pairs"]);
    await first.shutdown();

    const second = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    try {
      expect(second.databases.entry("rich")).toMatchObject({ state: "ready", problems: [], applied: [], refused: [] });
      const crud = second.resolve(CrudService);
      const owner = (await crud.create("rich", "owners", { handle: "ann" }))._unsafeUnwrap();
      expect(owner.id).toMatch(/^[0-9a-f-]{36}$/);
      const gadget = (await crud.create("rich", "gadgets", { name: "g", owner_id: owner.id, labels: ["a", "b"], price: 3.5 }))._unsafeUnwrap();
      expect(gadget).toMatchObject({ kind: "small", weight: 1.5, archived: false, labels: ["a", "b"], version: 1, owner_id: owner.id, thumbnail: null });
      expect((await crud.update("rich", "gadgets", gadget.id, { weight: 2 }))._unsafeUnwrap()).toMatchObject({ weight: 2, version: 2 });
      expect((await crud.create("rich", "gadgets", { name: "h", weight: -1 }))._unsafeUnwrapErr().details).toMatchObject({ constraint: "check" });
      expect((await crud.create("rich", "gadgets", { name: "g", owner_id: owner.id }))._unsafeUnwrapErr().code).toBe("CONSTRAINT_VIOLATION");
      expect((await crud.create("rich", "gadgets", { name: "z", kind: "medium" }))._unsafeUnwrapErr().code).toBe("VALIDATION_FAILED");
      expect((await crud.create("rich", "pairs", { left: 1, right: "r" }))._unsafeUnwrap()).toEqual({ left: 1, right: "r", note: "" });
      const page = (await crud.list("rich", "gadgets", { filters: [{ column: "kind", op: "in", value: ["small"] }, { column: "price", op: "gte", value: 1 }] }))._unsafeUnwrap();
      expect(page.records.map((record) => record.id)).toEqual([gadget.id]);
      // The foreign key cascades: deleting the owner deletes its gadget.
      expect((await crud.delete("rich", "owners", owner.id)).isOk()).toBe(true);
      expect((await crud.count("rich", "gadgets"))._unsafeUnwrap()).toBe(0);
    } finally {
      await second.shutdown();
    }
  });
});
