import { describe, expect, it } from 'vitest';
import { checkPlacement, subtreeHeight } from '../src/domain/category-tree.ts';
import { detectImageType } from '../src/domain/image-type.ts';
import { placeholderPng } from '../src/domain/png.ts';
import { checkDefinition, combinations, lowestSkuPrice, planSkus } from '../src/domain/product-definition.ts';
import { applyMovement, planReservation, reservationState, skuStatusFor } from '../src/domain/stock-rules.ts';

describe('product definition', () => {
  const groups = [
    { name: '색상', values: ['블랙', '화이트'] },
    { name: '사이즈', values: ['M', 'L'] },
  ];
  const sku = (code: string, 색상: string, 사이즈: string) => ({
    skuCode: code,
    options: { 색상, 사이즈 },
    price: 1,
    status: 'ACTIVE' as const,
  });
  const full = [
    sku('A', '블랙', 'M'),
    sku('B', '블랙', 'L'),
    sku('C', '화이트', 'M'),
    sku('D', '화이트', 'L'),
  ];
  const base = { basePrice: 10, salePrice: 1, categoryIds: [1], imageIds: [], optionGroups: groups };

  it('enumerates combinations', () => {
    expect(combinations(groups)).toHaveLength(4);
    expect(combinations([])).toEqual([{}]);
  });

  it('accepts one SKU per combination and reports every problem otherwise', () => {
    expect(checkDefinition({ ...base, skus: full })).toEqual([]);
    expect(
      checkDefinition({
        ...base,
        optionGroups: [],
        skus: [{ skuCode: 'X', options: {}, price: 1, status: 'ACTIVE' }],
      }),
    ).toEqual([]);
    expect(checkDefinition({ ...base, salePrice: 11, skus: full }).map((p) => p.field)).toEqual([
      'salePrice',
    ]);
    // The sale price is the lowest price on sale; no SKU costs more than the base price.
    expect(checkDefinition({ ...base, salePrice: 10, skus: full })).toEqual([
      { field: 'salePrice', message: 'must equal the lowest price of the SKUs on sale (1)' },
    ]);
    const repriced = [
      { ...full[0]!, price: 0, status: 'INACTIVE' as const },
      ...full.slice(1, 3),
      { ...full[3]!, price: 11 },
    ];
    expect(lowestSkuPrice(repriced)).toBe(1);
    expect(checkDefinition({ ...base, skus: repriced })).toEqual([
      { field: 'skus.3.price', message: 'must not exceed basePrice' },
    ]);
    expect(checkDefinition({ ...base, skus: full.slice(0, 3) })[0]!.message).toMatch(
      /1 missing \(화이트\/L\)/,
    );
    expect(
      checkDefinition({ ...base, skus: [...full, sku('a', '블랙', 'M')] })
        .map((p) => p.message)
        .join(),
    ).toMatch(/listed twice.*same options/);
    expect(
      checkDefinition({ ...base, skus: [...full.slice(1), { ...full[0]!, options: { 색상: '블랙' } }] })[0]!
        .message,
    ).toMatch(/needs a value/);
    expect(
      checkDefinition({ ...base, optionGroups: [...groups, { name: '색상', values: ['x'] }], skus: full })[0]!
        .message,
    ).toMatch(/listed twice/);
  });

  it('matches SKUs by code so ids survive edits', () => {
    const existing = [
      { id: 1, skuCode: 'A', removed: false },
      { id: 2, skuCode: 'B', removed: false },
      { id: 3, skuCode: 'C', removed: true },
    ];
    const plan = planSkus(existing, [
      sku('b', '블랙', 'L'),
      sku('C', '화이트', 'M'),
      sku('E', '화이트', 'L'),
    ]);
    expect(plan.update.map((u) => [u.id, u.position])).toEqual([
      [2, 0],
      [3, 1],
    ]);
    expect(plan.create.map((c) => c.input.skuCode)).toEqual(['E']);
    expect(plan.remove).toEqual([1]);
  });
});

