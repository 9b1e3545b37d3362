/**
 * A `catalog` module for the query-language tests: authors with books (ManyToOne / OneToMany),
 * events with a JSON payload and tags, and notes with a soft-delete column.
 */
export const CATALOG_MODELS = `
import { Column, CreateDateColumn, DeleteDateColumn, Entity, JoinColumn, JoinTable, ManyToMany, ManyToOne, OneToMany, PrimaryGeneratedColumn, type Relation } from "typeorm";
export const DATABASE_NAME = "catalog";

@Entity({ name: "authors" })
export class Author {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 100 }) name: string;
  @Column({ type: "varchar", length: 40, nullable: true }) country: string | null;
  @OneToMany(() => Book, (book) => book.author) books?: Relation<Book[]>;
  @ManyToMany(() => Award, (award) => award.authors) @JoinTable({ name: "author_awards", joinColumn: { name: "author_id" }, inverseJoinColumn: { name: "award_id" } }) awards?: Relation<Award[]>;
}

@Entity({ name: "awards" })
export class Award {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 100 }) title: string;
  @ManyToMany(() => Author, (author) => author.awards) authors?: Relation<Author[]>;
}

@Entity({ name: "books" })
export class Book {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 200 }) title: string;
  @Column({ type: "varchar", length: 20 }) status: string;
  @Column({ type: "integer", nullable: true }) priority: number | null;
  @Column({ type: "real" }) price: number;
  @Column({ type: "integer", nullable: true }) author_id: number | null;
  @ManyToOne(() => Author, (author) => author.books) @JoinColumn({ name: "author_id" }) author?: Relation<Author>;
}

@Entity({ name: "events" })
export class Event {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 40 }) kind: string;
  @Column({ type: "simple-json", nullable: true }) payload: unknown;
  @Column({ type: "simple-json", nullable: true }) tags: unknown[] | null;
  @Column({ type: "simple-array", nullable: true }) labels: string[] | null;
}

@Entity({ name: "notes" })
export class Note {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 200 }) body: string;
  @Column({ type: "integer", default: 0 }) score: number;
  @CreateDateColumn() created_at: Date;
  @DeleteDateColumn({ nullable: true }) deleted_at: Date | null;
}
`;

/** 60 books: statuses, priorities (some null), prices and titles with LIKE wildcards in them. */
export const BOOKS = Array.from({ length: 60 }, (_, i) => ({
  title: i % 10 === 0 ? `100%_sure ${i}` : i % 3 === 0 ? `The Road ${i}` : `river ${i}`,
  status: ["a", "b", "c"][i % 3] as string,
  priority: i % 4 === 0 ? null : i % 5,
  price: (i % 7) * 2.5,
  author_id: i % 6 === 0 ? null : (i % 4) + 1,
}));

/** Four authors (ids 1–4). */
export const AUTHORS = [
  { name: "Ada", country: "UK" },
  { name: "Bob", country: null },
  { name: "Cy", country: "US" },
  { name: "Di", country: "UK" },
];

/** Events with nested payloads and tag arrays. */
export const EVENTS = Array.from({ length: 30 }, (_, i) => ({
  kind: i % 2 === 0 ? "click" : "view",
  payload: i % 5 === 0 ? null : { a: { b: i % 4, name: `n${i % 3}` }, list: [i, i + 1] },
  tags: i % 3 === 0 ? null : i % 3 === 1 ? ["red", i] : ["blue", "red"],
  labels: i % 2 === 0 ? ["x", `l${i % 3}`] : null,
}));
