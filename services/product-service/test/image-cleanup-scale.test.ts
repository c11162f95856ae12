import { type Kysely, type Service, sql } from '@sagamart/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupPass } from '../src/app/images.ts';
import type { ProductDb } from '../src/index.ts';
import { call, startProductService, TINY_PNG } from './support.ts';

const PRODUCTS = 20_000;
/** Kept images, dropped a day ago: half shown by a description, half had by a product that was ordered. */
const KEPT = 2_000;
/** Uploads nothing used, a day old: what a pass deletes. */
const UNUSED = 100;

/**
 * The image cleanup at catalog scale. Its work must follow the candidates, not the products: before
 * description_images, every pass matched every description per kept image (20,000 products with 2,000
 * kept images took 5-7 s a pass, growing with both) and a kept image stayed a candidate forever. Now
 * the same pass takes tens of ms here, and a kept image leaves the candidates (orphaned_at cleared).
 */
describe('product-service: image cleanup at scale', () => {
  let service: Service<unknown>;
  let base: string;
  let db: Kysely<ProductDb>;
  beforeAll(async () => {
    // No pass of its own during the test (it would be the first one only after an hour).
    service = await startProductService({
      product: { images: { orphanTtlSeconds: 1, cleanupIntervalSeconds: 3600 } },
    });
    base = service.url;
    db = service.context.db as unknown as Kysely<ProductDb>;
    // ~2 KB descriptions, each showing an image URL (of no image here, as old pasted ones may).
    await sql`insert into products (code, name, description, description_text, base_price, sale_price, status, displayed)
      select 'SCALE-' || g, '상품 ' || g,
             '<p>' || repeat('설명 텍스트 ', 150) || '</p><img src="/api/products/images/' || gen_random_uuid() || '">',
             '설명', 1000, 1000, 'ACTIVE', true
      from generate_series(1, ${PRODUCTS}) g`.execute(db);
    await sql`insert into skus (product_id, sku_code, options, price, status, stock)
      select id, code || '-1', '{}'::jsonb, 1000, 'ACTIVE', 5 from products where code like 'SCALE-%'`.execute(
      db,
    );
    await sql`insert into images (id, content_type, bytes, size, product_id, position, orphaned_at)
      select gen_random_uuid(), 'image/png', ${TINY_PNG}, ${TINY_PNG.length}, null, null, now() - interval '1 day'
      from generate_series(1, ${KEPT + UNUSED})`.execute(db);
    // Pair the images with products: the first half shown by a product's description (as a save records
    // it), the second half had by a product that has been ordered since; the rest nothing uses.
    await sql`create table scale_pairs as
      select i.id as image_id, p.id as product_id, i.n
      from (select id, row_number() over (order by id) as n from images) i
      join (select id, row_number() over (order by id) as n from products where code like 'SCALE-%') p using (n)`.execute(
      db,
    );
    await sql`insert into description_images (product_id, image_id)
      select product_id, image_id from scale_pairs where n <= ${KEPT / 2}`.execute(db);
    await sql`update products p set description = p.description || '<img src="/api/products/images/' || s.image_id || '">'
      from scale_pairs s where s.product_id = p.id and s.n <= ${KEPT / 2}`.execute(db);
    await sql`insert into image_products (image_id, product_id)
      select image_id, product_id from scale_pairs where n > ${KEPT / 2} and n <= ${KEPT}`.execute(db);
    await sql`insert into stock_movements (sku_id, product_id, type, quantity, stock_after, reserved_after, sold_after, order_id)
      select k.id, k.product_id, 'RESERVE', -1, 4, 1, 0, 'order-' || k.id
      from skus k join scale_pairs s on s.product_id = k.product_id
      where s.n > ${KEPT / 2} and s.n <= ${KEPT}`.execute(db);
    await sql`analyze`.execute(db);
  });
  afterAll(() => service?.stop());

  it('looks up only the candidates, keeps what is shown, and takes kept images off the candidates', async () => {
    // Each statement of a pass: semi- and anti-joins of the candidates with what keeps them, nothing
    // evaluated per row, no description read (the plans, not a timing: those are in the comment above).
    const pass = cleanupPass(1);
    for (const statement of [...pass.keep, pass.purge]) {
      const plan = await sql<{ 'QUERY PLAN': string }>`explain ${statement}`.execute(db);
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).not.toMatch(/SubPlan/);
      expect(text).not.toMatch(/regexp|on products/);
    }

    const candidates = async () =>
      Number(
        (await sql<{ n: string }>`select count(*) as n from images where orphaned_at is not null`.execute(db))
          .rows[0]!.n,
      );
    expect(await candidates()).toBe(KEPT + UNUSED);
    const first = await call(base, 'POST', '/api/admin/products/images/cleanup');
    expect(first.body).toEqual({ deleted: UNUSED });
    // Every kept image has left the candidates: the next pass has nothing to look at.
    expect(await candidates()).toBe(0);
    expect((await call(base, 'POST', '/api/admin/products/images/cleanup')).body).toEqual({ deleted: 0 });
    const pairs = await sql<{ image_id: string; n: string }>`select image_id, n from scale_pairs
      where n in (1, ${KEPT}, ${KEPT + 1}) order by n`.execute(db);
    const [shown, ordered, unused] = pairs.rows.map((r) => `/api/products/images/${r.image_id}`);
    expect((await call(base, 'GET', shown!, { headers: {} })).status).toBe(200);
    expect((await call(base, 'GET', ordered!, { headers: {} })).status).toBe(200);
    expect((await call(base, 'GET', unused!, { headers: {} })).status).toBe(404);
  });
});
