import { describe, expect, it } from 'vitest';
import { checkClaimRequest, checkExchangeTarget, claimFee } from '../src/domain/claim-rules.ts';
import {
  applyCourierStatus,
  isPickedUp,
  pollBackoffMs,
  refusedForGood,
} from '../src/domain/shipment-rules.ts';

describe('shipments follow the courier', () => {
  const ready = { role: 'ORIGINAL' as const, status: 'READY' as const, courierStatus: 'ACCEPTED' as const };

  it('is SHIPPING from IN_TRANSIT on and DELIVERED at the end, each announced once', () => {
    expect(applyCourierStatus(ready, 'PICKED_UP')).toEqual({
      status: 'READY',
      courierStatus: 'PICKED_UP',
      effects: [],
    });
    const moving = applyCourierStatus(ready, 'IN_TRANSIT');
    expect(moving).toEqual({ status: 'SHIPPING', courierStatus: 'IN_TRANSIT', effects: ['in-transit'] });
    const further = applyCourierStatus({ ...ready, ...moving }, 'OUT_FOR_DELIVERY');
    expect(further.effects).toEqual([]);
    expect(applyCourierStatus({ ...ready, ...further }, 'DELIVERED').effects).toEqual(['delivered']);
    expect(applyCourierStatus(ready, 'DELIVERED')).toMatchObject({
      status: 'DELIVERED',
      effects: ['delivered'],
    });
  });

  it('never moves backwards and ignores reports about delivered or cancelled shipments', () => {
    const shipping = {
      role: 'ORIGINAL' as const,
      status: 'SHIPPING' as const,
      courierStatus: 'AT_DESTINATION' as const,
    };
    expect(applyCourierStatus(shipping, 'IN_TRANSIT')).toEqual({
      status: 'SHIPPING',
      courierStatus: 'AT_DESTINATION',
      effects: [],
    });
    expect(applyCourierStatus({ ...shipping, status: 'DELIVERED' }, 'DELIVERED').effects).toEqual([]);
    expect(applyCourierStatus({ ...shipping, status: 'CANCELLED' }, 'DELIVERED').effects).toEqual([]);
  });

  it('cancels a waiting parcel the courier reports cancelled only when the order asked to stop it', () => {
    const waiting = {
      role: 'ORIGINAL' as const,
      status: 'READY' as const,
      courierStatus: 'ACCEPTED' as const,
    };
    expect(applyCourierStatus({ ...waiting, cancelAsked: true }, 'CANCELLED')).toEqual({
      status: 'CANCELLED',
      courierStatus: 'CANCELLED',
      effects: ['cancelled'],
    });
    // The courier's own cancel, with no cancel asked: the parcel waits for a new waybill.
    expect(applyCourierStatus(waiting, 'CANCELLED')).toEqual({
      status: 'READY',
      courierStatus: 'NOT_SENT',
      effects: ['waybill-cancelled'],
    });
    // An exchange's parcel is never stopped by an order's cancel: it gets a new waybill too.
    expect(applyCourierStatus({ ...waiting, role: 'EXCHANGE', cancelAsked: true }, 'CANCELLED')).toEqual({
      status: 'READY',
      courierStatus: 'NOT_SENT',
      effects: ['waybill-cancelled'],
    });
    // Once picked up, a cancel report changes nothing but the courier's status.
    expect(applyCourierStatus({ ...waiting, courierStatus: 'PICKED_UP' }, 'CANCELLED')).toEqual({
      status: 'READY',
      courierStatus: 'CANCELLED',
      effects: [],
    });
  });

  it('fails a pickup the courier cancels before collecting it', () => {
    const pickup = { role: 'PICKUP' as const, status: 'READY' as const, courierStatus: 'ACCEPTED' as const };
    expect(applyCourierStatus(pickup, 'CANCELLED')).toEqual({
      status: 'CANCELLED',
      courierStatus: 'CANCELLED',
      effects: ['pickup-cancelled'],
    });
    expect(applyCourierStatus({ ...pickup, status: 'CANCELLED' }, 'CANCELLED').effects).toEqual([]);
  });

  it('turns a pickup into collecting, then collected', () => {
    const pickup = { role: 'PICKUP' as const, status: 'READY' as const, courierStatus: 'ACCEPTED' as const };
    expect(applyCourierStatus(pickup, 'PICKED_UP').effects).toEqual(['collecting']);
    expect(applyCourierStatus(pickup, 'DELIVERED').effects).toEqual(['collecting', 'collected']);
    expect(applyCourierStatus({ ...pickup, courierStatus: 'IN_TRANSIT' }, 'DELIVERED').effects).toEqual([
      'collected',
    ]);
  });

  it('knows when it is too late to cancel, and backs off exponentially', () => {
    expect(isPickedUp('ACCEPTED')).toBe(false);
    expect(isPickedUp('NOT_SENT')).toBe(false);
    expect(isPickedUp('PICKED_UP')).toBe(true);
    expect(isPickedUp('DELIVERED')).toBe(true);
    expect([1, 2, 3, 4, 10].map((n) => pollBackoffMs(n, 100, 1_000))).toEqual([100, 200, 400, 800, 1_000]);
  });

  it('takes a 4xx as a refusal for good, but not 408 or 429, nor a 5xx or no answer', () => {
    expect([400, 401, 404, 409, 422].every(refusedForGood)).toBe(true);
    expect([408, 429, 500, 502, 503, 504, 200, undefined].some(refusedForGood)).toBe(false);
  });
});

