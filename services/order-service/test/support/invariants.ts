import { randomUUID } from 'node:crypto';
import { asService, asUser as signedIn } from '@sagamart/testkit';

/**
 * The order saga's invariants, checked only through the services' HTTP APIs so any suite can use them
 * (the order tests here, an end-to-end run on either transport):
 * - stock, per SKU: initial + adjustments = available + reserved + sold, none negative, no history row
 *   below zero; and per order, its stock movements match its status (held while payable, sold when
 *   paid, all back when cancelled);
 * - a coupon is USED exactly when its order is PAID (and RESERVED only for an order still open);
 * - each user's points ledger sums to the balance, which is never negative; a cancelled order's
 *   points came back, a paid order's were committed;
 * - approved − refunded payments = the payable amounts of PAID orders; no payment is left PENDING.
 * After payment (issue 10) an order goes on to SHIPPING, DELIVERED, RETURNED: each counts as paid.
 * Returns move stock back with RETURN rows (keyed by the claim, adding nothing to the total); a
 * payment's partial refunds are one per claim, never above what was paid, and the order shows the
 * same refunded amount; with shipping-service in scope, each line's refunds never pass its payable
 * share and a fully returned line refunds exactly its share.
 * `violations` lists what is wrong right now (empty when all hold); after a fault, poll it until
 * empty, since compensations, refunds and events settle asynchronously.
 */
export interface ShopUrls {
  product: string;
  user: string;
  promotion: string;
  payment: string;
  order: string;
  /** shipping-service, when running: its claims are checked against the payments. */
  shipping?: string;
}

