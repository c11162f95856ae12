import type { Service } from '@sagamart/kit';
import { asService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, productBody, SHOPPER, startProductService } from './support.ts';

describe('product-service: categories', () => {
  let service: Service<unknown>;
  let base: string;
  beforeAll(async () => {
    service = await startProductService();
    base = service.url;
  });
  afterAll(() => service.stop());

  const create = (body: Record<string, unknown>) => call(base, 'POST', '/api/admin/categories', { body });

  it('is for admins only', async () => {
    expect((await call(base, 'GET', '/api/admin/categories', { headers: {} })).status).toBe(401);
    expect((await call(base, 'GET', '/api/admin/categories', { headers: SHOPPER })).status).toBe(403);
    // Refused before the body is validated.
    expect((await call(base, 'POST', '/api/admin/categories', { headers: SHOPPER, body: {} })).status).toBe(
      403,
    );
  });

  it('builds a tree at most three levels deep, ordered by display order', async () => {
    const top = await create({ name: '상의', displayOrder: 20 });
    const other = await create({ name: '바지', displayOrder: 10 });
    expect(top.status).toBe(201);
    expect(top.body).toMatchObject({ name: '상의', depth: 1, parentId: null, displayed: true });
    const mid = await create({ name: '티셔츠', parentId: top.body.id });
    const leaf = await create({ name: '반소매', parentId: mid.body.id, displayed: false });
    expect(leaf.body.depth).toBe(3);

    const tooDeep = await create({ name: '네번째', parentId: leaf.body.id });
    expect(tooDeep.status).toBe(422);
    expect(tooDeep.body.type).toBe('urn:sagamart:problem:category-too-deep');

    const tree = await call(base, 'GET', '/api/admin/categories');
    const names = tree.body.map((c: { name: string }) => c.name);
    expect(names.indexOf('바지')).toBeLessThan(names.indexOf('상의'));
    const 상의 = tree.body.find((c: { id: number }) => c.id === top.body.id);
    expect(상의.children[0]).toMatchObject({ name: '티셔츠', depth: 2 });
    expect(상의.children[0].children[0]).toMatchObject({ name: '반소매', depth: 3, displayed: false });
    expect(other.body.depth).toBe(1);
  });

  it('refuses moves that would exceed three levels or create a cycle', async () => {
    const a = await create({ name: 'A' });
    const b = await create({ name: 'B', parentId: a.body.id });
    const c = await create({ name: 'C' });
    const d = await create({ name: 'D', parentId: c.body.id });
    const e = await create({ name: 'E', parentId: d.body.id });
    // C has three levels (C > D > E): under B (level 2) E would sit at level 4.
    const deep = await call(base, 'PUT', `/api/admin/categories/${c.body.id}`, {
      body: { name: 'C', parentId: b.body.id },
    });
    expect(deep.status).toBe(422);
    const cycle = await call(base, 'PUT', `/api/admin/categories/${c.body.id}`, {
      body: { name: 'C', parentId: e.body.id },
    });
    expect(cycle.status).toBe(422);
    expect(cycle.body.type).toBe('urn:sagamart:problem:category-cycle');
    // D > E fits under A: D becomes level 2, E level 3.
    const moved = await call(base, 'PUT', `/api/admin/categories/${d.body.id}`, {
      body: { name: 'D', parentId: a.body.id, displayOrder: 5 },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ depth: 2, parentId: a.body.id, displayOrder: 5 });
    expect((await call(base, 'GET', `/api/admin/categories/${e.body.id}`)).body.depth).toBe(3);
  });

  it('moves one of two categories put under each other at the same moment and refuses the other as a cycle', async () => {
    // Each round: two admins at once, one moving A under B, the other B under A.
    for (let round = 0; round < 8; round++) {
      const a = (await create({ name: `교차 A${round}` })).body.id;
      const b = (await create({ name: `교차 B${round}` })).body.id;
      const [aUnderB, bUnderA] = await Promise.all([
        call(base, 'PUT', `/api/admin/categories/${a}`, { body: { name: `교차 A${round}`, parentId: b } }),
        call(base, 'PUT', `/api/admin/categories/${b}`, { body: { name: `교차 B${round}`, parentId: a } }),
      ]);
      const [won, lost] = aUnderB.status === 200 ? [aUnderB, bUnderA] : [bUnderA, aUnderB];
      expect([won.status, lost.status], `round ${round}: ${JSON.stringify(lost.body)}`).toEqual([200, 422]);
      expect(lost.body.type).toBe('urn:sagamart:problem:category-cycle');
      const parents = await Promise.all(
        [a, b].map(async (id) => (await call(base, 'GET', `/api/admin/categories/${id}`)).body.parentId),
      );
      expect(parents.filter((parent) => parent !== null)).toHaveLength(1);
    }
  });

  it('answers 409 when deleting a category with children or products, and deletes a free leaf', async () => {
    const top = await create({ name: '가방' });
    const leaf = await create({ name: '백팩', parentId: top.body.id });
    const withChildren = await call(base, 'DELETE', `/api/admin/categories/${top.body.id}`);
    expect(withChildren.status).toBe(409);
    expect(withChildren.body.type).toBe('urn:sagamart:problem:category-has-children');

    const product = await call(base, 'POST', '/api/admin/products', {
      body: productBody('BAG-1', leaf.body.id),
    });
    expect(product.status).toBe(201);
    const withProducts = await call(base, 'DELETE', `/api/admin/categories/${leaf.body.id}`);
    expect(withProducts.status).toBe(409);
    // A category holding products cannot get children (products live in leaves).
    expect((await create({ name: '미니 백팩', parentId: leaf.body.id })).status).toBe(409);

    const empty = await create({ name: '빈 카테고리', parentId: top.body.id });
    expect((await call(base, 'DELETE', `/api/admin/categories/${empty.body.id}`)).status).toBe(204);
    expect((await call(base, 'GET', `/api/admin/categories/${empty.body.id}`)).status).toBe(404);
  });

  it('lets a category whose products are all deleted (softly, kept for their orders) go or grow subcategories', async () => {
    const top = await create({ name: '모자' });
    /** A leaf whose one product an order reserved, then deleted: kept, but deleted. */
    const leafOfDeleted = async (name: string, code: string) => {
      const leaf = await create({ name, parentId: top.body.id });
      const product = await call(base, 'POST', '/api/admin/products', {
        body: productBody(code, leaf.body.id),
      });
      expect(product.status).toBe(201);
      const reserved = await call(base, 'POST', '/internal/stock/reservations', {
        body: { orderId: `order-${code}`, items: [{ skuId: product.body.skus[0].id, quantity: 1 }] },
        headers: asService(),
      });
      expect(reserved.status).toBe(200);
      expect((await call(base, 'DELETE', `/api/admin/products/${product.body.id}`)).status).toBe(204);
      expect((await call(base, 'GET', `/api/admin/products/${product.body.id}`)).body.deleted).toBe(true);
      return { leaf: leaf.body.id as number, product: product.body.id as number };
    };

    const cap = await leafOfDeleted('볼캡', 'CAP-1');
    expect((await call(base, 'GET', `/api/admin/categories/${cap.leaf}`)).body.productCount).toBe(0);
    expect((await call(base, 'DELETE', `/api/admin/categories/${cap.leaf}`)).status).toBe(204);
    expect((await call(base, 'GET', `/api/admin/categories/${cap.leaf}`)).status).toBe(404);
    // The deleted product stays, for its orders, without the category.
    const kept = await call(base, 'GET', `/api/admin/products/${cap.product}`);
    expect(kept.body).toMatchObject({ deleted: true, categoryIds: [] });

    const beanie = await leafOfDeleted('비니', 'BEANIE-1');
    const child = await create({ name: '니트 비니', parentId: beanie.leaf });
    expect(child.status).toBe(201);
    expect(child.body).toMatchObject({ parentId: beanie.leaf, depth: 3 });
  });

  it('rejects duplicate sibling names and unknown parents', async () => {
    const top = await create({ name: '신발' });
    expect((await create({ name: '신발' })).status).toBe(409);
    expect((await create({ name: '스니커즈', parentId: top.body.id })).status).toBe(201);
    expect((await create({ name: '스니커즈', parentId: top.body.id })).status).toBe(409);
    expect((await create({ name: 'X', parentId: 999_999 })).status).toBe(400);
    expect((await create({ name: '' })).status).toBe(400);
  });
});
