import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { collectPageErrors, newShopContext, screenshotOnFailure } from './support/browser.ts';
import { logIn } from './support/pages.ts';
import { won } from './support/shop.ts';
import { useBrowserSuite } from './support/suite.ts';

const PASSWORD = 'Saga!mart2024';
/** Catalog-service follows product-service by events: seconds, not instants. */
const SETTLE_MS = 60_000;

/** Initial stock per option combination; 화이트 / M starts sold out. */
const STOCK = { '블랙 / M': 7, '블랙 / L': 3, '화이트 / M': 0, '화이트 / L': 12 } as const;
const RESTOCK = 3;
const SALE_PRICE = 29_000;
const BLACK_L_PRICE = 31_000;

interface CatalogSku {
  id: number;
  options: Record<string, string>;
  price: number;
  stock: number;
}

describe('catalog', { timeout: 600_000 }, () => {
  const suite = useBrowserSuite();

  it('an admin creates a product with options; a shopper finds it, picks a SKU and keeps the cart across logins', {
    timeout: 420_000,
  }, async () => {
    const suffix = randomUUID().slice(0, 8).toUpperCase();
    // A made-up Korean word, so that searching for it finds only this product.
    const word = hangulWord(3);
    const productName = `${word} 오버핏 맨투맨`;
    const productCode = `E2E${suffix}`;
    const email = `shopper-${suffix.toLowerCase()}@example.com`;

    const adminContext = await newShopContext(suite.browser, suite.environment.baseUrl);
    const shopperContext = await newShopContext(suite.browser, suite.environment.baseUrl);
    const admin = await adminContext.newPage();
    const shopper = await shopperContext.newPage();
    const pageErrors = [...collectPageErrors(admin), ...collectPageErrors(shopper)];

    await screenshotOnFailure('catalog', [admin, shopper], async () => {
      // --- The admin creates the product on the admin page. ---
      await admin.goto('/admin/products/new');
      await logIn(admin, suite.environment.adminEmail, suite.environment.adminPassword);
      await admin.getByRole('heading', { name: 'New product', level: 1 }).waitFor();
      await admin.getByLabel('Name', { exact: true }).fill(productName);
      await admin.getByLabel('Code', { exact: true }).fill(productCode);
      await admin.getByLabel('Price (won)', { exact: true }).fill('39000');
      await admin.getByLabel('Sale price (won)', { exact: true }).fill(String(SALE_PRICE));
      await admin.getByRole('combobox', { name: 'Categories' }).fill('맨투맨');
      await admin.getByRole('option', { name: '상의 › 맨투맨/스웨트셔츠' }).click();
      await admin
        .getByLabel('Description (HTML)', { exact: true })
        .fill('<p>부드러운 <strong>기모</strong> 안감</p><script>alert("xss")</script>');

      // An image made here, uploaded through the file picker as PNG bytes.
      const chooser = admin.waitForEvent('filechooser');
      await admin.getByRole('button', { name: 'Upload images' }).click();
      await (await chooser).setFiles({
        name: 'front.png',
        mimeType: 'image/png',
        buffer: solidPng(64, [20, 120, 110]),
      });
      await admin.getByRole('img', { name: 'Image 1' }).waitFor();

      // Two option groups, then one SKU per combination.
      await admin.getByRole('button', { name: 'Add option' }).click();
      await admin.getByLabel('Option 1 name', { exact: true }).fill('색상');
      await admin.getByLabel('Option 1 values', { exact: true }).fill('블랙, 화이트');
      await admin.getByRole('button', { name: 'Add option' }).click();
      await admin.getByLabel('Option 2 name', { exact: true }).fill('사이즈');
      await admin.getByLabel('Option 2 values', { exact: true }).fill('M, L');
      await admin.getByRole('button', { name: 'Generate SKUs' }).click();
      assert.equal(await admin.getByTestId('sku-row').count(), 4);
      for (const [combination, stock] of Object.entries(STOCK)) {
        await admin.getByLabel(`Initial stock for ${combination}`, { exact: true }).fill(String(stock));
      }
      await admin.getByLabel('Price for 블랙 / L', { exact: true }).fill(String(BLACK_L_PRICE));
      await admin.getByRole('button', { name: 'Create product' }).click();
      await admin.getByText(`Product ${productCode} created.`).waitFor();
      await admin.waitForURL(/\/admin\/products\/\d+$/);
      const productId = Number(new URL(admin.url()).pathname.split('/').at(-1));

      // The edit page adds keywords and stock: restock 화이트 / L with a reason, seen in the history.
      await admin.getByLabel('New keyword', { exact: true }).fill(`기모${word}`);
      await admin.getByRole('button', { name: 'Add keyword' }).click();
      await admin.getByRole('list', { name: 'Keywords' }).getByText(`기모${word}`).waitFor();
      const whiteL = `${productCode}-04`;
      await admin.getByRole('button', { name: `Adjust stock of ${whiteL}` }).click();
      await admin.getByLabel('Quantity', { exact: true }).fill(String(RESTOCK));
      await admin.getByRole('button', { name: 'Apply adjustment' }).click();
      await admin.getByText('Say why the stock changes').waitFor(); // a reason is required
      await admin.getByLabel('Reason', { exact: true }).fill('E2E inbound shipment');
      await admin.getByRole('button', { name: 'Apply adjustment' }).click();
      await admin
        .getByTestId(`stock-${whiteL}`)
        .filter({ hasText: String(STOCK['화이트 / L'] + RESTOCK) })
        .waitFor();
      await admin.getByRole('table', { name: 'Stock history' }).getByText('E2E inbound shipment').waitFor();

      // The catalog follows by events; wait for the restock to have reached it.
      const skus = await waitForCatalogStock(suite.environment.gatewayUrl, productId, {
        색상: '화이트',
        사이즈: 'L',
        stock: STOCK['화이트 / L'] + RESTOCK,
      });
      assert.equal(skus.length, 4);

      // --- A guest finds it from the header search box by the Korean word. ---
      await shopper.goto('/');
      const search = shopper.getByRole('banner').getByLabel('Search products', { exact: true });
      await search.fill(word);
      await shopper.getByRole('option', { name: productName }).waitFor(); // autocomplete
      await search.press('Enter');
      await shopper.waitForURL((url) => url.pathname === '/products' && url.searchParams.get('q') === word);
      await shopper.getByRole('heading', { name: `Results for “${word}”`, level: 1 }).waitFor();
      const results = shopper.getByRole('list', { name: 'Products' });
      await results.getByRole('link', { name: productName }).waitFor();
      assert.equal(await results.getByTestId('product-card').count(), 1);
      // The card names the colours it comes in, from the search answer alone.
      await results.getByTestId('colour-swatches').getByText('2 colours: 블랙, 화이트').waitFor();
      await results.getByRole('link', { name: productName }).click();

      // The detail page: sanitized description, options resolving to a SKU with its price and stock.
      await shopper.getByRole('heading', { name: productName, level: 1 }).waitFor();
      await shopper
        .getByRole('region', { name: 'Product images' })
        .getByRole('img', { name: productName })
        .waitFor();
      const description = shopper.getByRole('region', { name: 'Product details' });
      await description.locator('strong', { hasText: '기모' }).waitFor();
      assert.equal(await description.locator('script').count(), 0, 'the script tag was sanitized away');
      assert.equal(await shopper.getByRole('button', { name: 'Add to cart' }).isDisabled(), true);
      await shopper.getByLabel('색상', { exact: true }).selectOption('블랙');
      await shopper.getByLabel('사이즈', { exact: true }).selectOption('M');
      await shopper
        .getByTestId('sku-price')
        .filter({ hasText: won(SALE_PRICE) })
        .waitFor();
      await shopper
        .getByTestId('sku-stock')
        .filter({ hasText: `${STOCK['블랙 / M']} in stock` })
        .waitFor();
      // With M chosen, 화이트 (its M is sold out) is shown but cannot be picked.
      const white = shopper.getByLabel('색상', { exact: true }).locator('option[value="화이트"]');
      assert.equal(await white.textContent(), '화이트 (Sold out)');
      assert.equal(await white.isDisabled(), true);
      await shopper.getByLabel('사이즈', { exact: true }).selectOption('L');
      await shopper
        .getByTestId('sku-price')
        .filter({ hasText: won(BLACK_L_PRICE) })
        .waitFor();
      await shopper
        .getByTestId('sku-stock')
        .filter({ hasText: `Only ${STOCK['블랙 / L']} left` })
        .waitFor();

      // Buy now hands the SKU to checkout, which asks a guest to log in first.
      await shopper.getByRole('button', { name: 'Buy now' }).click();
      const blackL = skus.find((sku) => sku.options.색상 === '블랙' && sku.options.사이즈 === 'L');
      assert.ok(blackL);
      await shopper.waitForURL(
        (url) =>
          url.pathname === '/login' && url.searchParams.get('returnTo') === `/checkout?buyNow=${blackL.id}:1`,
      );
      await shopper.goBack();

      // Add two to the cart: the cart shows the line.
      await addBlackL(shopper, productName, 2);
      await shopper.getByRole('status').getByRole('link', { name: 'View cart' }).click();
      await expectCartLine(shopper, 2, BLACK_L_PRICE);

      // --- The guest cart survives logging in, is kept for the user while signed out, and merges. ---
      await signUp(suite.environment.gatewayUrl, email);
      await shopper.getByRole('banner').getByRole('link', { name: 'Log in' }).click();
      await logIn(shopper, email, PASSWORD);
      await shopper.getByRole('button', { name: 'Log out' }).waitFor();
      await expectCartLine(shopper, 2, BLACK_L_PRICE);

      await shopper.getByRole('button', { name: 'Log out' }).click();
      await shopper.getByRole('banner').getByRole('link', { name: 'Log in' }).waitFor();
      await shopper.goto('/cart');
      await shopper.getByRole('heading', { name: 'Your cart is empty' }).waitFor();

      // As a guest again, two more of the same SKU; at login 2 + 2 is capped at the 3 in stock.
      await shopper.goto(`/products/${productId}`);
      await addBlackL(shopper, productName, 2);
      await shopper.goto('/login?returnTo=/cart');
      await logIn(shopper, email, PASSWORD);
      await shopper.getByRole('button', { name: 'Log out' }).waitFor();
      await expectCartLine(shopper, STOCK['블랙 / L'], BLACK_L_PRICE);

      // The admin hides the test product: the shop's showroom is the seed's, not the tests'.
      await admin.goto(`/admin/products/${productId}`);
      await admin.getByLabel('Shown in the shop', { exact: true }).uncheck();
      await admin.getByRole('button', { name: 'Save', exact: true }).click();
      await admin.getByText(`Product ${productCode} saved.`).waitFor();
      await waitForSearchCount(suite.environment.gatewayUrl, word, 0);
      await shopper.goto(`/products?q=${encodeURIComponent(word)}`);
      await shopper.getByText('No products found', { exact: true }).waitFor();
    });

    assert.deepEqual(pageErrors, []);
    await adminContext.close();
    await shopperContext.close();
  });
});