export interface InvariantScope {
  /** Products whose stock to check (their SKUs' whole history). */
  productIds: number[];
  /** Users whose points and coupons to check; the users of every order are always included. */
  userIds?: string[];
  /** Skip the payment check (when a test fabricates payment events payment-service never saw). */
  skipPayments?: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: bodies are read field by field
type Json = any;
const ADMIN = signedIn(randomUUID(), 'ADMIN', 'invariants@sagamart.test');
const asUser = (userId: string) => signedIn(userId);

async function get(base: string, path: string, headers: Record<string, string> = ADMIN): Promise<Json> {
  const res = await fetch(`${base}${path}`, { headers });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`GET ${base}${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Every element of a paged list (`{content, last}` pages of 100). */
async function all(base: string, path: string, headers?: Record<string, string>): Promise<Json[]> {
  const out: Json[] = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let page = 0; ; page++) {
    const body = await get(base, `${path}${sep}page=${page}&size=100`, headers);
    out.push(...body.content);
    if (body.last || body.content.length === 0) return out;
  }
}

interface Order {
  orderId: string;
  orderNumber: string;
  userId: string;
  status: string;
  payableAmount: number;
  pointsUsed: number;
  couponId: number | null;
  refundedAmount: number;
  items: Array<{ id: number; quantity: number; payableShare: number }>;
}

export async function violations(urls: ShopUrls, scope: InvariantScope): Promise<string[]> {
  const problems: string[] = [];
  const summaries: Json[] = await all(urls.order, '/api/admin/orders');
  const orders: Order[] = await Promise.all(
    summaries.map(async (s) => {
      const detail = await get(urls.order, `/api/admin/orders/${s.orderId}`);
      return {
        ...s,
        couponId: detail.couponId,
        pointsUsed: detail.pointsUsed,
        refundedAmount: detail.refundedAmount,
        items: detail.items,
      };
    }),
  );
  const byId = new Map(orders.map((o) => [o.orderId, o]));
  const open = (status: string) => status === 'PENDING' || status === 'PAYMENT_PENDING';
  const paid = (status: string) => ['PAID', 'SHIPPING', 'DELIVERED', 'RETURNED'].includes(status);

  // Stock.
  for (const productId of scope.productIds) {
    const product = await get(urls.product, `/api/admin/products/${productId}`);
    const history: Json[] = await all(urls.product, `/api/admin/products/${productId}/stock-movements`);
    for (const sku of product.skus as Json[]) {
      const rows = history.filter((m) => m.skuId === sku.id);
      const added = rows
        .filter(
          (m) => m.type === 'INITIAL' || m.type === 'ADJUST' || (m.type === 'RESTOCK' && m.orderId === null),
        )
        .reduce((sum, m) => sum + m.quantity, 0);
      if (added !== sku.stock + sku.reserved + sku.sold) {
        problems.push(
          `SKU ${sku.id}: initial+adjustments ${added} ≠ available ${sku.stock} + reserved ${sku.reserved} + sold ${sku.sold}`,
        );
      }
      if (sku.stock < 0 || sku.reserved < 0 || sku.sold < 0) problems.push(`SKU ${sku.id}: negative levels`);
      if (rows.some((m) => m.stockAfter < 0 || m.reservedAfter < 0 || m.soldAfter < 0))
        problems.push(`SKU ${sku.id}: history went negative`);
    }
    const perOrder = new Map<string, Json[]>();
    for (const m of history) if (m.orderId) perOrder.set(m.orderId, [...(perOrder.get(m.orderId) ?? []), m]);
    for (const [orderId, rows] of perOrder) {
      const order = byId.get(orderId);
      if (!order) continue;
      const types = new Set(rows.map((m: Json) => m.type));
      const net = rows.reduce((sum: number, m: Json) => sum + m.quantity, 0);
      if (order.status === 'CANCELLED' && net !== 0)
        problems.push(`order ${order.orderNumber} CANCELLED but ${-net} units not back in stock`);
      if (paid(order.status) && (!types.has('SELL') || types.has('RELEASE') || types.has('RESTOCK'))) {
        problems.push(`order ${order.orderNumber} PAID but its stock is not sold (${[...types].join(',')})`);
      }
      if (
        order.status === 'PAYMENT_PENDING' &&
        (types.has('SELL') || types.has('RELEASE') || types.has('RESTOCK'))
      ) {
        problems.push(
          `order ${order.orderNumber} PAYMENT_PENDING but its stock moved on (${[...types].join(',')})`,
        );
      }
    }
  }

  // Coupons and points, per user.
  const userIds = new Set([...(scope.userIds ?? []), ...orders.map((o) => o.userId)]);
  for (const userId of userIds) {
    const coupons: Json[] =
      (await get(urls.promotion, '/api/promotion/coupons?size=100', asUser(userId)))?.content ?? [];
    for (const coupon of coupons) {
      const order = coupon.orderId ? byId.get(coupon.orderId) : undefined;
      if (coupon.status === 'USED' && !(order && paid(order.status))) {
        problems.push(
          `coupon ${coupon.couponId} of ${userId} USED but its order is ${order?.status ?? 'unknown'}`,
        );
      }
      if (coupon.status === 'RESERVED' && !(order && open(order.status))) {
        problems.push(
          `coupon ${coupon.couponId} of ${userId} RESERVED for an order that is ${order?.status ?? 'unknown'}`,
        );
      }
    }
    for (const order of orders.filter((o) => o.userId === userId && o.couponId !== null)) {
      const coupon = coupons.find((c) => c.couponId === order.couponId);
      const usedByIt = coupon?.status === 'USED' && coupon.orderId === order.orderId;
      if (paid(order.status) && order.status !== 'RETURNED' && !usedByIt)
        problems.push(`order ${order.orderNumber} PAID but coupon ${order.couponId} is ${coupon?.status}`);
    }

    const points = await get(urls.user, '/api/users/me/points?size=1', asUser(userId));
    if (points) {
      const entries = await ledgerOf(urls.user, userId);
      const sum = entries.reduce((s, e) => s + e.amount, 0);
      if (sum !== points.balance)
        problems.push(`points of ${userId}: ledger sums to ${sum}, balance is ${points.balance}`);
      if (points.balance < 0 || entries.some((e) => e.balanceAfter < 0))
        problems.push(`points of ${userId} went negative`);
    }
    for (const order of orders.filter((o) => o.userId === userId && o.pointsUsed > 0)) {
      const reservation = await get(urls.user, `/internal/points/reservations/${order.orderId}`, asService());
      const expected = paid(order.status)
        ? 'COMMITTED'
        : order.status === 'CANCELLED'
          ? 'RELEASED'
          : 'RESERVED';
      if (order.status === 'CANCELLED' && !reservation) continue; // never reserved
      if (order.status === 'PENDING') continue; // the saga may not have got to points yet
      if (reservation?.state !== expected) {
        problems.push(
          `order ${order.orderNumber} ${order.status} but its points are ${reservation?.state ?? 'not reserved'}`,
        );
      }
    }
  }

  // Payments.
  if (!scope.skipPayments) {
    const numbers = new Set(orders.map((o) => o.orderNumber));
    const payments: Json[] = (await all(urls.payment, '/api/admin/payments')).filter((p) =>
      numbers.has(p.orderNumber),
    );
    const approved = payments.filter((p) => p.status === 'APPROVED');
    const net = approved.reduce((sum, p) => sum + p.amount - p.refundedAmount, 0);
    const kept = orders
      .filter((o) => paid(o.status))
      .reduce((sum, o) => sum + o.payableAmount - (o.refundedAmount ?? 0), 0);
    if (net !== kept)
      problems.push(`payments: approved − refunded = ${net}, but paid orders less refunds add up to ${kept}`);
    for (const p of payments) {
      const claims = (p.refunds as Json[]).map((r) => r.claimId);
      if (new Set(claims).size !== claims.length)
        problems.push(`payment ${p.paymentId}: a claim refunded twice`);
      if (p.refundedAmount > p.amount) problems.push(`payment ${p.paymentId}: refunded more than paid`);
      const done = (p.refunds as Json[]).filter((r) => r.status === 'DONE').reduce((s, r) => s + r.amount, 0);
      if (p.status === 'APPROVED' && done !== p.refundedAmount)
        problems.push(
          `payment ${p.paymentId}: refunds add up to ${done}, refundedAmount is ${p.refundedAmount}`,
        );
      const order = byId.get(p.orderId);
      if (order && p.status === 'APPROVED' && (order.refundedAmount ?? 0) !== p.refundedAmount)
        problems.push(
          `order ${order.orderNumber} shows ${order.refundedAmount} refunded, its payment ${p.refundedAmount}`,
        );
    }
    if (urls.shipping) problems.push(...(await claimViolations(urls.shipping, orders)));
    for (const p of payments.filter((p) => p.status === 'PENDING'))
      problems.push(`payment ${p.paymentId} of ${p.orderNumber} still PENDING`);
  }
  return problems;
}

/**
 * Per order line, over its completed returns: the refunds never pass the line's payable share, and a
 * line returned in full refunded exactly its share; a completed claim's refund is its lines less the fee.
 */
async function claimViolations(shipping: string, orders: Order[]): Promise<string[]> {
  const problems: string[] = [];
  for (const order of orders.filter((o) => o.refundedAmount > 0 || o.status === 'RETURNED')) {
    const body = await get(shipping, `/api/orders/${order.orderId}/claims`, asUser(order.userId));
    const completed = ((body?.claims ?? []) as Json[]).filter(
      (c) => c.type === 'RETURN' && c.status === 'COMPLETED',
    );
    for (const claim of completed) {
      const lines = (claim.items as Json[]).reduce((s, i) => s + i.refundAmount, 0);
      if (claim.refundAmount !== lines - claim.feeAmount)
        problems.push(
          `claim ${claim.id}: refund ${claim.refundAmount} ≠ lines ${lines} − fee ${claim.feeAmount}`,
        );
    }
    for (const item of order.items) {
      const returned = completed.flatMap((c) => (c.items as Json[]).filter((i) => i.orderItemId === item.id));
      const units = returned.reduce((s, i) => s + i.quantity, 0);
      const refund = returned.reduce((s, i) => s + i.refundAmount, 0);
      if (units > item.quantity)
        problems.push(`order ${order.orderNumber} line ${item.id}: ${units} returned of ${item.quantity}`);
      if (refund > item.payableShare || (units === item.quantity && refund !== item.payableShare))
        problems.push(
          `order ${order.orderNumber} line ${item.id}: refunded ${refund} for ${units}/${item.quantity} of a ${item.payableShare} share`,
        );
    }
  }
  return problems;
}

async function ledgerOf(userBase: string, userId: string): Promise<Json[]> {
  const out: Json[] = [];
  for (let page = 0; ; page++) {
    const body = await get(userBase, `/api/users/me/points?page=${page}&size=100`, asUser(userId));
    out.push(...body.ledger.content);
    if (body.ledger.last || body.ledger.content.length === 0) return out;
  }
}

/** Polls until every invariant holds (compensations and refunds settle asynchronously); throws the last violations. */
export async function expectInvariants(
  urls: ShopUrls,
  scope: InvariantScope,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string[] = [];
  for (;;) {
    last = await violations(urls, scope);
    if (last.length === 0) return;
    if (Date.now() > deadline) throw new Error(`invariants violated:\n- ${last.join('\n- ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
