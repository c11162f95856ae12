import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, DELIVERY, type Json, type Reply, type Shop, startShop } from './support/shop.ts';

// The shopper's and the admin's order lists name each order (its first product, how many more, the
// units, the first product's picture) and read a page in one statement beside the page's count.

/** A 1×1 PNG built by hand: the product's picture. */
const TINY_PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082',
  'hex',
);

interface ZipkinSpan {
  traceId: string;
  kind?: string;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

/** Stands in for the Zipkin collector: keeps every span the services export. */
async function startCollector(): Promise<{ url: string; spans: ZipkinSpan[]; server: Server }> {
  const spans: ZipkinSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        spans.push(...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ZipkinSpan[]));
      } catch {
        // Not a batch of spans: nothing to keep.
      }
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/v2/spans`, spans, server };
}

describe('order lists', () => {
  let shop: Shop;
  let collector: Awaited<ReturnType<typeof startCollector>>;

  beforeAll(async () => {
    collector = await startCollector();
    shop = await startShop({ shared: { tracing: { zipkin: { url: collector.url }, sampleRatio: 1 } } });
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
    await new Promise((resolve) => collector?.server.close(resolve));
  });

  /** The statements order-service ran for one answer (its request span's `db.queries`). */
  const statementsOf = (reply: Reply) => {
    const traceId = reply.headers.get('x-trace-id');
    return eventually(
      () =>
        collector.spans.find(
          (s) =>
            s.traceId === traceId && s.kind === 'SERVER' && s.localEndpoint?.serviceName === 'order-service',
        )?.tags?.['db.queries'],
      15_000,
    );
  };

  /** A product on sale with one SKU, pictured when `picture` is set. */
  async function product(name: string, picture: boolean): Promise<number> {
    const products = shop.api('product-service');
    let imageIds: string[] = [];
    if (picture) {
      const uploaded = await fetch(`${shop.service('product-service').url}/api/admin/products/images`, {
        method: 'POST',
        headers: { ...ADMIN, 'content-type': 'image/png' },
        body: TINY_PNG,
      });
      expect(uploaded.status).toBe(201);
      imageIds = [((await uploaded.json()) as { id: string }).id];
    }
    const category = await products.post('/api/admin/categories', {
      name: `목록 ${randomUUID().slice(0, 6)}`,
    });
    const code = `LIST-${randomUUID().slice(0, 8)}`;
    const created = await products.post('/api/admin/products', {
      name,
      code,
      description: '<p>테스트</p>',
      basePrice: 10_000,
      salePrice: 10_000,
      status: 'ACTIVE',
      displayed: true,
      categoryIds: [category.body.id],
      optionGroups: [{ name: '사이즈', values: ['M'] }],
      skus: [
        { skuCode: `${code}-M`, options: { 사이즈: 'M' }, price: 10_000, status: 'ACTIVE', initialStock: 10 },
      ],
      imageIds,
    });
    expect(created.status).toBe(201);
    return (created.body.skus as Array<{ id: number }>)[0]!.id;
  }

  it('name each order by its first product and picture, the others and the units, in one statement per page', async () => {
    const hoodie = await product('오버핏 후드', true);
    const socks = await product('무지 양말', false);
    const user = await shop.shopper();
    const place = async (items: Array<{ skuId: number; quantity: number }>) => {
      const placed = await shop.place(user, { items, delivery: DELIVERY });
      expect(placed.status).toBe(201);
      return placed.body as Json;
    };
    const two = await place([
      { skuId: hoodie, quantity: 1 },
      { skuId: socks, quantity: 2 },
    ]);
    const one = await place([{ skuId: socks, quantity: 1 }]);
    const picture = two.items[0].thumbnailUrl as string | null;
    expect(picture).toEqual(expect.any(String));
    const expected = [
      {
        orderId: one.orderId,
        firstProductName: '무지 양말',
        itemCount: 1,
        totalQuantity: 1,
        thumbnailUrl: null,
      },
      {
        orderId: two.orderId,
        firstProductName: '오버핏 후드',
        itemCount: 2,
        totalQuantity: 3,
        thumbnailUrl: picture,
      },
    ];

    const mine = await shop.api('order-service').get('/api/orders', user.headers);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({
      content: expected,
      page: 0,
      totalElements: 2,
      first: true,
      last: true,
    });
    expect(mine.body.content[0]).not.toHaveProperty('buyer');

    // The buyer's name arrives with user-service's user.registered.
    const admins = await eventually(async () => {
      const reply = await shop.api('order-service').get(`/api/admin/orders?userId=${user.userId}`);
      return reply.body.content?.[0]?.buyer ? reply : undefined;
    });
    expect(admins.body).toMatchObject({
      content: expected.map((order) => ({
        ...order,
        userId: user.userId,
        buyer: { name: '김구매', email: user.email },
      })),
      totalElements: 2,
    });

    // The page (its orders with their lines and buyers) and its count: two statements, however many orders.
    expect(await statementsOf(mine)).toBe('2');
    expect(await statementsOf(admins)).toBe('2');
  });
});