describe('claims', () => {
  const now = new Date('2026-12-10T00:00:00Z');
  const delivered = { deliveredAt: new Date('2026-12-05T00:00:00Z'), confirmedAt: null, hasOpenClaim: false };
  const lines = [{ orderItemId: 1, quantity: 3, claimedQuantity: 1 }];
  const ask = (order = delivered, items = [{ orderItemId: 1, quantity: 1 }], at = now) =>
    checkClaimRequest(order, lines, items, at, 7);

  it('accepts a partial claim of a delivered order inside the window', () => {
    expect(() => ask()).not.toThrow();
    expect(() => ask(delivered, [{ orderItemId: 1, quantity: 2 }])).not.toThrow();
  });

  it('refuses undelivered, confirmed, late and concurrent claims, and units that are not left', () => {
    const code = (fn: () => void) => {
      try {
        fn();
      } catch (error) {
        return (error as { code: string }).code;
      }
      return 'accepted';
    };
    expect(code(() => ask({ ...delivered, deliveredAt: null as never }))).toBe('not-delivered');
    expect(code(() => ask({ ...delivered, confirmedAt: now as never }))).toBe('purchase-confirmed');
    expect(code(() => ask(delivered, undefined, new Date('2026-12-12T00:00:01Z')))).toBe(
      'claim-window-closed',
    );
    expect(code(() => ask({ ...delivered, hasOpenClaim: true }))).toBe('claim-in-progress');
    expect(code(() => ask(delivered, [{ orderItemId: 1, quantity: 3 }]))).toBe('quantity-exceeds-remaining');
    expect(code(() => ask(delivered, [{ orderItemId: 2, quantity: 1 }]))).toBe('unknown-order-item');
    expect(
      code(() =>
        ask(delivered, [
          { orderItemId: 1, quantity: 1 },
          { orderItemId: 1, quantity: 1 },
        ]),
      ),
    ).toBe('duplicate-order-item');
  });

  it('charges the return fee for a change of mind only, never for an exchange', () => {
    expect(claimFee('RETURN', 'CHANGE_OF_MIND', 3_000)).toBe(3_000);
    expect(claimFee('RETURN', 'DEFECTIVE', 3_000)).toBe(0);
    expect(claimFee('EXCHANGE', 'CHANGE_OF_MIND', 3_000)).toBe(0);
  });

  it('exchanges only for another option of the same product at the same price', () => {
    const orderedSku = { skuId: 1, productId: 10, unitPrice: 10_000 };
    const sku = { skuId: 2, productId: 10, price: 10_000, removed: false };
    expect(() => checkExchangeTarget({ orderedSku, newSku: sku })).not.toThrow();
    expect(() => checkExchangeTarget({ orderedSku, newSku: { ...sku, productId: 11 } })).toThrow(/같은 상품/);
    expect(() => checkExchangeTarget({ orderedSku, newSku: { ...sku, price: 12_000 } })).toThrow(/가격/);
    expect(() => checkExchangeTarget({ orderedSku, newSku: { ...sku, skuId: 1 } })).toThrow(/다른 옵션/);
    expect(() => checkExchangeTarget({ orderedSku, newSku: undefined })).toThrow();
  });
});
