import { describe, expect, it } from 'vitest';
import type { CatalogSku, ProductDetail } from './catalog-api.ts';
import { discountRate, optionLabel, resolveSku, valueAvailability } from './sku-selection.ts';

function sku(
  id: number,
  color: string,
  size: string,
  stock: number,
  status: CatalogSku['status'] = 'ACTIVE',
) {
  return { id, skuCode: `TS-${id}`, options: { 색상: color, 사이즈: size }, price: 19_900, stock, status };
}

const product: Pick<ProductDetail, 'optionGroups' | 'skus'> = {
  optionGroups: [
    { name: '색상', values: ['블랙', '화이트'] },
    { name: '사이즈', values: ['M', 'L'] },
  ],
  skus: [
    sku(1, '블랙', 'M', 3),
    sku(2, '블랙', 'L', 0),
    sku(3, '화이트', 'M', 5, 'INACTIVE'),
    sku(4, '화이트', 'L', 2),
  ],
};

describe('picking options', () => {
  it('names a SKU only once every group has a value', () => {
    expect(resolveSku(product, { 색상: '블랙' })).toBeUndefined();
    expect(resolveSku(product, { 색상: '블랙', 사이즈: 'L' })?.id).toBe(2);
  });

  it('tells available, sold-out and unavailable values apart, given the other groups', () => {
    expect(valueAvailability(product, { 색상: '블랙' }, '사이즈', 'M')).toBe('available');
    expect(valueAvailability(product, { 색상: '블랙' }, '사이즈', 'L')).toBe('sold-out');
    expect(valueAvailability(product, { 색상: '화이트' }, '사이즈', 'M')).toBe('unavailable');
    // A group's own choice never hides its alternatives.
    expect(valueAvailability(product, { 색상: '블랙', 사이즈: 'L' }, '색상', '화이트')).toBe('available');
  });

  it('labels the chosen values in group order', () => {
    expect(optionLabel(product.optionGroups, { 사이즈: 'M', 색상: '블랙' })).toBe('블랙 / M');
  });
});

describe('discount rate', () => {
  it('is whole percent off the base price, rounded down, and zero without a discount', () => {
    expect(discountRate(30_000, 19_900)).toBe(33);
    expect(discountRate(10_000, 10_000)).toBe(0);
    expect(discountRate(10_000, 12_000)).toBe(0);
    expect(discountRate(0, 0)).toBe(0);
  });
});
