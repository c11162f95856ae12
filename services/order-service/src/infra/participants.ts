import {
  CategorySyncList,
  CouponReservation,
  type CouponReservationRequest,
  PointsBalance,
  PointsReservation,
  type PointsReservationRequest,
  PromotionQuote,
  type PromotionQuoteRequest,
  ShipmentCancelAnswer,
  type SkuLookupItem,
  SkuLookupResult,
  StockReservation,
  type StockReservationRequest,
  type StockSettleRequest,
} from '@sagamart/contracts';
import { ServiceCallError, type ServiceContext } from '@sagamart/kit';

/**
 * The other services' internal APIs, as order-service calls them. Reservation calls are idempotent
 * by orderId, but each is made once here: the saga runner retries them itself (with backoff, and
 * only while the saga still wants the step), which also keeps a stopping instance from starting new
 * calls.
 */
export class Participants {
  private categoryCache: { at: number; parents: Map<number, number | null> } | undefined;

  constructor(private readonly ctx: ServiceContext<unknown>) {}

  private get product() {
    return this.ctx.client('product-service');
  }
  private get promotion() {
    return this.ctx.client('promotion-service');
  }
  private get user() {
    return this.ctx.client('user-service');
  }
  private get shipping() {
    return this.ctx.client('shipping-service');
  }
  private get timeoutMs() {
    return this.ctx.config.number('orders.saga.callTimeoutMs');
  }

  async lookupSkus(ids: number[]): Promise<SkuLookupItem[]> {
    const result = await this.product.get('/internal/skus', { query: { ids }, response: SkuLookupResult });
    return result.content;
  }

  /** Each category with its ancestors (a CATEGORY policy applies to everything below its category). */
  async withAncestors(categoryIds: number[]): Promise<number[]> {
    let parents = await this.categoryParents();
    // A category newer than the cached tree: read the tree again.
    if (categoryIds.some((id) => !parents.has(id))) parents = await this.categoryParents(true);
    const all = new Set<number>();
    for (const id of categoryIds) {
      let current: number | null | undefined = id;
      // Depth is at most 3; the guard only stops a malformed cycle.
      for (let hops = 0; current != null && hops < 10 && !all.has(current); hops++) {
        all.add(current);
        current = parents.get(current);
      }
    }
    return [...all].sort((a, b) => a - b);
  }

  private async categoryParents(fresh = false): Promise<Map<number, number | null>> {
    const ttl = this.ctx.config.number('orders.categoryCacheMs');
    if (!fresh && this.categoryCache && Date.now() - this.categoryCache.at < ttl)
      return this.categoryCache.parents;
    const list = await this.product.get('/internal/sync/categories', { response: CategorySyncList });
    const parents = new Map(list.content.map((c) => [c.categoryId, c.parentId] as const));
    this.categoryCache = { at: Date.now(), parents };
    return parents;
  }

  quote(request: PromotionQuoteRequest) {
    return this.promotion.post('/internal/quotes', request, { response: PromotionQuote, idempotent: true });
  }

  pointsBalance(userId: string) {
    return this.user.get(`/internal/points/balances/${userId}`, { response: PointsBalance });
  }

  reserveStock(request: StockReservationRequest) {
    return this.product.post('/internal/stock/reservations', request, this.once(StockReservation));
  }
  /** The order's number goes along, for the admin's stock history (as with the reservation). */
  stockStep(orderId: string, action: 'commit' | 'release', request: StockSettleRequest) {
    return this.product.post(
      `/internal/stock/reservations/${encodeURIComponent(orderId)}/${action}`,
      request,
      this.once(StockReservation),
    );
  }

  reserveCoupon(request: CouponReservationRequest) {
    return this.promotion.post('/internal/coupons/reservations', request, this.once(CouponReservation));
  }
  couponStep(orderId: string, action: 'commit' | 'release') {
    return this.promotion.post(
      `/internal/coupons/reservations/${encodeURIComponent(orderId)}/${action}`,
      {},
      this.once(CouponReservation),
    );
  }

  reservePoints(request: PointsReservationRequest) {
    return this.user.post('/internal/points/reservations', request, this.once(PointsReservation));
  }
  pointsStep(orderId: string, action: 'commit' | 'release') {
    return this.user.post(
      `/internal/points/reservations/${encodeURIComponent(orderId)}/${action}`,
      {},
      this.once(PointsReservation),
    );
  }

  /**
   * Asks shipping-service to stop the parcel of a paid order before it is cancelled (issue 10):
   * 'cancelled' (nothing picked up; a waybill is cancelled at the courier), 'picked-up' (too late).
   * Anything else (shipping down) throws: the cancel is refused rather than risk a parcel on its way.
   */
  async cancelShipment(orderId: string): Promise<'cancelled' | 'picked-up'> {
    try {
      await this.shipping.post(
        `/internal/shipments/orders/${encodeURIComponent(orderId)}/cancel`,
        {},
        {
          response: ShipmentCancelAnswer,
          idempotent: true,
          timeoutMs: this.timeoutMs,
        },
      );
      return 'cancelled';
    } catch (error) {
      if (error instanceof ServiceCallError && error.status === 409) return 'picked-up';
      throw error;
    }
  }

  private once<S extends typeof StockReservation | typeof CouponReservation | typeof PointsReservation>(
    response: S,
  ) {
    return { response, idempotent: false, timeoutMs: this.timeoutMs };
  }
}

/**
 * A participant's definite "no" (4xx other than 408/429): retrying cannot change it. Everything else
 * (timeouts, 5xx, unreachable, an open circuit) is transient.
 */
export function isRefusal(error: unknown): error is ServiceCallError {
  return (
    error instanceof ServiceCallError &&
    error.kind === 'http' &&
    (error.status ?? 0) >= 400 &&
    (error.status ?? 0) < 500 &&
    error.status !== 408 &&
    error.status !== 429
  );
}

export function describeFailure(error: unknown): string {
  if (error instanceof ServiceCallError) {
    const status = error.status ? ` ${error.status}` : '';
    return `${error.target} ${error.kind}${status}: ${error.message}`.slice(0, 500);
  }
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
