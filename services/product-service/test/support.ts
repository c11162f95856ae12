import type { Topology } from '@sagamart/contracts';
import { type ConfigTree, mergeConfig, type Service } from '@sagamart/kit';
import { asUser, startTestService } from '@sagamart/testkit';
import productService from '../src/index.ts';

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
