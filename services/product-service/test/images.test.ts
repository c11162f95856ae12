import { randomUUID } from 'node:crypto';
import { type Service, sql } from '@sagamart/kit';
import { asService, eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  insertOldProduct,
  leafCategory,
  productBody,
  SHOPPER,
  startBeforeMigration,
  startProductService,
  TINY_PNG,
} from './support.ts';

const MAX_BYTES = 64 * 1024;
const upload = (
  base: string,
  bytes: Uint8Array,
  contentType = 'image/png',
  headers?: Record<string, string>,
) =>
  call(base, 'POST', '/api/admin/products/images', {
    raw: bytes,
    contentType,
    ...(headers ? { headers } : {}),
  });

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60, 1)]);
const GIF = Buffer.concat([Buffer.from('GIF89a', 'ascii'), Buffer.alloc(60, 2)]);
const WEBP = Buffer.concat([
  Buffer.from('RIFF', 'ascii'),
  Buffer.from([0x40, 0, 0, 0]),
  Buffer.from('WEBPVP8 ', 'ascii'),
  Buffer.alloc(52, 3),
]);

describe('product-service: images', () => {
  let service: Service<unknown>;
  let base: string;
  beforeAll(async () => {
    service = await startProductService({
      product: { images: { maxBytes: MAX_BYTES, orphanTtlSeconds: 2, cleanupIntervalSeconds: 0.25 } },
    });
    base = service.url;
  });
  afterAll(() => service.stop());

  it('accepts jpeg, png, gif and webp by their magic bytes and serves them publicly', async () => {
    for (const [bytes, type] of [
      [TINY_PNG, 'image/png'],
      [JPEG, 'image/jpeg'],
      [GIF, 'image/gif'],
      [WEBP, 'image/webp'],
    ] as const) {
      // The declared type does not matter; the bytes do.
      const res = await upload(base, bytes, 'application/octet-stream');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        contentType: type,
        size: bytes.length,
        temporary: true,
        url: `/api/products/images/${res.body.id}`,
      });
      const served = await call(base, 'GET', res.body.url, { headers: {} });
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe(type);
      expect(served.headers.get('cache-control')).toContain('immutable');
      expect(Buffer.compare(served.body, bytes)).toBe(0);
    }
  });

  it('rejects other content, bad sizes, JSON bodies and non-admins', async () => {
    const html = await upload(base, Buffer.from('<html><script>alert(1)</script></html>'), 'image/png');
    expect(html.status).toBe(415);
    expect(html.body.type).toBe('urn:sagamart:problem:image-type');
    const svg = await upload(
      base,
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
      'image/svg+xml',
    );
    expect(svg.status).toBe(415);
    expect((await upload(base, TINY_PNG.subarray(0, 8))).status).toBe(400);
    const big = Buffer.concat([TINY_PNG, Buffer.alloc(MAX_BYTES)]);
    expect((await upload(base, big)).status).toBe(413);
    expect((await call(base, 'POST', '/api/admin/products/images', { body: { data: 'x' } })).status).toBe(
      415,
    );
    expect(
      (await call(base, 'POST', '/api/admin/products/images', { raw: TINY_PNG, contentType: 'text/plain' }))
        .status,
    ).toBe(415);
    expect((await upload(base, TINY_PNG, 'image/png', SHOPPER)).status).toBe(403);
    expect((await upload(base, TINY_PNG, 'image/png', {})).status).toBe(401);
    expect(
      (await call(base, 'GET', '/api/products/images/00000000-0000-4000-8000-000000000000', { headers: {} }))
        .status,
    ).toBe(404);
  });

  it('keeps images a product saved and cleans up orphans', async () => {
    const { leaf } = await leafCategory(base, '이미지');
    const kept = await upload(base, TINY_PNG);
    const dropped = await upload(base, JPEG);
    const orphan = await upload(base, GIF);
    const created = await call(base, 'POST', '/api/admin/products', {
      body: productBody('img-1', leaf, { imageIds: [kept.body.id, dropped.body.id] }),
    });
    expect(created.status).toBe(201);
    expect(created.body.images.map((i: { id: string }) => i.id)).toEqual([kept.body.id, dropped.body.id]);
    const list = await call(base, 'GET', '/api/admin/products?code=IMG-1');
    expect(list.body.content[0].thumbnailUrl).toBe(kept.body.url);

    // Another product cannot take an image that belongs to this one.
    const steal = await call(base, 'POST', '/api/admin/products', {
      body: productBody('img-2', leaf, { imageIds: [kept.body.id] }),
    });
    expect(steal.status).toBe(409);

    const edited = await call(base, 'PUT', `/api/admin/products/${created.body.id}`, {
      body: productBody('img-1', leaf, { imageIds: [kept.body.id] }),
    });
    expect(edited.body.images).toHaveLength(1);

    await eventually(
      async () => (await call(base, 'GET', orphan.body.url, { headers: {} })).status === 404,
      15_000,
      200,
    );
    await eventually(
      async () => (await call(base, 'GET', dropped.body.url, { headers: {} })).status === 404,
      15_000,
      200,
    );
    expect((await call(base, 'GET', kept.body.url, { headers: {} })).status).toBe(200);
  });
  /**
   * The cleanup has run past an image's grace period once an upload orphaned after it is gone: both are
   * past it in the same pass (one statement), so whatever is still served then was kept on purpose.
   */
  async function afterCleanupPassed(): Promise<void> {
    const marker = await upload(base, TINY_PNG);
    await eventually(
      async () => (await call(base, 'GET', marker.body.url, { headers: {} })).status === 404,
      15_000,
      200,
    );
  }
  const served = async (image: { url: string }) => {
    const res = await call(base, 'GET', image.url, { headers: {} });
    return { status: res.status, bytes: Buffer.isBuffer(res.body) ? res.body : null };
  };

  it("keeps an image any product's description shows, and cleans it up once none does", async () => {
    const { leaf } = await leafCategory(base, '설명 이미지');
    const dropped = await upload(base, TINY_PNG);
    const inlined = await upload(base, JPEG);
    const owner = await call(base, 'POST', '/api/admin/products', {
      body: productBody('desc-img-1', leaf, { imageIds: [dropped.body.id] }),
    });
    expect(owner.status).toBe(201);
    // Another product's description shows the first one; its own shows an upload it never saved as an image.
    const description = `<p>착용 사진</p><img src="${dropped.body.url}" alt="앞"><img src="${inlined.body.url}" alt="뒤">`;
    const other = await call(base, 'POST', '/api/admin/products', {
      body: productBody('desc-img-2', leaf, { description }),
    });
    expect(other.status).toBe(201);
    const dropping = await call(base, 'PUT', `/api/admin/products/${owner.body.id}`, {
      body: productBody('desc-img-1', leaf, { imageIds: [] }),
    });
    expect(dropping.status).toBe(200);

    await afterCleanupPassed();
    expect(await served(dropped.body)).toEqual({ status: 200, bytes: TINY_PNG });
    expect(await served(inlined.body)).toEqual({ status: 200, bytes: JPEG });

    // Once no description shows them, they get the grace period a dropped image gets (a pass right
    // after keeps them: pages read a moment ago may still show them), then go.
    const rewritten = await call(base, 'PUT', `/api/admin/products/${other.body.id}`, {
      body: productBody('desc-img-2', leaf, { description: '<p>사진 없음</p>' }),
    });
    expect(rewritten.status).toBe(200);
    expect((await call(base, 'POST', '/api/admin/products/images/cleanup')).status).toBe(200);
    expect((await served(dropped.body)).status).toBe(200);
    expect((await served(inlined.body)).status).toBe(200);
    for (const image of [dropped.body, inlined.body]) {
      await eventually(async () => (await served(image)).status === 404, 15_000, 200);
    }
  });

  it('keeps every image of a product that has been ordered after the product drops it', async () => {
    const { leaf } = await leafCategory(base, '주문 이미지');
    const thumbnail = await upload(base, TINY_PNG);
    const second = await upload(base, GIF);
    const ordered = await call(base, 'POST', '/api/admin/products', {
      body: productBody('ord-img-1', leaf, { imageIds: [thumbnail.body.id, second.body.id] }),
    });
    expect(ordered.status).toBe(201);
    // An order reserved stock, then was cancelled: the shopper's order history still shows its thumbnail.
    const orderId = 'order-img-1';
    const internal = { headers: asService() };
    const reserved = await call(base, 'POST', '/internal/stock/reservations', {
      ...internal,
      body: { orderId, items: [{ skuId: ordered.body.skus[0].id, quantity: 1 }] },
    });
    expect(reserved.status).toBe(200);
    expect(
      (await call(base, 'POST', `/internal/stock/reservations/${orderId}/release`, internal)).status,
    ).toBe(200);
    const dropping = await call(base, 'PUT', `/api/admin/products/${ordered.body.id}`, {
      body: productBody('ord-img-1', leaf, { imageIds: [] }),
    });
    expect(dropping.status).toBe(200);
    // Taken up by a product never ordered and dropped again: the first product's orders still show it.
    const borrower = await call(base, 'POST', '/api/admin/products', {
      body: productBody('ord-img-2', leaf, { imageIds: [thumbnail.body.id] }),
    });
    expect(borrower.status).toBe(201);
    const deleted = await call(base, 'DELETE', `/api/admin/products/${borrower.body.id}`);
    expect(deleted.status).toBe(204);

    await afterCleanupPassed();
    expect(await served(thumbnail.body)).toEqual({ status: 200, bytes: TINY_PNG });
    expect(await served(second.body)).toEqual({ status: 200, bytes: GIF });
  });

  it('refuses a description showing an image that was cleaned up or never uploaded', async () => {
    const { leaf } = await leafCategory(base, '없는 이미지');
    const gone = await upload(base, TINY_PNG);
    await eventually(async () => (await served(gone.body)).status === 404, 15_000, 200);
    const created = await call(base, 'POST', '/api/admin/products', {
      body: productBody('gone-img-1', leaf, { description: `<p>착용 사진</p><img src="${gone.body.url}">` }),
    });
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({
      type: 'urn:sagamart:problem:unknown-image',
      errors: [{ field: 'description', message: `unknown images: ${gone.body.id}` }],
    });
    expect((await call(base, 'GET', '/api/admin/products?code=GONE-IMG-1')).body.content).toEqual([]);

    const kept = await upload(base, JPEG);
    const product = await call(base, 'POST', '/api/admin/products', {
      body: productBody('gone-img-2', leaf, { description: `<img src="${kept.body.url}">` }),
    });
    expect(product.status).toBe(201);
    const never = '0f8e2b1c-4d3a-4b5c-8d7e-6f5a4b3c2d1e';
    const edited = await call(base, 'PUT', `/api/admin/products/${product.body.id}`, {
      body: productBody('gone-img-2', leaf, {
        description: `<img src="${kept.body.url}"><img src="/api/products/images/${never}">`,
      }),
    });
    expect(edited.status).toBe(400);
    expect(edited.body.type).toBe('urn:sagamart:problem:unknown-image');
    expect(edited.body.detail).toContain(never);
    expect(edited.body.detail).not.toContain(kept.body.id);
    const unchanged = await call(base, 'GET', `/api/admin/products/${product.body.id}`);
    expect(unchanged.body).toMatchObject({ version: 1, description: `<img src="${kept.body.url}" alt="">` });
  });
});

