import { type ConfigTree, mergeConfig, type Service } from '@sagamart/kit';
import { eventually, startTestService, uniqueName } from '@sagamart/testkit';
import productService from '../../product-service/src/index.ts';
import catalogService from '../src/index.ts';

export { ADMIN, call, productBody, SHOPPER } from '../../product-service/test/support.ts';

import { call } from '../../product-service/test/support.ts';

/** Fast retries and polling so events settle quickly in tests. */
const QUICK_EVENTS: ConfigTree = { events: { baseDelayMs: 20, maxDelayMs: 200 } };

export interface Pair {
  product: Service<unknown>;
  catalog: Service<unknown>;
  /** The bus database both share (events flow from product-service to the catalog). */
  bus: string;
  stop(): Promise<void>;
}

/**
 * product-service and catalog-service on one event bus, the catalog finding product-service by
 * static discovery (`catalog`, `product`: extra config for each). `sharedBus: false` gives the catalog
 * a bus of its own (it hears nothing); `seed`
 * loads product-service's demo shop (the showroom the shop starts with).
 */
export async function startPair(
  options: { catalog?: ConfigTree; product?: ConfigTree; sharedBus?: boolean; seed?: boolean } = {},
): Promise<Pair> {
  const bus = uniqueName('t_bus');
  const product = await startTestService(productService, {
    config: mergeConfig(
      mergeConfig(QUICK_EVENTS, {
        bus: { database: bus, pollMs: 200 },
        product: { seed: { enabled: options.seed ?? false } },
      }),
      options.product ?? {},
    ),
  });
  const catalogBus = options.sharedBus === false ? uniqueName('t_bus') : bus;
  const catalog = await startTestService(catalogService, {
    config: mergeConfig(
      mergeConfig(QUICK_EVENTS, {
        bus: { database: catalogBus, pollMs: 200 },
        discovery: { mode: 'static', static: { 'product-service': product.url } },
      }),
      options.catalog ?? {},
    ),
  });
  return {
    product,
    catalog,
    bus,
    async stop() {
      await catalog.stop();
      await product.stop();
    },
  };
}

export async function createCategory(
  base: string,
  name: string,
  parentId: number | null = null,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const res = await call(base, 'POST', '/api/admin/categories', { body: { name, parentId, ...extra } });
  if (res.status !== 201) throw new Error(`category ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read the product's JSON freely
export async function createProduct(base: string, body: unknown): Promise<any> {
  const res = await call(base, 'POST', '/api/admin/products', { body });
  if (res.status !== 201) throw new Error(`product: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The catalog's search page for a query string (without the leading ?). */
// biome-ignore lint/suspicious/noExplicitAny: tests read the page's JSON freely
export async function search(catalog: string, query = ''): Promise<any> {
  const res = await call(catalog, 'GET', `/api/catalog/products${query ? `?${query}` : ''}`, { headers: {} });
  if (res.status !== 200) throw new Error(`search ${query}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const names = (page: { content: Array<{ name: string }> }) => page.content.map((p) => p.name);

/** Waits until the catalog answers what `check` wants (events are asynchronous). */
export function until<T>(fn: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  let last: T | undefined;
  return eventually(
    async () => {
      last = await fn();
      return check(last) ? last : undefined;
    },
    timeoutMs,
    50,
  ).catch((error) => {
    throw new Error(`condition not met; last value: ${JSON.stringify(last)?.slice(0, 2_000)}`, {
      cause: error,
    });
  }) as Promise<T>;
}
