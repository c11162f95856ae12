import { SkuLookupResult, StockReservation } from '@sagamart/contracts';
import { ServiceCallError, type ServiceClient } from '@sagamart/kit';

// product-service's internal API: SKU lookups (exchange options) and stock reservations keyed by the
// exchange claim's id (reserve at approval, commit when the new option ships, release on reject); an
// exchange parcel whose reservation was refused is reserved again under a new key (the claim id and
// an attempt number) when an admin issues it again.

/**
 * product-service refused to sell an exchange's reservation for good: the reservation itself answered
 * 404 (nothing reserved under the key) or 409 (released). Any other refusal (400, 401, 403, a 404 of
 * a route it does not have) is our call's or our settings' problem, thrown as the ServiceCallError.
 */
export class StockRefused extends Error {
  override name = 'StockRefused';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** product-service cannot reserve an exchange's options now: out of stock or no longer sold (404, 409). */
export class StockUnavailable extends Error {
  override name = 'StockUnavailable';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const PROBLEM = 'urn:sagamart:problem:';

/** The reservation's own refusal: nothing reserved under the key (404 not-found) or released (409). */
function refusesReservation(error: ServiceCallError): boolean {
  const type = typeof error.problem?.type === 'string' ? error.problem.type : '';
  return (
    (error.status === 404 && type === `${PROBLEM}not-found`) ||
    (error.status === 409 && type.startsWith(`${PROBLEM}reservation-`))
  );
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
   * Reserves an exchange's options again under a new key, `orderNumber` kept on the movements for the
   * admin's stock history. Throws StockUnavailable when they cannot be served (409 out of stock or not
   * on sale, 404 an option product-service no longer has), StockRefused when the key was released
   * already (a tombstone); anything else as the ServiceCallError.
   */
  async reserveAgain(
    key: string,
    items: { skuId: number; quantity: number }[],
    orderNumber: string,
  ): Promise<StockReservation> {
    let reservation: StockReservation;
    try {
      reservation = await this.client.post(
        '/internal/stock/reservations',
        { orderId: key, orderNumber, items },
        { idempotent: true, response: StockReservation },
      );
    } catch (error) {
      const type = error instanceof ServiceCallError ? String(error.problem?.type ?? '') : '';
      if (
        error instanceof ServiceCallError &&
        error.kind === 'http' &&
        (error.status === 409 || (error.status === 404 && type === `${PROBLEM}unknown-sku`))
      ) {
        throw new StockUnavailable(error.problem?.detail ?? error.message, error.status!);
      }
      throw error;
    }
    if (reservation.state === 'RELEASED') throw new StockRefused(`${key} was released`, 409);
    return reservation;
  }

  /**
   * Sells the reservation as the new options ship. Throws StockRefused when the reservation refuses
   * for good (nothing reserved, or released: 404, 409); anything else as the ServiceCallError.
   */
  async commit(key: string) {
    try {
      return await this.client.post(
        `/internal/stock/reservations/${encodeURIComponent(key)}/commit`,
        undefined,
        { idempotent: true, response: StockReservation },
      );
    } catch (error) {
      if (error instanceof ServiceCallError && error.kind === 'http' && refusesReservation(error)) {
        throw new StockRefused(error.problem?.detail ?? error.message, error.status!);
      }
      throw error;
    }
  }
}
