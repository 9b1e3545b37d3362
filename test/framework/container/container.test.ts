import path from "node:path";
import type { DataSource, ObjectLiteral, Repository } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bootFramework,
  CrudService,
  DatabaseRegistry,
  dataSourceToken,
  FRAMEWORK_SETTINGS,
  Framework,
  ModuleDatabase,
  moduleDatabaseToken,
  repositoryToken,
  Scheduler,
  type FrameworkSettings,
} from "../../../framework";
import { FRAMEWORK_IMPORT, simpleModels } from "../../support/module-sources";
import { createTempRoot, type TempRoot } from "../../support/temp-root";

const NOTES_SERVICE = `
import { inject, injectable } from "tsyringe";
import type { DataSource, Repository } from "typeorm";
import { CrudService, DatabaseRegistry, FRAMEWORK_SETTINGS, InjectDatabase, InjectDataSource, InjectRepository, ModuleDatabase, type FrameworkSettings } from "${FRAMEWORK_IMPORT}";
import { Note0 } from "./db-models";

@injectable()
export class NoteStore {
  constructor(@InjectRepository(Note0) readonly notes: Repository<Note0>) {}
  add(title: string): Promise<Note0> {
    return this.notes.save(this.notes.create({ title }));
  }
}

@injectable()
export class NoteDesk {
  constructor(
    readonly store: NoteStore,
    readonly crud: CrudService,
    readonly registry: DatabaseRegistry,
    @InjectDataSource("notes") readonly dataSource: DataSource,
    @InjectDatabase("notes") readonly database: ModuleDatabase,
    @inject(FRAMEWORK_SETTINGS) readonly settings: FrameworkSettings,
  ) {}
}

export const services = [NoteStore, NoteDesk];
export const started: string[] = [];
export function start(): void {
  started.push("notes");
}
`;

const BROKEN_START = `
export const services = [];
export function start(): void {
  throw new Error("start hook refused");
}
`;

type NoteStore = { notes: Repository<ObjectLiteral>; add(title: string): Promise<{ id: number; title: string }> };
type NoteDesk = { store: NoteStore; crud: CrudService; registry: DatabaseRegistry; dataSource: DataSource; database: ModuleDatabase; settings: FrameworkSettings };
interface NotesModule {
  NoteStore: new () => NoteStore;
  NoteDesk: new () => NoteDesk;
  started: string[];
}

