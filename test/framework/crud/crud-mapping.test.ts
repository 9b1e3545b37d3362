import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootFramework, CrudService, type Framework } from "../../../framework";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

/**
 * Entities whose property names differ from their column names, and a relation whose join
 * column has no property of its own: CrudService addresses both by database column name.
 */
const PEOPLE_MODELS = `
import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";
export const DATABASE_NAME = "people";
@Entity({ name: "teams" }) export class Team { @PrimaryGeneratedColumn() id: number; @Column({ type: "text" }) label: string; }
@Entity({ name: "people" })
export class Person {
  @PrimaryGeneratedColumn({ name: "person_id" }) personId: number;
  @Column({ name: "first_name", type: "varchar", length: 50 }) firstName: string;
  @ManyToOne(() => Team, { nullable: false }) @JoinColumn({ name: "team_id" }) team: Relation<Team>;
  @ManyToOne(() => Team, { nullable: true }) @JoinColumn({ name: "mentor_team_id" }) mentorTeam: Relation<Team> | null;
}
`;

describe("CrudService on mapped column names and implicit join columns", () => {
  let temp: TempRoot;
  let framework: Framework;
  let crud: CrudService;

  beforeAll(async () => {
    temp = createTempRoot("crud-mapping");
    temp.writeModuleFile("people", "db-models.ts", PEOPLE_MODELS);
    framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    crud = framework.resolve(CrudService);
    for (const label of ["red", "blue"]) (await crud.create("people", "teams", { label }))._unsafeUnwrap();
  });

  afterAll(async () => {
    await framework?.shutdown();
    temp.remove();
  });

  it("creates, reads, updates, filters and deletes through a join column that has no property", async () => {
    const ann = (await crud.create("people", "people", { first_name: "Ann", team_id: 1 }))._unsafeUnwrap();
    expect(ann).toEqual({ person_id: 1, first_name: "Ann", team_id: 1, mentor_team_id: null });
    const bob = (await crud.create("people", "people", { first_name: "Bob", team_id: 2, mentor_team_id: 1 }))._unsafeUnwrap();
    expect(bob).toMatchObject({ team_id: 2, mentor_team_id: 1 });
    expect((await crud.create("people", "people", { first_name: "Cy" }))._unsafeUnwrapErr()).toMatchObject({ code: "VALIDATION_FAILED", details: { missing: ["team_id"] } });
    expect((await crud.create("people", "people", { first_name: "Cy", team_id: 9 }))._unsafeUnwrapErr().code).toBe("CONSTRAINT_VIOLATION");

    expect((await crud.update("people", "people", ann.person_id, { team_id: 2, first_name: "Anne" }))._unsafeUnwrap()).toEqual({ person_id: 1, first_name: "Anne", team_id: 2, mentor_team_id: null });
    expect((await crud.update("people", "people", bob.person_id, { mentor_team_id: null }))._unsafeUnwrap().mentor_team_id).toBeNull();
    const blue = (await crud.list("people", "people", { filters: [{ column: "team_id", op: "eq", value: 2 }], sort: [{ column: "first_name", direction: "desc" }] }))._unsafeUnwrap();
    expect(blue.records.map((record) => record.first_name)).toEqual(["Bob", "Anne"]);
    expect((await crud.get("people", "people", 2))._unsafeUnwrap()).toEqual({ person_id: 2, first_name: "Bob", team_id: 2, mentor_team_id: null });
    expect((await crud.delete("people", "people", 1))._unsafeUnwrap().first_name).toBe("Anne");
    // Property names are not column names.
    expect((await crud.create("people", "people", { firstName: "Dee", team_id: 1 }))._unsafeUnwrapErr().code).toBe("COLUMN_NOT_FOUND");
  });

  it("createMany sets join columns too", async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ first_name: `member ${i}`, team_id: 1 + (i % 2) }));
    expect((await crud.createMany("people", "people", rows))._unsafeUnwrap()).toEqual({ inserted: 30 });
    expect((await crud.count("people", "people", [{ column: "team_id", op: "eq", value: 1 }]))._unsafeUnwrap()).toBe(15);
  });
});
