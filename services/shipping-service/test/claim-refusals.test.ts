import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkClaimRequest } from '../src/domain/claim-rules.ts';
import { type Harness, startHarness } from './harness.ts';

// A claim's refusal reaches the shopper's page in the server's words (ApiErrorAlert shows Korean
// details as they are): it names the line by what was bought, never by the internal order item id.

describe('claim refusals in the shopper’s words', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('says how many units are left without the order item id', async () => {
    const { order } = await h.delivered();
    const line = order.items[0]!; // 3 units
    const refused = await h.api.post(
      `/api/orders/${order.orderId}/returns`,
      { items: [{ orderItemId: line.orderItemId, quantity: line.quantity + 1 }], reason: 'DEFECTIVE' },
      h.owner(order),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.type).toBe('urn:sagamart:problem:quantity-exceeds-remaining');
    expect(refused.body.detail).toContain(`${line.quantity}개`);
    expect(refused.body.detail).toContain(line.productName);
    expect(refused.body.detail).not.toContain(String(line.orderItemId));

    const twice = await h.api.post(
      `/api/orders/${order.orderId}/returns`,
      {
        items: [
          { orderItemId: line.orderItemId, quantity: 1 },
          { orderItemId: line.orderItemId, quantity: 1 },
        ],
        reason: 'DEFECTIVE',
      },
      h.owner(order),
    );
    expect(twice.status).toBe(422);
    expect(twice.body.detail).not.toContain(String(line.orderItemId));
    const unknown = await h.api.post(
      `/api/orders/${order.orderId}/returns`,
      { items: [{ orderItemId: line.orderItemId + 1_000, quantity: 1 }], reason: 'DEFECTIVE' },
      h.owner(order),
    );
    expect(unknown.status).toBe(422);
    expect(unknown.body.detail).not.toContain(String(line.orderItemId + 1_000));
  });

  it('names the product and its option when the line carries them', () => {
    const delivered = {
      deliveredAt: new Date('2026-12-05T00:00:00Z'),
      confirmedAt: null,
      hasOpenClaim: false,
    };
    const lines = [
      {
        orderItemId: 41_234,
        quantity: 3,
        claimedQuantity: 1,
        productName: '반팔 티셔츠',
        optionLabel: '블랙 / L',
      },
      { orderItemId: 41_235, quantity: 1, claimedQuantity: 0, productName: '에코백', optionLabel: '' },
    ];
    const detail = (items: { orderItemId: number; quantity: number }[]) => {
      try {
        checkClaimRequest(delivered, lines, items, new Date('2026-12-06T00:00:00Z'), 7);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(detail([{ orderItemId: 41_234, quantity: 3 }])).toBe(
      '반팔 티셔츠 (블랙 / L)은(는) 2개까지 신청할 수 있습니다.',
    );
    expect(detail([{ orderItemId: 41_235, quantity: 2 }])).toBe('에코백은(는) 1개까지 신청할 수 있습니다.');
    expect(
      detail([
        { orderItemId: 41_235, quantity: 1 },
        { orderItemId: 41_235, quantity: 1 },
      ]),
    ).toBe('에코백이(가) 두 번 들어 있습니다.');
  });
});
