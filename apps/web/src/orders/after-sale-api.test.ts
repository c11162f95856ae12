import { describe, expect, it } from 'vitest';
import { aClaim } from '../testing/fixtures.ts';
import { type Claim, claimedUnits, reasonCostsFee } from './after-sale-api.ts';

/** A return in `status` of `quantity` units of each order line listed. */
function claim(status: Claim['status'], items: Array<[orderItemId: number, quantity: number]>): Claim {
  const line = aClaim().items[0]!;
  return aClaim({
    id: `claim-${status}`,
    status,
    items: items.map(([orderItemId, quantity]) => ({ ...line, orderItemId, quantity })),
  });
}

describe('after-sale rules the request form follows', () => {
  it('counts the units already in a return or an exchange, except rejected ones', () => {
    const units = claimedUnits([
      claim('COMPLETED', [[10, 1]]),
      claim('REQUESTED', [
        [10, 1],
        [11, 2],
      ]),
      claim('REJECTED', [[12, 3]]),
    ]);
    expect(Object.fromEntries(units)).toEqual({ 10: 2, 11: 2 });
  });

  it('charges the return fee only for a change-of-mind return', () => {
    expect(reasonCostsFee('RETURN', 'CHANGE_OF_MIND')).toBe(true);
    expect(reasonCostsFee('RETURN', 'DEFECTIVE')).toBe(false);
    expect(reasonCostsFee('EXCHANGE', 'CHANGE_OF_MIND')).toBe(false);
  });
});
