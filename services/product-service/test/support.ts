import { randomUUID } from 'node:crypto';
import type { ClaimReason, ReturnCompletedPayload, Topology } from '@sagamart/contracts';
import {
  type ConfigTree,
  DeploymentCredentials,
  defineService,
  type Kysely,
  mergeConfig,
  SERVICE_TOKEN_HEADER,
  type Service,
} from '@sagamart/kit';
import { asUser, startTestService, TEST_DEPLOYMENT_SECRET, uniqueName } from '@sagamart/testkit';
import productService from '../src/index.ts';
import { migrations, type ProductDb } from '../src/infra/schema.ts';

export const ADMIN_ID = '7d4c1a52-2c59-4c5e-9f0a-0d5c3c3f0001';
export const ADMIN = asUser(ADMIN_ID, 'ADMIN', 'admin@sagamart.test');
export const SHOPPER = asUser('7d4c1a52-2c59-4c5e-9f0a-0d5c3c3f0002', 'USER', 'admin@sagamart.test');

// biome-ignore lint/suspicious/noExplicitAny: tests read response JSON freely
export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A JSON (or raw bytes) call against a running service. */
// biome-ignore lint/suspicious/noExplicitAny: tests read response JSON freely
export async function call<T = any>(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; raw?: Uint8Array; contentType?: string; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? ADMIN) };
  let body: BodyInit | undefined;
  if (options.raw) {
    headers['content-type'] = options.contentType ?? 'application/octet-stream';
    body = options.raw as unknown as BodyInit;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const type = res.headers.get('content-type') ?? '';
  const parsed = type.includes('json')
    ? await res.json()
    : type.startsWith('image/')
      ? Buffer.from(await res.arrayBuffer())
      : await res.text();
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/**
 * product-service on fresh databases, without the demo seed unless `config` turns it on; `topology`
 * routes its events elsewhere than the platform's (to a test's recorder).
 */
export async function startProductService(
  config: ConfigTree = {},
  topology?: Topology,
): Promise<Service<unknown>> {
  return startTestService(productService, {
    config: mergeConfig({ product: { seed: { enabled: false } } }, config),
    ...(topology ? { topology } : {}),
  });
}

/**
 * Config for product-service and the probe (or recorders) started beside it: one fresh bus, polled
 * often, and quick redelivery, so a test hears of an event soon after it is published.
 */
export function sharedBusConfig(): ConfigTree {
  return {
    bus: { database: uniqueName('t_bus'), pollMs: 200 },
    events: { baseDelayMs: 50 },
  };
}

/**
 * Calls as shipping-service itself: it reserves an exchange's new option keyed by the claim's id, so
 * product-service knows the movement is a claim's, not an order's.
 */
export function asShippingService(): Record<string, string> {
  return {
    [SERVICE_TOKEN_HEADER]: new DeploymentCredentials('shipping-service', {
      current: TEST_DEPLOYMENT_SECRET,
    }).mint('product-service'),
  };
}

/**
 * shipping-service's return.completed of `quantity` units of one SKU at 39,000 each, refunded in
 * full without a fee; without a `reason`, as events published before shipping-service named it.
 */
export function returnCompleted(
  orderId: string,
  skuId: number,
  reason: ClaimReason | undefined,
  quantity = 1,
): ReturnCompletedPayload {
  return {
    claimId: randomUUID(),
    orderId,
    orderNumber: 'ORD-20261207-RT12RT34',
    userId: randomUUID(),
    version: 4,
    ...(reason ? { reason } : {}),
    items: [{ orderItemId: 1, skuId, quantity, refundAmount: 39_000 * quantity, pointsRefund: 0 }],
    refundAmount: 39_000 * quantity,
    pointsRefund: 0,
    feeAmount: 0,
    restoreCoupon: false,
    couponId: null,
    wholeOrder: false,
    completedAt: new Date().toISOString(),
  };
}

/**
 * A fresh product database with only the migrations before `migration` applied, for that
 * migration's test: write rows the old way into `db`, stop `old`, then start product-service on
 * `database` to run the rest.
 */
export async function startBeforeMigration(migration: string) {
  const database = uniqueName('t_product_migrate');
  const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < migration));
  const old = await startTestService(
    defineService({ name: 'product-migrations', port: 0, migrations: before }),
    { config: { database: { name: database } } },
  );
  return { database, old, db: old.context.db as Kysely<ProductDb> };
}

/** A product row written straight into an old schema: on sale at 39,000, shown, without options. */
export async function insertOldProduct(
  db: Kysely<ProductDb>,
  product: { code: string; name: string; description?: string; descriptionText?: string },
): Promise<number> {
  const { id } = await db
    .insertInto('products')
    .values({
      code: product.code,
      name: product.name,
      description: product.description ?? '',
      description_text: product.descriptionText ?? '',
      base_price: 39_000,
      sale_price: 39_000,
      status: 'ACTIVE',
      displayed: true,
      option_groups: JSON.stringify([]) as never,
      version: 1,
      deleted_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** A small valid PNG (1×1) built by hand, to keep tests independent of the generator under test. */
export const TINY_PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082',
  'hex',
);

/** Creates a top-level category and a leaf below it; returns the leaf id and the top id. */
export async function leafCategory(base: string, name: string): Promise<{ top: number; leaf: number }> {
  const top = await call(base, 'POST', '/api/admin/categories', { body: { name: `${name} 상위` } });
  if (top.status !== 201) throw new Error(`category: ${top.status} ${JSON.stringify(top.body)}`);
  const leaf = await call(base, 'POST', '/api/admin/categories', { body: { name, parentId: top.body.id } });
  if (leaf.status !== 201) throw new Error(`category: ${leaf.status} ${JSON.stringify(leaf.body)}`);
  return { top: top.body.id, leaf: leaf.body.id };
}

/** A product body with a colour × size matrix, every SKU at the sale price (39,000 unless overridden). */
export function productBody(
  code: string,
  categoryId: number,
  overrides: Record<string, unknown> = {},
  colours = ['블랙', '화이트'],
  sizes = ['M', 'L'],
) {
  const price = typeof overrides.salePrice === 'number' ? overrides.salePrice : 39_000;
  const skus = colours.flatMap((colour, c) =>
    sizes.map((size) => ({
      skuCode: `${code}-${c}-${size}`,
      options: { 색상: colour, 사이즈: size },
      price,
      status: 'ACTIVE',
      initialStock: 10,
    })),
  );
  return {
    name: `테스트 상품 ${code}`,
    code,
    description: '<p>설명</p>',
    basePrice: 49_000,
    salePrice: 39_000,
    status: 'ACTIVE',
    displayed: true,
    categoryIds: [categoryId],
    optionGroups: [
      { name: '색상', values: colours },
      { name: '사이즈', values: sizes },
    ],
    skus,
    imageIds: [],
    ...overrides,
  };
}