// Descriptions saved before 0008 have no description_images rows: the migration finds the images they
// show, so the cleanup (which reads only description_images now) still keeps them.
describe('migration 0008: the images existing descriptions show', () => {
  it('keeps what a description showed before it, until a save stops showing it', async () => {
    const { database, old, db } = await startBeforeMigration('0008');
    const [shown, unused] = [randomUUID(), randomUUID()];
    await sql`insert into images (id, content_type, bytes, size, product_id, position, orphaned_at)
      select id::uuid, 'image/png', ${TINY_PNG}, ${TINY_PNG.length}, null, null, now() - interval '1 day'
      from unnest(${[shown, unused]}::text[]) id`.execute(db);
    // Shown once as a local src, once upper-case in an absolute URL, next to an image that is not there.
    const description =
      `<p>착용 사진</p><img src="/api/products/images/${shown}" alt="">` +
      `<img src="https://shop.example/api/products/images/${shown.toUpperCase()}" alt="">` +
      `<img src="/api/products/images/${randomUUID()}" alt="">`;
    const productId = await insertOldProduct(db, {
      code: 'OLD-DESC-1',
      name: '설명 사진 맨투맨',
      description,
      descriptionText: '착용 사진',
    });
    await old.stop();

    const migrated = await startProductService({
      database: { name: database },
      product: { images: { orphanTtlSeconds: 1, cleanupIntervalSeconds: 3600 } },
    });
    try {
      const base = migrated.url;
      const status = async (id: string) =>
        (await call(base, 'GET', `/api/products/images/${id}`, { headers: {} })).status;
      expect((await call(base, 'POST', '/api/admin/products/images/cleanup')).body).toEqual({ deleted: 1 });
      expect(await status(shown)).toBe(200);
      expect(await status(unused)).toBe(404);

      const { leaf } = await leafCategory(base, '옛 상품');
      const rewritten = await call(base, 'PUT', `/api/admin/products/${productId}`, {
        body: productBody('old-desc-1', leaf, { description: '<p>사진 없음</p>' }),
      });
      expect(rewritten.status).toBe(200);
      await eventually(
        async () =>
          (await call(base, 'POST', '/api/admin/products/images/cleanup')).body.deleted === 1 &&
          (await status(shown)) === 404,
        15_000,
        200,
      );
    } finally {
      await migrated.stop();
    }
  });
});
