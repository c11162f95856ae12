import { randomUUID } from 'node:crypto';
import type { ConfigTree, Service } from '@sagamart/kit';
import { asUser, type JsonClient, jsonClient, startTestService } from '@sagamart/testkit';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import promotionService from '../src/index.ts';

export { asUser, type JsonClient as Client, jsonClient as client } from '@sagamart/testkit';
export const admin = asUser(randomUUID(), 'ADMIN');

const day = 86_400_000;
export const daysFromNow = (days: number) => new Date(Date.now() + days * day).toISOString();
export const secondsFromNow = (seconds: number) => new Date(Date.now() + seconds * 1_000).toISOString();

let codes = 0;
export function uniqueCode(prefix = 'C'): string {
  codes += 1;
  return `${prefix}${randomUUID().replaceAll('-', '').slice(0, 10)}${codes}`.toUpperCase();
}

export function couponBody(overrides: Record<string, unknown> = {}) {
  return {
    code: uniqueCode(),
    name: '신규 가입 쿠폰',
    discountType: 'RATE',
    discountValue: 10,
    minOrderAmount: 0,
    maxDiscount: null,
    validFrom: daysFromNow(-1),
    validTo: daysFromNow(30),
    totalIssueLimit: null,
    status: 'ACTIVE',
    ...overrides,
  };
}

/**
 * Stands in for product-service's internal API: the category list and the product snapshot that
 * promotion uses to check policy targets.
 */
export interface FakeCatalog {
  url: string;
  categories: Set<number>;
  products: Map<number, { deleted: boolean }>;
  close(): Promise<void>;
}

export async function startFakeCatalog(): Promise<FakeCatalog> {
  const categories = new Set<number>();
  const products = new Map<number, { deleted: boolean }>();
  const app: FastifyInstance = Fastify();
  app.get('/internal/sync/categories', async () => ({
    content: [...categories].map((categoryId) => ({
      categoryId,
      version: 1,
      parentId: null,
      name: `c${categoryId}`,
    })),
  }));
  app.get<{ Params: { id: string } }>('/internal/products/:id', async (req, reply) => {
    const product = products.get(Number(req.params.id));
    if (!product) return reply.status(404).send({ type: 'about:blank', title: 'Not Found', status: 404 });
    return { productId: Number(req.params.id), version: 1, name: 'p', deleted: product.deleted };
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, categories, products, close: () => app.close() };
}

export async function startPromotion(catalogUrl: string, config: ConfigTree = {}) {
  return startTestService(promotionService, {
    config: {
      discovery: { mode: 'static', static: { 'product-service': catalogUrl } },
      http: { client: { timeoutMs: 1_000, maxAttempts: 1 } },
      ...config,
    },
  });
}

/** A coupon as the admin API shows it. */
export interface AdminCoupon {
  id: number;
  code: string;
  issuedCount: number;
  [field: string]: unknown;
}

/** Creates a coupon as admin and returns it. */
export async function createCoupon(api: JsonClient, overrides: Record<string, unknown> = {}) {
  const res = await api.post('/api/admin/promotion/coupons', couponBody(overrides), admin);
  if (res.status !== 201) throw new Error(`coupon not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as AdminCoupon;
}

/** The PUT body that leaves a coupon as it is: tests change from it only what they mean to. */
export function couponInputOf(coupon: AdminCoupon) {
  const { code, name, discountType, discountValue, minOrderAmount, maxDiscount, validFrom, validTo } = coupon;
  const { totalIssueLimit, status } = coupon;
  return {
    code,
    name,
    discountType,
    discountValue,
    minOrderAmount,
    maxDiscount,
    validFrom,
    validTo,
    totalIssueLimit,
    status,
  };
}

/** Creates a coupon and issues it to a new user; returns both. */
export async function issuedCoupon(api: JsonClient, overrides: Record<string, unknown> = {}) {
  const coupon = await createCoupon(api, overrides);
  const userId = randomUUID();
  const claim = await api.post('/api/promotion/coupons/claim', { couponCode: coupon.code }, asUser(userId));
  if (claim.status !== 201) throw new Error(`claim failed: ${claim.status} ${JSON.stringify(claim.body)}`);
  return { coupon, userId };
}

/**
 * One promotion-service (with its fake catalog) for a describe block; the getters are valid inside tests.
 */
export function usePromotion() {
  let catalog: FakeCatalog;
  let service: Service<unknown>;
  let api: JsonClient;
  beforeAll(async () => {
    catalog = await startFakeCatalog();
    service = await startPromotion(catalog.url);
    api = jsonClient(service);
  });
  afterAll(async () => {
    await service.stop();
    await catalog.close();
  });
  return {
    get catalog() {
      return catalog;
    },
    get service() {
      return service;
    },
    get api() {
      return api;
    },
  };
}
