import { describe, expect, it } from 'vitest';
import type { SkuStatus } from '../catalog/catalog-api.ts';
import { i18n } from '../i18n/i18n.ts';
import { formatWon } from '../lib/format.ts';
import {
  emptyDraft,
  followPrice,
  generateSkuRows,
  hasErrors,
  type ProductDraft,
  type ProductFields,
  productInputOf,
  type SkuRow,
  validateProductDraft,
} from './product-form.ts';

const SIZES = { name: '사이즈', values: ['M', 'L', 'XL'] };

/** One row per size, at these prices (and statuses); the base price 49,000원. */
function rowsAt(prices: string[], statuses: SkuStatus[] = []): SkuRow[] {
  return generateSkuRows([SIZES], [], [], { productCode: 'MTM', price: '' }).map((row, i) => ({
    ...row,
    price: prices[i]!,
    status: statuses[i] ?? 'ACTIVE',
  }));
}

function draft(fields: Partial<ProductFields>, rows: SkuRow[]): ProductDraft {
  const empty = emptyDraft();
  return {
    ...empty,
    fields: { ...empty.fields, name: '맨투맨', code: 'MTM', basePrice: '49000', ...fields },
    groups: [{ name: SIZES.name, values: SIZES.values.join(', ') }],
    rows,
    categoryIds: ['1'],
  };
}

describe('the product form prices a product as shoppers pay for it', () => {
  it('wants the sale price to be what the cheapest option on sale charges', () => {
    const cheaperL = rowsAt(['39000', '33000', '39000']);
    expect(validateProductDraft(draft({ salePrice: '39000' }, cheaperL)).fields.salePrice).toBe(
      i18n.t('adminCatalog.form.saleNotLowest', { price: formatWon(33_000) }),
    );
    expect(hasErrors(validateProductDraft(draft({ salePrice: '33000' }, cheaperL)))).toBe(false);
    // An option not on sale is never charged: it does not set the price.
    const stoppedL = rowsAt(['39000', '33000', '39000'], ['ACTIVE', 'INACTIVE', 'ACTIVE']);
    expect(hasErrors(validateProductDraft(draft({ salePrice: '39000' }, stoppedL)))).toBe(false);
  });

  it('refuses an option priced above the base price', () => {
    const rows = rowsAt(['39000', '39000', '55000']);
    const errors = validateProductDraft(draft({ salePrice: '39000' }, rows));
    expect(errors.skuRows[rows[2]!.key]?.price).toBe(i18n.t('adminCatalog.form.saleAbovePrice'));
  });

  it('moves the options at the old sale price along with it, and leaves an empty one to the server', () => {
    const rows = followPrice(rowsAt(['39000', '41000', '39000']), '39000', '35000');
    expect(rows.map((row) => row.price)).toEqual(['35000', '41000', '35000']);
    expect(hasErrors(validateProductDraft(draft({ salePrice: '35000' }, rows)))).toBe(false);
    expect(productInputOf(draft({ salePrice: '35000' }, rows)).salePrice).toBe(35_000);
    expect('salePrice' in productInputOf(draft({ salePrice: '' }, rows))).toBe(false);
  });
});