async function addBlackL(page: Page, productName: string, quantity: number): Promise<void> {
  await page.getByRole('heading', { name: productName, level: 1 }).waitFor();
  await page.getByLabel('색상', { exact: true }).selectOption('블랙');
  await page.getByLabel('사이즈', { exact: true }).selectOption('L');
  await page.getByLabel('Quantity', { exact: true }).fill(String(quantity));
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `${quantity} added to your cart` })
    .waitFor();
}

/** The cart holds exactly one line, 블랙 / L, with this quantity. */
async function expectCartLine(page: Page, quantity: number, unitPrice: number): Promise<void> {
  await page.waitForURL((url) => url.pathname === '/cart');
  const table = page.getByRole('list', { name: 'Cart items' });
  await table.waitFor();
  assert.equal(await table.getByTestId('cart-line').count(), 1);
  await table.getByText('블랙 / L', { exact: true }).waitFor();
  await page
    .getByTestId('cart-total')
    .filter({ hasText: won(unitPrice * quantity) })
    .waitFor();
  const input = table.getByRole('textbox', { name: /^Quantity of / });
  assert.equal(await input.inputValue(), String(quantity));
}

async function signUp(gatewayUrl: string, email: string): Promise<void> {
  const response = await fetch(`${gatewayUrl}/api/users/signup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD, passwordConfirm: PASSWORD, name: 'Park Seoyeon' }),
  });
  assert.equal(response.status, 201, await response.text());
}

/** Polls the public catalog until the SKU with these options has `stock` available; returns the SKUs. */
async function waitForCatalogStock(
  gatewayUrl: string,
  productId: number,
  expected: { 색상: string; 사이즈: string; stock: number },
): Promise<CatalogSku[]> {
  const deadline = Date.now() + SETTLE_MS;
  let last = 'nothing yet';
  while (Date.now() < deadline) {
    const response = await fetch(`${gatewayUrl}/api/catalog/products/${productId}`);
    if (response.ok) {
      const { skus } = (await response.json()) as { skus: CatalogSku[] };
      const sku = skus.find((s) => s.options.색상 === expected.색상 && s.options.사이즈 === expected.사이즈);
      if (sku?.stock === expected.stock) return skus;
      last = `stock ${sku?.stock}`;
    } else {
      last = `HTTP ${response.status}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `The catalog never showed ${expected.stock} of ${expected.색상}/${expected.사이즈} (${last})`,
  );
}

/** Polls the public search until `q` finds `expected` products (the catalog follows by events). */
async function waitForSearchCount(gatewayUrl: string, q: string, expected: number): Promise<void> {
  const deadline = Date.now() + SETTLE_MS;
  let found: number | undefined;
  while (Date.now() < deadline) {
    const response = await fetch(`${gatewayUrl}/api/catalog/products?${new URLSearchParams({ q })}`);
    if (response.ok) found = ((await response.json()) as { totalElements: number }).totalElements;
    if (found === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.equal(found, expected, `products found for ${q}`);
}

/** Random Hangul syllables: a word no seeded product contains. */
function hangulWord(length: number): string {
  const FIRST_SYLLABLE = 0xac00;
  const SYLLABLES = 11_172;
  return Array.from({ length }, () => String.fromCodePoint(FIRST_SYLLABLE + randomInt(SYLLABLES))).join('');
}

/** A valid size × size RGB PNG of one colour. */
function solidPng(size: number, [r, g, b]: [number, number, number]): Buffer {
  const row = Buffer.alloc(1 + size * 3); // filter byte 0, then pixels
  for (let x = 0; x < size; x++) row.set([r, g, b], 1 + x * 3);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}