describe("the container", () => {
  let temp: TempRoot;
  let framework: Framework;
  let second: Framework;
  let notesModule: NotesModule;

  beforeAll(async () => {
    temp = createTempRoot("container");
    temp.writeModuleFile("notes", "db-models.ts", simpleModels("notes", ["notes"], "Note"));
    temp.writeModuleFile("notes", "module.ts", NOTES_SERVICE);
    temp.writeModuleFile("stubborn", "db-models.ts", simpleModels("stubborn", ["stubs"], "Stub"));
    temp.writeModuleFile("stubborn", "module.ts", BROKEN_START);
    framework = await bootFramework({ rootDir: temp.root, dataDir: temp.dataDir });
    // The same modules on another data folder: a second, independent framework in this process.
    second = await bootFramework({ rootDir: temp.root, dataDir: path.join(temp.root, "second-data") });
    notesModule = (await import(path.join(temp.root, "modules", "notes", "module.ts"))) as NotesModule;
  });

  afterAll(async () => {
    await framework?.shutdown();
    await second?.shutdown();
    temp.remove();
  });

  it("resolves the registry, settings, CrudService, Scheduler and the Framework itself", () => {
    expect(framework.resolve(DatabaseRegistry)).toBe(framework.databases);
    expect(framework.resolve<FrameworkSettings>(FRAMEWORK_SETTINGS)).toBe(framework.settings);
    expect(framework.resolve(CrudService)).toBeInstanceOf(CrudService);
    expect(framework.resolve(CrudService)).toBe(framework.resolve(CrudService));
    expect(framework.resolve(Scheduler)).toBe(framework.scheduler);
    expect(framework.resolve(Framework)).toBe(framework);
  });

  it("resolves each database's DataSource and ModuleDatabase by tokens derived from its name", () => {
    const notes = framework.databases.get("notes")._unsafeUnwrap();
    expect(framework.resolve<DataSource>(dataSourceToken("notes"))).toBe(notes.dataSource);
    expect(framework.resolve<ModuleDatabase>(moduleDatabaseToken("notes"))).toBe(notes);
    expect(framework.resolve<ModuleDatabase>(moduleDatabaseToken("framework")).name).toBe("framework");
    expect(() => framework.resolve(dataSourceToken("missing"))).toThrow();
  });

  it("resolves an entity's Repository without naming its database", async () => {
    const notes = framework.databases.get("notes")._unsafeUnwrap();
    const [entity] = notes.entities;
    if (entity === undefined) throw new Error("notes has no entity");
    const repository = framework.resolve<Repository<ObjectLiteral>>(repositoryToken(entity));
    expect(repository.manager.connection).toBe(notes.dataSource);
    await repository.save({ title: "via token" });
    expect((await framework.resolve(CrudService).count("notes", "notes"))._unsafeUnwrap()).toBe(1);
    expect(framework.databases.forEntity(entity)._unsafeUnwrap()).toBe(notes);
  });

  it("builds module services by constructor injection, as singletons", async () => {
    const desk = framework.resolve(notesModule.NoteDesk);
    expect(framework.resolve(notesModule.NoteDesk)).toBe(desk);
    expect(desk.store).toBe(framework.resolve(notesModule.NoteStore));
    // Each service gets the framework's CrudService bound to itself, so the audit trail names it.
    expect(desk.crud).toBeInstanceOf(CrudService);
    expect(Object.getPrototypeOf(desk.crud)).toBe(framework.resolve(CrudService));
    expect(desk.crud.actor).toBe("service:NoteDesk");
    expect(framework.resolve(CrudService).actor).toBe("service:unknown");
    expect(desk.registry).toBe(framework.databases);
    expect(desk.database).toBe(framework.databases.get("notes")._unsafeUnwrap());
    expect(desk.dataSource).toBe(desk.database.dataSource);
    expect(desk.settings).toBe(framework.settings);
    const note = await desk.store.add("from the service");
    expect((await desk.crud.get("notes", "notes", note.id))._unsafeUnwrap().title).toBe("from the service");
  });

  it("runs start hooks once per boot; a failing hook marks only its module unhealthy", () => {
    expect(notesModule.started).toEqual(["notes", "notes"]);
    expect(framework.modules.find((module) => module.name === "notes")?.healthy).toBe(true);
    const stubborn = framework.modules.find((module) => module.name === "stubborn");
    expect(stubborn?.healthy).toBe(false);
    expect(stubborn?.problems.join(" ")).toContain("start hook refused");
  });

  it("keeps two frameworks in one process apart", async () => {
    expect(second.container).not.toBe(framework.container);
    expect(second.resolve(DatabaseRegistry)).not.toBe(framework.resolve(DatabaseRegistry));
    expect(second.resolve(CrudService)).not.toBe(framework.resolve(CrudService));
    const ours = framework.resolve(notesModule.NoteDesk);
    const theirs = second.resolve(notesModule.NoteDesk);
    expect(theirs).not.toBe(ours);
    expect(theirs.database).not.toBe(ours.database);
    expect(theirs.database.file).toBe(path.join(temp.root, "second-data", "notes.db"));
    const before = (await ours.crud.count("notes", "notes"))._unsafeUnwrap();
    await theirs.store.add("only in the second framework");
    expect((await ours.crud.count("notes", "notes"))._unsafeUnwrap()).toBe(before);
    expect((await theirs.crud.count("notes", "notes"))._unsafeUnwrap()).toBe(1);
    const [entity] = ours.database.entities;
    if (entity === undefined) throw new Error("notes has no entity");
    expect(second.resolve<Repository<ObjectLiteral>>(repositoryToken(entity)).manager.connection).toBe(theirs.dataSource);
  });
});
