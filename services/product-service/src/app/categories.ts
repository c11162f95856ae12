import {
  CategoryCreated,
  CategoryDeleted,
  type CategorySnapshot,
  CategoryUpdated,
} from '@sagamart/contracts';
import {
  badRequest,
  conflict,
  isUniqueViolation,
  type MessagingTables,
  notFound,
  type ServiceContext,
  type Transaction,
  unprocessable,
} from '@sagamart/kit';
import { checkPlacement, depthUnder, subtreeOf } from '../domain/category-tree.ts';
import { loadCategorySnapshots } from '../infra/product-reads.ts';
import type { ProductDb } from '../infra/schema.ts';

export interface CategoryInput {
  name: string;
  parentId: number | null;
  displayOrder: number;
  displayed: boolean;
}

export interface CategoryView {
  id: number;
  parentId: number | null;
  name: string;
  depth: number;
  displayOrder: number;
  displayed: boolean;
  version: number;
  productCount: number;
}

export interface CategoryTreeNode extends CategoryView {
  children: CategoryTreeNode[];
}

type Trx = Transaction<ProductDb & MessagingTables>;

/** Nests flat categories (sorted by display order, then id) under their parents. */
export function buildTree<T extends { id: number; parentId: number | null }>(
  flat: T[],
): Array<T & { children: Array<T & { children: unknown[] }> }> {
  type Node = T & { children: Node[] };
  const nodes = new Map<number, Node>(flat.map((c) => [c.id, { ...c, children: [] }]));
  const roots: Node[] = [];
  for (const c of flat) {
    const node = nodes.get(c.id)!;
    const parent = c.parentId === null ? undefined : nodes.get(c.parentId);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** The category tree: at most three levels, display order and a displayed flag; leaves carry products. */
export class Categories {
  constructor(private readonly ctx: ServiceContext<ProductDb>) {}

  private async views(ids?: number[]): Promise<CategoryView[]> {
    const snapshots = await loadCategorySnapshots(this.ctx.db, ids);
    const counts = await this.ctx.db
      .selectFrom('product_categories as pc')
      .innerJoin('products as p', 'p.id', 'pc.product_id')
      .select((eb) => ['pc.category_id', eb.fn.countAll<number>().as('n')])
      .where('p.deleted_at', 'is', null)
      .groupBy('pc.category_id')
      .execute();
    const countOf = new Map(counts.map((c) => [c.category_id, Number(c.n)]));
    return snapshots
      .sort((a, b) => a.displayOrder - b.displayOrder || a.categoryId - b.categoryId)
      .map((c) => ({
        id: c.categoryId,
        parentId: c.parentId,
        name: c.name,
        depth: c.depth,
        displayOrder: c.displayOrder,
        displayed: c.displayed,
        version: c.version,
        productCount: countOf.get(c.categoryId) ?? 0,
      }));
  }

  async tree(): Promise<CategoryTreeNode[]> {
    return buildTree(await this.views()) as CategoryTreeNode[];
  }

  async get(id: number): Promise<CategoryView> {
    const [view] = await this.views([id]);
    if (!view) throw notFound(`Category ${id} does not exist`);
    return view;
  }

  async create(input: CategoryInput): Promise<CategoryView> {
    const id = await this.ctx.transaction(async (trx) => {
      const parent = input.parentId === null ? null : await this.lockParent(trx, input.parentId);
      const problem = checkPlacement(null, parent, []);
      if (problem) throw unprocessable(problem.message, `category-${problem.code}`);
      const row = await trx
        .insertInto('categories')
        .values({
          parent_id: parent?.id ?? null,
          name: input.name,
          depth: depthUnder(parent?.depth ?? null),
          display_order: input.displayOrder,
          displayed: input.displayed,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
        .catch((error) => {
          throw this.nameTaken(error, input.name);
        });
      await this.publish(trx, 'created', [row.id]);
      return row.id;
    });
    return this.get(id);
  }

  async update(id: number, input: CategoryInput): Promise<CategoryView> {
    await this.ctx.transaction(async (trx) => {
      // The category and its would-be parent, locked in one statement in id order: two admins moving
      // A under B and B under A at once then wait on each other instead of deadlocking.
      const locked = await trx
        .selectFrom('categories')
        .selectAll()
        .where('id', 'in', input.parentId === null ? [id] : [id, input.parentId])
        .orderBy('id')
        .forUpdate()
        .execute();
      const current = locked.find((c) => c.id === id);
      if (!current) throw notFound(`Category ${id} does not exist`);
      let depth = current.depth;
      const moved: number[] = [];
      if (input.parentId !== current.parent_id) {
        const parent =
          input.parentId === null
            ? null
            : await this.checkParent(
                trx,
                input.parentId,
                locked.find((c) => c.id === input.parentId),
              );
        const all = (await trx.selectFrom('categories').select(['id', 'parent_id']).execute()).map((c) => ({
          id: c.id,
          parentId: c.parent_id,
        }));
        const problem = checkPlacement(id, parent, all);
        if (problem) throw unprocessable(problem.message, `category-${problem.code}`);
        depth = depthUnder(parent?.depth ?? null);
        const below = [...subtreeOf(id, all)].filter((c) => c !== id);
        if (below.length && depth !== current.depth) {
          const rows = await trx
            .updateTable('categories')
            .set((eb) => ({
              depth: eb('depth', '+', depth - current.depth),
              version: eb('version', '+', 1),
              updated_at: new Date(),
            }))
            .where('id', 'in', below)
            .returning('id')
            .execute();
          moved.push(...rows.map((r) => r.id));
        }
      }
      await trx
        .updateTable('categories')
        .set((eb) => ({
          parent_id: input.parentId,
          name: input.name,
          depth,
          display_order: input.displayOrder,
          displayed: input.displayed,
          version: eb('version', '+', 1),
          updated_at: new Date(),
        }))
        .where('id', '=', id)
        .execute()
        .catch((error) => {
          throw this.nameTaken(error, input.name);
        });
      await this.publish(trx, 'updated', [id, ...moved]);
    });
    return this.get(id);
  }

  async delete(id: number): Promise<void> {
    await this.ctx.transaction(async (trx) => {
      const current = await trx
        .selectFrom('categories')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!current) throw notFound(`Category ${id} does not exist`);
      const child = await trx
        .selectFrom('categories')
        .select('id')
        .where('parent_id', '=', id)
        .limit(1)
        .executeTakeFirst();
      if (child)
        throw conflict(
          `Category ${id} has subcategories; delete or move them first`,
          'category-has-children',
        );
      if (await this.hasProducts(trx, id)) {
        throw conflict(
          `Category ${id} has products; move them to another category first`,
          'category-has-products',
        );
      }
      // What is left are soft-deleted products, kept for their orders: they lose the category.
      await trx.deleteFrom('product_categories').where('category_id', '=', id).execute();
      await trx.deleteFrom('categories').where('id', '=', id).execute();
      await this.ctx.publish(trx, CategoryDeleted, { categoryId: id, version: current.version + 1 });
    });
  }

  /** Locks the would-be parent so it cannot be deleted or get products meanwhile. */
  private async lockParent(trx: Trx, parentId: number): Promise<{ id: number; depth: number }> {
    const parent = await trx
      .selectFrom('categories')
      .select(['id', 'depth'])
      .where('id', '=', parentId)
      .forUpdate()
      .executeTakeFirst();
    return this.checkParent(trx, parentId, parent);
  }

  /** The would-be parent (already locked) must exist and hold no products. */
  private async checkParent(
    trx: Trx,
    parentId: number,
    parent: { id: number; depth: number } | undefined,
  ): Promise<{ id: number; depth: number }> {
    if (!parent)
      throw badRequest(`Parent category ${parentId} does not exist`, [
        { field: 'parentId', message: 'does not exist' },
      ]);
    if (await this.hasProducts(trx, parentId)) {
      throw conflict(
        `Category ${parentId} has products, so it cannot have subcategories`,
        'category-has-products',
      );
    }
    return parent;
  }

  /** Products not deleted (as productCount counts them): soft-deleted ones never hold a category. */
  private async hasProducts(trx: Trx, categoryId: number): Promise<boolean> {
    const row = await trx
      .selectFrom('product_categories as pc')
      .innerJoin('products as p', 'p.id', 'pc.product_id')
      .select('pc.product_id')
      .where('pc.category_id', '=', categoryId)
      .where('p.deleted_at', 'is', null)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  private nameTaken(error: unknown, name: string): unknown {
    return isUniqueViolation(error, 'categories_sibling_name')
      ? conflict(`A category named "${name}" already exists at that place`, 'category-name-taken')
      : error;
  }

  private async publish(trx: Trx, what: 'created' | 'updated', ids: number[]): Promise<void> {
    const snapshots = await loadCategorySnapshots(trx, ids);
    const byId = new Map<number, CategorySnapshot>(snapshots.map((s) => [s.categoryId, s]));
    for (const id of ids) {
      const snapshot = byId.get(id);
      if (snapshot)
        await this.ctx.publish(trx, what === 'created' ? CategoryCreated : CategoryUpdated, snapshot);
    }
  }
}
