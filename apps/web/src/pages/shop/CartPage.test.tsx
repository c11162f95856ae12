// @vitest-environment happy-dom
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { answeredThisVisit, foldPriceChanges, type PriceChange } from '../../cart/cart-prices.ts';
import { type CartItem, cart } from '../../cart/cart-store.ts';
import type { ProductDetail } from '../../catalog/catalog-api.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import { CartPage } from './CartPage.tsx';

// A line keeps the price seen when it was added; the catalog's price may have moved since. The cart
// page used to total the old prices (and only whisper "현재 35,000원" beside the line), so the shopper
// met a different amount at checkout.

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const hoodie: CartItem = {
  skuId: 11,
  productId: 1,
  name: '오버핏 후드',
  optionLabel: '블랙 / M',
  unitPrice: 39_000,
  quantity: 2,
};
const socks: CartItem = {
  skuId: 21,
  productId: 2,
  name: '무지 양말',
  optionLabel: '',
  unitPrice: 5_000,
  quantity: 1,
};

/** catalog-service's answer for a product whose one SKU now costs `price`. */
function product(line: CartItem, price: number): ProductDetail {
  return {
    id: line.productId,
    code: `P-${line.productId}`,
    name: line.name,
    basePrice: price,
    salePrice: price,
    discountRate: 0,
    status: 'ACTIVE',
    inStock: true,
    salesCount: 0,
    thumbnailUrl: null,
    categoryIds: [],
    colours: [],
    createdAt: null,
    description: '',
    images: [],
    breadcrumb: [],
    optionGroups: [],
    skus: [{ id: line.skuId, skuCode: `S-${line.skuId}`, options: {}, price, stock: 10, status: 'ACTIVE' }],
    updatedAt: null,
  };
}

/** The catalog as the gateway serves it, by product id. */
function serveCatalog(products: ProductDetail[]) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const id = Number(/\/api\/catalog\/products\/(\d+)$/.exec(String(input))?.[1]);
      const found = products.find((p) => p.id === id);
      return found
        ? Response.json(found)
        : Response.json({ status: 404, title: 'Not Found' }, { status: 404 });
    }),
  );
}

let container: HTMLElement;
let root: Root;

async function showCart() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  await act(async () => {
    root.render(
      <MantineProvider>
        <QueryClientProvider client={queryClient}>
          <MemoryRouter initialEntries={['/cart']}>
            <CartPage />
          </MemoryRouter>
        </QueryClientProvider>
      </MantineProvider>,
    );
  });
}

/** Waits (bounded) until the page shows what `read` looks for. */
async function shown<T>(read: () => T | undefined | null | false): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = read();
    if (value) return value;
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
  }
  throw new Error(`not shown: ${container.textContent}`);
}

const total = () => container.querySelector('[data-testid="cart-total"]')?.textContent;

beforeEach(() => {
  window.matchMedia ??= ((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addEventListener: () => {},
    removeEventListener: () => {},
    addListener: () => {},
    removeListener: () => {},
    dispatchEvent: () => false,
  })) as unknown as typeof window.matchMedia;
  cart.replace([hoodie, socks]);
});

afterEach(async () => {
  await act(async () => root.unmount());
  container.remove();
  cart.clear();
  vi.unstubAllGlobals();
  await setLanguage('ko');
});

describe('the cart after a price change', () => {
  it('totals the catalog’s current prices and says which changed', async () => {
    // The hoodie dropped from 39,000원 to 35,000원; the socks went up from 5,000원 to 6,000원.
    serveCatalog([product(hoodie, 35_000), product(socks, 6_000)]);
    await showCart();

    expect(await shown(() => total() === '76,000원' && total())).toBe('76,000원');
    const notice = await shown(() => container.querySelector('[role="status"]'));
    expect(notice.textContent).toContain('담은 뒤 가격이 바뀐 상품이 있습니다');
    expect(notice.textContent).toContain('오버핏 후드 (블랙 / M): 39,000원 → 35,000원');
    expect(notice.textContent).toContain('무지 양말: 5,000원 → 6,000원');
    expect(container.textContent).toContain('가격 변경 (담을 때 39,000원)');
    // The cart itself holds the new prices: checkout and the next visit start from them.
    expect(cart.getSnapshot().items.map((line) => line.unitPrice)).toEqual([35_000, 6_000]);
  });

  it('keeps the price of a line whose product the catalog cannot read, and says nothing of unchanged ones', async () => {
    serveCatalog([product(hoodie, 39_000)]);
    await showCart();

    await shown(() => container.textContent?.includes('판매 종료된 상품'));
    expect(total()).toBe('83,000원');
    expect(container.querySelector('[role="status"]')).toBeNull();
    expect(cart.getSnapshot().items.map((line) => line.unitPrice)).toEqual([39_000, 5_000]);
  });
});

describe('price changes seen on one visit', () => {
  const change = (from: number, to: number): PriceChange => ({
    skuId: 11,
    name: '오버핏 후드',
    optionLabel: '',
    from,
    to,
  });

  it('run from the price first held to the latest, and vanish when the price comes back', () => {
    expect(foldPriceChanges([change(39_000, 35_000)], [change(35_000, 33_000)])).toEqual([
      change(39_000, 33_000),
    ]);
    expect(foldPriceChanges([change(39_000, 35_000)], [change(35_000, 39_000)])).toEqual([]);
  });
});

describe('the answers a visit takes prices from', () => {
  const detail = product(hoodie, 30_000);
  it('are this visit’s successful reads only, never an older answer a failed read left in the cache', () => {
    const answer = { isSuccess: true, isFetchedAfterMount: true, data: detail, dataUpdatedAt: 5 };
    expect(answeredThisVisit([answer]).map((p) => p.skus[0]!.price)).toEqual([30_000]);
    // Failed now; the product page's answer is still there.
    expect(answeredThisVisit([{ ...answer, isSuccess: false }])).toEqual([]);
    // Not read yet on this visit.
    expect(answeredThisVisit([{ ...answer, isFetchedAfterMount: false }])).toEqual([]);
  });
});
