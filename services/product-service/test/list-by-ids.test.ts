import type { Service } from '@sagamart/kit';
import { asService } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, leafCategory, productBody, startProductService } from './support.ts';

// A list page that names products it holds only the ids of (the admin's discount policies name their
// target products) reads them in one request: the admin product list by ids, deleted ones included
// when asked, so the page can say a product was deleted instead of showing its id. A product an order
// took stock of is kept when deleted (SOLD-OUT below); one never ordered is gone for good (GONE).

describe('product-service: the admin product list by ids', () => {
  let service: Service<unknown>;
  let base: string;
  const ids: Record<string, number> = {};

  const codes = async (query: string): Promise<string[]> => {
    const res = await call(base, 'GET', `/api/admin/products?${query}`);
    expect(res.status).toBe(200);
    return (res.body.content as Array<{ code: string }>).map((p) => p.code).sort();
  };

  beforeAll(async () => {
    service = await startProductService();
    base = service.url;
    const { leaf } = await leafCategory(base, '아이디 목록');
    for (const code of ['TEE', 'HOODIE', 'CAP', 'SOLD-OUT', 'GONE']) {
      const res = await call(base, 'POST', '/api/admin/products', { body: productBody(code, leaf) });
      if (res.status !== 201) throw new Error(`${code}: ${res.status} ${JSON.stringify(res.body)}`);
      ids[code] = res.body.id;
    }
    const sold = (await call(base, 'GET', `/api/admin/products/${ids['SOLD-OUT']}`)).body.skus[0].id;
    const reserved = await call(base, 'POST', '/internal/stock/reservations', {
      body: { orderId: 'order-1', items: [{ skuId: sold, quantity: 1 }] },
      headers: asService(),
    });
    expect(reserved.status).toBe(200);
    for (const code of ['SOLD-OUT', 'GONE']) {
      expect((await call(base, 'DELETE', `/api/admin/products/${ids[code]}`)).status).toBe(204);
    }
  });
  afterAll(() => service.stop());

  it('lists only the products asked for, one id or several', async () => {
    expect(await codes(`ids=${ids.TEE}&ids=${ids.CAP}`)).toEqual(['CAP', 'TEE']);
    expect(await codes(`ids=${ids.HOODIE}`)).toEqual(['HOODIE']);
  });

  it('leaves out unknown ids, and deleted products unless includeDeleted', async () => {
    const asked = `ids=${ids.TEE}&ids=${ids['SOLD-OUT']}&ids=${ids.GONE}&ids=999999`;
    expect(await codes(asked)).toEqual(['TEE']);
    const res = await call(base, 'GET', `/api/admin/products?${asked}&includeDeleted=true`);
    expect(res.body.content.map((p: { code: string; deleted: boolean }) => [p.code, p.deleted])).toEqual([
      ['SOLD-OUT', true],
      ['TEE', false],
    ]);
  });

  it('refuses more ids than a page holds, or a bad one, as a problem naming the field', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `ids=${i + 1}`).join('&');
    for (const query of [many, 'ids=0', 'ids=abc']) {
      const res = await call(base, 'GET', `/api/admin/products?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: expect.stringMatching(/^ids/) })]);
    }
  });
});
