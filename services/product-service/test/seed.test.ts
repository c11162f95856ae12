import type { Service } from '@sagamart/kit';
import { uniqueName } from '@sagamart/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { call, startProductService } from './support.ts';

describe('product-service: demo seed', () => {
  const running: Service<unknown>[] = [];
  afterAll(() => Promise.all(running.map((s) => s.stop())));
  const config = { database: { name: uniqueName('t_db') }, product: { seed: { enabled: true } } };

  async function start() {
    const service = await startProductService(config);
    running.push(service);
    return service.url;
  }
  const allProducts = async (base: string) => (await call(base, 'GET', '/api/admin/products?size=100')).body;

  it('loads nine top-level categories and at least 30 products with options, SKUs and stock, once', async () => {
    const base = await start();
    const tree = (await call(base, 'GET', '/api/admin/categories')).body as Array<{
      name: string;
      children: unknown[];
    }>;
    expect(tree.map((c) => c.name)).toEqual([
      '상의',
      '아우터',
      '바지',
      '원피스/스커트',
      '신발',
      '가방',
      '패션소품',
      '속옷/홈웨어',
      '스포츠/레저',
    ]);
    expect(tree.every((c) => c.children.length >= 2)).toBe(true);

    const page = await allProducts(base);
    expect(page.totalElements).toBeGreaterThanOrEqual(30);
    const names = page.content.map((p: { name: string }) => p.name).join(' ');
    for (const word of ['맨투맨', '후드티', '청바지']) expect(names).toContain(word);

    const product = (
      await call(
        base,
        'GET',
        `/api/admin/products/${page.content.find((p: { name: string }) => p.name.includes('맨투맨')).id}`,
      )
    ).body;
    expect(product.optionGroups.map((g: { name: string }) => g.name)).toEqual(['색상', '사이즈']);
    const combos = product.optionGroups.reduce(
      (n: number, g: { values: string[] }) => n * g.values.length,
      1,
    );
    expect(product.skus).toHaveLength(combos);
    expect(product.skus.some((s: { stock: number }) => s.stock > 0)).toBe(true);
    // No uploaded pictures: the shop draws each product in the colours of its 색상 option.
    expect(product.images).toEqual([]);
    expect(product.optionGroups[0].values.length).toBeGreaterThan(0);

    // Deleting a seeded product sticks: a restart does not seed again.
    expect((await call(base, 'DELETE', `/api/admin/products/${product.id}`)).status).toBe(204);
    await running.pop()!.stop();
    const again = await start();
    const after = await allProducts(again);
    expect(after.totalElements).toBe(page.totalElements - 1);
    expect((await call(again, 'GET', '/api/admin/categories')).body).toHaveLength(9);
  });
});
