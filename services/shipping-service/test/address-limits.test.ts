import { ADDRESS_DETAIL_MAX_LENGTH, ADDRESS_MAX_LENGTH } from '@sagamart/contracts/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.ts';

// The courier takes one address line, the address and its detail joined: the longest pair an order
// (or a saved address) may hold must fit it, or the paid order is never shipped nor its return collected.

describe('the longest delivery address an order accepts', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('gets a waybill at the courier, and so does its return pickup', async () => {
    const receiver = {
      ...h.paidOrder().receiver,
      address: '가'.repeat(ADDRESS_MAX_LENGTH),
      addressDetail: '나'.repeat(ADDRESS_DETAIL_MAX_LENGTH),
    };
    const { order } = await h.delivered({ receiver });

    const requested = await h.api.post(
      `/api/orders/${order.orderId}/returns`,
      { items: [{ orderItemId: order.items[1]!.orderItemId, quantity: 1 }], reason: 'DEFECTIVE' },
      h.owner(order),
    );
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    const approved = await h.api.post(
      `/api/admin/shipping/returns/${requested.body.id}/approve`,
      undefined,
      h.admin,
    );
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.pickupTrackingNumber).toMatch(/^[0-9]{12}$/);
  });
});
