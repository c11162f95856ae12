// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answeredThisVisit, foldPriceChanges, type PriceChange } from '../../cart/cart-prices.ts';
import { type CartItem, cart } from '../../cart/cart-store.ts';
import type { ProductDetail } from '../../catalog/catalog-api.ts';
import { setLanguage } from '../../i18n/i18n.ts';
import { aProduct, hoodieInCart, socksInCart } from '../../testing/fixtures.ts';
import { cleanUpPages, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { CartPage } from './CartPage.tsx';

// A line keeps the price seen when it was added; the catalog's price may have moved since. The cart
// page used to total the old prices (and only whisper "현재 35,000원" beside the line), so the shopper
// met a different amount at checkout.

const hoodie = hoodieInCart({ quantity: 2 });
const socks = socksInCart();

/** catalog-service's answer for a product whose one SKU now costs `price`. */
const product = (line: CartItem, price: number): ProductDetail => aProduct({ ...line, price });

/** The catalog as the gateway serves it, by product id. */
function serveCatalog(products: ProductDetail[]) {
  stubFetch(
    Object.fromEntries(
      products.map((found) => [`/api/catalog/products/${found.id}`, () => Response.json(found)]),
    ),
  );
}

let container: HTMLElement;

async function showCart() {
  container = await renderPage(<CartPage />, ['/cart']);
}

const total = () => container.querySelector('[data-testid="cart-total"]')?.textContent;

beforeEach(() => {
  cart.replace([hoodie, socks]);
});

afterEach(async () => {
  await cleanUpPages();
  cart.clear();
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