describe('stock rules', () => {
  const levels = { stock: 5, reserved: 2, sold: 1, held: 0 };
  it('moves stock between available, reserved and sold', () => {
    expect(applyMovement(levels, 'RESERVE', 3)).toEqual({
      levels: { stock: 2, reserved: 5, sold: 1, held: 0 },
      quantity: -3,
    });
    expect(applyMovement(levels, 'RELEASE', 2)).toEqual({
      levels: { stock: 7, reserved: 0, sold: 1, held: 0 },
      quantity: 2,
    });
    expect(applyMovement(levels, 'SELL', 2)).toEqual({
      levels: { stock: 5, reserved: 0, sold: 3, held: 0 },
      quantity: 0,
    });
    expect(applyMovement(levels, 'ADJUST', -5).levels.stock).toBe(0);
    expect(applyMovement(levels, 'RESTOCK', 4).levels.stock).toBe(9);
    expect(() => applyMovement(levels, 'RESERVE', 6)).toThrow(/Only 5 in stock/);
    expect(() => applyMovement(levels, 'SELL', 3)).toThrow(/Only 2 reserved/);
    expect(() => applyMovement(levels, 'ADJUST', -6)).toThrow();
    expect(() => applyMovement(levels, 'ADJUST', 0)).toThrow();
    expect(() => applyMovement(levels, 'RESTOCK', 0)).toThrow();
  });

  it('derives SOLD_OUT from stock, leaving INACTIVE alone', () => {
    expect(skuStatusFor('ACTIVE', 0)).toBe('SOLD_OUT');
    expect(skuStatusFor('SOLD_OUT', 3)).toBe('ACTIVE');
    expect(skuStatusFor('INACTIVE', 3)).toBe('INACTIVE');
  });

  it('plans a reservation all or nothing, in SKU id order', () => {
    const sku = (id: number, stock: number, extra = {}) => ({
      id,
      stock,
      reserved: 0,
      sold: 0,
      held: 0,
      status: 'ACTIVE' as const,
      removed: false,
      productOrderable: true,
      ...extra,
    });
    const ok = planReservation(
      [
        { skuId: 9, quantity: 1 },
        { skuId: 2, quantity: 2 },
        { skuId: 9, quantity: 1 },
      ],
      [sku(2, 2), sku(9, 5)],
    );
    expect(ok).toEqual({
      ok: true,
      lines: [
        { skuId: 2, quantity: 2, levels: { stock: 0, reserved: 2, sold: 0, held: 0 } },
        { skuId: 9, quantity: 2, levels: { stock: 3, reserved: 2, sold: 0, held: 0 } },
      ],
    });
    const failed = planReservation(
      [
        { skuId: 1, quantity: 1 },
        { skuId: 2, quantity: 3 },
        { skuId: 3, quantity: 1 },
        { skuId: 4, quantity: 1 },
      ],
      [sku(1, 5), sku(2, 2), sku(3, 5, { status: 'INACTIVE' })],
    );
    expect(failed.ok).toBe(false);
    expect(!failed.ok && failed.problems.map((p) => p.reason)).toEqual([
      'insufficient-stock',
      'unavailable',
      'unknown-sku',
    ]);
    expect(reservationState(['RESERVE', 'SELL'])).toBe('SOLD');
    expect(reservationState(['RESERVE', 'RELEASE'])).toBe('RELEASED');
  });
});

describe('category tree', () => {
  const all = [
    { id: 1, parentId: null },
    { id: 2, parentId: 1 },
    { id: 3, parentId: 2 },
    { id: 4, parentId: null },
  ];
  it('measures subtrees and guards depth and cycles', () => {
    expect(subtreeHeight(1, all)).toBe(3);
    expect(checkPlacement(null, { id: 3, depth: 3 }, all)?.code).toBe('too-deep');
    expect(checkPlacement(null, { id: 2, depth: 2 }, all)).toBeUndefined();
    expect(checkPlacement(1, { id: 3, depth: 3 }, all)?.code).toBe('cycle');
    expect(checkPlacement(2, { id: 4, depth: 1 }, all)).toBeUndefined();
    expect(checkPlacement(1, { id: 4, depth: 1 }, all)?.code).toBe('too-deep');
  });
});

describe('images', () => {
  it('detects types by magic bytes only', () => {
    expect(detectImageType(placeholderPng(8, [1, 2, 3]))).toBe('image/png');
    expect(detectImageType(Buffer.from([0xff, 0xd8, 0xff, 0xdb]))).toBe('image/jpeg');
    expect(detectImageType(Buffer.from('GIF87a....'))).toBe('image/gif');
    expect(detectImageType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(detectImageType(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBeUndefined();
    expect(detectImageType(Buffer.from('<svg/>'))).toBeUndefined();
    expect(detectImageType(Buffer.alloc(0))).toBeUndefined();
  });

  it('generates valid PNGs of the asked size', () => {
    const png = placeholderPng(32, [200, 10, 10]);
    expect(png.readUInt32BE(16)).toBe(32);
    expect(png.readUInt32BE(20)).toBe(32);
    expect(png.subarray(-8, -4).toString('ascii')).toBe('IEND');
  });
});
