import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PaymentRefunded, productImageUrl } from '@sagamart/contracts';
import { DeploymentCredentials, type Kysely, type ServiceContext, sql } from '@sagamart/kit';
import { eventsHandled, eventually, TEST_DEPLOYMENT_SECRET } from '@sagamart/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderReads } from '../src/app/order-reads.ts';
import type { OrderDb } from '../src/infra/schema.ts';
import { ADMIN, asUser, DELIVERY, type Json, type Reply, type Shop, startShop } from './support/shop.ts';

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

  /**
   * A product on sale, pictured when `picture` is set (an upload of the admin's), in its own category,
   * with one SKU in size M, or one per colour of `colours`; answers the SKU ids and the upload's id.
   */
  async function productSkus(
    name: string,
    picture: boolean,
    colours?: string[],
  ): Promise<{ skuIds: number[]; imageId: string | null }> {
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
      optionGroups: [colours ? { name: '색상', values: colours } : { name: '사이즈', values: ['M'] }],
      skus: (colours ?? ['M']).map((value, i) => ({
        skuCode: `${code}-${i}`,
        options: colours ? { 색상: value } : { 사이즈: value },
        price: 10_000,
        status: 'ACTIVE',
        initialStock: 10,
      })),
      imageIds,
    });
    expect(created.status).toBe(201);
    return {
      skuIds: (created.body.skus as Array<{ id: number }>).map((sku) => sku.id),
      imageId: imageIds[0] ?? null,
    };
  }
  const product = async (name: string, picture: boolean) => (await productSkus(name, picture)).skuIds[0]!;

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
        // No upload: no picture (the browser draws one from the name).
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

  it("keep no drawn picture of a product with no upload (the demo shop's): its lines and the lists say null, an upload's URL otherwise", async () => {
    // Colours and a garment's name: what the browser draws from, and nothing the server draws.
    const {
      skuIds: [black, navy],
    } = await productSkus('오버핏 후드', false, ['블랙', '네이비']);
    const { skuIds, imageId } = await productSkus('레더 클래식 벨트', true);
    const user = await shop.shopper();
    const placed = await shop.place(user, {
      items: [
        { skuId: navy!, quantity: 1 },
        { skuId: black!, quantity: 1 },
        { skuId: skuIds[0]!, quantity: 1 },
      ],
      delivery: DELIVERY,
    });
    expect(placed.status).toBe(201);
    expect(placed.body.items.map((i: Json) => i.thumbnailUrl)).toEqual([
      null,
      null,
      productImageUrl(imageId!),
    ]);
    const mine = await shop.api('order-service').get('/api/orders', user.headers);
    expect(mine.body.content).toEqual([
      expect.objectContaining({
        orderId: placed.body.orderId,
        firstProductName: '오버핏 후드',
        thumbnailUrl: null,
      }),
    ]);
  });

  /** payment.refunded messages order-service finished with. */
  const refundsHandled = () => eventsHandled(shop.service('order-service'), PaymentRefunded.name);

  it('say what a cancel gave back of a paid order (the card payment and the points), once, as the detail does', async () => {
    const skuId = await product('레더 클래식 벨트', false);
    const user = await shop.shopper(3_000);
    const refunds = await shop.recorder([PaymentRefunded.name]);
    const placed = await shop.place(user, {
      items: [{ skuId, quantity: 2 }],
      delivery: DELIVERY,
      pointsToUse: 2_000,
    });
    expect(placed.status).toBe(201);
    const order = placed.body as Json;
    expect(order).toMatchObject({ pointsUsed: 2_000, payableAmount: 18_000 });
    await shop.pay(order.orderNumber);
    await eventually(async () => (await shop.order(user, order.orderId)).body.status === 'PAID');

    const cancelled = await shop
      .api('order-service')
      .post(`/api/orders/${order.orderId}/cancel`, {}, user.headers);
    expect(cancelled.status).toBe(200);
    const events = (o: Json) => (o.timeline as Json[]).map((t) => t.event as string);
    const settled = await eventually(async () => {
      const o = (await shop.order(user, order.orderId)).body;
      return events(o).includes('PAYMENT_REFUNDED') && events(o).includes('RESERVATIONS_RELEASED')
        ? o
        : undefined;
    });
    // The points came back to the balance, and the card payment was refunded.
    expect((await shop.points(user)).balance).toBe(3_000);
    expect(settled.payments).toMatchObject([{ status: 'REFUNDED' }]);

    const gaveBack = { orderId: order.orderId, refundedAmount: 18_000, refundedPoints: 2_000 };
    const lists = async () => {
      const mine = await shop.api('order-service').get('/api/orders', user.headers);
      const admins = await shop.api('order-service').get(`/api/admin/orders?userId=${user.userId}`);
      const chatService = new DeploymentCredentials('chat-service', { current: TEST_DEPLOYMENT_SECRET });
      const forAgents = await shop
        .api('order-service')
        .get(`/internal/customers/${user.userId}/orders`, chatService.headersFor('order-service'));
      expect(forAgents.status).toBe(200);
      return [mine.body.content, admins.body.content, forAgents.body.content];
    };
    for (const list of await lists()) expect(list).toEqual([expect.objectContaining(gaveBack)]);
    // The shopper's and the admin's detail mean the same by refundedAmount and refundedPoints; what
    // returns alone got back has its own name (none here).
    const details = async () => [
      (await shop.order(user, order.orderId)).body,
      (await shop.adminOrder(order.orderId)).body,
    ];
    for (const detail of await details())
      expect(detail).toMatchObject({ ...gaveBack, returnsRefundedAmount: 0 });

    // payment.refunded delivered again, twice: counted once.
    const [refund] = (await refunds.events()).filter((e) => e.payload.orderId === order.orderId);
    expect(refund?.payload).toMatchObject({ claimId: null, amount: 18_000 });
    const before = await refundsHandled();
    await shop.publish(PaymentRefunded, refund!.payload);
    await shop.publish(PaymentRefunded, refund!.payload);
    await eventually(async () => (await refundsHandled()) >= before + 2);
    for (const list of await lists()) expect(list).toEqual([expect.objectContaining(gaveBack)]);
    for (const detail of await details()) expect(detail).toMatchObject(gaveBack);

    // Cancelled before it was paid: nothing was charged, and its points were only held.
    const unpaid = (
      await shop.place(user, { items: [{ skuId, quantity: 1 }], delivery: DELIVERY, pointsToUse: 1_000 })
    ).body as Json;
    expect(unpaid.status).toBe('PAYMENT_PENDING');
    await shop.api('order-service').post(`/api/orders/${unpaid.orderId}/cancel`, {}, user.headers);
    await eventually(async () =>
      events((await shop.order(user, unpaid.orderId)).body).includes('RESERVATIONS_RELEASED'),
    );
    for (const list of await lists()) {
      expect(list).toEqual([
        expect.objectContaining({ orderId: unpaid.orderId, refundedAmount: 0, refundedPoints: 0 }),
        expect.objectContaining(gaveBack),
      ]);
    }
    expect((await shop.order(user, unpaid.orderId)).body).toMatchObject({
      refundedAmount: 0,
      refundedPoints: 0,
      returnsRefundedAmount: 0,
    });
  });

  it('page a large list newest first, ties by order id, the same near the start and far from it, each page along an index', async () => {
    const ctx = shop.service('order-service').context as unknown as ServiceContext<OrderDb>;
    const db = ctx.db as unknown as Kysely<OrderDb>;
    // 20,000 orders of 2020, three to each instant (ties that pages cut through); a shopper has the
    // orders of every 500th instant (42), known to the admin by a name of their own.
    const ORDERS = 20_000;
    const shopper = randomUUID();
    const buyerName = `대량구매 ${randomUUID().slice(0, 8)}`;
    await sql`insert into orders (id, order_number, user_id, status, cancel_reason, version, idempotency_key,
        request_hash, subtotal, policy_discount, coupon_discount, discount_amount, points_used, payable_amount,
        policy_discounts, order_name, receiver_name, receiver_phone, zipcode, address, created_at, placed_at)
      select gen_random_uuid()::text, 'ORD-20200101-' || lpad(upper(to_hex(g)), 8, '0'),
             case when (g / 3) % 500 = 0 then ${shopper}::uuid else gen_random_uuid() end,
             case g % 10 when 0 then 'CANCELLED' when 1 then 'PAID' else 'DELIVERED' end,
             case g % 10 when 0 then 'USER_CANCELLED' end,
             3, gen_random_uuid()::text, 'bulk', 10000, 0, 0, 0, 0, 10000, '[]'::jsonb, '무지 양말', '김구매',
             '010-1234-5678', '06236', '서울 강남구 테헤란로 1',
             timestamptz '2020-01-01 00:00:00+00' + (g / 3) * interval '1 minute',
             timestamptz '2020-01-01 00:00:00+00' + (g / 3) * interval '1 minute'
      from generate_series(0, ${ORDERS - 1}) g`.execute(db);
    await sql`insert into buyers (user_id, email, name, version)
      values (${shopper}, ${`${shopper}@example.test`}, ${buyerName}, 1)`.execute(db);
    await sql`analyze orders`.execute(db);

    // The lists' order as the API promises it: newest first, then by order id.
    const all = (
      await sql<{ id: string; status: string; user_id: string; order_number: string; us: string }>`
        select id, status, user_id, order_number, (extract(epoch from created_at) * 1000000)::bigint::text as us
        from orders`.execute(db)
    ).rows.sort((a, b) => {
      const [x, y] = [BigInt(a.us), BigInt(b.us)];
      return x !== y ? (x > y ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    const ids = (rows: typeof all) => rows.map((o) => o.id);
    const expectPage = async (path: string, headers: Record<string, string>, rows: typeof all) => {
      const url = new URL(path, 'http://x');
      const page = Number(url.searchParams.get('page') ?? 0);
      const size = Number(url.searchParams.get('size'));
      const reply = await shop.api('order-service').get(path, headers);
      expect(reply.status).toBe(200);
      const totalPages = Math.ceil(rows.length / size);
      expect(reply.body).toMatchObject({
        page,
        size,
        totalElements: rows.length,
        totalPages,
        first: page === 0,
        last: page >= totalPages - 1,
      });
      expect(reply.body.content.map((o: Json) => o.orderId)).toEqual(
        ids(rows.slice(page * size, (page + 1) * size)),
      );
      return reply.body.content as Json[];
    };

    // The admin's whole list and one status: the first pages, one in the middle, the last, past the last.
    const cancelled = all.filter((o) => o.status === 'CANCELLED');
    for (const page of [0, 1, 77, Math.ceil(all.length / 100) - 1, Math.ceil(all.length / 100)])
      await expectPage(`/api/admin/orders?size=100&page=${page}`, ADMIN, all);
    for (const page of [0, 9, Math.ceil(cancelled.length / 100) - 1])
      await expectPage(`/api/admin/orders?status=CANCELLED&size=100&page=${page}`, ADMIN, cancelled);

    // One shopper's orders, page by page, in every list that shows them: together, each exactly once.
    const theirs = all.filter((o) => o.user_id === shopper);
    expect(theirs).toHaveLength(42);
    const agent = new DeploymentCredentials('chat-service', { current: TEST_DEPLOYMENT_SECRET });
    const lists: Array<[string, Record<string, string>, number]> = [
      ['/api/orders?', asUser(shopper), 8],
      [`/api/admin/orders?userId=${shopper}&`, ADMIN, 8],
      [`/api/admin/orders?buyer=${encodeURIComponent(buyerName.toUpperCase())}&`, ADMIN, 8],
      [`/internal/customers/${shopper}/orders?`, agent.headersFor('order-service'), 10],
    ];
    for (const [path, headers, size] of lists) {
      const seen: string[] = [];
      for (let page = 0; page * size < theirs.length; page++)
        seen.push(
          ...(await expectPage(`${path}size=${size}&page=${page}`, headers, theirs)).map((o) => o.orderId),
        );
      expect(seen).toEqual(ids(theirs));
    }
    const delivered = theirs.filter((o) => o.status === 'DELIVERED');
    await expectPage('/api/orders?status=DELIVERED&size=8&page=1', asUser(shopper), delivered);

    // By number: the whole number is that order; a part of one, any case, the orders that hold it.
    const one = theirs[5]!;
    await expectPage(`/api/admin/orders?orderNumber=${one.order_number}&size=20`, ADMIN, [one]);
    const part = one.order_number.slice(-6).toLowerCase();
    await expectPage(
      `/api/admin/orders?orderNumber=${part}&size=20`,
      ADMIN,
      all.filter((o) => o.order_number.includes(part.toUpperCase())),
    );

    // How PostgreSQL reads a page (its plan, not a timing): the first page of the whole list along the
    // newest-first index, no sort of every order; and on any page, near or far, each order's lines,
    // refunds and buyer are looked up for the page's orders only, not for those an offset skips.
    const plan = async (read: (reads: OrderReads) => Promise<unknown>) => {
      const statements: Array<ReturnType<ReturnType<typeof ctx.db.getExecutor>['compileQuery']>> = [];
      const capturing = ctx.db.withPlugin({
        transformQuery: (args) => {
          statements.push(ctx.db.getExecutor().compileQuery(args.node, args.queryId));
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      await read(new OrderReads(Object.create(ctx, { db: { value: capturing } })));
      const page = statements.find((s) => s.sql.includes('json_build_object'))!;
      const explained = await ctx.db.executeQuery<{ 'QUERY PLAN': string }>({
        ...page,
        sql: `explain (analyze, costs off) ${page.sql}`,
      });
      return explained.rows.map((r) => r['QUERY PLAN']).join('\n');
    };
    /** How many times each per-order subquery ran. */
    const subqueryRuns = (text: string) =>
      [...text.matchAll(/SubPlan \d+\n\s*->[^\n]*loops=(\d+)\)/g)].map((m) => Number(m[1]));

    const first = await plan((reads) => reads.adminList({ page: 0, size: 20 }));
    expect(first).toMatch(/Index (Only )?Scan using orders_latest on orders/);
    expect(first).not.toMatch(/Seq Scan on orders\b/);
    const far = [
      first,
      await plan((reads) => reads.adminList({ page: Math.floor(all.length / 20) - 1, size: 20 })),
      await plan((reads) => reads.adminList({ page: 90, size: 20, status: 'CANCELLED' })),
      await plan((reads) => reads.mine(shopper, { page: 4, size: 8 })),
    ];
    for (const text of far) {
      expect(subqueryRuns(text).length).toBeGreaterThan(0);
      for (const runs of subqueryRuns(text)) expect(runs).toBeLessThanOrEqual(20);
    }
  });
});
