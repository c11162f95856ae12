import { SkuLookupResult, StockReservation } from '@sagamart/contracts';
import { ServiceCallError, type ServiceClient } from '@sagamart/kit';
import { refusedForGood } from '../domain/shipment-rules.ts';

// product-service's internal API: SKU lookups (exchange options) and stock reservations keyed by the
// exchange claim's id (reserve at approval, commit when the new option ships, release on reject).

/** product-service refused to sell an exchange's reservation for good (a 4xx but 408 and 429). */
export class StockRefused extends Error {
  override name = 'StockRefused';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

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

  /**
   * Sells the reservation as the new options ship. Throws StockRefused when product-service refuses
   * for good (no reservation, or released: 404, 409); anything else as the ServiceCallError.
   */
  async commit(claimId: string) {
    try {
      return await this.client.post(
        `/internal/stock/reservations/${encodeURIComponent(claimId)}/commit`,
        undefined,
        { idempotent: true, response: StockReservation },
      );
    } catch (error) {
      if (error instanceof ServiceCallError && error.kind === 'http' && refusedForGood(error.status)) {
        throw new StockRefused(error.problem?.detail ?? error.message, error.status!);
      }
      throw error;
    }
  }
}
