import { SkuLookupResult, StockReservation } from '@sagamart/contracts';
import type { ServiceClient } from '@sagamart/kit';

// product-service's internal API: SKU lookups (exchange options) and stock reservations keyed by the
// exchange claim's id (reserve at approval, commit when the new option ships, release on reject).

export class ProductClient {
  constructor(private readonly client: ServiceClient) {}

  async skus(ids: number[]) {
    const result = await this.client.get('/internal/skus', { query: { ids }, response: SkuLookupResult });
    return result.content;
  }

  /** All or none; idempotent by claimId; 409 when out of stock. */
  reserve(claimId: string, items: { skuId: number; quantity: number }[]) {
    return this.client.post(
      '/internal/stock/reservations',
      { orderId: claimId, items },
      { idempotent: true, response: StockReservation },
    );
  }

  /** Gives reserved stock back; idempotent, a tombstone when nothing was reserved. */
  release(claimId: string) {
    return this.client.post(
      `/internal/stock/reservations/${encodeURIComponent(claimId)}/release`,
      undefined,
      {
        idempotent: true,
        response: StockReservation,
      },
    );
  }

  commit(claimId: string) {
    return this.client.post(`/internal/stock/reservations/${encodeURIComponent(claimId)}/commit`, undefined, {
      idempotent: true,
      response: StockReservation,
    });
  }
}
