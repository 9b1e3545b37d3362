/** A shop module with most column kinds, a unique column and a foreign key, for CrudService tests. */
export const SHOP_MODELS = `
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, type Relation } from "typeorm";
export const DATABASE_NAME = "shop";

@Entity({ name: "categories" })
export class Category {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 100, unique: true }) name: string;
}

@Entity({ name: "products" })
@Index("idx_products_price", ["price"])
export class Product {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 40, unique: true }) sku: string;
  @Column({ type: "varchar", length: 200 }) name: string;
  @Column({ type: "real" }) price: number;
  @Column({ type: "integer", default: 0 }) quantity: number;
  @Column({ type: "boolean", default: true }) active: boolean;
  @Column({ type: "datetime", nullable: true }) released_at: Date | null;
  @Column({ type: "simple-json", nullable: true }) tags: string[] | null;
  @Column({ type: "integer", nullable: true }) category_id: number | null;
  @ManyToOne(() => Category) @JoinColumn({ name: "category_id" }) category?: Relation<Category>;
}

@Entity({ name: "stock_levels" })
export class StockLevel {
  @PrimaryColumn({ type: "varchar", length: 20 }) warehouse: string;
  @PrimaryColumn({ type: "varchar", length: 40 }) sku: string;
  @Column({ type: "integer" }) level: number;
}
`;
