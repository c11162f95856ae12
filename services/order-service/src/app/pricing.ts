import {
  COUPON_UNAVAILABLE,
  POINTS_INSUFFICIENT,
  type PromotionQuote,
  type SkuLookupItem,
} from '@sagamart/contracts';
import { Problem, ServiceCallError } from '@sagamart/kit';
import {
  lineTotal,
  mergeItems,
  type OrderTotals,
  orderTotals,
  type RequestedItem,
  subtotalOf,
  TotalsError,
} from '../domain/totals.ts';
import type { Participants } from '../infra/participants.ts';

export interface PricedLine {
  skuId: number;
  productId: number;
  productName: string;
  skuCode: string;
  options: Record<string, string>;
  categoryIds: number[];
  unitPrice: number;
  quantity: number;
  lineTotal: number;
  thumbnailUrl: string | null;
  /** Stock product-service reported; the reservation decides for real. */
  availableStock: number;
  /** What the line's own (PRODUCT, CATEGORY) policies took off it, from the quote. */
  itemDiscount: number;
}

export interface PricedOrder extends OrderTotals {
  lines: PricedLine[];
  policyDiscounts: PromotionQuote['policyDiscounts'];
  policyDiscount: number;
  couponId: number | null;
  couponDiscount: number;
  pointsBalance: number;
  /** The most points this order could use: min(balance, what is left after discounts). */
  maxUsablePoints: number;
}

/** An ACTIVE or SOLD_OUT SKU of a product on sale: out-of-stock is the reservation's call, not ours. */
function onSale(sku: SkuLookupItem): boolean {
  return (
    sku.status !== 'INACTIVE' &&
    !sku.removed &&
    sku.productStatus !== 'INACTIVE' &&
    sku.displayed &&
    !sku.deleted
  );
}

/**
 * Prices an order from server-side data only: unit prices from product-service, every discount from
 * promotion-service's quote, points against user-service's balance. Used by the quote endpoint and
 * by placing an order, so the preview and the order agree.
 */
export class Pricing {
  constructor(private readonly participants: Participants) {}

