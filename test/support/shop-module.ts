/**
 * Source text of a small test module, `shop`, in two versions: v1 as first deployed, and v2 with a
 * column added, one renamed, an index added and a table dropped. Tests write them into temporary
 * roots to exercise migrations against real files.
 */

const HEADER = `import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from "typeorm";

export const DATABASE_NAME = "shop";
`;

/** v1: customers (with \`email\`), orders referencing them, and a \`legacy_notes\` table. */
export const SHOP_V1 = `${HEADER}
@Entity({ name: "customers" })
export class Customer {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 100 }) name: string;
  @Column({ type: "varchar", length: 200, nullable: true }) email: string | null;
}

@Entity({ name: "orders" })
export class Order {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "integer" }) customer_id: number;
  @ManyToOne(() => Customer, { onDelete: "CASCADE" }) @JoinColumn({ name: "customer_id" }) customer?: Relation<Customer>;
  @Column({ type: "real" }) total: number;
}

@Entity({ name: "legacy_notes" })
export class LegacyNote {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "text" }) body: string;
}
`;

/** v2: \`email\` renamed to \`email_address\`, \`loyalty_points\` added, an index on orders.total, \`legacy_notes\` gone. */
export const SHOP_V2 = `${HEADER}
@Entity({ name: "customers" })
export class Customer {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 100 }) name: string;
  @Column({ type: "varchar", length: 200, nullable: true }) email_address: string | null;
  @Column({ type: "integer", default: 0 }) loyalty_points: number;
}

@Entity({ name: "orders" })
@Index("idx_orders_total", ["total"])
export class Order {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "integer" }) customer_id: number;
  @ManyToOne(() => Customer, { onDelete: "CASCADE" }) @JoinColumn({ name: "customer_id" }) customer?: Relation<Customer>;
  @Column({ type: "real" }) total: number;
}
`;
