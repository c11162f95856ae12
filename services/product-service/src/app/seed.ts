import { type ServiceContext, sql } from '@sagamart/kit';
import { combinations } from '../domain/product-definition.ts';
import type { ProductDb } from '../infra/schema.ts';
import type { ProductModule } from './module.ts';
import { COLOURS, SEED_CATEGORIES, SEED_PRODUCTS, type SeedCategory, type SeedProduct } from './seed-data.ts';

const SEED_NAME = 'catalog-demo-v1';
const SEED_LOCK = 8_302_001;
const ADMIN_ACTOR = 'seed';

/** A small deterministic spread of stock (a few SKUs start sold out). */
function initialStock(code: string): number {
  let h = 0;
  for (const c of code) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % 11 === 0 ? 0 : 5 + (h % 46);
}

/**
 * Loads the demo shop on first start, through the same use cases an admin uses (so the catalog hears
 * about everything by events). Idempotent: each category and product is looked up before it is
 * created, a marker row ends the run, and an advisory lock keeps two instances from seeding at once.
 */
export async function seedDemoCatalog(ctx: ServiceContext<ProductDb>, module: ProductModule): Promise<void> {
  const done = await ctx.db
    .selectFrom('seed_runs')
    .select('name')
    .where('name', '=', SEED_NAME)
    .executeTakeFirst();
  if (done) return;
  await ctx.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${SEED_LOCK})`.execute(conn);
    try {
      const again = await conn
        .selectFrom('seed_runs')
        .select('name')
        .where('name', '=', SEED_NAME)
        .executeTakeFirst();
      if (again) return;
      const categoryIds = await seedCategories(ctx, module, SEED_CATEGORIES, null, []);
      let created = 0;
      for (const product of SEED_PRODUCTS) {
        if (await seedProduct(ctx, module, product, categoryIds)) created++;
      }
      await conn
        .insertInto('seed_runs')
        .values({ name: SEED_NAME })
        .onConflict((oc) => oc.doNothing())
        .execute();
      ctx.log.info({ categories: categoryIds.size, products: created }, 'demo catalog seeded');
    } finally {
      await sql`select pg_advisory_unlock(${SEED_LOCK})`.execute(conn);
    }
  });
}

/** Creates missing categories; returns path ("상의/후드 티셔츠") → id. */
async function seedCategories(
  ctx: ServiceContext<ProductDb>,
  module: ProductModule,
  nodes: SeedCategory[],
  parentId: number | null,
  path: string[],
  ids = new Map<string, number>(),
): Promise<Map<string, number>> {
  for (const [order, node] of nodes.entries()) {
    let query = ctx.db.selectFrom('categories').select('id').where('name', '=', node.name);
    query =
      parentId === null ? query.where('parent_id', 'is', null) : query.where('parent_id', '=', parentId);
    const existing = await query.executeTakeFirst();
    const id =
      existing?.id ??
      (
        await module.categories.create({
          name: node.name,
          parentId,
          displayOrder: (order + 1) * 10,
          displayed: true,
        })
      ).id;
    const here = [...path, node.name];
    ids.set(here.join('/'), id);
    if (node.children) await seedCategories(ctx, module, node.children, id, here, ids);
  }
  return ids;
}

async function seedProduct(
  ctx: ServiceContext<ProductDb>,
  module: ProductModule,
  product: SeedProduct,
  categoryIds: Map<string, number>,
): Promise<boolean> {
  const exists = await ctx.db
    .selectFrom('products')
    .select('id')
    .where('code', '=', product.code)
    .executeTakeFirst();
  if (exists) return false;
  const categoryId = categoryIds.get(product.category.join('/'));
  if (categoryId === undefined)
    throw new Error(`Seed product ${product.code} names an unknown category ${product.category.join('/')}`);
  const optionGroups = [
    { name: '색상', values: product.colours },
    ...(product.sizes ? [{ name: '사이즈', values: product.sizes }] : []),
  ];
  const salePrice = product.salePrice ?? product.basePrice;
  const skus = combinations(optionGroups).map((options) => {
    const skuCode = [product.code, COLOURS[options.색상!]!.code, options.사이즈].filter(Boolean).join('-');
    return {
      skuCode,
      options,
      price: salePrice,
      status: 'ACTIVE' as const,
      initialStock: initialStock(skuCode),
    };
  });
  const created = await module.products.create(
    {
      name: product.name,
      code: product.code,
      description: product.description,
      basePrice: product.basePrice,
      salePrice,
      status: 'ACTIVE',
      displayed: !product.hidden,
      categoryIds: [categoryId],
      optionGroups,
      skus,
      // No pictures: the shop draws each product in its colours.
      imageIds: [],
    },
    ADMIN_ACTOR,
  );
  for (const keyword of product.keywords ?? []) await module.keywords.add(created.id, keyword);
  return true;
}
