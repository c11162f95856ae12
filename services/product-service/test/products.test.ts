import { type Service, sql } from '@sagamart/kit';
import { asService, waitForLockWaiters } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, leafCategory, productBody, startProductService } from './support.ts';

describe('product-service: products', () => {
  let service: Service<unknown>;
  let base: string;
  let leaf: number;
  let top: number;
  beforeAll(async () => {
    service = await startProductService();
    base = service.url;
    ({ leaf, top } = await leafCategory(base, '맨투맨'));
  });
  afterAll(() => service.stop());

  const create = (body: unknown) => call(base, 'POST', '/api/admin/products', { body });

  it('creates a product with one SKU per option combination and its initial stock', async () => {
    const res = await create(productBody('mtm-1', leaf));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      code: 'MTM-1',
      basePrice: 49_000,
      salePrice: 39_000,
      version: 1,
      categoryIds: [leaf],
    });
    expect(res.body.skus).toHaveLength(4);
    expect(res.body.skus[0]).toMatchObject({
      skuCode: 'MTM-1-0-M',
      options: { 색상: '블랙', 사이즈: 'M' },
      stock: 10,
      status: 'ACTIVE',
    });
    const got = await call(base, 'GET', `/api/admin/products/${res.body.id}`);
    expect(got.body).toEqual(res.body);
  });

  it('rejects a sale price above the base price, missing or duplicate combinations and non-leaf categories', async () => {
    const above = await create(productBody('bad-1', leaf, { salePrice: 60_000 }));
    expect(above.status).toBe(400);
    expect(above.body.errors).toContainEqual({ field: 'salePrice', message: 'must not exceed basePrice' });

    const body = productBody('bad-2', leaf);
    const missing = await create({ ...body, skus: body.skus.slice(1) });
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toMatch(/1 missing/);

    const twice = await create({
      ...body,
      skus: [...body.skus.slice(1), { ...body.skus[1], skuCode: 'BAD-2-X' }],
    });
    expect(twice.status).toBe(400);
    expect(twice.body.detail).toMatch(/same options/);

    const wrongValue = await create({
      ...body,
      skus: body.skus.map((s, i) => (i === 0 ? { ...s, options: { 색상: '레드', 사이즈: 'M' } } : s)),
    });
    expect(wrongValue.status).toBe(400);

    expect((await create(productBody('bad-3', top))).status).toBe(422);
    expect((await create(productBody('bad-4', 987_654))).status).toBe(400);
  });

  it('shows the price its cheapest option on sale charges, derived from the SKUs; a different one is refused', async () => {
    const created = await create(productBody('price-1', leaf)); // 49,000, every SKU at 39,000
    const id = created.body.id;
    const edit = (changes: (body: ReturnType<typeof productBody>) => Record<string, unknown>) =>
      call(base, 'PUT', `/api/admin/products/${id}`, { body: changes(productBody('price-1', leaf)) });
    /** What an order of each SKU on sale would charge (order-service prices by this lookup). */
    const charged = async (skus: Array<{ id: number }>) => {
      const query = skus.map((s) => `ids=${s.id}`).join('&');
      const res = await call(base, 'GET', `/internal/skus?${query}`, { headers: asService() });
      return (res.body.content as Array<{ price: number; status: string }>)
        .filter((s) => s.status !== 'INACTIVE')
        .map((s) => s.price);
    };

    // 화이트 / L lowered to 33,000 while the sale price stays 39,000: shown 39,000, charged 33,000.
    const typedTwice = await edit((body) => ({
      ...body,
      skus: body.skus.map((s, i) => (i === 3 ? { ...s, price: 33_000 } : s)),
    }));
    expect(typedTwice.status).toBe(400);
    expect(typedTwice.body.errors).toContainEqual({
      field: 'salePrice',
      message: 'must equal the lowest price of the SKUs on sale (33000)',
    });
    const aboveBase = await edit((body) => ({
      ...body,
      skus: body.skus.map((s, i) => (i === 1 ? { ...s, price: 55_000 } : s)),
    }));
    expect(aboveBase.status).toBe(400);
    expect(aboveBase.body.errors).toContainEqual({
      field: 'skus.1.price',
      message: 'must not exceed basePrice',
    });

    // Without a sale price it follows the SKUs: 블랙 / M at 29,000 is not on sale, 화이트 / L at 33,000 is.
    const { salePrice: _typed, ...withoutSalePrice } = productBody('price-1', leaf);
    const derived = await call(base, 'PUT', `/api/admin/products/${id}`, {
      body: {
        ...withoutSalePrice,
        skus: withoutSalePrice.skus.map((s, i) =>
          i === 0 ? { ...s, price: 29_000, status: 'INACTIVE' } : i === 3 ? { ...s, price: 33_000 } : s,
        ),
      },
    });
    expect(derived.status).toBe(200);
    expect(derived.body.salePrice).toBe(33_000);
    expect(Math.min(...(await charged(derived.body.skus)))).toBe(derived.body.salePrice);
    const listed = await call(base, 'GET', `/api/admin/products?code=PRICE-1&minPrice=33000&maxPrice=33000`);
    expect(listed.body.content.map((p: { id: number }) => p.id)).toEqual([id]);
  });

  it('answers 409 for a taken product or SKU code', async () => {
    expect((await create(productBody('dup-1', leaf))).status).toBe(201);
    const again = await create(productBody('DUP-1', leaf));
    expect(again.status).toBe(409);
    const body = productBody('dup-2', leaf);
    body.skus[0]!.skuCode = 'DUP-1-0-M';
    const skuTaken = await create(body);
    expect(skuTaken.status).toBe(409);
    expect(skuTaken.body.type).toBe('urn:sagamart:problem:sku-code-taken');
  });

  it('sanitizes the description on save', async () => {
    const res = await create(
      productBody('html-1', leaf, {
        description:
          '<p onclick="alert(1)">따뜻한 <strong>맨투맨</strong><script>alert(1)</script></p><a href="javascript:alert(1)">x</a><img src="https://cdn.example.com/a.png" onerror="x()">',
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body.description).toBe(
      '<p>따뜻한 <strong>맨투맨</strong></p>x<img src="https://cdn.example.com/a.png" alt="">',
    );
  });

  it('keeps SKU ids across edits: matched by skuCode, removed SKUs deactivated, re-added ones revived', async () => {
    const created = await create(productBody('stable-1', leaf));
    const id = created.body.id;
    const idOf = (skus: Array<{ skuCode: string; id: number }>, code: string) =>
      skus.find((s) => s.skuCode === code)?.id;
    const original = created.body.skus as Array<{ skuCode: string; id: number }>;

    // Rename, reprice, reorder and drop the 화이트 colour.
    const edited = productBody(
      'stable-1',
      leaf,
      { name: '이름 바뀐 맨투맨', version: 1, salePrice: 35_000 },
      ['블랙'],
      ['M', 'L'],
    );
    edited.skus = edited.skus.reverse();
    const updated = await call(base, 'PUT', `/api/admin/products/${id}`, { body: edited });
    expect(updated.status).toBe(200);
    expect(updated.body.version).toBe(2);
    for (const code of ['STABLE-1-0-M', 'STABLE-1-0-L'])
      expect(idOf(updated.body.skus, code)).toBe(idOf(original, code));
    const dropped = updated.body.skus.filter((s: { removed: boolean }) => s.removed);
    expect(dropped.map((s: { id: number }) => s.id).sort()).toEqual(
      original
        .filter((s) => s.skuCode.startsWith('STABLE-1-1'))
        .map((s) => s.id)
        .sort(),
    );
    expect(dropped.every((s: { status: string }) => s.status === 'INACTIVE')).toBe(true);
    expect(updated.body.skus.find((s: { skuCode: string }) => s.skuCode === 'STABLE-1-0-M').price).toBe(
      35_000,
    );

    // Bring 화이트 back: same ids again, stock kept (initialStock applies to new SKUs only).
    const restored = productBody('stable-1', leaf);
    restored.skus = restored.skus.map((s) => ({ ...s, initialStock: 99 }));
    const back = await call(base, 'PUT', `/api/admin/products/${id}`, { body: restored });
    expect(back.status).toBe(200);
    for (const sku of original) expect(idOf(back.body.skus, sku.skuCode)).toBe(sku.id);
    expect(
      back.body.skus.every((s: { removed: boolean; stock: number }) => !s.removed && s.stock === 10),
    ).toBe(true);
    // A new SKU code is a new SKU with its INITIAL stock.
    const more = productBody('stable-1', leaf, {}, ['블랙', '화이트'], ['M', 'L', 'XL']);
    more.skus = more.skus.map((s) => ({ ...s, initialStock: 7 }));
    const grown = await call(base, 'PUT', `/api/admin/products/${id}`, { body: more });
    const xl = grown.body.skus.find((s: { skuCode: string }) => s.skuCode === 'STABLE-1-0-XL');
    expect(original.some((s) => s.id === xl.id)).toBe(false);
    expect(xl.stock).toBe(7);
  });

  it('detects lost updates with the version field', async () => {
    const created = await create(productBody('ver-1', leaf));
    const body = productBody('ver-1', leaf, { version: 1 });
    expect((await call(base, 'PUT', `/api/admin/products/${created.body.id}`, { body })).status).toBe(200);
    const stale = await call(base, 'PUT', `/api/admin/products/${created.body.id}`, { body });
    expect(stale.status).toBe(409);
    expect(stale.body.type).toBe('urn:sagamart:problem:stale-version');
  });

  it('lists with filters and the standard page object', async () => {
    const { leaf: other, top: otherTop } = await leafCategory(base, '청바지');
    await create(
      productBody('list-a', other, { name: '와이드 청바지', basePrice: 80_000, salePrice: 70_000 }),
    );
    await create(
      productBody('list-b', other, {
        name: '슬림 청바지',
        basePrice: 60_000,
        salePrice: 50_000,
        displayed: false,
      }),
    );
    await create(
      productBody('list-c', other, {
        name: '청바지 세트',
        basePrice: 30_000,
        salePrice: 20_000,
        status: 'INACTIVE',
      }),
    );

    const byCategory = await call(base, 'GET', `/api/admin/products?categoryId=${otherTop}&size=2`);
    expect(byCategory.body).toMatchObject({
      totalElements: 3,
      totalPages: 2,
      page: 0,
      size: 2,
      first: true,
      last: false,
    });
    expect(byCategory.body.content).toHaveLength(2);
    const page2 = await call(base, 'GET', `/api/admin/products?categoryId=${otherTop}&size=2&page=1`);
    expect(page2.body).toMatchObject({ totalElements: 3, page: 1, first: false, last: true });

    const names = async (query: string) =>
      (await call(base, 'GET', `/api/admin/products?categoryId=${other}&${query}`)).body.content
        .map((p: { name: string }) => p.name)
        .sort();
    expect(await names('name=청바지')).toEqual(['슬림 청바지', '와이드 청바지', '청바지 세트']);
    expect(await names(`name=${encodeURIComponent('와이드')}`)).toEqual(['와이드 청바지']);
    expect(await names('code=list-b')).toEqual(['슬림 청바지']);
    expect(await names('status=INACTIVE')).toEqual(['청바지 세트']);
    expect(await names('displayed=false')).toEqual(['슬림 청바지']);
    expect(await names('minPrice=40000&maxPrice=60000')).toEqual(['슬림 청바지']);
    const first = (await call(base, 'GET', `/api/admin/products?categoryId=${other}`)).body.content[0];
    expect(first).toMatchObject({ skuCount: 4, totalStock: 40, thumbnailUrl: null });
    expect((await call(base, 'GET', '/api/admin/products?size=101')).status).toBe(400);
  });

  it('deletes softly when orders reference the product, otherwise for good', async () => {
    const unused = await create(productBody('del-1', leaf));
    expect((await call(base, 'DELETE', `/api/admin/products/${unused.body.id}`)).status).toBe(204);
    expect((await call(base, 'GET', `/api/admin/products/${unused.body.id}`)).status).toBe(404);

    const ordered = await create(productBody('del-2', leaf));
    const skuId = ordered.body.skus[0].id;
    const reserved = await call(base, 'POST', '/internal/stock/reservations', {
      body: { orderId: 'order-del-2', items: [{ skuId, quantity: 1 }] },
    });
    expect(reserved.status).toBe(200);
    expect((await call(base, 'DELETE', `/api/admin/products/${ordered.body.id}`)).status).toBe(204);
    const kept = await call(base, 'GET', `/api/admin/products/${ordered.body.id}`);
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ deleted: true, displayed: false, version: 2 });
    const listed = await call(base, 'GET', `/api/admin/products?code=DEL-2`);
    expect(listed.body.totalElements).toBe(0);
    expect(
      (await call(base, 'GET', `/api/admin/products?code=DEL-2&includeDeleted=true`)).body.totalElements,
    ).toBe(1);
    expect(
      (
        await call(base, 'PUT', `/api/admin/products/${ordered.body.id}`, {
          body: productBody('del-2', leaf),
        })
      ).status,
    ).toBe(409);
  });

  it('deletes softly when a reservation commits while the delete runs', async () => {
    const created = await create(productBody('del-race', leaf));
    const id = created.body.id;
    const skuId = created.body.skus[0].id;
    const db = service.context.db;
    // The stock ledger locked here: the reservation holds its SKU locked, its movement not written yet.
    let unlock!: () => void;
    const gate = new Promise<void>((resolve) => {
      unlock = resolve;
    });
    let held!: () => void;
    const lockHeld = new Promise<void>((resolve) => {
      held = resolve;
    });
    const holding = db.transaction().execute(async (trx) => {
      await sql`lock table stock_movements in share mode`.execute(trx);
      held();
      await gate;
    });
    await lockHeld;
    const reserving = call(base, 'POST', '/internal/stock/reservations', {
      body: { orderId: 'order-del-race', items: [{ skuId, quantity: 1 }] },
      headers: asService(),
    });
    await waitForLockWaiters(db, 1);
    const deleting = call(base, 'DELETE', `/api/admin/products/${id}`);
    await waitForLockWaiters(db, 2);
    unlock();
    await holding;

    expect((await reserving).status).toBe(200);
    expect((await deleting).status).toBe(204);
    const kept = await call(base, 'GET', `/api/admin/products/${id}`);
    expect(kept.status).toBe(200);
    expect(kept.body.deleted).toBe(true);
    expect(kept.body.skus.find((s: { id: number }) => s.id === skuId)).toMatchObject({
      reserved: 1,
      stock: 9,
    });
  });
});
