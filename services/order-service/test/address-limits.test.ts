import { ADDRESS_DETAIL_MAX_LENGTH, ADDRESS_MAX_LENGTH } from '@sagamart/contracts/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY, type Json, type Shop, startShop } from './support/shop.ts';

// The courier takes one address line (the address and its detail joined): every address an order or
// the address book accepts must fit it, or a paid order could never be shipped nor its return collected
// (shipping-service's address-limits test ships the longest pair through the mock courier).

describe('delivery address limits', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await startShop();
  }, 120_000);
  afterAll(async () => {
    await shop?.close();
  });

  const longest = {
    ...DELIVERY,
    address: '가'.repeat(ADDRESS_MAX_LENGTH),
    addressDetail: '나'.repeat(ADDRESS_DETAIL_MAX_LENGTH),
  };

  it('takes the longest address and detail the courier can ship', async () => {
    const { skuIds } = await shop.product([5]);
    const user = await shop.shopper();
    const placed = await shop.place(user, { items: [{ skuId: skuIds[0], quantity: 1 }], delivery: longest });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.delivery).toMatchObject({
      address: longest.address,
      addressDetail: longest.addressDetail,
    });
  });

  it('refuses at placement, with 400 naming the field, an address the courier could not take', async () => {
    const { productId, skuIds } = await shop.product([5]);
    const user = await shop.shopper();
    const items = [{ skuId: skuIds[0], quantity: 1 }];
    const refusals: Array<[Json, string]> = [
      [{ ...longest, addressDetail: `${longest.addressDetail}나` }, 'delivery.addressDetail'],
      [{ ...longest, address: `${longest.address}가`, addressDetail: null }, 'delivery.address'],
      [{ ...DELIVERY, address: '   ' }, 'delivery.address'],
      [{ ...DELIVERY, receiverName: '   ' }, 'delivery.receiverName'],
    ];
    for (const [delivery, field] of refusals) {
      const refused = await shop.place(user, { items, delivery });
      expect(refused.status, field).toBe(400);
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    // Refused before the saga: nothing was reserved.
    expect(await shop.sku(productId, skuIds[0]!)).toMatchObject({ stock: 5, reserved: 0 });
  });

  it("keeps the address book to the order's limits, so a saved address can be ordered to", async () => {
    const user = await shop.shopper();
    const addresses = shop.api('user-service');
    const { memo: _memo, ...saved } = longest;
    const kept = await addresses.post('/api/users/me/addresses', saved, user.headers);
    expect(kept.status, JSON.stringify(kept.body)).toBe(201);
    const tooLong = await addresses.post(
      '/api/users/me/addresses',
      { ...saved, addressDetail: `${saved.addressDetail}나` },
      user.headers,
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors.map((e: { field: string }) => e.field)).toEqual(['addressDetail']);
  });
});
