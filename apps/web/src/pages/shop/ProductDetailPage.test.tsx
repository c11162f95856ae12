// @vitest-environment happy-dom
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/i18n.ts';
import { aProduct } from '../../testing/fixtures.ts';
import { cleanUpPages, renderPage, shown, stubFetch } from '../../testing/page-harness.tsx';
import { ProductDetailPage } from './ProductDetailPage.tsx';

// Option names are the catalog's words, in Korean: the line asking for a choice is worded around
// them in Korean, and without them in English ("Choose 색상 and 사이즈" read as a mistake).

const sweatshirt = aProduct(
  { productId: 3, skuId: 31, name: '오버핏 크루넥 맨투맨', price: 39_000 },
  {
    optionGroups: [
      { name: '색상', values: ['네이비', '그레이'] },
      { name: '사이즈', values: ['M', 'L'] },
    ],
    skus: [
      {
        id: 31,
        skuCode: 'SW-NV-M',
        options: { 색상: '네이비', 사이즈: 'M' },
        price: 39_000,
        stock: 9,
        status: 'ACTIVE',
      },
      {
        id: 32,
        skuCode: 'SW-NV-L',
        options: { 색상: '네이비', 사이즈: 'L' },
        price: 39_000,
        stock: 9,
        status: 'ACTIVE',
      },
      {
        id: 33,
        skuCode: 'SW-GR-M',
        options: { 색상: '그레이', 사이즈: 'M' },
        price: 39_000,
        stock: 9,
        status: 'ACTIVE',
      },
      {
        id: 34,
        skuCode: 'SW-GR-L',
        options: { 색상: '그레이', 사이즈: 'L' },
        price: 39_000,
        stock: 9,
        status: 'ACTIVE',
      },
    ],
  },
);
/** One option to choose: the sizes (a single colour starts chosen). */
const oneColour = {
  ...sweatshirt,
  optionGroups: [{ name: '색상', values: ['네이비'] }, sweatshirt.optionGroups[1]!],
  skus: sweatshirt.skus.slice(0, 2),
};

async function stockLine(product: typeof sweatshirt): Promise<string> {
  stubFetch({ [`/api/catalog/products/${product.id}`]: () => Response.json(product) });
  const page = await renderPage(
    <Routes>
      <Route path="/products/:id" element={<ProductDetailPage />} />
    </Routes>,
    [`/products/${product.id}`],
  );
  return (await shown(() => page.querySelector('[data-testid="sku-stock"]')?.textContent)) ?? '';
}

afterEach(async () => {
  await cleanUpPages();
  await setLanguage('ko');
});

describe('a product whose options are not chosen yet', () => {
  it('names the options to choose in Korean', async () => {
    expect(await stockLine(sweatshirt)).toBe('색상, 사이즈를 선택해 주세요');
    expect(await stockLine(oneColour)).toBe('사이즈를 선택해 주세요');
  });

  it('asks in English without the Korean option names', async () => {
    await setLanguage('en');
    expect(await stockLine(sweatshirt)).toBe('Choose your options');
    expect(await stockLine(oneColour)).toBe('Choose your options');
  });
});

// The option selects' first line read "Choose 색상" in English: the option's name is its label, above.
describe('the option selects’ prompt', () => {
  async function prompts(): Promise<Record<string, string>> {
    stubFetch({ [`/api/catalog/products/${sweatshirt.id}`]: () => Response.json(sweatshirt) });
    const page = await renderPage(
      <Routes>
        <Route path="/products/:id" element={<ProductDetailPage />} />
      </Routes>,
      [`/products/${sweatshirt.id}`],
    );
    const selects = await shown(() => {
      const found = [...page.querySelectorAll('select')];
      return found.length === 2 && found;
    });
    return Object.fromEntries(
      selects.map((select) => [
        page.querySelector(`label[for="${select.id}"]`)?.textContent ?? '',
        select.options[0]?.textContent ?? '',
      ]),
    );
  }

  it('names the option in Korean', async () => {
    expect(await prompts()).toEqual({ 색상: '색상 선택', 사이즈: '사이즈 선택' });
  });

  it('asks in English without the Korean name, which the label gives', async () => {
    await setLanguage('en');
    expect(await prompts()).toEqual({ 색상: 'Choose an option', 사이즈: 'Choose an option' });
  });
});