  async price(input: {
    userId: string;
    items: RequestedItem[];
    couponId: number | null;
    pointsToUse: number;
    /** Ask user-service for the balance even when no points are used (the checkout shows it). */
    alwaysReadBalance: boolean;
    /**
     * A preview: points above what is left to pay after discounts are lowered to it (a coupon chosen
     * after the points), so the checkout learns the new limit; an order refuses them instead.
     */
    fitPointsToPayable?: boolean;
  }): Promise<PricedOrder> {
    const items = mergeItems(input.items);
    const skus = new Map(
      (await this.participants.lookupSkus(items.map((i) => i.skuId))).map((s) => [s.skuId, s]),
    );
    const unknown = items.filter((i) => !skus.has(i.skuId));
    if (unknown.length) {
      throw new Problem(422, `Unknown SKU: ${unknown.map((i) => i.skuId).join(', ')}`, {
        code: 'unknown-sku',
        errors: unknown.map((i) => ({ field: `items.skuId`, message: `SKU ${i.skuId} does not exist` })),
      });
    }
    const closed = items.filter((i) => !onSale(skus.get(i.skuId)!));
    if (closed.length) {
      throw new Problem(409, `Not on sale: ${closed.map((i) => skus.get(i.skuId)!.skuCode).join(', ')}`, {
        code: 'sku-unavailable',
        errors: closed.map((i) => ({ field: 'items.skuId', message: `SKU ${i.skuId} is not on sale` })),
      });
    }

    const lines: Omit<PricedLine, 'itemDiscount'>[] = [];
    for (const item of items) {
      const sku = skus.get(item.skuId)!;
      lines.push({
        skuId: sku.skuId,
        productId: sku.productId,
        productName: sku.productName,
        skuCode: sku.skuCode,
        options: sku.options,
        categoryIds: await this.participants.withAncestors(sku.categoryIds),
        unitPrice: sku.price,
        quantity: item.quantity,
        lineTotal: lineTotal({ unitPrice: sku.price, quantity: item.quantity }),
        thumbnailUrl: sku.thumbnailUrl,
        availableStock: sku.stock,
      });
    }
    const subtotal = subtotalOf(lines);

    const [quote, pointsBalance] = await Promise.all([
      this.quote(input.userId, lines, input.couponId),
      input.pointsToUse > 0 || input.alwaysReadBalance
        ? this.participants.pointsBalance(input.userId).then((b) => b.balance)
        : Promise.resolve(0),
    ]);
    const policyDiscount = quote.policyDiscounts.reduce((sum, p) => sum + p.amount, 0);
    // The item discounts must name our lines in order, fit each line and come out of the policies.
    const quotedLines = quote.lines ?? lines.map((line) => ({ skuId: line.skuId, itemDiscount: 0 }));
    const itemDiscounts = quotedLines.reduce((sum, l) => sum + l.itemDiscount, 0);
    if (
      quote.subtotal !== subtotal ||
      quote.totalDiscount !== policyDiscount + quote.couponDiscount ||
      quotedLines.length !== lines.length ||
      quotedLines.some((l, i) => l.skuId !== lines[i]!.skuId || l.itemDiscount > lines[i]!.lineTotal) ||
      itemDiscounts > policyDiscount
    ) {
      throw new Problem(502, 'promotion-service answered a quote that does not add up', {
        code: 'inconsistent-quote',
      });
    }
    let totals: OrderTotals;
    try {
      const leftToPay = Math.max(0, subtotal - quote.totalDiscount);
      totals = orderTotals({
        subtotal,
        discountAmount: quote.totalDiscount,
        pointsToUse: input.fitPointsToPayable ? Math.min(input.pointsToUse, leftToPay) : input.pointsToUse,
        pointsBalance,
      });
    } catch (error) {
      if (!(error instanceof TotalsError)) throw error;
      if (error.code === 'points-exceed-balance') {
        throw new Problem(409, error.message, {
          code: POINTS_INSUFFICIENT,
          extensions: { balance: pointsBalance },
        });
      }
      if (error.code === 'points-exceed-payable') {
        throw new Problem(422, error.message, {
          code: 'points-exceed-payable',
          errors: [{ field: 'pointsToUse', message: error.message }],
        });
      }
      throw new Problem(502, error.message, { code: 'inconsistent-quote' });
    }
    return {
      ...totals,
      lines: lines.map((line, i) => ({ ...line, itemDiscount: quotedLines[i]!.itemDiscount })),
      policyDiscounts: quote.policyDiscounts,
      policyDiscount,
      couponId: quote.couponId,
      couponDiscount: quote.couponDiscount,
      pointsBalance,
      maxUsablePoints: Math.min(pointsBalance, subtotal - quote.totalDiscount),
    };
  }

  private async quote(
    userId: string,
    lines: Omit<PricedLine, 'itemDiscount'>[],
    couponId: number | null,
  ): Promise<PromotionQuote> {
    try {
      return await this.participants.quote({
        userId,
        items: lines.map((l) => ({
          skuId: l.skuId,
          productId: l.productId,
          categoryIds: l.categoryIds,
          unitPrice: l.unitPrice,
          quantity: l.quantity,
        })),
        ...(couponId !== null ? { couponId } : {}),
      });
    } catch (error) {
      // The coupon cannot be used: say so with promotion's reason, before anything is reserved.
      if (
        error instanceof ServiceCallError &&
        error.status === 409 &&
        error.problem?.type?.endsWith(COUPON_UNAVAILABLE)
      ) {
        throw new Problem(409, error.message, {
          code: COUPON_UNAVAILABLE,
          extensions: { reason: (error.problem as { reason?: string }).reason ?? null },
        });
      }
      throw error;
    }
  }
}
